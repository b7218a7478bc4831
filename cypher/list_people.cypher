// Lists the stakeholders of some accounts with their department.
// $account_ids: list of account ids
// Columns: account_id, id, name, title, roles, status, department_id, next_action, next_action_due, intent,
//   phone, email
UNWIND $account_ids AS account_id
MATCH (p:Person {account_id: account_id})-[:WORKS_IN]->(d:Department)
RETURN account_id, p.id AS id, p.name AS name, p.title AS title, p.roles AS roles, p.status AS status,
       d.id AS department_id, p.next_action AS next_action, p.next_action_due AS next_action_due,
       p.intent AS intent, p.phone AS phone, p.email AS email
ORDER BY account_id, id
