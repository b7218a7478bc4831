// Lists the process cards of some accounts with all their properties.
// $account_ids: list of account ids
// Columns: account_id, id, properties
UNWIND $account_ids AS account_id
MATCH (c:Card {account_id: account_id})
RETURN account_id, c.id AS id, properties(c) AS properties
ORDER BY account_id, id
