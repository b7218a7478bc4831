// An address capture passes over from now on (a supplier, a newsletter sender): kept in the queue as ignored.
// $id: the keyed hash; $domain: its domain
// Columns: id
MERGE (u:Unmatched {id: $id})
ON CREATE SET u.domain = $domain
SET u.ignored = true
RETURN u.id AS id
