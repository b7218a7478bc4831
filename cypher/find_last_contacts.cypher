// The interactions, on or before $as_of, between each active stakeholder of the accounts and each of our
// contacts covering them: the last day, and every [day, channel] (the strength is scored from them).
// Covered pairs that never met on or before $as_of have no row.
// $account_ids: the accounts to look at; $as_of: ISO date, later interactions are ignored
// Columns: person_id, contact_id, last_contact_on, touchpoints
// From each person to their few interactions, then to the covering contact (one of our contacts has
// thousands across the portfolio). The WITHs fix that order: written as one pattern, FalkorDB started
// from the contacts and took 100 times longer; as an OPTIONAL MATCH per link, 3 times longer.
UNWIND $account_ids AS account_id
MATCH (p:Person {account_id: account_id})<-[:COVERS]-(c:Contact)
WHERE p.status <> 'left'
WITH p, c
MATCH (p)<-[:WITH]-(i:Interaction)
WHERE i.on <= $as_of
WITH p, c, i
MATCH (i)-[:WITH]->(c)
RETURN p.id AS person_id, c.id AS contact_id, max(i.on) AS last_contact_on,
       collect([i.on, coalesce(i.channel, '')]) AS touchpoints
