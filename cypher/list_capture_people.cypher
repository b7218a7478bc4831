// Who a captured meeting or mail can be matched to on their side: every active stakeholder, with the
// domain of their e-mail and the keyed hash of the address when one was given (graphmap/capturing.py).
// Columns: id, account_id, name, domain, email_key
MATCH (p:Person)
WHERE p.status <> 'left'
RETURN p.id AS id, p.account_id AS account_id, p.name AS name, p.email AS domain, p.email_key AS email_key
ORDER BY id
