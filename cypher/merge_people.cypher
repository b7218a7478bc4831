// Creates or updates stakeholders and places each in its department.
// $rows: [{id, department_id, props: {account_id, name, title, roles, status, next_action, next_action_due}}]
// Columns: written
UNWIND $rows AS row
MATCH (d:Department {id: row.department_id})
MERGE (p:Person {id: row.id})
SET p += row.props
MERGE (p)-[:WORKS_IN]->(d)
RETURN count(p) AS written
