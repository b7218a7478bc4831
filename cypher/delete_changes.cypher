// Deletes change-log and audit entries (an erasure removes those about the erased person).
// $ids: ids of the entries
// Columns: deleted
UNWIND $ids AS change_id
MATCH (c:Change {id: change_id})
DELETE c
RETURN count(*) AS deleted
