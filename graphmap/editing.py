"""One record at a time: create, update and delete the graph's records (what the API's object routes do).

Each change is checked against the graph (references must resolve inside the account, ids must be free, a
department must be empty to go, the record must be the version the editor saw) and written with its audit
entry in one guarded step (GraphStore.guarded): no other write can fall between the check and the write. Ids of new
records are generated here; a caller never chooses them, nor the account a record belongs to.
"""

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from graphmap.access import granting
from graphmap.audit import Write, audit_entry, audit_writes, write_audited
from graphmap.changelog import ChangeKind
from graphmap.errors import Conflict, Forbidden, Invalid, NotFound, PreconditionFailed
from graphmap.graph import (
    AccountNetwork,
    account_row,
    carry_network,
    comment_row,
    contact_row,
    coverage_row,
    department_row,
    evidenced_coverage_rows,
    influence_row,
    interaction_row,
    person_row,
    plan_target_row,
    read_account_network,
    read_cards,
    task_row,
)
from graphmap.model import (
    Account,
    Comment,
    Contact,
    Coverage,
    CoverageBasis,
    Department,
    Influence,
    Interaction,
    IntroductionOutcome,
    Person,
    PlanTarget,
    Record,
    RelationshipStatus,
    ReportingLine,
    Task,
    TaskOrigin,
    TaskState,
    ancestry,
    titled,
)
from graphmap.personal import BIDI_CONTROLS, BIDI_REFUSED, checked_email, checked_phone, email_domain, reduced_phone
from graphmap.queries import Q
from graphmap.store import GraphStore, Reads

M = TypeVar("M", bound=Record)


@dataclass(frozen=True)
class RecordKind:
    """What the generic operations need to know about one kind of record kept inside an account."""

    name: str  # the audit's resource, and what error messages call it
    model: type[Record]
    key: tuple[str, ...]  # the fields that identify a record: its id, or the two ends of a link
    id_prefix: str | None  # records with an id get a generated one: p-3fa2c1d4e5f6
    field: str  # where an AccountNetwork holds them, in the order of their key
    rows: Callable[[Record], Iterable[Write]]  # (query, row) pairs that store it
    delete_query: Q
    # Whether an edit's writes change the record alone, so the network after it is the one before with the
    # record replaced (_carry). Not departments (their parents and levels) nor interactions (the
    # coverage they evidence, and their order by day).
    alone: bool = False

    def records(self, network: AccountNetwork) -> Sequence[Record]:
        records: Sequence[Record] = getattr(network, self.field)
        return records


def _department_writes(record: Record) -> Iterable[Write]:
    assert isinstance(record, Department)
    yield Q.merge_departments, department_row(record)
    if record.parent_id:
        yield Q.link_departments, {"id": record.id, "parent_id": record.parent_id}


def _interaction_writes(record: Record) -> Iterable[Write]:
    assert isinstance(record, Interaction)
    yield Q.merge_interactions, interaction_row(record)
    yield (
        Q.unlink_interaction_participants,
        {"interaction_id": record.id, "person_ids": list(record.person_ids), "contact_ids": list(record.contact_ids)},
    )
    for person_id in record.person_ids:
        yield Q.link_interaction_people, {"interaction_id": record.id, "person_id": person_id}
    for contact_id in record.contact_ids:
        yield Q.link_interaction_contacts, {"interaction_id": record.id, "contact_id": contact_id}
    for row in evidenced_coverage_rows([record]):  # whoever met a stakeholder covers them (docs/gaps.md)
        yield Q.merge_evidenced_coverage, row


def _one(query: Q, row: Callable[[Any], dict[str, Any]]) -> Callable[[Record], Iterable[Write]]:
    return lambda record: [(query, row(record))]


def _pair(first: str, second: str) -> Callable[[Any], dict[str, Any]]:
    return lambda record: {first: getattr(record, first), second: getattr(record, second)}


DEPARTMENT = RecordKind("department", Department, ("id",), "d", "departments", _department_writes,
                        Q.delete_departments)  # fmt: skip
PERSON = RecordKind("person", Person, ("id",), "p", "people", _one(Q.merge_people, person_row), Q.delete_people,
                    alone=True)  # fmt: skip
COVERAGE = RecordKind("coverage", Coverage, ("contact_id", "person_id"), None, "coverage",
                      _one(Q.merge_coverage, coverage_row), Q.delete_coverage, alone=True)  # fmt: skip
REPORTING_LINE = RecordKind("reporting_line", ReportingLine, ("person_id", "manager_id"), None, "reporting_lines",
                            _one(Q.merge_reporting_lines, _pair("person_id", "manager_id")),
                            Q.delete_reporting_lines, alone=True)  # fmt: skip
INFLUENCE = RecordKind("influence", Influence, ("person_id", "target_id"), None, "influences",
                       _one(Q.merge_influences, influence_row), Q.delete_influences, alone=True)  # fmt: skip
PLAN_TARGET = RecordKind("plan_target", PlanTarget, ("contact_id", "person_id"), None, "plan_targets",
                         _one(Q.merge_plan_targets, plan_target_row), Q.delete_plan_targets, alone=True)  # fmt: skip
COMMENT = RecordKind("comment", Comment, ("id",), "m", "comments", _one(Q.merge_comments, comment_row),
                     Q.delete_comments, alone=True)  # fmt: skip
TASK = RecordKind("task", Task, ("id",), "t", "tasks", _one(Q.merge_tasks, task_row), Q.delete_tasks, alone=True)
INTERACTION = RecordKind("interaction", Interaction, ("id",), "i", "interactions", _interaction_writes,
                         Q.delete_interactions)  # fmt: skip


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def key_of(kind: RecordKind, record: Record) -> tuple[str, ...]:
    return tuple(getattr(record, field) for field in kind.key)


def find_record(network: AccountNetwork, kind: RecordKind, key: tuple[str, ...]) -> Record:
    for record in kind.records(network):
        if key_of(kind, record) == key:
            return record
    raise NotFound(f"no {kind.name} {'/'.join(key)!r} in account {network.account.id!r}")


def record_version(record: BaseModel) -> str:
    """The version of a stored record, as the API's ETag: a digest of everything it holds, so any change
    to it, by anyone, gives another version."""
    text = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _check_version(what: str, current: BaseModel, expected: str | None) -> None:
    """If-Match: the change was made to `expected`; refused with the current record if it moved on."""
    if expected is not None and expected != "*" and expected != record_version(current):
        raise PreconditionFailed(
            f"{what} was changed by someone else since you read it; here is the current version, apply your"
            " change to it / 该记录已被他人修改，请在当前版本上重新修改",
            current,
        )


def _account_lock(account_id: str) -> Write:
    return (Q.lock_account, {"id": account_id})


def _contact_locks(contact_ids: Iterable[str | None]) -> list[Write]:
    return [(Q.lock_contact, {"id": contact_id}) for contact_id in sorted({c for c in contact_ids if c})]


def _locks(account_id: str, *records: Record) -> list[Write]:
    """What a guarded edit of these records locks on Neo4j: the account, then the contacts they name."""
    named: list[str | None] = []
    for record in records:
        if isinstance(record, Coverage | PlanTarget):
            named.append(record.contact_id)
        elif isinstance(record, Task):
            named.append(record.owner_id)
        elif isinstance(record, Interaction):
            named += [*record.contact_ids, record.owner_id]
    return [_account_lock(account_id), *_contact_locks(named)]


def create_record(
    store: GraphStore,
    kind: RecordKind,
    account_id: str,
    fields: dict[str, Any],
    actor: str,
    keep_contact_details: bool = False,
) -> Record:
    """A new record in an account: its id is generated; Conflict if the link it describes exists. Phones and
    e-mails are reduced as an import reduces them, unless the deployment keeps them (graphmap.personal)."""
    given = dict(fields) | _recorded(kind) | _authored(kind, actor)
    if kind.id_prefix is not None:
        given["id"] = new_id(kind.id_prefix)
    if "account_id" in kind.model.model_fields:
        given["account_id"] = account_id
    record = _validated(kind, given, keep_contact_details)

    def decide(reads: Reads) -> tuple[list[Write], Record]:
        network = read_account_network(reads, account_id)
        existing = next((r for r in kind.records(network) if key_of(kind, r) == key_of(kind, record)), None)
        # A link made from interactions is no one's record yet: recording it is creating it (docs/gaps.md).
        if existing is not None and getattr(existing, "basis", None) is not CoverageBasis.interactions:
            raise Conflict(f"{kind.name} {'/'.join(key_of(kind, record))!r} exists; change it instead")
        _check_references(reads, kind, record, network)
        final, follow_on = _follow_on(network, None, _with_mentions(reads, record), actor)
        entry = audit_entry(
            actor,
            ChangeKind.record_created,
            kind.name,
            "/".join(key_of(kind, final)),
            _name(final),
            account_id,
            after=final,
        )
        if not follow_on:
            _carry(reads, network, kind, key_of(kind, final), final)
        return [*_as_rows(kind.rows(final)), *follow_on, *audit_writes([entry])], final

    return store.guarded(decide, _locks(account_id, record))


def _authored(kind: RecordKind, actor: str) -> dict[str, Any]:
    """A comment is its writer's, from the moment it is written."""
    return {"author": actor, "written_at": _now()} if kind.model is Comment else {}


def _edited(kind: RecordKind) -> dict[str, Any]:
    return {"edited_at": _now()} if kind.model is Comment else {}


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _check_author(record: Record, actor: str) -> None:
    if isinstance(record, Comment) and record.author != actor:
        raise Forbidden(f"comment {record.id!r} is {record.author!r}'s: only its author changes or deletes it"
                        " / 只有评论的作者可以修改或删除它")  # fmt: skip


MENTION = re.compile(r"@([A-Za-z0-9][A-Za-z0-9._:\-]*)")


def _with_mentions(reads: Reads, record: Record) -> Record:
    """A comment with the graphmap users its text @mentions (an @word that names no user is only text)."""
    if not isinstance(record, Comment):
        return record
    written = [m.rstrip(".:-") for m in MENTION.findall(record.text)]
    users = {row["id"] for row in reads.read(Q.list_users, user_id=None)} if written else set()
    return record.model_copy(update={"mentions": tuple(dict.fromkeys(m for m in written if m in users))})


def _recorded(kind: RecordKind) -> dict[str, Any]:
    """A link someone creates or edits is theirs: recorded, whatever interactions made it first."""
    return {"basis": CoverageBasis.recorded} if kind.model is Coverage else {}


def update_record(
    store: GraphStore,
    kind: RecordKind,
    account_id: str,
    key: tuple[str, ...],
    changes: dict[str, Any],
    actor: str,
    expected: str | None = None,
    keep_contact_details: bool = False,
) -> Record:
    """Changes some fields of a record; the fields that identify it and its account never change. The
    record is read, changed and written in one guarded step, so two editors changing different fields
    keep both changes; with `expected` (If-Match), only if no one changed it since that version."""
    changes = changes | _recorded(kind) | _edited(kind)

    def decide(reads: Reads) -> tuple[list[Write], Record]:
        network = read_account_network(reads, account_id)
        before = find_record(network, kind, key)
        _check_version(f"{kind.name} {'/'.join(key)!r}", before, expected)
        _check_author(before, actor)
        record = _validated(kind, before.model_dump() | changes, keep_contact_details)
        _check_references(reads, kind, record, network)
        final, follow_on = _follow_on(network, before, _with_mentions(reads, record), actor)
        # What the edit's rules settled (a task's done_on) is written as if it had been asked for.
        settled = changes | {f: v for f, v in final if v != getattr(record, f)}
        entry = audit_entry(
            actor,
            ChangeKind.record_updated,
            kind.name,
            "/".join(key),
            _name(final),
            account_id,
            before=before,
            after=final,
        )
        if not follow_on:
            _carry(reads, network, kind, key, final)
        writes = _as_rows(_changed_writes(kind.rows(final), settled))
        return [*writes, *follow_on, *audit_writes([entry])], final

    named = [changes.get(field) for field in ("contact_id", "owner_id")] + list(changes.get("contact_ids") or ())
    return store.guarded(decide, [_account_lock(account_id), *_contact_locks(named)])


def delete_record(
    store: GraphStore, kind: RecordKind, account_id: str, key: tuple[str, ...], actor: str, expected: str | None = None
) -> None:
    def decide(reads: Reads) -> tuple[list[Write], None]:
        network = read_account_network(reads, account_id)
        before = find_record(network, kind, key)
        _check_version(f"{kind.name} {'/'.join(key)!r}", before, expected)
        _check_author(before, actor)
        entry = audit_entry(actor, ChangeKind.record_deleted, kind.name, "/".join(key), _name(before), account_id,
                            before=before)  # fmt: skip
        if kind is DEPARTMENT:
            _check_empty(network, key[0])
        by_key = {"ids": [key[0]]} if kind.key == ("id",) else {"rows": [dict(zip(kind.key, key, strict=True))]}
        writes: list[Write] = [(kind.delete_query, by_key)]
        if kind is PERSON:  # an interaction is always with someone at the customer; a task about them is moot
            theirs = [i.id for i in network.interactions if key[0] in i.person_ids]
            writes.append((Q.delete_lone_interactions, {"ids": theirs}))
            writes.append((Q.delete_tasks, {"ids": [t.id for t in tasks_about(network, key[0])]}))
            writes.append((Q.delete_comments, {"ids": [c.id for c in comments_on(network, key[0])]}))
        else:  # a person goes with their links and interactions: read again
            _carry(reads, network, kind, key, None)
        return [*writes, *audit_writes([entry])], None

    store.guarded(decide, [_account_lock(account_id)])


def _carry(reads: Reads, network: AccountNetwork, kind: RecordKind, key: tuple[str, ...], record: Record | None
           ) -> None:  # fmt: skip
    """Hands the step's reader the network as this edit leaves it (record None: deleted), where that is
    the network before with one record replaced: the map redrawn after the edit is then not read again."""
    if not kind.alone:
        return
    records = [r for r in kind.records(network) if key_of(kind, r) != key]
    if record is not None:
        records.append(record)
    changes: dict[str, Any] = {kind.field: tuple(sorted(records, key=lambda r: key_of(kind, r)))}
    if kind is COVERAGE:  # the account's contacts are those who cover someone in it
        known = {contact.id for contact in network.contacts}
        if isinstance(record, Coverage) and record.contact_id not in known:
            return  # a contact new to the account: their details are not in the network
        covering = {link.contact_id for link in changes["coverage"]}
        changes["contacts"] = tuple(c for c in network.contacts if c.id in covering)
    if kind in (PLAN_TARGET, TASK):  # the same for the contacts who own targets and tasks
        owner = record.contact_id if isinstance(record, PlanTarget) else getattr(record, "owner_id", None)
        if owner is not None and owner not in {c.id for c in network.owners}:
            return
        targets = changes.get("plan_targets", network.plan_targets)
        named = {t.contact_id for t in targets} | {t.owner_id for t in changes.get("tasks", network.tasks)}
        changes["owners"] = tuple(c for c in network.owners if c.id in named)
    carry_network(reads, network.model_copy(update=changes))


# The writes an update needs only when these fields change: a department's place, an interaction's people.
_WRITES_FOR = {
    Q.link_departments: {"parent_id"},
    Q.unlink_interaction_participants: {"person_ids", "contact_ids"},
    Q.link_interaction_people: {"person_ids", "contact_ids"},
    Q.link_interaction_contacts: {"person_ids", "contact_ids"},
    Q.merge_evidenced_coverage: {"person_ids", "contact_ids", "on"},
}


def _changed_writes(writes: Iterable[Write], changes: dict[str, Any]) -> Iterator[Write]:
    """An update's writes cut to the fields it changes: what someone else changed meanwhile in the other
    fields (an import, on Neo4j, which takes no lock) stays as they left it."""
    for query, row in writes:
        if query in _WRITES_FOR and not _WRITES_FOR[query] & changes.keys():
            continue
        if "props" in row:
            kept = {k: v for k, v in row["props"].items() if k in changes or k == "account_id"}
            row = row | {"props": kept}
        yield query, row


def comments_on(network: AccountNetwork, person_id: str) -> list[Comment]:
    """The comments on a stakeholder, or on one of our links to them."""
    return [c for c in network.comments if c.person_id == person_id]


def tasks_about(network: AccountNetwork, person_id: str) -> list[Task]:
    """The tasks that concern a stakeholder: about them, or asking them for an introduction."""
    return [t for t in network.tasks if person_id in (t.person_id, t.via_person_id)]


def _follow_on(network: AccountNetwork, before: Record | None, record: Record, actor: str
               ) -> tuple[Record, list[Write]]:  # fmt: skip
    """The record as an edit's rules leave it, and what the edit brings with it in the same guarded step:
    - a task marked done is dated (done_on: today, unless given);
    - an introduction request answered (introduced or declined) is done; introduced, its owner gets the link
      it made: referred, referred_by who introduced us (a trusted or referred link of theirs stays as it is);
    - an interaction logged with a task's owner and the stakeholder it is about closes that task, dated by
      the interaction (not introduction requests: their outcome says how they ended)."""
    if isinstance(record, Task):
        answered = record.outcome in ANSWERED and getattr(before, "outcome", None) is not record.outcome
        introduced = answered and record.outcome is IntroductionOutcome.introduced
        if answered:
            record = record.model_copy(update={"state": TaskState.done})
        if record.state is TaskState.done and record.done_on is None:
            record = record.model_copy(update={"done_on": date.today()})
        return record, _introduced(network, record, actor) if introduced else []
    if isinstance(record, Interaction) and before is None:
        return record, _closed_by(network, record, actor)
    return record, []


def _introduced(network: AccountNetwork, task: Task, actor: str) -> list[Write]:
    assert task.person_id is not None and task.via_person_id is not None  # an introduction names both
    via = next(p for p in network.people if p.id == task.via_person_id)
    pair = (task.owner_id, task.person_id)
    existing = next((c for c in network.coverage if (c.contact_id, c.person_id) == pair), None)
    if existing is not None and existing.basis is CoverageBasis.recorded and existing.status in CLOSE_ENOUGH:
        return []
    link = Coverage(contact_id=task.owner_id, person_id=task.person_id, status=RelationshipStatus.referred,
                    since=task.done_on, strength=existing.strength if existing else None,
                    referred_by=titled(via.title, via.name))  # fmt: skip
    kind = ChangeKind.record_created if existing is None else ChangeKind.record_updated
    entry = audit_entry(actor, kind, COVERAGE.name, "/".join(pair), _name(link), task.account_id, before=existing,
                        after=link)  # fmt: skip
    return [(Q.merge_coverage, {"rows": [coverage_row(link)]}), *audit_writes([entry])]


ANSWERED = frozenset({IntroductionOutcome.introduced, IntroductionOutcome.declined})
# A link at least this close is not lowered to `referred` by an introduction.
CLOSE_ENOUGH = frozenset({RelationshipStatus.trusted, RelationshipStatus.referred})


def _closed_by(network: AccountNetwork, interaction: Interaction, actor: str) -> list[Write]:
    writes: list[Write] = []
    for task in network.tasks:
        if (task.state is TaskState.open and task.origin is not TaskOrigin.introduction
                and task.person_id in interaction.person_ids and task.owner_id in interaction.contact_ids):  # fmt: skip
            done = task.model_copy(update={"state": TaskState.done, "done_on": interaction.on or date.today(),
                                           "interaction_id": interaction.id})  # fmt: skip
            entry = audit_entry(actor, ChangeKind.record_updated, TASK.name, task.id, _name(done), task.account_id,
                                before=task, after=done)  # fmt: skip
            writes += [(Q.merge_tasks, {"rows": [task_row(done)]}), *audit_writes([entry])]
    return writes


def _check_empty(network: AccountNetwork, department_id: str) -> None:
    people = [p.id for p in network.people if p.department_id == department_id]
    below = [d.id for d in network.departments if d.parent_id == department_id]
    if people or below:
        raise Conflict(
            f"department {department_id!r} still has {len(people)} people and {len(below)} departments below it;"
            " move or delete them first"
        )


def create_account(store: GraphStore, fields: dict[str, Any], actor: str, grantee: str | None = None) -> Account:
    """A new account; with `grantee` ("team:NAME"), granted to them in the same atomic write, so that
    nobody's new account is ever left without its creator's team."""
    account = _validated_model(Account, "account", fields | {"id": new_id("a")})

    def decide(reads: Reads) -> tuple[list[Write], Account]:
        _check_owner(reads, account.owner_id)
        entry = audit_entry(
            actor, ChangeKind.record_created, "account", account.id, account.name, account.id, after=account
        )
        writes = [(Q.merge_accounts, {"rows": [account_row(account)]}), *audit_writes([entry])]
        if grantee is not None:
            writes += granting(reads, account.id, account.name, grantee, actor)[1]
        return writes, account

    return store.guarded(decide, _contact_locks([account.owner_id]))


def update_account(
    store: GraphStore, account_id: str, changes: dict[str, Any], actor: str, expected: str | None = None
) -> Account:
    def decide(reads: Reads) -> tuple[list[Write], Account]:
        before = read_account_network(reads, account_id).account
        _check_version(f"account {account_id!r}", before, expected)
        account = _validated_model(Account, "account", before.model_dump() | changes)
        _check_owner(reads, account.owner_id)
        entry = audit_entry(actor, ChangeKind.record_updated, "account", account.id, account.name, account.id,
                            before=before, after=account)  # fmt: skip
        writes = _as_rows(_changed_writes([(Q.merge_accounts, account_row(account))], changes))
        return [*writes, *audit_writes([entry])], account

    return store.guarded(decide, [_account_lock(account_id), *_contact_locks([changes.get("owner_id")])])


def delete_account(store: GraphStore, account_id: str, actor: str, expected: str | None = None) -> None:
    """Deletes an account and everything kept inside it, its grants too; its change log and audit stay."""

    def decide(reads: Reads) -> tuple[list[Write], None]:
        network = read_account_network(reads, account_id)
        _check_version(f"account {account_id!r}", network.account, expected)
        card_ids = [c.id for c in read_cards(reads, [account_id])]
        grant_ids = [row["id"] for row in reads.read(Q.list_grants, grantees=None, account_id=account_id)]
        entry = audit_entry(actor, ChangeKind.record_deleted, "account", account_id, network.account.name,
                            account_id, before=network.account)  # fmt: skip
        deletes = [(Q.delete_interactions, [i.id for i in network.interactions]),
                   (Q.delete_tasks, [t.id for t in network.tasks]),
                   (Q.delete_comments, [c.id for c in network.comments]),
                   (Q.delete_people, [p.id for p in network.people]),
                   (Q.delete_departments, [d.id for d in network.departments]),
                   (Q.delete_cards, card_ids), (Q.delete_grants, grant_ids),
                   (Q.delete_accounts, [account_id])]  # fmt: skip
        return [*((query, {"ids": ids}) for query, ids in deletes), *audit_writes([entry])], None

    store.guarded(decide, [_account_lock(account_id)])


def find_contact(store: Reads, contact_id: str) -> Contact:
    rows = store.read(Q.find_contacts, ids=[contact_id])
    if not rows:
        raise NotFound(f"no contact with id {contact_id!r}")
    return Contact(**{k: v for k, v in rows[0].items() if v is not None})


def create_contact(store: GraphStore, fields: dict[str, Any], actor: str) -> Contact:
    contact = _validated_model(Contact, "contact", fields | {"id": new_id("c")})
    entry = audit_entry(actor, ChangeKind.record_created, "contact", contact.id, contact.name, after=contact)
    write_audited(store, [(Q.merge_contacts, {"rows": [contact_row(contact)]})], [entry])
    return contact


def update_contact(
    store: GraphStore, contact_id: str, changes: dict[str, Any], actor: str, expected: str | None = None
) -> Contact:
    def decide(reads: Reads) -> tuple[list[Write], Contact]:
        before = find_contact(reads, contact_id)
        _check_version(f"contact {contact_id!r}", before, expected)
        contact = _validated_model(Contact, "contact", before.model_dump() | changes)
        entry = audit_entry(actor, ChangeKind.record_updated, "contact", contact.id, contact.name, before=before,
                            after=contact)  # fmt: skip
        writes = _as_rows(_changed_writes([(Q.merge_contacts, contact_row(contact))], changes))
        return [*writes, *audit_writes([entry])], contact

    return store.guarded(decide, _contact_locks([contact_id]))


def delete_contact(store: GraphStore, contact_id: str, actor: str, expected: str | None = None) -> None:
    """Deletes one of our contacts with their coverage; refused while they own accounts or follow-ups."""

    def decide(reads: Reads) -> tuple[list[Write], None]:
        before = find_contact(reads, contact_id)
        _check_version(f"contact {contact_id!r}", before, expected)
        owned = reads.read(Q.find_owned_records, contact_id=contact_id)[0]
        if owned["accounts"] or owned["interactions"] or owned["tasks"]:
            raise Conflict(
                f"contact {contact_id!r} owns {len(owned['accounts'])} accounts, {len(owned['interactions'])}"
                f" follow-ups and {len(owned['tasks'])} tasks; hand them over first"
                " / 该联系人仍负责客户、跟进或任务，请先移交"
            )
        entry = audit_entry(actor, ChangeKind.record_deleted, "contact", contact_id, before.name, before=before)
        return [(Q.delete_contacts, {"ids": [contact_id]}), *audit_writes([entry])], None

    store.guarded(decide, _contact_locks([contact_id]))


def _as_rows(writes: Iterable[Write]) -> list[Write]:
    """(query, row) pairs as writes of one row each."""
    return [(query, {"rows": [row]}) for query, row in writes]


def _validated(kind: RecordKind, fields: dict[str, Any], keep_contact_details: bool = False) -> Record:
    return _validated_model(kind.model, kind.name, fields, keep_contact_details)


def _validated_model(model: type[M], name: str, fields: dict[str, Any], keep_contact_details: bool = False) -> M:
    try:
        record = model.model_validate(fields)
    except ValidationError as error:
        # A rule on the whole record (PlanTarget's status, an influence's sign) has no field: its message says it.
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" if e["loc"] else e["msg"].removeprefix("Value error, ")
            for e in error.errors()
        )
        raise Invalid(f"{name}: {problems}") from None
    return _as_incoming(record, name, keep_contact_details)


def _as_incoming(record: M, name: str, keep_contact_details: bool) -> M:
    """The record an edit makes, held to the rules of what comes in (graphmap.personal), as an import's
    cells are: no text that shows other than it reads; a person's phone and e-mail reduced (or checked,
    where the deployment keeps them). Here, not in the models: records read back are not checked again."""
    problems = []
    for field, value in record:
        for text in value if isinstance(value, tuple) else (value,):
            if isinstance(text, str) and BIDI_CONTROLS.search(text):
                problems.append(f"{field}: {BIDI_REFUSED}")
    details: dict[str, str] = {}
    if isinstance(record, Person):
        phone, email = (checked_phone, checked_email) if keep_contact_details else (reduced_phone, email_domain)
        for field, rule in (("phone", phone), ("email", email)):
            if (value := getattr(record, field)) is not None:
                try:
                    details[field] = rule(value)
                except ValueError as error:
                    problems.append(f"{field}: {error}")
    if problems:
        raise Invalid(f"{name}: " + "; ".join(problems))
    return record.model_copy(update=details) if details else record


def _check_references(store: Reads, kind: RecordKind, record: Record, network: AccountNetwork) -> None:
    """Every id a record points at must be in the same account (our contacts are everyone's)."""
    departments = {d.id: d for d in network.departments}
    people = {p.id for p in network.people}
    problems: list[str] = []
    contacts_named: list[str] = []

    def need(field: str, value: str | None, known: Iterable[str], what: str) -> None:
        if value is not None and value not in known:
            problems.append(f"{field}: no {what} {value!r} in account {network.account.id!r}")

    if isinstance(record, Department):
        need("parent_id", record.parent_id, departments, "department")
        parents = {d.id: d.parent_id for d in departments.values()}
        if record.parent_id is not None and record.id in ancestry(record.parent_id, parents):
            problems.append(f"parent_id: {record.parent_id!r} is {record.id!r} or below it")  # below itself
    elif isinstance(record, Person):
        need("department_id", record.department_id, departments, "department")
    elif isinstance(record, Coverage | PlanTarget):
        need("person_id", record.person_id, people, "stakeholder")
        contacts_named.append(record.contact_id)
    elif isinstance(record, ReportingLine | Influence):
        first, second = key_of(kind, record)
        need(kind.key[0], first, people, "stakeholder")
        need(kind.key[1], second, people, "stakeholder")
        if first == second:
            problems.append(f"{kind.key[1]}: a person cannot be linked to themselves")
    elif isinstance(record, Comment):
        need("person_id", record.person_id, people, "stakeholder")
        links = {(c.contact_id, c.person_id) for c in network.coverage}
        if record.contact_id is not None and (record.contact_id, record.person_id) not in links:
            problems.append(f"contact_id: no link of contact {record.contact_id!r} to {record.person_id!r} here")
    elif isinstance(record, Task):
        need("person_id", record.person_id, people, "stakeholder")
        need("via_person_id", record.via_person_id, people, "stakeholder")
        need("interaction_id", record.interaction_id, {i.id for i in network.interactions}, "interaction")
        contacts_named.append(record.owner_id)
    elif isinstance(record, Interaction):
        for person_id in record.person_ids:
            need("person_ids", person_id, people, "stakeholder")
        contacts_named.extend(record.contact_ids)
        if record.owner_id is not None:
            contacts_named.append(record.owner_id)
        cards = {row["id"] for row in store.read(Q.list_card_ids) if row["account_id"] == network.account.id}
        if record.card_id is not None and record.card_id not in cards:
            problems.append(f"card_id: no process card {record.card_id!r} in account {network.account.id!r}")
    known_contacts = {row["id"] for row in store.read(Q.find_contacts, ids=sorted(set(contacts_named)))}
    for contact_id in sorted(set(contacts_named) - known_contacts):
        problems.append(f"contact {contact_id!r}: no such contact of ours")
    if problems:
        raise Invalid(f"{kind.name}: " + "; ".join(problems))


def _check_owner(store: Reads, owner_id: str | None) -> None:
    if owner_id is not None and not store.read(Q.find_contacts, ids=[owner_id]):
        raise Invalid(f"account: owner_id: no contact of ours with id {owner_id!r}")


def _name(record: Record) -> str:
    name = getattr(record, "name", None)
    return str(name) if name is not None else "/".join(str(v) for v in record.model_dump().values() if v)[:200]
