// Deletes departments (the caller has checked that no one works in them and none hangs below).
// $ids: ids of the nodes to delete
// Columns: deleted
UNWIND $ids AS node_id
MATCH (n:Department {id: node_id})
DETACH DELETE n
RETURN count(*) AS deleted
