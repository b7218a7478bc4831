// Creates or updates departments; each belongs to its account through account_id and,
// when it has no parent department, hangs directly under the account (HQ level). A department that moved
// leaves its old place; link_departments then hangs it under its new parent.
// $rows: [{id, account_id, parent_id, props: {name, level, account_id}}]
// Columns: written
UNWIND $rows AS row
MATCH (a:Account {id: row.account_id})
MERGE (d:Department {id: row.id})
SET d += row.props
WITH a, d, row
OPTIONAL MATCH (d)-[old:PART_OF]->(up)
WHERE (row.parent_id IS NULL AND NOT up:Account) OR (row.parent_id IS NOT NULL AND (up:Account OR up.id <> row.parent_id))
DELETE old
WITH DISTINCT a, d, row
WHERE row.parent_id IS NULL
MERGE (d)-[:PART_OF]->(a)
RETURN count(d) AS written
