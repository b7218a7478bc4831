// Lists the tasks of some accounts, each with the contact of ours who owns it, by id.
// $account_ids: list of account ids
// Columns: account_id, owner ({id, name, title, team}, null if no such contact), id, title, owner_id, due, state,
//   person_id, origin, detail, done_on, interaction_id, via_person_id, outcome
UNWIND $account_ids AS account_id
MATCH (t:Task {account_id: account_id})
OPTIONAL MATCH (c:Contact {id: t.owner_id})
RETURN account_id, c {.id, .name, .title, .team} AS owner, t.id AS id, t.title AS title, t.owner_id AS owner_id,
       t.due AS due, t.state AS state, t.person_id AS person_id, t.origin AS origin, t.detail AS detail,
       t.done_on AS done_on, t.interaction_id AS interaction_id, t.via_person_id AS via_person_id,
       t.outcome AS outcome
ORDER BY account_id, id
