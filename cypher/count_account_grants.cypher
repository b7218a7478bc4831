// How many grants of one account some grantees (a user and their team) hold: whether they may see it.
// A request about one account asks this rather than reading every grant of a team that holds thousands.
// $account_id: the account; $grantees: ["user:ID", "team:NAME"]
// Columns: grants
MATCH (g:Grant {account_id: $account_id})
WHERE g.grantee IN $grantees
RETURN count(g) AS grants
