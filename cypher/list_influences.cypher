// Lists informal influence inside some accounts.
// $account_ids: list of account ids
// Columns: account_id, person_id, target_id, strength, sign
UNWIND $account_ids AS account_id
MATCH (p:Person {account_id: account_id})-[r:INFLUENCES]->(t:Person)
RETURN account_id, p.id AS person_id, t.id AS target_id, r.strength AS strength, r.sign AS sign
ORDER BY account_id, person_id, target_id
