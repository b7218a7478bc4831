// Backup: a page of (:Task) nodes with all their properties, in id order (keyset paging).
// $after: the last id of the previous page ('' for the first); $limit: nodes per page
// Columns: id, properties
MATCH (n:Task)
WHERE toString(n.id) > $after  // toString: FalkorDB's index range scan mis-orders strings (L-7 after i-abc)
RETURN n.id AS id, properties(n) AS properties
ORDER BY id
LIMIT $limit
