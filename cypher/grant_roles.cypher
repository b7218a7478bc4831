// Adds roles to people (a process card's decision chain names them), keeping every role they had.
// $rows: [{id, roles}]
// Columns: granted
// UNWIND and collect, not `p.roles + [...]`: Neo4j cannot add to a stored empty list (it has no element type).
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
UNWIND coalesce(p.roles, []) + row.roles AS role
WITH p, collect(DISTINCT role) AS roles
SET p.roles = roles
RETURN count(p) AS granted
