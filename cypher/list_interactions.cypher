// Lists the interactions of some accounts with who took part, newest first.
// $account_ids: list of account ids
// Columns: account_id, id, on, on_precision, on_text, channel, summary, person_ids, contact_ids,
//   follow_up, due, owner_id, card_id
UNWIND $account_ids AS account_id
MATCH (i:Interaction {account_id: account_id})
OPTIONAL MATCH (i)-[:WITH]->(p:Person)
WITH account_id, i, collect(p.id) AS person_ids
OPTIONAL MATCH (i)-[:WITH]->(c:Contact)
WITH account_id, i, person_ids, collect(c.id) AS contact_ids
RETURN account_id, i.id AS id, i.on AS on, i.on_precision AS on_precision, i.on_text AS on_text,
       i.channel AS channel, i.summary AS summary, person_ids, contact_ids,
       i.follow_up AS follow_up, i.due AS due, i.owner_id AS owner_id, i.card_id AS card_id
ORDER BY account_id, on DESC, id
