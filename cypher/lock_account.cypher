// Takes the account's write lock until the transaction ends and changes nothing: on Neo4j, what a guarded
// edit reads after it stays true until the edit commits, since every other edit of the account waits here.
// (FalkorDB runs one write at a time and graphmap retries a guarded edit that another write overtook.)
// $id: the account's id
// Columns: locked
MATCH (a:Account {id: $id})
SET a.graphmap_lock = true
REMOVE a.graphmap_lock
RETURN count(a) AS locked
