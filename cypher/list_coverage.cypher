// Lists our contacts' COVERS links into one account, with the contacts' own fields.
// $account_id
// Columns: contact_id, contact_name, contact_title, contact_team, person_id, status, since, strength, referred_by
MATCH (c:Contact)-[r:COVERS]->(p:Person {account_id: $account_id})
RETURN c.id AS contact_id, c.name AS contact_name, c.title AS contact_title, c.team AS contact_team,
       p.id AS person_id, r.status AS status, r.since AS since, r.strength AS strength,
       r.referred_by AS referred_by
ORDER BY contact_id, person_id
