// Which of these interactions the graph holds already (a capture counts only the new ones).
// $ids: interaction ids
// Columns: id
UNWIND $ids AS id
MATCH (i:Interaction {id: id})
RETURN i.id AS id
