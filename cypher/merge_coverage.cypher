// Creates or updates our touchpoints: which of our contacts covers which stakeholder, and how well.
// $rows: [{contact_id, person_id, props: {status, since, strength, referred_by}}]
// Columns: written
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
MATCH (p:Person {id: row.person_id})
MERGE (c)-[r:COVERS]->(p)
SET r += row.props
RETURN count(r) AS written
