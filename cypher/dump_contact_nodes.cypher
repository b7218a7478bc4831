// Backup: a page of (:Contact) nodes with all their properties, in id order (keyset paging).
// $after: the last id of the previous page ('' for the first); $limit: nodes per page
// Columns: id, properties
MATCH (n:Contact)
WHERE n.id > $after
RETURN n.id AS id, properties(n) AS properties
ORDER BY id
LIMIT $limit
