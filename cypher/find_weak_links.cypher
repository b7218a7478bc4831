// Weak links: COVERS links to active stakeholders that are weak by relationship status, by strength,
// or because the last interaction between the two is older than the cadence allows (or there is none).
// The rule here is the exact negation of the "strong link" rule in find_uncovered_people.cypher.
// $account_ids: the accounts to look at (one, or all of them);
// $as_of: ISO date, later interactions are ignored;
// $stale_before: ISO date, a last contact before it is stale; $weak_statuses: list of status keys;
// $min_strength: 0-100, a known strength below it is low
// Columns: account_id, account_name, person_id, name, title, department, roles, contact_id, contact_name,
//   contact_title, contact_team, status, strength, last_contact_on, weak_status, low_strength, stale
// Index lookups from each account id to its people (`$account_id IS NULL OR ...` would scan every
// person), and from each person to their interactions: a person has a handful, one of our contacts
// thousands across the portfolio.
UNWIND $account_ids AS account_id
MATCH (a:Account {id: account_id})
MATCH (p:Person {account_id: account_id})-[:WORKS_IN]->(d:Department)
WHERE p.status <> 'left'
MATCH (c:Contact)-[r:COVERS]->(p)
OPTIONAL MATCH (p)<-[:WITH]-(i:Interaction)-[:WITH]->(c)
WHERE i.on <= $as_of
WITH a, p, d, c, r, max(i.on) AS last_contact_on
WITH a, p, d, c, r, last_contact_on,
     r.status IN $weak_statuses AS weak_status,
     coalesce(r.strength < $min_strength, false) AS low_strength,
     coalesce(last_contact_on < $stale_before, true) AS stale
WHERE weak_status OR low_strength OR stale
RETURN a.id AS account_id, a.name AS account_name, p.id AS person_id, p.name AS name, p.title AS title,
       d.name AS department, p.roles AS roles, c.id AS contact_id, c.name AS contact_name,
       c.title AS contact_title, c.team AS contact_team, r.status AS status, r.strength AS strength,
       last_contact_on, weak_status, low_strength, stale
ORDER BY account_id, department, person_id, contact_id
