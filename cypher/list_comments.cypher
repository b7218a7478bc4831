// Lists the comments of some accounts, oldest first.
// $account_ids: list of account ids
// Columns: account_id, id, author, text, person_id, contact_id, mentions, written_at, edited_at
UNWIND $account_ids AS account_id
MATCH (m:Comment {account_id: account_id})
RETURN account_id, m.id AS id, m.author AS author, m.text AS text, m.person_id AS person_id,
       m.contact_id AS contact_id, m.mentions AS mentions, m.written_at AS written_at, m.edited_at AS edited_at
ORDER BY account_id, written_at, id
