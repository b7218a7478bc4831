// What one of our contacts owns: accounts, follow-ups of interactions and tasks. Handed over before the
// contact is deleted, so that no owner_id points at no one.
// $contact_id: the contact
// Columns: accounts, interactions, tasks (lists of ids)
OPTIONAL MATCH (a:Account)
WHERE a.owner_id = $contact_id
WITH collect(a.id) AS accounts
OPTIONAL MATCH (i:Interaction)
WHERE i.owner_id = $contact_id
WITH accounts, collect(i.id) AS interactions
OPTIONAL MATCH (t:Task)
WHERE t.owner_id = $contact_id
RETURN accounts, interactions, collect(t.id) AS tasks
