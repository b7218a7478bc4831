"""The audit trail: who changed what, when, with the record before and after, kept in the change log.

An entry is a (:Change) whose source is "api" or "cli" and whose actor is the user who acted. It is
written in the same atomic block as the change it records, so neither exists without the other.
"""

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel

from graphmap.changelog import Change, ChangeKind, change_rows, read_changes
from graphmap.queries import Q
from graphmap.store import GraphStore


def audit_entry(
    actor: str,
    kind: ChangeKind,
    resource: str,
    subject_id: str,
    subject_name: str,
    account_id: str | None = None,
    before: BaseModel | None = None,
    after: BaseModel | None = None,
    source: str = "api",
) -> Change:
    now = datetime.now(UTC).replace(microsecond=0)
    return Change(
        id="au-" + uuid.uuid4().hex[:20],
        account_id=account_id,
        on=now.date(),
        recorded_at=now,
        kind=kind,
        subject_id=subject_id,
        subject_name=subject_name,
        field=resource,
        before=_snapshot(before),
        after=_snapshot(after),
        source=source,
        actor=actor,
    )


Write = tuple[Q, dict[str, Any]]  # a catalog query and its parameters


def write_audit(store: GraphStore, entries: Iterable[Change]) -> None:
    for query, params in audit_writes(entries):
        store.write(query, **params)


def audit_writes(entries: Iterable[Change]) -> list[Write]:
    """The writes that record these entries, for a guarded step to send with the change."""
    rows = list(change_rows(entries))
    return [(Q.merge_changes, {"rows": rows})] if rows else []


def write_audited(store: GraphStore, writes: Iterable[Write], entries: Iterable[Change]) -> None:
    """A change and its audit entries, together or not at all."""
    with store.atomic():
        for query, params in writes:
            store.write(query, **params)
        write_audit(store, entries)


def read_audit(store: GraphStore, since: date, actor: str | None = None, account_id: str | None = None) -> list[Change]:
    """The audit entries from `since` on, oldest first (import change-log entries are left out)."""
    return [
        c for c in read_changes(store, since, account_id) if c.actor is not None and (actor is None or c.actor == actor)
    ]


def _snapshot(record: BaseModel | None) -> str | None:
    if record is None:
        return None
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
