// Which of these accounts are already in the graph (the change log records a new one once, as a whole).
// $ids: list of account ids
// Columns: id
UNWIND $ids AS id
MATCH (a:Account {id: id})
RETURN a.id AS id
