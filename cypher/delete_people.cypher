// Deletes stakeholders with every link to them (coverage, reporting lines, influence, interactions' WITH).
// $ids: ids of the nodes to delete
// Columns: deleted
UNWIND $ids AS node_id
MATCH (n:Person {id: node_id})
DETACH DELETE n
RETURN count(*) AS deleted
