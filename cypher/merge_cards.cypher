// Creates or updates process cards (流程卡牌), each kept with its account by account_id.
// $rows: [{id, props: {account_id, opened_on, source, owner, helpers, pain_points, ...}}] (docs/schema.md)
// Columns: written
UNWIND $rows AS row
MERGE (c:Card {id: row.id})
SET c += row.props
RETURN count(c) AS written
