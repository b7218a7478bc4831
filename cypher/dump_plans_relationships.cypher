// Backup: the [:PLANS] relationships of a page of (:Contact) nodes, in source id order (keyset paging).
// A source without any comes back once with null to_id, so that paging goes on past it.
// $after: the last source id of the previous page ('' for the first); $limit: source nodes per page
// Columns: from_id, to_labels, to_id, properties
MATCH (a:Contact)
WHERE toString(a.id) > $after  // toString: FalkorDB's index range scan mis-orders strings (L-7 after i-abc)
WITH a
ORDER BY a.id
LIMIT $limit
OPTIONAL MATCH (a)-[r:PLANS]->(b)
RETURN a.id AS from_id, labels(b) AS to_labels, b.id AS to_id, properties(r) AS properties
