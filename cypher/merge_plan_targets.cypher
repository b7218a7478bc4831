// Creates or updates the account plan's targets: the relationship one of our contacts is to build with a stakeholder.
// $rows: [{contact_id, person_id, props: {status, band, due, note}}]
// Columns: written
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
MATCH (p:Person {id: row.person_id})
MERGE (c)-[t:PLANS]->(p)
SET t += row.props
RETURN count(t) AS written
