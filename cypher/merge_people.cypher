// Creates or updates stakeholders and places each in its department (only that one: a person who moved
// leaves the old department).
// Only the properties a source knows are in props (the archive's contacts table carries phone and e-mail,
// the mapping table next actions); a new person without a status or roles gets the defaults.
// $rows: [{id, department_id, props: {account_id, name, title, roles, status, next_action, next_action_due,
//   intent, phone, email}}]
// Columns: written
UNWIND $rows AS row
MATCH (d:Department {id: row.department_id})
MERGE (p:Person {id: row.id})
SET p += row.props
SET p.status = coalesce(p.status, 'active'), p.roles = coalesce(p.roles, [])
MERGE (p)-[:WORKS_IN]->(d)
WITH p, d
OPTIONAL MATCH (p)-[old:WORKS_IN]->(other:Department)
WHERE other.id <> d.id
DELETE old
RETURN count(DISTINCT p.id) AS written
