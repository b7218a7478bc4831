// Deletes comments.
// $ids: ids of the nodes to delete
// Columns: deleted
UNWIND $ids AS node_id
MATCH (n:Comment {id: node_id})
DETACH DELETE n
RETURN count(*) AS deleted
