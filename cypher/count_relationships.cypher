// Counts relationships per type.
// Columns: type, relationships
MATCH ()-[r]->()
RETURN type(r) AS type, count(r) AS relationships
