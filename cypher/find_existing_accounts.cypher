// Which of these accounts are already in the graph, and the day the change log recorded each as added.
// $ids: list of account ids
// Columns: id, added_on (null for an account the change log does not know)
UNWIND $ids AS id
MATCH (a:Account {id: id})
OPTIONAL MATCH (c:Change {account_id: id})
WHERE c.kind = 'account_added'
RETURN a.id AS id, min(c.on) AS added_on
