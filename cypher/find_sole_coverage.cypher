// The stakeholders one of our contacts covers, each with how many of our contacts cover them in all:
// those with 1 lose all coverage if this contact leaves. One row with null person_id when they cover nobody.
// $contact_id
// Columns: contact_id, person_id, account_id, name, title, status, coverers
MATCH (c:Contact {id: $contact_id})
OPTIONAL MATCH (c)-[:COVERS]->(p:Person)
OPTIONAL MATCH (x:Contact)-[:COVERS]->(p)
WITH c, p, count(x) AS coverers
RETURN c.id AS contact_id, p.id AS person_id, p.account_id AS account_id, p.name AS name, p.title AS title,
       p.status AS status, coverers
ORDER BY account_id, person_id
