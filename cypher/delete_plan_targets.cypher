// Deletes plan targets: the plan no longer asks one of our contacts for a relationship with a stakeholder.
// $rows: [{contact_id, person_id}]
// Columns: deleted
UNWIND $rows AS row
MATCH (:Contact {id: row.contact_id})-[t:PLANS]->(:Person {id: row.person_id})
DELETE t
RETURN count(*) AS deleted
