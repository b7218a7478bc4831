// Lists accounts with their size: stakeholders and the contacts of ours who cover them.
// $account_id: one account's id, or null for all
// Columns: id, name, industry, mapping_goal, updated_on, people, contacts
MATCH (a:Account)
WHERE $account_id IS NULL OR a.id = $account_id
OPTIONAL MATCH (p:Person {account_id: a.id})
OPTIONAL MATCH (c:Contact)-[:COVERS]->(p)
WITH a, count(DISTINCT p) AS people, count(DISTINCT c) AS contacts
RETURN a.id AS id, a.name AS name, a.industry AS industry, a.mapping_goal AS mapping_goal,
       a.updated_on AS updated_on, people, contacts
ORDER BY name, id
