// Withdraws grants.
// $ids: grant ids
// Columns: deleted
UNWIND $ids AS grant_id
MATCH (g:Grant {id: grant_id})
DETACH DELETE g
RETURN count(*) AS deleted
