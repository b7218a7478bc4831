// Takes one of our contacts' write lock until the transaction ends and changes nothing (see lock_account):
// a contact is deleted only while they own nothing, and becomes an owner only while they exist.
// $id: the contact's id
// Columns: locked
MATCH (c:Contact {id: $id})
SET c.graphmap_lock = true
REMOVE c.graphmap_lock
RETURN count(c) AS locked
