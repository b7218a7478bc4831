// Every COVERS link from our side to an active stakeholder of some accounts, with the contact it comes
// from. The gap rules are applied to these rows with find_last_contacts in graphmap/analysis/gaps.py.
// $account_ids: the accounts to look at (one, or a chunk of the portfolio)
// Columns: person_id, contact_id, contact_name, contact_title, status, strength, basis
UNWIND $account_ids AS account_id
MATCH (p:Person {account_id: account_id})<-[r:COVERS]-(c:Contact)
WHERE p.status <> 'left'
RETURN p.id AS person_id, c.id AS contact_id, c.name AS contact_name, c.title AS contact_title,
       r.status AS status, r.strength AS strength, r.basis AS basis
ORDER BY person_id, contact_id
