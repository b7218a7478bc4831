"""One record at a time: create, update and delete the graph's records (what the API's object routes do).

Each change is checked against the graph before anything is written (references must resolve inside the
account, ids must be free), then written in one atomic block together with its audit entry. Ids of new
records are generated here; a caller never chooses them, nor the account a record belongs to.
"""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from graphmap.audit import Write, audit_entry, write_audited
from graphmap.changelog import ChangeKind
from graphmap.errors import Conflict, Invalid, NotFound
from graphmap.graph import (
    AccountNetwork,
    account_row,
    contact_row,
    coverage_row,
    department_row,
    influence_row,
    interaction_row,
    person_row,
    read_account_network,
    read_cards,
)
from graphmap.model import (
    Account,
    Contact,
    Coverage,
    Department,
    Influence,
    Interaction,
    Person,
    Record,
    ReportingLine,
)
from graphmap.store import GraphStore

M = TypeVar("M", bound=Record)


@dataclass(frozen=True)
class RecordKind:
    """What the generic operations need to know about one kind of record kept inside an account."""

    name: str  # the audit's resource, and what error messages call it
    model: type[Record]
    key: tuple[str, ...]  # the fields that identify a record: its id, or the two ends of a link
    id_prefix: str | None  # records with an id get a generated one: p-3fa2c1d4e5f6
    records: Callable[[AccountNetwork], Sequence[Record]]
    rows: Callable[[Record], Iterable[tuple[str, dict[str, Any]]]]  # (query, row) pairs that store it
    delete_query: str


def _department_writes(record: Record) -> Iterable[tuple[str, dict[str, Any]]]:
    assert isinstance(record, Department)
    yield "merge_departments", department_row(record)
    if record.parent_id:
        yield "link_departments", {"id": record.id, "parent_id": record.parent_id}


def _interaction_writes(record: Record) -> Iterable[tuple[str, dict[str, Any]]]:
    assert isinstance(record, Interaction)
    yield "merge_interactions", interaction_row(record)
    yield (
        "unlink_interaction_participants",
        {"interaction_id": record.id, "person_ids": list(record.person_ids), "contact_ids": list(record.contact_ids)},
    )
    for person_id in record.person_ids:
        yield "link_interaction_people", {"interaction_id": record.id, "person_id": person_id}
    for contact_id in record.contact_ids:
        yield "link_interaction_contacts", {"interaction_id": record.id, "contact_id": contact_id}


def _one(query: str, row: Callable[[Any], dict[str, Any]]) -> Callable[[Record], Iterable[tuple[str, dict[str, Any]]]]:
    return lambda record: [(query, row(record))]


def _pair(first: str, second: str) -> Callable[[Any], dict[str, Any]]:
    return lambda record: {first: getattr(record, first), second: getattr(record, second)}


DEPARTMENT = RecordKind("department", Department, ("id",), "d", lambda n: n.departments, _department_writes,
                        "delete_departments")  # fmt: skip
PERSON = RecordKind("person", Person, ("id",), "p", lambda n: n.people, _one("merge_people", person_row),
                    "delete_people")  # fmt: skip
COVERAGE = RecordKind("coverage", Coverage, ("contact_id", "person_id"), None, lambda n: n.coverage,
                      _one("merge_coverage", coverage_row), "delete_coverage")  # fmt: skip
REPORTING_LINE = RecordKind("reporting_line", ReportingLine, ("person_id", "manager_id"), None,
                            lambda n: n.reporting_lines,
                            _one("merge_reporting_lines", _pair("person_id", "manager_id")),
                            "delete_reporting_lines")  # fmt: skip
INFLUENCE = RecordKind("influence", Influence, ("person_id", "target_id"), None, lambda n: n.influences,
                       _one("merge_influences", influence_row), "delete_influences")  # fmt: skip
INTERACTION = RecordKind("interaction", Interaction, ("id",), "i", lambda n: n.interactions, _interaction_writes,
                         "delete_interactions")  # fmt: skip
ACCOUNT_RECORDS = (DEPARTMENT, PERSON, COVERAGE, REPORTING_LINE, INFLUENCE, INTERACTION)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def key_of(kind: RecordKind, record: Record) -> tuple[str, ...]:
    return tuple(getattr(record, field) for field in kind.key)


def find_record(network: AccountNetwork, kind: RecordKind, key: tuple[str, ...]) -> Record:
    for record in kind.records(network):
        if key_of(kind, record) == key:
            return record
    raise NotFound(f"no {kind.name} {'/'.join(key)!r} in account {network.account.id!r}")


def create_record(store: GraphStore, kind: RecordKind, account_id: str, fields: dict[str, Any], actor: str) -> Record:
    """A new record in an account: its id is generated; Conflict if the link it describes exists."""
    network = read_account_network(store, account_id)
    given = dict(fields)
    if kind.id_prefix is not None:
        given["id"] = new_id(kind.id_prefix)
    if "account_id" in kind.model.model_fields:
        given["account_id"] = account_id
    record = _validated(kind, given)
    if any(key_of(kind, r) == key_of(kind, record) for r in kind.records(network)):
        raise Conflict(f"{kind.name} {'/'.join(key_of(kind, record))!r} exists; change it instead")
    _check_references(store, kind, record, network)
    entry = audit_entry(
        actor,
        ChangeKind.record_created,
        kind.name,
        "/".join(key_of(kind, record)),
        _name(record),
        account_id,
        after=record,
    )
    write_audited(store, _as_rows(kind.rows(record)), [entry])
    return record


def update_record(
    store: GraphStore, kind: RecordKind, account_id: str, key: tuple[str, ...], changes: dict[str, Any], actor: str
) -> Record:
    """Changes some fields of a record; the fields that identify it and its account never change."""
    network = read_account_network(store, account_id)
    before = find_record(network, kind, key)
    record = _validated(kind, before.model_dump() | changes)
    _check_references(store, kind, record, network)
    entry = audit_entry(
        actor,
        ChangeKind.record_updated,
        kind.name,
        "/".join(key),
        _name(record),
        account_id,
        before=before,
        after=record,
    )
    write_audited(store, _as_rows(kind.rows(record)), [entry])
    return record


def delete_record(store: GraphStore, kind: RecordKind, account_id: str, key: tuple[str, ...], actor: str) -> None:
    network = read_account_network(store, account_id)
    before = find_record(network, kind, key)
    entry = audit_entry(actor, ChangeKind.record_deleted, kind.name, "/".join(key), _name(before), account_id,
                        before=before)  # fmt: skip
    if kind is DEPARTMENT:
        _check_empty(network, key[0])
    by_key = {"ids": [key[0]]} if kind.key == ("id",) else {"rows": [dict(zip(kind.key, key, strict=True))]}
    writes: list[Write] = [(kind.delete_query, by_key)]
    if kind is PERSON:  # an interaction is always with someone at the customer
        theirs = [i.id for i in network.interactions if key[0] in i.person_ids]
        writes.append(("delete_lone_interactions", {"ids": theirs}))
    write_audited(store, writes, [entry])


def _check_empty(network: AccountNetwork, department_id: str) -> None:
    people = [p.id for p in network.people if p.department_id == department_id]
    below = [d.id for d in network.departments if d.parent_id == department_id]
    if people or below:
        raise Conflict(
            f"department {department_id!r} still has {len(people)} people and {len(below)} departments below it;"
            " move or delete them first"
        )


def create_account(store: GraphStore, fields: dict[str, Any], actor: str) -> Account:
    account = _validated_model(Account, "account", fields | {"id": new_id("a")})
    _check_owner(store, account.owner_id)
    entry = audit_entry(
        actor, ChangeKind.record_created, "account", account.id, account.name, account.id, after=account
    )
    write_audited(store, [("merge_accounts", {"rows": [account_row(account)]})], [entry])
    return account


def update_account(store: GraphStore, account_id: str, changes: dict[str, Any], actor: str) -> Account:
    before = read_account_network(store, account_id).account
    account = _validated_model(Account, "account", before.model_dump() | changes)
    _check_owner(store, account.owner_id)
    entry = audit_entry(
        actor, ChangeKind.record_updated, "account", account.id, account.name, account.id, before=before, after=account
    )
    write_audited(store, [("merge_accounts", {"rows": [account_row(account)]})], [entry])
    return account


def delete_account(store: GraphStore, account_id: str, actor: str) -> None:
    """Deletes an account and everything kept inside it, its grants too; its change log and audit stay."""
    network = read_account_network(store, account_id)
    card_ids = [c.id for c in read_cards(store, [account_id])]
    grant_ids = [row["id"] for row in store.read("list_grants", grantees=None, account_id=account_id)]
    entry = audit_entry(actor, ChangeKind.record_deleted, "account", account_id, network.account.name, account_id,
                        before=network.account)  # fmt: skip
    writes = [("delete_interactions", [i.id for i in network.interactions]),
              ("delete_people", [p.id for p in network.people]),
              ("delete_departments", [d.id for d in network.departments]),
              ("delete_cards", card_ids), ("delete_grants", grant_ids), ("delete_accounts", [account_id])]  # fmt: skip
    write_audited(store, [(query, {"ids": ids}) for query, ids in writes], [entry])


def find_contact(store: GraphStore, contact_id: str) -> Contact:
    rows = store.read("find_contacts", ids=[contact_id])
    if not rows:
        raise NotFound(f"no contact with id {contact_id!r}")
    return Contact(**{k: v for k, v in rows[0].items() if v is not None})


def create_contact(store: GraphStore, fields: dict[str, Any], actor: str) -> Contact:
    contact = _validated_model(Contact, "contact", fields | {"id": new_id("c")})
    entry = audit_entry(actor, ChangeKind.record_created, "contact", contact.id, contact.name, after=contact)
    write_audited(store, [("merge_contacts", {"rows": [contact_row(contact)]})], [entry])
    return contact


def update_contact(store: GraphStore, contact_id: str, changes: dict[str, Any], actor: str) -> Contact:
    before = find_contact(store, contact_id)
    contact = _validated_model(Contact, "contact", before.model_dump() | changes)
    entry = audit_entry(
        actor, ChangeKind.record_updated, "contact", contact.id, contact.name, before=before, after=contact
    )
    write_audited(store, [("merge_contacts", {"rows": [contact_row(contact)]})], [entry])
    return contact


def delete_contact(store: GraphStore, contact_id: str, actor: str) -> None:
    """Deletes one of our contacts with their coverage; refused while they own accounts or follow-ups."""
    before = find_contact(store, contact_id)
    owned = store.read("find_owned_records", contact_id=contact_id)[0]
    if owned["accounts"] or owned["interactions"]:
        raise Conflict(
            f"contact {contact_id!r} owns {len(owned['accounts'])} accounts and {len(owned['interactions'])}"
            " follow-ups; hand them over first"
        )
    entry = audit_entry(actor, ChangeKind.record_deleted, "contact", contact_id, before.name, before=before)
    write_audited(store, [("delete_contacts", {"ids": [contact_id]})], [entry])


def _as_rows(writes: Iterable[tuple[str, dict[str, Any]]]) -> list[Write]:
    """(query, row) pairs as writes of one row each."""
    return [(query, {"rows": [row]}) for query, row in writes]


def _validated(kind: RecordKind, fields: dict[str, Any]) -> Record:
    return _validated_model(kind.model, kind.name, fields)


def _validated_model(model: type[M], name: str, fields: dict[str, Any]) -> M:
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or name}: {e['msg']}" for e in error.errors())
        raise Invalid(f"{name}: {problems}") from None


def _check_references(store: GraphStore, kind: RecordKind, record: Record, network: AccountNetwork) -> None:
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
        parent = record.parent_id
        while parent is not None and parent in departments:  # a department may not end up below itself
            if parent == record.id:
                problems.append(f"parent_id: {record.parent_id!r} is {record.id!r} or below it")
                break
            parent = departments[parent].parent_id
    elif isinstance(record, Person):
        need("department_id", record.department_id, departments, "department")
    elif isinstance(record, Coverage):
        need("person_id", record.person_id, people, "stakeholder")
        contacts_named.append(record.contact_id)
    elif isinstance(record, ReportingLine | Influence):
        first, second = key_of(kind, record)
        need(kind.key[0], first, people, "stakeholder")
        need(kind.key[1], second, people, "stakeholder")
        if first == second:
            problems.append(f"{kind.key[1]}: a person cannot be linked to themselves")
    elif isinstance(record, Interaction):
        for person_id in record.person_ids:
            need("person_ids", person_id, people, "stakeholder")
        contacts_named.extend(record.contact_ids)
        if record.owner_id is not None:
            contacts_named.append(record.owner_id)
        cards = {row["id"] for row in store.read("list_card_ids") if row["account_id"] == network.account.id}
        if record.card_id is not None and record.card_id not in cards:
            problems.append(f"card_id: no process card {record.card_id!r} in account {network.account.id!r}")
    known_contacts = {row["id"] for row in store.read("find_contacts", ids=sorted(set(contacts_named)))}
    for contact_id in sorted(set(contacts_named) - known_contacts):
        problems.append(f"contact {contact_id!r}: no such contact of ours")
    if problems:
        raise Invalid(f"{kind.name}: " + "; ".join(problems))


def _check_owner(store: GraphStore, owner_id: str | None) -> None:
    if owner_id is not None and not store.read("find_contacts", ids=[owner_id]):
        raise Invalid(f"account: owner_id: no contact of ours with id {owner_id!r}")


def _name(record: Record) -> str:
    name = getattr(record, "name", None)
    return str(name) if name is not None else "/".join(str(v) for v in record.model_dump().values() if v)[:200]
