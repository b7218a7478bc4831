// Lists informal influence inside one account.
// $account_id
// Columns: person_id, target_id, strength, sign
MATCH (p:Person {account_id: $account_id})-[r:INFLUENCES]->(t:Person)
RETURN p.id AS person_id, t.id AS target_id, r.strength AS strength, r.sign AS sign
ORDER BY person_id, target_id
