// Stores API tokens: only the SHA-256 of the secret, never the secret itself.
// $rows: [{id, props: {user_id, role, secret_hash, created_at, expires_at, revoked_at, session}}]
// Columns: written
UNWIND $rows AS row
MERGE (t:Token {id: row.id})
SET t += row.props
RETURN count(t) AS written
