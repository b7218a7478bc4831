// Lists the plan targets of some accounts: which of our contacts is to build what relationship with whom.
// $account_ids: list of account ids
// Columns: account_id, contact ({id, name, title, team}), person_id, status, band, due, note
UNWIND $account_ids AS account_id
MATCH (c:Contact)-[t:PLANS]->(p:Person {account_id: account_id})
RETURN account_id, c {.id, .name, .title, .team} AS contact, p.id AS person_id, t.status AS status,
       t.band AS band, t.due AS due, t.note AS note
ORDER BY account_id, contact.id, person_id
