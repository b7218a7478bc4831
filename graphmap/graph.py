"""Domain operations on the store: write a validated portfolio, read an account's network."""

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from graphmap.changelog import change_rows, changes_in
from graphmap.collector import collector_paused
from graphmap.errors import GraphUnavailable, NotFound
from graphmap.model import (
    Account,
    Card,
    Comment,
    Contact,
    Coverage,
    Department,
    Influence,
    Interaction,
    Person,
    PersonStatus,
    PlanTarget,
    Portfolio,
    ReportingLine,
    Task,
)
from graphmap.privacy import masked_network
from graphmap.queries import Q
from graphmap.store import Generational, GraphStore, Prepared, Reads, Step

BATCH_SIZE = 2000  # rows per statement: large enough to amortise a round trip, small enough to stay responsive


def write_portfolio(store: GraphStore, portfolio: Portfolio) -> None:
    """Stores a validated portfolio; idempotent (everything is MERGEd on ids), so a re-run is safe.

    Order matters only for what each statement MATCHes: accounts before departments before people.
    The change log is written first: if the import is interrupted, the re-run finds the same differences
    and records them under the same ids.
    """
    _write(store, Q.merge_changes, change_rows(changes_in(store, portfolio)))
    for query_name, rows in portfolio_statements(portfolio):
        _write(store, query_name, rows)


def portfolio_step(store: GraphStore, portfolio: Portfolio) -> Step:
    """write_portfolio as a WriteBehind step: its statements prepared now, on the caller's thread, and the
    change log when the step is written, because it compares with the graph as every earlier step left
    it. The change log comes first in the step's transaction, as in write_portfolio."""
    prepared = [
        store.prepare(query_name, rows=batch)
        for query_name, rows in portfolio_statements(portfolio)
        for batch in _batches(rows, BATCH_SIZE)
    ]

    def step() -> list[Prepared]:
        changes = change_rows(changes_in(store, portfolio))
        return [*(store.prepare(Q.merge_changes, rows=batch) for batch in _batches(changes, BATCH_SIZE)), *prepared]

    return step


def portfolio_statements(portfolio: Portfolio) -> Iterator[tuple[Q, Iterable[dict[str, Any]]]]:
    """What storing a portfolio writes besides its change log, statement by statement, in order."""
    yield Q.merge_accounts, (account_row(a) for a in portfolio.accounts)
    yield Q.merge_departments, (department_row(d) for d in portfolio.departments)
    yield Q.link_departments, ({"id": d.id, "parent_id": d.parent_id} for d in portfolio.departments if d.parent_id)
    yield Q.merge_people, (person_row(p) for p in portfolio.people)
    yield Q.merge_contacts, (contact_row(c) for c in portfolio.contacts)
    yield Q.merge_coverage, (coverage_row(c) for c in portfolio.coverage)
    yield (
        Q.merge_reporting_lines,
        ({"person_id": r.person_id, "manager_id": r.manager_id} for r in portfolio.reporting_lines),
    )
    yield Q.merge_influences, (influence_row(f) for f in portfolio.influences)
    yield Q.merge_plan_targets, (plan_target_row(t) for t in portfolio.plan_targets)
    yield Q.merge_cards, (card_row(c) for c in portfolio.cards)
    yield Q.grant_roles, ({"id": g.id, "roles": [str(r) for r in g.roles]} for g in portfolio.role_grants)
    yield Q.merge_interactions, (interaction_row(i) for i in portfolio.interactions)
    yield Q.merge_tasks, (task_row(t) for t in portfolio.tasks)
    yield Q.merge_comments, (comment_row(c) for c in portfolio.comments)
    yield (
        Q.link_interaction_people,
        ({"interaction_id": i.id, "person_id": p} for i in portfolio.interactions for p in i.person_ids),
    )
    yield (
        Q.link_interaction_contacts,
        ({"interaction_id": i.id, "contact_id": c} for i in portfolio.interactions for c in i.contact_ids),
    )
    # In the same transaction as the interactions: whoever met a stakeholder covers them (docs/gaps.md).
    yield Q.merge_evidenced_coverage, evidenced_coverage_rows(portfolio.interactions)


def evidenced_coverage_rows(interactions: Iterable[Interaction]) -> list[dict[str, Any]]:
    """One row per (our contact, their person) who took part in an interaction together, with the first
    day they did: the COVERS links that evidence makes (merge_evidenced_coverage)."""
    first: dict[tuple[str, str], date | None] = {}
    for interaction in interactions:
        for pair in itertools.product(interaction.contact_ids, interaction.person_ids):
            earlier = first.get(pair)
            if pair not in first or (interaction.on and (earlier is None or interaction.on < earlier)):
                first[pair] = interaction.on
    return [{"contact_id": c, "person_id": p, "since": on.isoformat() if on else None} for (c, p), on in first.items()]


def _write(store: GraphStore, query_name: Q, rows: Iterable[dict[str, Any]]) -> None:
    for batch in _batches(rows, BATCH_SIZE):
        store.write(query_name, rows=batch)


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _props(model: BaseModel, *exclude: str) -> dict[str, Any]:
    # None values stay in: SET n += {x: null} removes x, so a field emptied at the source is emptied here.
    return model.model_dump(mode="json", exclude=set(exclude))


def account_row(a: Account) -> dict[str, Any]:
    # Only the fields the source set: a mapping table carries name, industry, goal and date, the archive
    # the master data; neither may erase what the other wrote. A field set empty is still removed.
    return {"id": a.id, "props": a.model_dump(mode="json", exclude={"id"}, exclude_unset=True)}


def department_row(d: Department) -> dict[str, Any]:
    return {"id": d.id, "account_id": d.account_id, "parent_id": d.parent_id, "props": _props(d, "id", "parent_id")}


def person_row(p: Person) -> dict[str, Any]:
    # As for accounts: the mapping table knows roles and next actions, the archive phone and e-mail.
    props = p.model_dump(mode="json", exclude={"id", "department_id"}, exclude_unset=True)
    return {"id": p.id, "department_id": p.department_id, "props": props | {"account_id": p.account_id}}


def contact_row(c: Contact) -> dict[str, Any]:
    return {"id": c.id, "props": _props(c, "id")}


def coverage_row(c: Coverage) -> dict[str, Any]:
    return {"contact_id": c.contact_id, "person_id": c.person_id, "props": _props(c, "contact_id", "person_id")}


def influence_row(f: Influence) -> dict[str, Any]:
    return {"person_id": f.person_id, "target_id": f.target_id, "props": _props(f, "person_id", "target_id")}


def plan_target_row(t: PlanTarget) -> dict[str, Any]:
    return {"contact_id": t.contact_id, "person_id": t.person_id, "props": _props(t, "contact_id", "person_id")}


def card_row(c: Card) -> dict[str, Any]:
    return {
        "id": c.id,
        "props": c.model_dump(mode="json", exclude={"id"}, exclude_unset=True) | {"account_id": c.account_id},
    }


def task_row(t: Task) -> dict[str, Any]:
    return {"id": t.id, "props": _props(t, "id")}


def comment_row(c: Comment) -> dict[str, Any]:
    return {"id": c.id, "props": _props(c, "id")}


def interaction_row(i: Interaction) -> dict[str, Any]:
    return {"id": i.id, "props": _props(i, "id", "person_ids", "contact_ids")}


class AccountSummary(Account):
    people: int
    contacts: int


class ContactSummary(Contact):
    people: int = Field(description="stakeholders this contact covers")
    accounts: int = Field(description="accounts those stakeholders work at")


class AccountNetwork(BaseModel):
    """One account's whole subgraph, as plain models: what pages, analyses and frames are drawn from."""

    model_config = ConfigDict(frozen=True)

    account: Account
    departments: tuple[Department, ...]
    people: tuple[Person, ...]
    contacts: tuple[Contact, ...]
    coverage: tuple[Coverage, ...]
    reporting_lines: tuple[ReportingLine, ...]
    influences: tuple[Influence, ...]
    interactions: tuple[Interaction, ...]
    plan_targets: tuple[PlanTarget, ...] = Field(
        default=(), description="the account plan: the relationships we want, by contact then person"
    )
    tasks: tuple[Task, ...] = Field(default=(), description="what our contacts are to do here, by id")
    owners: tuple[Contact, ...] = Field(
        default=(), description="our contacts who own a plan target or a task here (they may cover no one)"
    )
    comments: tuple[Comment, ...] = Field(default=(), description="what our users wrote here, oldest first")


T = TypeVar("T")
R = TypeVar("R")
READ_CHUNK = 200  # accounts per read: few round trips for the portfolio, bounded replies


def list_accounts(store: Reads, account_id: str | None = None) -> list[AccountSummary]:
    return [AccountSummary(**_without_nulls(row)) for row in store.read(Q.list_accounts, account_id=account_id)]


def list_account_names(store: Reads) -> list[Account]:
    """Every account with its id, name and table date only: for a portfolio-wide read that needs no more
    (list_accounts also counts each account's people and contacts, 0.8 s at 10,000 accounts)."""
    return [Account(**_without_nulls(row)) for row in store.read(Q.list_account_names)]


def account_names_and_days(store: Reads) -> list[tuple[str, str, date | None]]:
    """Every account's id, name and table date (updated_on) as plain values, for an import to resolve rows
    against: as Account models, each with every field, they held 150 MB at 62,500 accounts."""
    rows = store.read(Q.list_account_names)
    return [(row["id"], row["name"], date.fromisoformat(row["updated_on"]) if row["updated_on"] else None)
            for row in rows]  # fmt: skip


def list_contact_ids(store: Reads) -> set[str]:
    return {row["id"] for row in store.read(Q.list_contact_ids)}


def card_accounts(store: Reads) -> dict[str, str]:
    """Every process card's account, by card id."""
    return {row["id"]: row["account_id"] for row in store.read(Q.list_card_ids)}


def departments_and_people(
    store: Reads, account_ids: Sequence[str]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """The stored rows of list_departments and list_person_identities of these accounts, by account,
    READ_CHUNK accounts a read: what an import resolves rows against."""
    departments: dict[str, list[dict[str, Any]]] = {}
    people: dict[str, list[dict[str, Any]]] = {}
    for chunk in in_chunks(account_ids):
        for row in store.read(Q.list_departments, account_ids=chunk):
            departments.setdefault(row["account_id"], []).append(row)
        for row in store.read(Q.list_person_identities, account_ids=chunk):
            people.setdefault(row["account_id"], []).append(row)
    return departments, people


def find_contacts(store: Reads, ids: Sequence[str]) -> dict[str, Contact]:
    """Our contacts with these ids, by id (those that exist)."""
    return (
        {row["id"]: Contact(**_without_nulls(row)) for row in store.read(Q.find_contacts, ids=list(ids))} if ids else {}
    )


def list_contacts(store: Reads) -> list[ContactSummary]:
    return [ContactSummary(**_without_nulls(row)) for row in store.read(Q.list_contacts)]


def select_accounts(store: Reads, account_id: str | None = None) -> list[AccountSummary]:
    """One account (NotFound if there is none: a typo must show, not an empty report), or all of them."""
    accounts = list_accounts(store, account_id)
    if account_id is not None and not accounts:
        raise NotFound(f"no account with id {account_id!r}")
    return accounts


@dataclass(frozen=True)
class Scope:
    """The accounts an analysis covers and how it sees their people.

    `account_ids` None is every account; `masked` is a viewer's view (graphmap.privacy), applied to each
    network as it is read, before any analysis runs on it."""

    account_ids: frozenset[str] | None = None
    masked: bool = False

    @classmethod
    def of(cls, scope: "ScopeLike") -> "Scope":
        """A scope from what callers have at hand: an account id, None (every account), or a scope."""
        if isinstance(scope, Scope):
            return scope
        return cls(None if scope is None else frozenset([scope]))

    @property
    def one(self) -> str | None:
        """The account when the scope is exactly one."""
        return next(iter(self.account_ids)) if self.account_ids is not None and len(self.account_ids) == 1 else None


ScopeLike = Scope | str | None


def scope_accounts(store: Reads, scope: ScopeLike) -> list[AccountSummary]:
    """The accounts of a scope, by name. One account that does not exist is NotFound (a typo must show);
    of a set, those that do not exist are left out (a set comes from grants, not from typing)."""
    scope = Scope.of(scope)
    if scope.account_ids is None or scope.one is not None:
        return select_accounts(store, scope.one)
    return [a for a in select_accounts(store) if a.id in scope.account_ids]


@dataclass(frozen=True)
class StakeholderRef:
    id: str
    account_id: str
    name: str
    title: str | None
    status: PersonStatus


def find_stakeholder(store: Reads, person_id: str, scope: ScopeLike = None) -> StakeholderRef:
    """One stakeholder by id (name, title, status, account), if in the scope's accounts: the one person
    lookup of the analyses and pages. NotFound otherwise, naming the account when the scope is one."""
    scope = Scope.of(scope)
    rows = store.read(Q.get_person, person_id=person_id)
    if not rows or (scope.account_ids is not None and rows[0]["account_id"] not in scope.account_ids):
        where = f" in account {scope.one!r}" if scope.one else ""
        raise NotFound(f"no stakeholder {person_id!r}{where}")
    row = rows[0]
    return StakeholderRef(row["id"], row["account_id"], row["name"], row["title"], PersonStatus(row["status"]))


def read_account_network(store: Reads, account_id: str, masked: bool = False) -> AccountNetwork:
    """One account's network; from the store's KeptNetworks when it has one (the API's) and the graph is
    unchanged since it was read."""
    kept: KeptNetworks | None = getattr(store, "kept_networks", None)
    if kept is not None:
        return kept.read(store, account_id, masked)  # type: ignore[arg-type]  # a store or a watched reader
    return read_scope(store, Scope(frozenset([account_id]), masked))[0]


class KeptNetworks:
    """The last few account networks read, each kept while the graph's generation (GraphStore.generation)
    is the one it was read at: the API's page, its redraw after an edit and its what-if read the same
    account one after another, and a 2,000-person network takes a third of a second to read. Networks are
    frozen models, so sharing them between requests is safe. Only a GraphStore the API serves from holds
    one (keep_networks). Inside a guarded write only the embedded engine's reader uses it, asking the
    generation it watches: a network kept at that generation is the graph as it is, and a write since
    undoes the step (store/embedded.py); Neo4j's transactions always read afresh."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: dict[tuple[str, str, bool], AccountNetwork] = {}
        self._lock = threading.Lock()

    def read(self, store: Generational, account_id: str, masked: bool) -> AccountNetwork:
        generation = store.generation()
        key = (generation or "", account_id, masked)
        with self._lock:
            found = self._kept.get(key) if generation is not None else None
        if found is not None:
            return found
        network = read_scope(store, Scope(frozenset([account_id]), masked))[0]
        if generation is not None and store.generation() == generation:  # nothing written meanwhile
            self.keep(generation, network, masked)
        return network

    def keep(self, generation: str, network: AccountNetwork, masked: bool = False) -> None:
        """Keeps `network` as the account's graph at `generation`: read at it, or carried across the write
        that made it (carry_network)."""
        with self._lock:
            self._kept = {k: v for k, v in self._kept.items() if k[0] == generation}  # older ones are stale
            while len(self._kept) >= self._size:
                self._kept.pop(next(iter(self._kept)))
            self._kept[(generation, network.account.id, masked)] = network


def carry_network(reads: Reads, network: AccountNetwork) -> None:
    """Hands a guarded step's reader its account's network as the step's writes will leave it. The embedded
    engine keeps it (KeptNetworks) under the generation its write makes, so the map redrawn after one's own
    edit is not read again; Neo4j's reader, which takes no part in keeping, ignores it."""
    after_write = getattr(reads, "network_after_write", None)
    if after_write is not None:
        after_write(network)


def keep_networks(store: GraphStore, size: int = 4) -> GraphStore:
    """Lets this store keep the last `size` account networks read while the graph is unchanged."""
    store.kept_networks = KeptNetworks(size)  # type: ignore[attr-defined]
    return store


def read_scope(store: Reads, scope: ScopeLike = None) -> list[AccountNetwork]:
    """The networks of a scope (NotFound for one account that does not exist): what an analysis reads."""
    return list(iter_scope(store, scope))


def iter_scope(store: Reads, scope: ScopeLike = None) -> Iterator[AccountNetwork]:
    """read_scope one network at a time, read a chunk ahead (see scope_chunks)."""
    for chunk in scope_chunks(store, scope):
        yield from chunk


def scope_chunks(store: Reads, scope: ScopeLike = None) -> Iterator[list[AccountNetwork]]:
    """Like read_scope, READ_CHUNK accounts at a time: a portfolio-wide analysis holds one chunk of
    networks in memory, never the whole portfolio."""
    scope = Scope.of(scope)
    return network_chunks(store, scope_accounts(store, scope), scope.masked)


def network_chunks(store: Reads, accounts: Sequence[Account], masked: bool = False) -> Iterator[list[AccountNetwork]]:
    """The accounts' networks READ_CHUNK at a time, the next chunk read while the caller works on this one;
    `masked`: as a viewer sees them (graphmap.privacy)."""

    def read(chunk: Sequence[Account]) -> list[AccountNetwork]:
        with collector_paused():
            for attempt in range(TORN_READ_ATTEMPTS):
                try:
                    networks = _read_chunk(store, chunk)
                    return [masked_network(n) for n in networks] if masked else networks
                except _TornRead:
                    time.sleep(0.05 * (attempt + 1))
        raise GraphUnavailable(
            "the graph was being written while it was read (an interaction without its people); retry / "
            "读取时数据正在写入，请稍后重试"
        )

    return read_ahead(list(in_chunks(accounts)), read)


def in_chunks(items: Sequence[T], size: int = READ_CHUNK) -> Iterator[Sequence[T]]:
    """`size` items at a time (READ_CHUNK: portfolio-wide reads)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_ahead(chunks: Sequence[T], read: Callable[[T], R]) -> Iterator[R]:
    """`read(chunk)` for each chunk in turn, the next chunk read on a second thread while the caller works
    on this one: the engine runs the next queries while Python builds the current answer.

    One chunk ahead; the caller may query the store meanwhile (the embedded engine queues queries, one at a
    time: store/server.py, QUERY_THREADS).
    """
    if len(chunks) < 2:  # one account's report: nothing to overlap, no thread to start
        yield from map(read, chunks)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphmap-read-ahead") as reader:
        pending = reader.submit(read, chunks[0])
        for chunk in chunks[1:]:
            current, pending = pending, reader.submit(read, chunk)
            yield current.result()
        yield pending.result()


# A read that saw an interaction without its people (a write between its statements, or torn by a kill -9
# of the engine) is read again a few times, then answered as the engine being busy (503 over HTTP).
TORN_READ_ATTEMPTS = 5


class _TornRead(Exception):
    pass


def _interaction(row: dict[str, Any]) -> Interaction:
    if not row["person_ids"]:
        raise _TornRead  # the embedded engine's reads may fall between a transaction's statements
    return Interaction(
        **row | {"person_ids": tuple(sorted(row["person_ids"])), "contact_ids": tuple(sorted(row["contact_ids"]))}
    )


def _read_chunk(store: Reads, accounts: Sequence[Account]) -> list[AccountNetwork]:
    ids = [a.id for a in accounts]

    def rows(query_name: Q) -> dict[str, list[dict[str, Any]]]:
        by_account: dict[str, list[dict[str, Any]]] = {account_id: [] for account_id in ids}
        for row in store.read(query_name, account_ids=ids):
            by_account[row["account_id"]].append(_without_nulls(row))
        return by_account

    departments, people = rows(Q.list_departments), rows(Q.list_people)
    coverage_rows, reporting, influences = rows(Q.list_coverage), rows(Q.list_reporting_lines), rows(Q.list_influences)
    interactions, plan_targets, tasks = rows(Q.list_interactions), rows(Q.list_plan_targets), rows(Q.list_tasks)
    comments = rows(Q.list_comments)
    networks = []
    for account in accounts:
        contacts: dict[str, Contact] = {}
        coverage = []
        for row in coverage_rows[account.id]:
            contact = Contact(**_without_nulls(row.pop("contact")))
            contacts[contact.id] = contact
            coverage.append(Coverage(contact_id=contact.id, **_except_account(row)))
        owners: dict[str, Contact] = {}
        targets = []
        for row in plan_targets[account.id]:
            owner = Contact(**_without_nulls(row.pop("contact")))
            owners[owner.id] = owner
            targets.append(PlanTarget(contact_id=owner.id, **_except_account(row)))
        todo = []
        for row in tasks[account.id]:
            if (owner_row := row.pop("owner", None)) is not None:
                owners[owner_row["id"]] = Contact(**_without_nulls(owner_row))
            todo.append(Task(account_id=account.id, **_except_account(row)))
        networks.append(
            AccountNetwork(
                account=Account(**account.model_dump(include=set(Account.model_fields))),
                departments=tuple(Department(**row) for row in departments[account.id]),
                people=tuple(Person(**row) for row in people[account.id]),
                contacts=tuple(contacts[contact_id] for contact_id in sorted(contacts)),
                coverage=tuple(coverage),
                reporting_lines=tuple(ReportingLine(**_except_account(row)) for row in reporting[account.id]),
                influences=tuple(Influence(**_except_account(row)) for row in influences[account.id]),
                interactions=tuple(_interaction(row) for row in interactions[account.id]),
                plan_targets=tuple(targets),
                tasks=tuple(todo),
                comments=tuple(Comment(**row) for row in comments[account.id]),
                owners=tuple(owners[contact_id] for contact_id in sorted(owners)),
            )
        )
    return networks


def read_cards(store: Reads, account_ids: list[str]) -> Iterator[Card]:
    """The process cards of these accounts (they are not part of an AccountNetwork: only grantees see them)."""
    for chunk in in_chunks(account_ids):
        for row in store.read(Q.list_cards, account_ids=chunk):
            yield Card(**{k: v for k, v in row["properties"].items() if v is not None})


def _except_account(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "account_id"}


def _without_nulls(row: dict[str, Any]) -> dict[str, Any]:
    """Absent properties come back as null; let the models apply their defaults instead."""
    return {k: v for k, v in row.items() if v is not None}


def count_graph(store: Reads) -> dict[str, int]:
    """Nodes per label and relationships per type, e.g. {"Person": 150, "COVERS": 80}."""
    counts: dict[str, int] = {}
    for row in store.read(Q.count_nodes):
        key = ":".join(sorted(row["labels"]))
        counts[key] = counts.get(key, 0) + row["nodes"]
    for row in store.read(Q.count_relationships):
        counts[row["type"]] = row["relationships"]
    return dict(sorted(counts.items()))
