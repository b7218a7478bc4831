// Takes an address's keyed hash from the contact of ours who holds it, before it is given to someone else.
// $key: HMAC of the normalised address
// Columns: cleared
MATCH (c:Contact {email_key: $key})
REMOVE c.email_key
RETURN count(c) AS cleared
