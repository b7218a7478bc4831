// Gives one of our contacts an e-mail address for matching: its keyed hash and its domain.
// $id: the contact; $key: HMAC of the normalised address; $domain: its domain
// Columns: id
MATCH (c:Contact {id: $id})
SET c.email_key = $key, c.email = $domain
RETURN c.id AS id
