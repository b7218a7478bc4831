// The stored state of these stakeholders, to compare an import against (the change log).
// $ids: list of person ids
// Columns: id, account_id, name, title, roles, status
UNWIND $ids AS id
MATCH (p:Person {id: id})
RETURN p.id AS id, p.account_id AS account_id, p.name AS name, p.title AS title, p.roles AS roles,
       p.status AS status
