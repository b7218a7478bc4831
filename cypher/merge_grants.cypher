// Grants a team or one user access to an account (its people, pages, analyses and process cards).
// $rows: [{id, props: {account_id, grantee, granted_by, granted_at}}]; grantee is "team:NAME" or "user:ID"
// Columns: written
UNWIND $rows AS row
MERGE (g:Grant {id: row.id})
ON CREATE SET g += row.props
RETURN count(g) AS written
