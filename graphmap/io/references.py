"""What the rows of the customer tables may refer to, and what they turn into.

Each flat table (the archive's accounts, contacts and contact log, the segmentation table, the process
cards) is a Kind: a template and a function from one checked row to a Piece of the graph, or to the
problems that keep it out. Rows refer to accounts, people, our contacts and cards by id or by name;
Known answers from the store and from the tables read before in the same import, so a contacts table may
name an account its archive file only adds.
"""

import marshal
import sqlite3
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graphmap.errors import Problem
from graphmap.graph import account_names_and_days, card_accounts, departments_and_people, list_contact_ids
from graphmap.io.tables import Line
from graphmap.io.templates import RowReader, Template
from graphmap.model import (
    Account,
    Card,
    Contact,
    Department,
    Interaction,
    Person,
    RoleGrant,
    ancestry,
    fold,
    titled,
)
from graphmap.store import GraphStore, Row

STORED_CHUNK = 250  # accounts a read of the spill asks for (SQLite takes at most 999 parameters)
PEOPLE_CACHE = 500  # accounts whose people are kept at hand while a contacts table or log is checked
# Lines whose accounts are read together: a row names one account, so all of them stay at hand until used.
READ_AHEAD_LINES = PEOPLE_CACHE // 2


@dataclass
class Piece:
    """What one row adds to the graph."""

    accounts: list[Account] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    role_grants: list[RoleGrant] = field(default_factory=list)


Build = Callable[[dict[str, Any], Line, RowReader, "Known"], Piece | list[Problem]]


@dataclass(frozen=True)
class Kind:
    template: Template
    order: int  # tables are checked and written in this order: accounts before what refers to them
    build: Build
    names_people: bool = False  # rows name an account's people: read its stored people ahead


class PeopleIndex:
    """One account's people by how rows name them: 采购总监*某 (title and name), the name alone when it
    is unique, or 采购部/采购总监*某 and 总部/采购部/采购总监*某 (with the department or its path) when
    even that repeats."""

    def __init__(self) -> None:
        # A spelling names one person nearly always: kept as the id itself, a tuple only when it repeats
        # (a set per spelling made an import of 300,000 contacts hold 500 MB).
        self.by_spelling: dict[str, str | tuple[str, ...]] = {}
        # People are indexed when a row first looks one up: a contacts table adds an account's people and
        # never asks, and a log's account has its stored people added again as this import gives them.
        self._waiting: dict[tuple[str, str, str | None, tuple[str, ...]], None] = {}

    def add(self, person_id: str, name: str, title: str | None, path: Sequence[str]) -> None:
        self._waiting[(person_id, name, title, tuple(path))] = None

    def _index(self, person_id: str, name: str, title: str | None, path: Sequence[str]) -> None:
        plain = titled(title, name)
        spellings = {plain, name, f"{path[-1]}/{plain}", "/".join([*path, plain])} if path else {plain, name}
        if title:  # 采购经理 alone, as a contact log or a card's decision chain may name them
            spellings |= {title, f"{path[-1]}/{title}"} if path else {title}
        for spelling in spellings:
            key = fold(spelling)
            found = self.by_spelling.get(key)
            if found is None:
                self.by_spelling[key] = person_id
            elif isinstance(found, str):
                if found != person_id:
                    self.by_spelling[key] = (found, person_id)
            elif person_id not in found:
                self.by_spelling[key] = (*found, person_id)

    def find(self, text: str) -> set[str]:
        if self._waiting:
            for person in self._waiting:
                self._index(*person)
            self._waiting.clear()
        found = self.by_spelling.get(fold(text))
        if found is None:
            return set()
        return {found} if isinstance(found, str) else set(found)


def department_paths(departments: Iterable[Any]) -> dict[str, list[str]]:
    """Each department's path of names, top first (总部, 华东分公司, 采购部), from rows or models with
    id, name and parent_id."""
    by_id = {_get(d, "id"): d for d in departments}
    parents = {department_id: _get(d, "parent_id") for department_id, d in by_id.items()}
    return {
        department_id: [_get(by_id[above], "name") for above in reversed(ancestry(department_id, parents))]
        for department_id in by_id
    }


def _get(item: Any, key: str) -> Any:
    return item[key] if isinstance(item, dict) else getattr(item, key)


class _Spill:
    """What an import must remember of every record it adds (where each was first given, the people of
    each account) and of the accounts it read from the store: a temporary SQLite file, with the latest
    additions held in memory and written in bulk, so that memory does not grow with the file."""

    FLUSH_EVERY = 20_000

    def __init__(self) -> None:
        # "": a temporary database on disk, removed when closed.
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE seen (key TEXT PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE people (account TEXT, id TEXT, name TEXT, title TEXT, path TEXT);"
            "CREATE INDEX people_account ON people (account);"
            # One row per account, its rows marshalled (scalars only): a row per person cost more to index
            # than reading them back saved.
            "CREATE TABLE stored (account TEXT PRIMARY KEY, departments BLOB, people BLOB) WITHOUT ROWID;"
        )
        self.stored_accounts: set[str] = set()  # whose stored departments and people the file holds
        self._seen: dict[str, str] = {}
        # A bit per hash of every key written to the file: a key whose bit is clear was never given, and
        # most are not, so the file is asked only when it may hold the key (1 MB, whatever the import).
        self._spilled = bytearray(self.SPILLED_BITS // 8)
        self._people: list[tuple[str, str, str, str | None, str]] = []
        self._pending_accounts: set[str] = set()

    SPILLED_BITS = 1 << 23

    def first(self, key: str, where: str) -> str | None:
        earlier = self._seen.get(key)
        if earlier is None:
            bit = hash(key) % self.SPILLED_BITS
            if self._spilled[bit >> 3] & (1 << (bit & 7)):
                row = self._db.execute("SELECT at FROM seen WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    return str(row[0])
            self._seen[key] = where
            if len(self._seen) >= self.FLUSH_EVERY:
                self._flush_seen()
        return earlier

    def _flush_seen(self) -> None:
        self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", self._seen.items())
        for key in self._seen:
            bit = hash(key) % self.SPILLED_BITS
            self._spilled[bit >> 3] |= 1 << (bit & 7)
        self._seen.clear()

    def add_person(self, account_id: str, person_id: str, name: str, title: str | None, path: Sequence[str]) -> None:
        self._people.append((account_id, person_id, name, title, "\x1f".join(path)))
        self._pending_accounts.add(account_id)
        if len(self._people) >= self.FLUSH_EVERY:
            self._flush_people()

    def people(self, account_id: str) -> PeopleIndex:
        """The people this import adds to the account, as an index."""
        if account_id in self._pending_accounts:
            self._flush_people()
        index = PeopleIndex()
        rows = self._db.execute("SELECT id, name, title, path FROM people WHERE account = ?", (account_id,))
        for person_id, name, title, path in rows:
            index.add(person_id, name, title, path.split("\x1f") if path else [])
        return index

    def keep_stored(self, departments: dict[str, list[Row]], people: dict[str, list[Row]], accounts: list[str]) -> None:
        """These accounts' stored departments and people (rows of list_departments and
        list_person_identities, by account), to be read back by `stored` instead of from the store."""
        self._db.executemany(
            "INSERT OR REPLACE INTO stored VALUES (?, ?, ?)",
            ((a, marshal.dumps(departments.get(a, [])), marshal.dumps(people.get(a, []))) for a in accounts),
        )
        self.stored_accounts.update(accounts)

    def stored(self, accounts: Sequence[str]) -> tuple[defaultdict[str, list[Row]], defaultdict[str, list[Row]]]:
        """The stored departments and people of these accounts (kept by keep_stored), by account."""
        departments: defaultdict[str, list[Row]] = defaultdict(list)
        people: defaultdict[str, list[Row]] = defaultdict(list)
        for start in range(0, len(accounts), STORED_CHUNK):
            chunk = accounts[start : start + STORED_CHUNK]
            query = f"SELECT account, departments, people FROM stored WHERE account IN ({', '.join('?' * len(chunk))})"
            for account, kept_departments, kept_people in self._db.execute(query, chunk):
                departments[account], people[account] = marshal.loads(kept_departments), marshal.loads(kept_people)
        return departments, people

    def _flush_people(self) -> None:
        self._db.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?)", self._people)
        self._people.clear()
        self._pending_accounts.clear()

    def close(self) -> None:
        self._db.close()


class Known:
    """The ids rows may refer to: read from the store once, then grown by each table the import checks."""

    def __init__(self, store: GraphStore | None) -> None:
        self.store = store
        stored = account_names_and_days(store) if store else []
        self.accounts: dict[str, str] = {id: name for id, name, _ in stored}  # id -> name
        self.account_by_name: dict[str, str] = {fold(name): id for id, name in self.accounts.items()}
        self.updated_on: dict[str, date] = {id: day for id, _, day in stored if day}
        self.contacts: set[str] = list_contact_ids(store) if store else set()
        self.cards: dict[str, str] = card_accounts(store) if store else {}  # id -> account id
        self.new_accounts: set[str] = set()  # added by this import: their people are not "joined" changes
        self._spill = _Spill()  # where each record was given first, the people this import adds
        self._at_hand: OrderedDict[str, _AccountAtHand] = OrderedDict()  # recently used accounts

    def add_account(self, account: Account) -> None:
        if account.id not in self.accounts:
            self.new_accounts.add(account.id)
        self.accounts[account.id] = account.name
        self.account_by_name[fold(account.name)] = account.id
        if account.updated_on is not None:
            self.updated_on[account.id] = account.updated_on

    def account_id(self, record: dict[str, Any]) -> str | None:
        """The account a row names by id (客户编号) or, without one, by name."""
        if record.get("account_id"):
            return record["account_id"] if record["account_id"] in self.accounts else None
        return self.account_by_name.get(fold(record.get("account_name") or ""))

    def add_person(self, person: Person, path: Sequence[str]) -> None:
        """A person this import adds, in the department at `path` (top first)."""
        self._spill.add_person(person.account_id, person.id, person.name, person.title, path)
        cached = self._at_hand.get(person.account_id)
        if cached is not None:
            cached.people.add(person.id, person.name, person.title, path)

    def people(self, account_id: str, text: str) -> set[str]:
        """The people of an account a participant's text may mean (empty: nobody; two or more: ambiguous)."""
        return self._account(account_id).people.find(text)

    def stored_department(self, account_id: str, path: Sequence[str]) -> str | None:
        """The id of the department the store holds at this path (names top first), if any: one made
        elsewhere (the API, the sample) has an id of its own, not the one a table derives from the path."""
        return self._account(account_id).department_ids.get(tuple(path))

    def stored_people(self, account_id: str, department_id: str, title: str | None, name: str) -> list[str]:
        """The ids of the stored people who are this department + title + name (a table's identity)."""
        return self._account(account_id).person_ids.get((department_id, title or "", name), [])

    def read_ahead(self, account_ids: Iterable[str | None]) -> None:
        """Puts these accounts at hand, reading the stored ones READ_CHUNK at a time, each from the store
        once in an import: the rows about to be checked name them. One read per account (two queries) made
        a re-import of a 100,000-row archive spend most of its check pass waiting on 25,000 reads."""
        named = [a for a in dict.fromkeys(account_ids) if a is not None][:READ_AHEAD_LINES]
        for account_id in named:  # those at hand already are used next: not pushed out by the ones read now
            if account_id in self._at_hand:
                self._at_hand.move_to_end(account_id)
        wanted = [a for a in named if a not in self._at_hand]
        departments: defaultdict[str, list[Row]] = defaultdict(list)
        people: defaultdict[str, list[Row]] = defaultdict(list)
        if self.store is not None:
            # An account read once (by the contacts table, say) is read again from the spill, not the store:
            # a re-import's contact log names the same accounts, and the engine's answers were half its check.
            stored = [a for a in wanted if a not in self.new_accounts]
            departments, people = self._spill.stored([a for a in stored if a in self._spill.stored_accounts])
            fresh = [a for a in stored if a not in self._spill.stored_accounts]
            read = departments_and_people(self.store, fresh)
            self._spill.keep_stored(*read, fresh)
            departments.update(read[0])
            people.update(read[1])
        for account_id in wanted:
            self._at_hand[account_id] = self._at_hand_from(account_id, departments[account_id], people[account_id])
            if len(self._at_hand) > PEOPLE_CACHE:
                self._at_hand.popitem(last=False)

    def _account(self, account_id: str) -> "_AccountAtHand":
        """The account's people (stored and added by this import) and stored departments; the last
        PEOPLE_CACHE accounts are kept at hand (a table names one account's people row after row)."""
        if account_id in self._at_hand:
            self._at_hand.move_to_end(account_id)
        else:
            self.read_ahead([account_id])  # a row read ahead of has not named it: this account alone
        return self._at_hand[account_id]

    def _at_hand_from(self, account_id: str, departments: list[Row], people: list[Row]) -> "_AccountAtHand":
        """The account's stored departments and people (rows of list_departments and
        list_person_identities) with the people this import adds to it."""
        at_hand = _AccountAtHand(self._spill.people(account_id))
        paths = department_paths(departments)
        at_hand.department_ids = {tuple(path): department_id for department_id, path in paths.items()}
        for row in people:
            at_hand.people.add(row["id"], row["name"], row["title"], paths.get(row["department_id"], []))
            identity = (row["department_id"], row["title"] or "", row["name"])
            at_hand.person_ids.setdefault(identity, []).append(row["id"])
        return at_hand

    def first(self, kind: str, key: str, where: str) -> str | None:
        """Where this import gave this record first (file:line), if it did before; else notes `where`."""
        return self._spill.first(f"{kind}\x1f{key}", where)

    def close(self) -> None:
        self._spill.close()


@dataclass
class _AccountAtHand:
    """What a table's rows about one account are resolved against."""

    people: PeopleIndex  # stored and added by this import, by how rows name them
    department_ids: dict[tuple[str, ...], str] = field(default_factory=dict)  # stored, by path
    person_ids: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)  # stored, by identity
