// Lists the formal reporting lines inside some accounts.
// $account_ids: list of account ids
// Columns: account_id, person_id, manager_id
UNWIND $account_ids AS account_id
MATCH (p:Person {account_id: account_id})-[:REPORTS_TO]->(m:Person)
RETURN account_id, p.id AS person_id, m.id AS manager_id
ORDER BY account_id, person_id, manager_id
