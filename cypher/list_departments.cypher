// Lists the departments of some accounts with their parent (null at the top level).
// $account_ids: list of account ids
// Columns: account_id, id, name, level, parent_id
UNWIND $account_ids AS account_id
MATCH (d:Department {account_id: account_id})
OPTIONAL MATCH (d)-[:PART_OF]->(parent:Department)
RETURN account_id, d.id AS id, d.name AS name, d.level AS level, parent.id AS parent_id
ORDER BY account_id, id
