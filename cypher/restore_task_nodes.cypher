// Restore: (:Task) nodes from a backup, merged on id, their properties replaced by the backup's.
// $rows: list of {id, properties} (properties include id)
// Columns: restored
UNWIND $rows AS row
MERGE (n:Task {id: row.id})
SET n = row.properties
RETURN count(n) AS restored
