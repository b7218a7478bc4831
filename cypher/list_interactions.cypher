// Lists one account's interactions with who took part, newest first.
// $account_id
// Columns: id, on, on_precision, on_text, channel, summary, person_ids, contact_ids
MATCH (i:Interaction {account_id: $account_id})
OPTIONAL MATCH (i)-[:WITH]->(p:Person)
WITH i, collect(p.id) AS person_ids
OPTIONAL MATCH (i)-[:WITH]->(c:Contact)
WITH i, person_ids, collect(c.id) AS contact_ids
RETURN i.id AS id, i.on AS on, i.on_precision AS on_precision, i.on_text AS on_text,
       i.channel AS channel, i.summary AS summary, person_ids, contact_ids
ORDER BY on DESC, id
