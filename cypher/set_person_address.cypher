// Gives a stakeholder an e-mail address for matching: its keyed hash and its domain, never the address.
// $id: the person; $key: HMAC of the normalised address; $domain: its domain
// Columns: id
MATCH (p:Person {id: $id})
SET p.email_key = $key, p.email = $domain
RETURN p.id AS id
