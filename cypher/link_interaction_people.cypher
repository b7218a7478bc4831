// Connects interactions to the stakeholders who took part.
// $rows: [{interaction_id, person_id}]
// Columns: linked
UNWIND $rows AS row
MATCH (i:Interaction {id: row.interaction_id})
MATCH (p:Person {id: row.person_id})
MERGE (i)-[w:WITH]->(p)
RETURN count(w) AS linked
