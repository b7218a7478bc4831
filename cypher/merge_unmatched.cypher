// The review queue of capture: participants who matched nobody, by the keyed hash of their address, with
// their domain, the name they wrote, and the items they were seen in (kept once each, so that capturing
// the same file again counts nothing twice; at most 1000). Never `list + []`: Neo4j cannot store it.
// $rows: [{id, domain, name, first, last, items}] (first and last: the days it was seen, ISO)
// Columns: written
UNWIND $rows AS row
MERGE (u:Unmatched {id: row.id})
ON CREATE SET u.domain = row.domain, u.name = row.name, u.ignored = false
WITH u, row, [item IN row.items WHERE NOT item IN coalesce(u.items, [])] AS new
SET u.items = CASE WHEN u.items IS NULL THEN row.items WHEN size(new) = 0 THEN u.items
                   ELSE (u.items + new)[0..1000] END,
    u.first_on = CASE WHEN u.first_on IS NULL OR row.first < u.first_on THEN row.first ELSE u.first_on END,
    u.last_on = CASE WHEN u.last_on IS NULL OR row.last > u.last_on THEN row.last ELSE u.last_on END
RETURN count(u) AS written
