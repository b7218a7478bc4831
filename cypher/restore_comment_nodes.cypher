// Restore: (:Comment) nodes from a backup, merged on id, their properties replaced by the backup's.
// $rows: list of {id, properties} (properties include id)
// Columns: restored
UNWIND $rows AS row
MERGE (n:Comment {id: row.id})
SET n = row.properties
RETURN count(n) AS restored
