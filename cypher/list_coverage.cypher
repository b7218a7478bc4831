// Lists our contacts' COVERS links into one account, each with the contact it comes from.
// $account_id
// Columns: contact ({id, name, title, team}), person_id, status, since, strength, referred_by
MATCH (c:Contact)-[r:COVERS]->(p:Person {account_id: $account_id})
RETURN c {.id, .name, .title, .team} AS contact, p.id AS person_id, r.status AS status, r.since AS since,
       r.strength AS strength, r.referred_by AS referred_by
ORDER BY contact.id, person_id
