// Nests departments: branch under HQ, department under branch.
// $rows: [{id, parent_id}]
// Columns: linked
UNWIND $rows AS row
MATCH (d:Department {id: row.id})
MATCH (parent:Department {id: row.parent_id})
MERGE (d)-[:PART_OF]->(parent)
RETURN count(d) AS linked
