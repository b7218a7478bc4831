// Restore: (:Contact)-[:PLANS]->(:Person) relationships from a backup, merged, properties replaced.
// $rows: list of {from_id, to_id, properties}
// Columns: restored
UNWIND $rows AS row
MATCH (a:Contact {id: row.from_id})
MATCH (b:Person {id: row.to_id})
MERGE (a)-[r:PLANS]->(b)
SET r = row.properties
RETURN count(r) AS restored
