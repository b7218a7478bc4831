// Restore: (:Interaction)-[:WITH]->(:Person) relationships from a backup, merged, properties replaced.
// $rows: list of {from_id, to_id, properties}
// Columns: restored
UNWIND $rows AS row
MATCH (a:Interaction {id: row.from_id})
MATCH (b:Person {id: row.to_id})
MERGE (a)-[r:WITH]->(b)
SET r = row.properties
RETURN count(r) AS restored
