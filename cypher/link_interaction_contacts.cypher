// Connects interactions to our contacts who took part.
// $rows: [{interaction_id, contact_id}]
// Columns: linked
UNWIND $rows AS row
MATCH (i:Interaction {id: row.interaction_id})
MATCH (c:Contact {id: row.contact_id})
MERGE (i)-[w:WITH]->(c)
RETURN count(w) AS linked
