// Lists graphmap's users, or finds one.
// $user_id: one user's id, or null for all
// Columns: id, name, team, added_at
MATCH (u:User)
WHERE $user_id IS NULL OR u.id = $user_id
RETURN u.id AS id, u.name AS name, u.team AS team, u.added_at AS added_at
ORDER BY id
