// Records formal reporting lines between stakeholders.
// $rows: [{person_id, manager_id}]
// Columns: written
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id})
MATCH (m:Person {id: row.manager_id})
MERGE (p)-[r:REPORTS_TO]->(m)
RETURN count(r) AS written
