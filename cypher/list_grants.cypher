// Lists grants: all of them, those of some grantees (a user and their team), or those of one account.
// $grantees: ["user:ID", "team:NAME"] or null for all; $account_id: one account, or null for all
// Columns: id, account_id, grantee, granted_by, granted_at
MATCH (g:Grant)
WHERE ($grantees IS NULL OR g.grantee IN $grantees) AND ($account_id IS NULL OR g.account_id = $account_id)
RETURN g.id AS id, g.account_id AS account_id, g.grantee AS grantee, g.granted_by AS granted_by,
       g.granted_at AS granted_at
ORDER BY account_id, grantee
