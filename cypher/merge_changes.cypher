// Records change-log entries; an entry already recorded (same id) is left as it was first written.
// $rows: [{id, props: {account_id, on, recorded_at, kind, subject_id, subject_name, contact_id, field,
//   before, after, source, actor}}]
// Columns: written
UNWIND $rows AS row
MERGE (c:Change {id: row.id})
ON CREATE SET c += row.props
RETURN count(c) AS written
