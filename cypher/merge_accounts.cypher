// Creates or updates accounts (customer organisations).
// $rows: [{id, props: {name, industry, mapping_goal, updated_on}}]
// Columns: written (number of rows)
UNWIND $rows AS row
MERGE (a:Account {id: row.id})
SET a += row.props
RETURN count(a) AS written
