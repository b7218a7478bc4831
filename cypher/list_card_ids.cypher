// Every process card's id and account: follow-up records refer to them.
// Columns: id, account_id
MATCH (c:Card)
RETURN c.id AS id, c.account_id AS account_id
ORDER BY id
