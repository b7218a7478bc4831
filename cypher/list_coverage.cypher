// Lists our contacts' COVERS links into some accounts, each with the contact it comes from.
// $account_ids: list of account ids
// Columns: account_id, contact ({id, name, title, team}), person_id, status, since, strength, referred_by, basis
UNWIND $account_ids AS account_id
MATCH (c:Contact)-[r:COVERS]->(p:Person {account_id: account_id})
RETURN account_id, c {.id, .name, .title, .team} AS contact, p.id AS person_id, r.status AS status,
       r.since AS since, r.strength AS strength, r.referred_by AS referred_by, r.basis AS basis
ORDER BY account_id, contact.id, person_id
