// Deletes our contacts with their coverage and their part in interactions.
// $ids: ids of the nodes to delete
// Columns: deleted
UNWIND $ids AS node_id
MATCH (n:Contact {id: node_id})
DETACH DELETE n
RETURN count(*) AS deleted
