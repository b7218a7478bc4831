// Counts nodes per label (for status output and for tests that prove writes are idempotent).
// Columns: labels, nodes
MATCH (n)
RETURN labels(n) AS labels, count(n) AS nodes
