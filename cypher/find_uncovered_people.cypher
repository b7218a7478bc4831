// Uncovered stakeholders: active people with no strong link from our side, i.e. nobody covers them
// or every link is weak (see find_weak_links.cypher for the rule; a strong link is its negation).
// $account_id: one account, or null for all; $as_of: ISO date, later interactions are ignored;
// $stale_before: ISO date; $weak_statuses: list of status keys; $min_strength: 0-100
// Columns: account_id, account_name, person_id, name, title, department, roles, links
MATCH (p:Person)
WHERE ($account_id IS NULL OR p.account_id = $account_id) AND p.status <> 'left'
OPTIONAL MATCH (c:Contact)-[r:COVERS]->(p)
OPTIONAL MATCH (c)<-[:WITH]-(i:Interaction)-[:WITH]->(p)
WHERE i.on <= $as_of
WITH p, c, r, max(i.on) AS last_contact_on
WITH p, count(c) AS links,
     toInteger(sum(CASE WHEN c IS NOT NULL
                         AND NOT (r.status IN $weak_statuses)
                         AND coalesce(r.strength >= $min_strength, true)
                         AND coalesce(last_contact_on >= $stale_before, false)
                        THEN 1 ELSE 0 END)) AS strong_links
WHERE strong_links = 0
MATCH (p)-[:WORKS_IN]->(d:Department)
MATCH (a:Account {id: p.account_id})
RETURN a.id AS account_id, a.name AS account_name, p.id AS person_id, p.name AS name, p.title AS title,
       d.name AS department, p.roles AS roles, links
ORDER BY account_id, department, person_id
