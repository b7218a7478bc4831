// Creates or updates tasks: what one of our contacts is to do in an account, introduction requests included.
// $rows: [{id, props: {account_id, title, owner_id, due, state, person_id, origin, detail, done_on,
//   interaction_id, via_person_id, outcome}}]
// Columns: written
UNWIND $rows AS row
MERGE (t:Task {id: row.id})
SET t += row.props
RETURN count(t) AS written
