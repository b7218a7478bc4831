// Every account's id, name and date of its mapping table: what an import resolves its tables' rows against.
// Columns: id, name, updated_on
MATCH (a:Account)
RETURN a.id AS id, a.name AS name, a.updated_on AS updated_on
ORDER BY id
