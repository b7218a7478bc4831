// Creates or updates users of graphmap itself (not stakeholders): who may sign in, and in which team.
// $rows: [{id, props: {name, team, added_at}}]
// Columns: written
UNWIND $rows AS row
MERGE (u:User {id: row.id})
SET u += row.props
RETURN count(u) AS written
