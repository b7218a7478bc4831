// Lists an account's stakeholders with their department.
// $account_id
// Columns: id, name, title, roles, status, department_id, next_action, next_action_due
MATCH (p:Person {account_id: $account_id})-[:WORKS_IN]->(d:Department)
RETURN p.id AS id, p.name AS name, p.title AS title, p.roles AS roles, p.status AS status,
       d.id AS department_id, p.next_action AS next_action, p.next_action_due AS next_action_due
ORDER BY id
