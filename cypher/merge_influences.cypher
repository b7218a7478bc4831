// Records informal influence between stakeholders; sign -1 marks opposition.
// $rows: [{person_id, target_id, props: {strength, sign}}]
// Columns: written
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id})
MATCH (t:Person {id: row.target_id})
MERGE (p)-[r:INFLUENCES]->(t)
SET r += row.props
RETURN count(r) AS written
