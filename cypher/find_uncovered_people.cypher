// Uncovered stakeholders: active people with no strong link from our side, i.e. nobody covers them
// or every link is weak (see find_weak_links.cypher for the rule; a strong link is its negation).
// $account_ids: the accounts to look at (one, or all of them);
// $as_of: ISO date, later interactions are ignored;
// $stale_before: ISO date; $weak_statuses: list of status keys; $min_strength: 0-100
// Columns: account_id, account_name, person_id, name, title, department, roles, links
// Index lookups from each account id to its people (`$account_id IS NULL OR ...` would scan every
// person), and from each person to their interactions: a person has a handful, one of our contacts
// thousands across the portfolio.
UNWIND $account_ids AS account_id
MATCH (a:Account {id: account_id})
MATCH (p:Person {account_id: account_id})-[:WORKS_IN]->(d:Department)
WHERE p.status <> 'left'
OPTIONAL MATCH (c:Contact)-[r:COVERS]->(p)
OPTIONAL MATCH (p)<-[:WITH]-(i:Interaction)-[:WITH]->(c)
WHERE i.on <= $as_of
WITH a, p, d, c, r, max(i.on) AS last_contact_on
WITH a, p, d, count(c) AS links,
     toInteger(sum(CASE WHEN c IS NOT NULL
                         AND NOT (r.status IN $weak_statuses)
                         AND coalesce(r.strength >= $min_strength, true)
                         AND coalesce(last_contact_on >= $stale_before, false)
                        THEN 1 ELSE 0 END)) AS strong_links
WHERE strong_links = 0
RETURN a.id AS account_id, a.name AS account_name, p.id AS person_id, p.name AS name, p.title AS title,
       d.name AS department, p.roles AS roles, links
ORDER BY account_id, department, person_id
