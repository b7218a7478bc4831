// Who a captured meeting or mail can be matched to on our side: our contacts, with the keyed hash of
// their address when one was given (graphmap/capturing.py).
// Columns: id, name, email_key
MATCH (c:Contact)
RETURN c.id AS id, c.name AS name, c.email_key AS email_key
ORDER BY id
