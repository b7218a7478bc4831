// Lists our contacts (我方对接人), each with how many stakeholders and accounts they cover.
// Columns: id, name, title, team, people, accounts
MATCH (c:Contact)
OPTIONAL MATCH (c)-[:COVERS]->(p:Person)
WITH c, count(p) AS people, count(DISTINCT p.account_id) AS accounts
RETURN c.id AS id, c.name AS name, c.title AS title, c.team AS team, people, accounts
ORDER BY id
