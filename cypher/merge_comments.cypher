// Creates or updates comments: what graphmap's users write on an account, a person or one of our links.
// $rows: [{id, props: {account_id, author, text, person_id, contact_id, mentions, written_at, edited_at}}]
// Columns: written
UNWIND $rows AS row
MERGE (m:Comment {id: row.id})
SET m += row.props
RETURN count(m) AS written
