// Takes an address off the review queue once it is given to a stakeholder or one of our contacts.
// $id: the keyed hash
// Columns: deleted
MATCH (u:Unmatched {id: $id})
WITH u, u.id AS id
DETACH DELETE u
RETURN count(id) AS deleted
