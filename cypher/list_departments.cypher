// Lists an account's departments with their parent (null at the top level).
// $account_id
// Columns: id, name, level, parent_id
MATCH (d:Department {account_id: $account_id})
OPTIONAL MATCH (d)-[:PART_OF]->(parent:Department)
RETURN d.id AS id, d.name AS name, d.level AS level, parent.id AS parent_id
ORDER BY id
