// Creates or updates dated interactions (the history that strength and staleness come from).
// $rows: [{id, props: {account_id, on, on_precision, on_text, channel, summary, follow_up, due, owner_id,
//   card_id}}]
// Columns: written
UNWIND $rows AS row
MERGE (i:Interaction {id: row.id})
SET i += row.props
RETURN count(i) AS written
