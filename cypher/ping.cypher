// Answers at once: whether the engine is up (the API's health check).
// Columns: ok
RETURN 1 AS ok
