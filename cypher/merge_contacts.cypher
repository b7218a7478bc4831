// Creates or updates our own staff who work with customers.
// $rows: [{id, props: {name, title, team}}]
// Columns: written
UNWIND $rows AS row
MERGE (c:Contact {id: row.id})
SET c += row.props
RETURN count(c) AS written
