// Sets (or, with a null value, clears) one setting the store keeps, with who set it and when.
// $id: the setting's key; $value: text or null; $set_by: the actor; $set_at: ISO timestamp
// Columns: id
MERGE (s:Setting {id: $id})
SET s.value = $value, s.set_by = $set_by, s.set_at = $set_at
RETURN s.id AS id
