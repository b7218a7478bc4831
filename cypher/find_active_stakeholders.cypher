// The active stakeholders of some accounts (people who left are not gaps), each with their department:
// who a gap report is about. Their coverage links are find_coverage_links, read apart: a row per link here
// repeated every person's columns, and most people at scale have no link at all.
// $account_ids: the accounts to look at (one, or a chunk of the portfolio)
// Columns: account_id, person_id, name, title, department, department_id, roles
// Index lookups from each account id to its people (`$account_id IS NULL OR ...` would scan every person).
UNWIND $account_ids AS account_id
MATCH (p:Person {account_id: account_id})-[:WORKS_IN]->(d:Department)
WHERE p.status <> 'left'
RETURN account_id, p.id AS person_id, p.name AS name, p.title AS title, d.name AS department,
       d.id AS department_id, p.roles AS roles
ORDER BY account_id, department, person_id
