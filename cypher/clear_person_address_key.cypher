// Takes an address's keyed hash from the stakeholder who holds it, before it is given to someone else:
// one address, one person. $key: HMAC of the normalised address
// Columns: cleared
MATCH (p:Person {email_key: $key})
REMOVE p.email_key
RETURN count(p) AS cleared
