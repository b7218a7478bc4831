// One stakeholder by id: which account they belong to, and whether they are still there.
// $person_id
// Columns: id, account_id, name, title, status
MATCH (p:Person {id: $person_id})
RETURN p.id AS id, p.account_id AS account_id, p.name AS name, p.title AS title, p.status AS status
