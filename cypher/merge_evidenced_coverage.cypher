// Our contact met a stakeholder (an interaction both took part in): the COVERS link between them is
// created from that evidence (status initial, basis 'interactions', since the first such day), and an
// evidenced link's since moves to an earlier meeting. A link a person recorded keeps its status and basis.
// $rows: [{contact_id, person_id, since}]
// Columns: written
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
MATCH (p:Person {id: row.person_id})
MERGE (c)-[r:COVERS]->(p)
ON CREATE SET r.status = 'initial', r.basis = 'interactions', r.since = row.since
WITH r, row
WHERE r.basis = 'interactions' AND row.since IS NOT NULL AND (r.since IS NULL OR row.since < r.since)
SET r.since = row.since
RETURN count(r) AS written
