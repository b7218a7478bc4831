// Our contacts with these ids (to check references before a write, or to read one).
// $ids: contact ids
// Columns: id, name, title, team
UNWIND $ids AS contact_id
MATCH (c:Contact {id: contact_id})
RETURN c.id AS id, c.name AS name, c.title AS title, c.team AS team
ORDER BY id
