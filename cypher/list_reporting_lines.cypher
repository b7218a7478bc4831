// Lists the formal reporting lines inside one account.
// $account_id
// Columns: person_id, manager_id
MATCH (p:Person {account_id: $account_id})-[:REPORTS_TO]->(m:Person)
RETURN p.id AS person_id, m.id AS manager_id
ORDER BY person_id, manager_id
