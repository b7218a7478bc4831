// Adds roles to people (a process card's decision chain names them), keeping every role they had.
// $rows: [{id, roles}]
// Columns: granted
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
SET p.roles = coalesce(p.roles, []) + [r IN row.roles WHERE NOT r IN coalesce(p.roles, [])]
RETURN count(p) AS granted
