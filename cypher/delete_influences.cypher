// Deletes informal influence links.
// $rows: [{person_id, target_id}]
// Columns: deleted
UNWIND $rows AS row
MATCH (:Person {id: row.person_id})-[r:INFLUENCES]->(:Person {id: row.target_id})
DELETE r
RETURN count(*) AS deleted
