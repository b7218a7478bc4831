// The stakeholders of some accounts as an import's rows name them: what it resolves rows against.
// $account_ids: list of account ids
// Columns: account_id, id, name, title, department_id
UNWIND $account_ids AS account_id
MATCH (p:Person {account_id: account_id})-[:WORKS_IN]->(d:Department)
RETURN account_id, p.id AS id, p.name AS name, p.title AS title, d.id AS department_id
ORDER BY account_id, id
