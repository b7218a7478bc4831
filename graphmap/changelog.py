"""The change log: what an import changed about the people and our links to them, kept as (:Change) nodes.

write_portfolio compares what it is about to write with what is stored and records, before writing:
- account_added once for an account seen for the first time (its people are not listed one by one, nor
  are people added to it later on the day it was added: an import in several tables or batches);
- for accounts already there: person_joined, person_left, person_returned, title_changed, roles_changed,
  coverage_gained (a new COVERS link) and status_changed (a link's relationship status).
An entry's `on` is the day the source describes (the mapping table's 更新日期), else the import day; its id
is derived from what changed, so recording is idempotent and a re-run after an interruption adds nothing.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, Field

from graphmap.model import Portfolio, Vocabulary
from graphmap.queries import Q
from graphmap.store import GraphStore, Reads

READ_BATCH = 2000


class ChangeKind(Vocabulary):
    account_added = "account_added", "新增客户", "account added"
    person_joined = "person_joined", "新增关键人", "stakeholder joined"
    person_left = "person_left", "关键人离职", "stakeholder left"
    person_returned = "person_returned", "关键人复职", "stakeholder returned"
    title_changed = "title_changed", "职位变化", "title changed"
    roles_changed = "roles_changed", "角色变化", "roles changed"
    coverage_gained = "coverage_gained", "新建对接关系", "coverage gained"
    status_changed = "status_changed", "关系状态变化", "relationship status changed"
    # The audit trail: what a user did through the API or an admin command (source "api" or "cli").
    record_created = "record_created", "新建记录", "record created"
    record_updated = "record_updated", "修改记录", "record updated"
    record_deleted = "record_deleted", "删除记录", "record deleted"
    tables_imported = "tables_imported", "导入表格", "tables imported"
    interactions_captured = "interactions_captured", "从日历和邮件采集互动", "interactions captured"
    person_erased = "person_erased", "个人数据已删除", "personal data erased"
    access_granted = "access_granted", "授予访问权限", "access granted"
    access_revoked = "access_revoked", "撤销访问权限", "access revoked"
    user_added = "user_added", "新增用户", "user added"
    token_created = "token_created", "创建令牌", "token created"
    token_revoked = "token_revoked", "撤销令牌", "token revoked"


class Change(BaseModel):
    id: str
    account_id: str | None = Field(default=None, description="none for users, tokens and erasures")
    on: date
    recorded_at: datetime
    kind: ChangeKind
    subject_id: str
    subject_name: str
    contact_id: str | None = None
    field: str | None = None
    before: str | None = None
    after: str | None = None
    source: str = "import"
    actor: str | None = Field(default=None, description="the user who made the change (audit entries)")


def changes_in(store: GraphStore, portfolio: Portfolio, today: date | None = None) -> list[Change]:
    """What writing `portfolio` would change, compared with the store."""
    today = today or date.today()
    now = datetime.now(UTC).replace(microsecond=0)
    on: defaultdict[str, date] = defaultdict(lambda: today)
    on.update({a.id: a.updated_on or today for a in portfolio.accounts})
    candidates = sorted({a.id for a in portfolio.accounts} | {p.account_id for p in portfolio.people})
    added_on = {
        row["id"]: row["added_on"]
        for ids in _chunks(candidates)
        for row in store.read(Q.find_existing_accounts, ids=ids)
    }
    # Compared person by person: accounts stored before, unless they were added on this change's day.
    known_accounts = {a for a, day in added_on.items() if day is None or str(day) != on[a].isoformat()}
    changes: list[Change] = []

    def record(kind: ChangeKind, account_id: str, subject_id: str, subject_name: str, **details: str | None) -> None:
        key = "|".join([kind, account_id, subject_id, *(f"{k}={v}" for k, v in sorted(details.items())),
                        on[account_id].isoformat()])  # fmt: skip
        changes.append(
            Change(
                id="ch-" + hashlib.sha256(key.encode()).hexdigest()[:16],
                account_id=account_id,
                on=on[account_id],
                recorded_at=now,
                kind=kind,
                subject_id=subject_id,
                subject_name=subject_name,
                **details,
            )
        )

    for account in portfolio.accounts:
        if account.id not in added_on:
            record(ChangeKind.account_added, account.id, account.id, account.name)
    people = [p for p in portfolio.people if p.account_id in known_accounts]
    stored = {
        row["id"]: row for ids in _chunks([p.id for p in people]) for row in store.read(Q.find_existing_people, ids=ids)
    }
    for person in people:
        before = stored.get(person.id)
        if before is None:
            record(ChangeKind.person_joined, person.account_id, person.id, person.name, after=person.title)
            continue
        known = person.model_fields_set  # a source that does not carry a field changes nothing about it
        if "status" in known and before["status"] != person.status:
            kind = ChangeKind.person_left if person.status == "left" else ChangeKind.person_returned
            record(kind, person.account_id, person.id, person.name, field="status", before=before["status"],
                   after=person.status)  # fmt: skip
        if "title" in known and (before["title"] or None) != person.title:
            record(ChangeKind.title_changed, person.account_id, person.id, person.name, field="title",
                   before=before["title"], after=person.title)  # fmt: skip
        if "roles" in known and sorted(before["roles"] or []) != sorted(person.roles):
            record(ChangeKind.roles_changed, person.account_id, person.id, person.name, field="roles",
                   before=",".join(sorted(before["roles"] or [])), after=",".join(sorted(person.roles)))  # fmt: skip

    account_of = {p.id: p.account_id for p in portfolio.people}
    names = {p.id: p.name for p in portfolio.people}
    # A write may bring links to people it does not carry itself (an edit of one link): they are stored.
    elsewhere = sorted({c.person_id for c in portfolio.coverage} - set(account_of))
    for ids in _chunks(elsewhere):
        for row in store.read(Q.find_existing_people, ids=ids):
            account_of[row["id"]], names[row["id"]] = row["account_id"], row["name"]
            known_accounts.add(row["account_id"])
    links = [c for c in portfolio.coverage if account_of.get(c.person_id) in known_accounts]
    stored_links = {
        (row["contact_id"], row["person_id"]): row["status"]
        for rows in _chunks([{"contact_id": c.contact_id, "person_id": c.person_id} for c in links])
        for row in store.read(Q.find_existing_coverage, rows=rows)
    }
    for link in links:
        account_id = account_of[link.person_id]
        status = stored_links.get((link.contact_id, link.person_id))
        if status is None:
            record(ChangeKind.coverage_gained, account_id, link.person_id, names[link.person_id],
                   contact_id=link.contact_id, field="status", after=link.status)  # fmt: skip
        elif status != link.status:
            record(ChangeKind.status_changed, account_id, link.person_id, names[link.person_id],
                   contact_id=link.contact_id, field="status", before=status, after=link.status)  # fmt: skip
    return changes


def change_rows(changes: Iterable[Change]) -> Iterable[dict[str, Any]]:
    for change in changes:
        yield {"id": change.id, "props": change.model_dump(mode="json", exclude={"id"})}


def read_changes(store: Reads, since: date, account_id: str | None = None) -> list[Change]:
    return [
        Change(**{k: v for k, v in row.items() if v is not None})
        for row in store.read(Q.list_changes, account_id=account_id, since=since)
    ]


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), READ_BATCH):
        yield items[start : start + READ_BATCH]
