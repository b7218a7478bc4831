// Removes from interactions the participants they no longer have (an edit of who took part).
// $rows: [{interaction_id, person_ids, contact_ids}]: the participants to keep
// Columns: unlinked
UNWIND $rows AS row
MATCH (i:Interaction {id: row.interaction_id})-[w:WITH]->(n)
WHERE (n:Person AND NOT n.id IN row.person_ids) OR (n:Contact AND NOT n.id IN row.contact_ids)
DELETE w
RETURN count(*) AS unlinked
