// Restore: (:Person)-[:WORKS_IN]->(:Department) relationships from a backup, merged, properties replaced.
// $rows: list of {from_id, to_id, properties}
// Columns: restored
UNWIND $rows AS row
MATCH (a:Person {id: row.from_id})
MATCH (b:Department {id: row.to_id})
MERGE (a)-[r:WORKS_IN]->(b)
SET r = row.properties
RETURN count(r) AS restored
