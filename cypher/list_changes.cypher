// The change log of one account (or all) from a day on, oldest first.
// $account_id: one account, or null for all; $since: ISO date, entries on or after it
// Columns: id, account_id, on, recorded_at, kind, subject_id, subject_name, contact_id, field, before,
//   after, source, actor
MATCH (c:Change)
WHERE ($account_id IS NULL OR c.account_id = $account_id) AND c.on >= $since
RETURN c.id AS id, c.account_id AS account_id, c.on AS on, c.recorded_at AS recorded_at, c.kind AS kind,
       c.subject_id AS subject_id, c.subject_name AS subject_name, c.contact_id AS contact_id,
       c.field AS field, c.before AS before, c.after AS after, c.source AS source,
       c.actor AS actor
ORDER BY on, recorded_at, id
