// Deletes formal reporting lines.
// $rows: [{person_id, manager_id}]
// Columns: deleted
UNWIND $rows AS row
MATCH (:Person {id: row.person_id})-[r:REPORTS_TO]->(:Person {id: row.manager_id})
DELETE r
RETURN count(*) AS deleted
