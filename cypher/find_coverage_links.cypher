// Active stakeholders of the accounts, each with every COVERS link from our side to them (one row per
// link; one row with a null contact for someone nobody covers). The gap rules are applied to these rows
// with find_last_contacts in graphmap/analysis/gaps.py.
// $account_ids: the accounts to look at (one, or a chunk of the portfolio)
// Columns: account_id, account_name, person_id, name, title, department, roles, contact_id, contact_name,
//   contact_title, status, strength
// Index lookups from each account id to its people (`$account_id IS NULL OR ...` would scan every person).
UNWIND $account_ids AS account_id
MATCH (a:Account {id: account_id})
MATCH (p:Person {account_id: account_id})-[:WORKS_IN]->(d:Department)
WHERE p.status <> 'left'
OPTIONAL MATCH (c:Contact)-[r:COVERS]->(p)
RETURN a.id AS account_id, a.name AS account_name, p.id AS person_id, p.name AS name, p.title AS title,
       d.name AS department, p.roles AS roles, c.id AS contact_id, c.name AS contact_name,
       c.title AS contact_title, r.status AS status, r.strength AS strength
ORDER BY account_id, department, person_id, contact_id
