// Deletes accounts, with nothing of theirs left behind (their departments, people, interactions, cards and grants are deleted by id first).
// $ids: ids of the nodes to delete
// Columns: deleted
UNWIND $ids AS node_id
MATCH (n:Account {id: node_id})
DETACH DELETE n
RETURN count(*) AS deleted
