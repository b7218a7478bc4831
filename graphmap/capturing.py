"""Interactions captured from calendars and mailboxes (graphmap capture, POST /captures; docs/capture.md).

Each meeting occurrence or day of a mail thread (graphmap.io.captures) becomes one interaction per account
when at least one of our contacts and at least one stakeholder of that account took part:
- participants are matched by the keyed hash of their address (`address_key`: HMAC-SHA256 with the
  deployment's secret, so the graph holds no address and none can be read back), then: at one of our mail
  domains, one of our contacts of that name; elsewhere, a stakeholder of that name in an account whose
  people write from that domain. Private mailboxes (qq.com, gmail.com, ...) match by their hash only;
- left out, each by a setting with a documented default: cancelled meetings and declined invitations (the
  person who declined), meetings of more than `capture_max_participants`, internal-only items, newsletters
  and automatic replies, and addresses a planner chose to ignore;
- an interaction's id comes from the item's identity (UID and start; thread and day) and its account, so
  the same meeting in several calendars, or the same message in several mailboxes, is one interaction,
  and capturing a file again changes nothing;
- participants who matched nobody, in items with one of ours, go to the review queue (their domain, the
  name they wrote and how often they appear) for a planner to give the address to someone, or ignore it.
Every file is read and checked before anything is written; the interactions then go in whole batches.
"""

import hashlib
import multiprocessing
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, Field

from graphmap.addresses import address_key, capture_secret, checked_address
from graphmap.audit import audit_entry, audit_writes
from graphmap.changelog import Change, ChangeKind, change_rows
from graphmap.config import Settings
from graphmap.errors import Invalid, NotFound
from graphmap.graph import in_chunks, write_portfolio
from graphmap.io.captures import CapturedItem, Limits, Participant, read_captures
from graphmap.model import Channel, Interaction, Portfolio
from graphmap.queries import Q
from graphmap.store import GraphStore, HeldWrite, Reads

BATCH = 5000  # interactions per atomic write
PARALLEL_FROM_BYTES = 2_000_000  # smaller captures read faster than processes start
PLAUSIBLE_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}\.)+[a-z0-9-]{1,63}")
CHANNELS = {"meeting": Channel.meeting, "call": Channel.phone, "email": Channel.email}


class Exclusion(BaseModel):
    cancelled: int = Field(default=0, description="cancelled meetings and occurrences")
    automatic: int = Field(default=0, description="newsletters and automatic replies")
    too_large: int = Field(default=0, description="meetings with more participants than the setting")
    internal: int = Field(default=0, description="none of ours, or nobody of theirs that we know")


class UnmatchedAddress(BaseModel):
    id: str = Field(description="the keyed hash of the address (never the address)")
    domain: str
    name: str | None
    seen: int = Field(description="items it appeared in, with one of ours")
    first_on: date | None
    last_on: date | None
    ignored: bool


class CaptureReport(BaseModel):
    files: int
    items: int = Field(description="meeting occurrences and mail thread-days read")
    interactions: int = Field(description="interactions the items make (one per account)")
    new: int = Field(description="of them, not in the graph before")
    excluded: Exclusion
    unmatched: int = Field(description="addresses that matched nobody, now in the review queue")
    by_account: dict[str, int] = Field(description="new interactions per account")


@dataclass
class _Directory:
    """Who can be matched, read once per capture."""

    secret: bytes
    settings: Settings
    people_by_key: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (person, account)
    contacts_by_key: dict[str, str] = field(default_factory=dict)
    contacts_by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    people_by_domain_name: dict[tuple[str, str], list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    ignored: set[str] = field(default_factory=set)
    matched: dict[tuple[str, str | None], tuple[str, str | None, str | None]] = field(default_factory=dict)

    @classmethod
    def read(cls, store: Reads, secret: bytes, settings: Settings) -> "_Directory":
        found = cls(secret, settings)
        for row in store.read(Q.list_capture_people):
            if row["email_key"]:
                found.people_by_key[row["email_key"]] = (row["id"], row["account_id"])
            if row["domain"]:
                found.people_by_domain_name[(row["domain"].lower(), row["name"])].append((row["id"], row["account_id"]))
        for row in store.read(Q.list_capture_contacts):
            if row["email_key"]:
                found.contacts_by_key[row["email_key"]] = row["id"]
            found.contacts_by_name[row["name"]].append(row["id"])
        found.ignored = {row["id"] for row in store.read(Q.list_unmatched) if row["ignored"]}
        return found

    def match(self, who: Participant) -> tuple[str, str | None, str | None]:
        """("contact", id, None), ("person", id, account), ("unmatched", key, None) or ("skip", None, None);
        kept per address and name: a year of calendars names the same few hundred people again and again."""
        known = self.matched.get((who.address, who.name))
        if known is None:
            known = self.matched[(who.address, who.name)] = self._match(who)
        return known

    def _match(self, who: Participant) -> tuple[str, str | None, str | None]:
        key = address_key(who.address, self.secret)
        if key in self.ignored:
            return "skip", None, None
        if key in self.contacts_by_key:
            return "contact", self.contacts_by_key[key], None
        if key in self.people_by_key:
            person, account = self.people_by_key[key]
            return "person", person, account
        domain = who.domain
        if domain in self.settings.our_domains:
            named = self.contacts_by_name.get(who.name or "", [])
            return ("contact", named[0], None) if len(named) == 1 else ("unmatched", key, None)
        if domain in self.settings.personal_domains:
            return "skip", None, None  # a private mailbox: matched by its own hash only, never guessed
        named_people = self.people_by_domain_name.get((domain, who.name or ""), [])
        if len(named_people) == 1:
            return "person", *named_people[0]
        return "unmatched", key, None


@dataclass
class _Matched:
    interactions: dict[str, Interaction] = field(default_factory=dict)
    excluded: Counter[str] = field(default_factory=Counter)
    unmatched: dict[str, dict[str, object]] = field(default_factory=dict)


def capture(
    paths: Sequence[Path],
    store: GraphStore,
    settings: Settings,
    actor: str,
    as_of: date | None = None,
    accounts: set[str] | None = None,
    parallel: bool = False,
) -> CaptureReport:
    """Reads every file (nothing is written if one cannot be read), then writes the interactions they
    make, the review queue and one change-log entry per account that got new interactions. `accounts`:
    the only accounts a caller may add to (an editor's grants); others' interactions are left out.
    `parallel`: read the files in a process per core (the command line; parsing is most of the time)."""
    secret = capture_secret(settings)
    today = as_of or date.today()
    window = (today - timedelta(days=settings.capture_window_days), today)
    limits = Limits(settings.capture_file_limit, settings.capture_items_limit)
    items = _read_all(paths, limits, window, parallel)
    matched = _match(items, _Directory.read(store, secret, settings), settings, accounts)
    interactions = sorted(matched.interactions.values(), key=lambda i: i.id)
    known = {row["id"] for chunk in in_chunks([i.id for i in interactions], 2000) for row in
             store.read(Q.find_existing_interactions, ids=chunk)}  # fmt: skip
    new = [i for i in interactions if i.id not in known]
    for batch in in_chunks(interactions, BATCH):
        with store.atomic():
            write_portfolio(store, Portfolio.model_construct(interactions=tuple(batch)))
    by_account = Counter(i.account_id for i in new)
    with store.atomic():
        if matched.unmatched:
            store.write(Q.merge_unmatched, rows=list(matched.unmatched.values()))
        entries = list(_entries(by_account, actor, date.today()))  # the day of the capture, as an import's
        if entries:
            store.write(Q.merge_changes, rows=list(change_rows(entries)))
    return CaptureReport(
        files=len(paths),
        items=len(items),
        interactions=len(interactions),
        new=len(new),
        excluded=Exclusion(**matched.excluded),
        unmatched=len(matched.unmatched),
        by_account=dict(sorted(by_account.items())),
    )


def _read_all(paths: Sequence[Path], limits: Limits, window: tuple[date, date], parallel: bool) -> list[CapturedItem]:
    """Every file's items, in the order given. In parallel, each file is parsed in a process of its own
    ("spawn": a fresh interpreter, never a fork of a process with threads); a file's error stops them all."""
    workers = min(os.cpu_count() or 1, len(paths))
    if not parallel or workers < 2 or sum(p.stat().st_size for p in paths if p.is_file()) < PARALLEL_FROM_BYTES:
        return [item for path in paths for item in read_captures(path, limits, window)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        found = pool.map(read_captures, paths, [limits] * len(paths), [window] * len(paths))
        return [item for items in found for item in items]


def _match(
    items: Iterable[CapturedItem], directory: _Directory, settings: Settings, accounts: set[str] | None
) -> _Matched:
    found = _Matched()
    for item in items:
        if item.cancelled or item.automatic:
            found.excluded["cancelled" if item.cancelled else "automatic"] += 1
            continue
        present = [p for p in item.participants if not p.declined]
        if len(present) > settings.capture_max_participants:
            found.excluded["too_large"] += 1
            continue
        ours: set[str] = set()
        theirs: dict[str, set[str]] = defaultdict(set)
        strangers: list[tuple[str, Participant]] = []
        for who in present:
            kind, ident, account = directory.match(who)
            if kind == "contact" and ident:
                ours.add(ident)
            elif kind == "person" and ident and account and (accounts is None or account in accounts):
                theirs[account].add(ident)
            elif kind == "unmatched" and ident:
                strangers.append((ident, who))
        if ours:  # items without one of ours say nothing about our relationships: nobody to queue
            for key, who in strangers:
                _queue(found.unmatched, key, who, item)
        if not ours or not theirs:
            found.excluded["internal"] += 1
            continue
        for account, people in theirs.items():
            ident = "cap-" + hashlib.sha256(f"{item.key}|{account}".encode()).hexdigest()[:20]
            if ident in found.interactions:  # the same meeting in another calendar: everyone who was there
                seen = found.interactions[ident]
                people, ours = people | set(seen.person_ids), ours | set(seen.contact_ids)
            # Built unchecked: every value comes from the reader (a day, a bounded subject) or the graph (ids).
            found.interactions[ident] = Interaction.model_construct(
                id=ident, account_id=account, on=item.on, channel=CHANNELS[item.kind], summary=item.subject,
                person_ids=tuple(sorted(people)), contact_ids=tuple(sorted(ours)),
            )  # fmt: skip
    return found


def _queue(queue: dict[str, dict[str, object]], key: str, who: Participant, item: CapturedItem) -> None:
    if not PLAUSIBLE_DOMAIN.fullmatch(who.domain):
        return  # not an address anyone can be given (a hostile or broken header): nothing to queue
    on = item.on.isoformat()
    entry = queue.setdefault(key, {"id": key, "domain": who.domain, "name": who.name, "first": on, "last": on,
                                   "items": []})  # fmt: skip
    seen: list[str] = entry["items"]  # type: ignore[assignment]
    token = hashlib.sha256(item.key.encode()).hexdigest()[:12]
    if token not in seen and len(seen) < 1000:
        seen.append(token)
    entry["first"], entry["last"] = min(str(entry["first"]), on), max(str(entry["last"]), on)


def _entries(by_account: Counter[str], actor: str, today: date) -> Iterable[Change]:
    now = datetime.now(UTC).replace(microsecond=0)
    for account_id, count in sorted(by_account.items()):
        ident = hashlib.sha256(f"capture|{account_id}|{now.isoformat()}|{actor}".encode()).hexdigest()[:16]
        yield Change(id=f"ch-{ident}", account_id=account_id, on=today, recorded_at=now,
                     kind=ChangeKind.interactions_captured, subject_id=account_id, subject_name=account_id,
                     after=str(count), source="capture", actor=actor)  # fmt: skip


def give_address(store: GraphStore, settings: Settings, address: str, person_id: str | None = None,
                 contact_id: str | None = None, actor: str = "cli", source: str = "api") -> str:  # fmt: skip
    """Gives a stakeholder (or one of our contacts) an address for matching: its keyed hash and domain are
    stored, the address is not; whoever held it before loses it, and it leaves the review queue."""
    if (person_id is None) == (contact_id is None):
        raise Invalid("give a stakeholder or one of our contacts, not both / 请指定关键人或我方对接人之一")
    normal, domain = checked_address(address)
    key = address_key(normal, capture_secret(settings))
    query, ident = (Q.set_person_address, person_id) if person_id else (Q.set_contact_address, contact_id)

    def decide(reads: Reads) -> tuple[list[HeldWrite], str]:
        # Checked in the same atomic step as the writes: a person deleted meanwhile keeps nobody's address.
        exists = reads.read(Q.get_person, person_id=ident) if person_id else reads.read(Q.find_contacts, ids=[ident])
        if not exists:
            raise NotFound(f"no {'stakeholder' if person_id else 'contact of ours'} {ident!r}")
        entry = audit_entry(actor, ChangeKind.record_updated, "person" if person_id else "contact", str(ident),
                            str(ident), exists[0].get("account_id"), source=source)  # fmt: skip
        writes: list[HeldWrite] = [(Q.clear_person_address_key, {"key": key}),
                                   (Q.clear_contact_address_key, {"key": key}),
                                   (query, {"id": ident, "key": key, "domain": domain}),
                                   (Q.delete_unmatched, {"id": key}), *audit_writes([entry])]  # fmt: skip
        return writes, key

    return store.guarded(decide)


def ignore_address(store: GraphStore, settings: Settings, address: str) -> str:
    """Capture passes over this address from now on (a supplier, a newsletter)."""
    normal, domain = checked_address(address)
    key = address_key(normal, capture_secret(settings))
    store.write(Q.ignore_unmatched, id=key, domain=domain)
    return key


def review_queue(store: Reads, include_ignored: bool = False) -> list[UnmatchedAddress]:
    return [UnmatchedAddress(**row) for row in store.read(Q.list_unmatched) if include_ignored or not row["ignored"]]
