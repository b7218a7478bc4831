// Deletes coverage links: one of our contacts no longer covers a stakeholder.
// $rows: [{contact_id, person_id}]
// Columns: deleted
UNWIND $rows AS row
MATCH (:Contact {id: row.contact_id})-[r:COVERS]->(:Person {id: row.person_id})
DELETE r
RETURN count(*) AS deleted
