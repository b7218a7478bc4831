// The review queue of capture (graphmap capture queue), most often seen first; ignored addresses too.
// Columns: id, domain, name, seen, first_on, last_on, ignored
MATCH (u:Unmatched)
RETURN u.id AS id, u.domain AS domain, u.name AS name, size(coalesce(u.items, [])) AS seen, u.first_on AS first_on,
       u.last_on AS last_on, u.ignored AS ignored
ORDER BY seen DESC, id
