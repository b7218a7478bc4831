// Lists API tokens (without their hashes), or finds one by id with its hash, to check a presented token.
// $token_id: one token's id, or null for all; $user_id: one user's tokens, or null for all
// Columns: id, user_id, role, secret_hash, created_at, expires_at, revoked_at, session
MATCH (t:Token)
WHERE ($token_id IS NULL OR t.id = $token_id) AND ($user_id IS NULL OR t.user_id = $user_id)
RETURN t.id AS id, t.user_id AS user_id, t.role AS role, t.secret_hash AS secret_hash,
       t.created_at AS created_at, t.expires_at AS expires_at, t.revoked_at AS revoked_at,
       coalesce(t.session, false) AS session
ORDER BY created_at, id
