// The stored status of these COVERS links, to compare an import against (the change log).
// $rows: [{contact_id, person_id}]
// Columns: contact_id, person_id, status
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})-[r:COVERS]->(p:Person {id: row.person_id})
RETURN c.id AS contact_id, p.id AS person_id, r.status AS status
