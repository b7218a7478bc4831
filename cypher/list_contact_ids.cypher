// Every one of our contacts' ids: a contact log may name them as participants.
// Columns: id
MATCH (c:Contact)
RETURN c.id AS id
ORDER BY id
