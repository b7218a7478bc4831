"""Gap analysis (缺口识别): decision-makers nobody on our side really covers, and weak links.

Rules (defaults in GapThresholds, documented in docs/gaps.md):
- a COVERS link is weak when its status is one of `weak_statuses` (initial, competitor, none), or its
  strength (the recorded one, else the one computed from the interactions: strength.link_strength) is
  known and below `min_strength`, or the last interaction between the two (on or before `as_of`) is more
  than `cadence_days` ago, or there is none;
- a stakeholder is uncovered when they have no link that is not weak. Decision-makers come first.
People who left are not gaps.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer

from graphmap.analysis.strength import (
    DEFAULT_STRENGTH,
    LinkStrength,
    StrengthSource,
    Touchpoint,
    link_strength,
    rounded,
    score_link,
    touchpoints_by_link,
)
from graphmap.collector import collector_paused
from graphmap.graph import AccountNetwork, Scope, ScopeLike, in_chunks, list_account_names, read_ahead, scope_accounts
from graphmap.io.references import department_paths
from graphmap.model import Account, Band, Channel, CoverageBasis, PersonStatus, RelationshipStatus, Role, Vocabulary
from graphmap.privacy import mask_name
from graphmap.queries import Q
from graphmap.store import GraphStore, Row


class WeakReason(Vocabulary):
    weak_status = "weak_status", "关系状态薄弱", "weak relationship status"
    low_strength = "low_strength", "关系强度低", "low strength"
    stale = "stale", "超过跟进周期未互动", "no interaction within the cadence"
    never_contacted = "never_contacted", "无互动记录", "no interaction on record"


class UncoveredReason(Vocabulary):
    no_contact = "no_contact", "无我方对接人", "nobody on our side"
    weak_only = "weak_only", "仅有薄弱关系", "only weak links"


class GapThresholds(BaseModel):
    model_config = ConfigDict(frozen=True)

    weak_statuses: frozenset[RelationshipStatus] = Field(
        default=frozenset({RelationshipStatus.initial, RelationshipStatus.competitor, RelationshipStatus.none}),
        description="relationship statuses that make a link weak whatever else is true",
    )
    min_strength: int = Field(
        default=DEFAULT_STRENGTH.fair_from,
        ge=0,
        le=100,
        # strength's own weak band by default: gaps and strength call the same links weak
        description="a strength (recorded, else computed) below this is low",
    )
    cadence_days: int = Field(default=90, ge=1, description="longest gap between interactions before a link is stale")

    @field_serializer("weak_statuses")
    def _in_vocabulary_order(self, statuses: frozenset[RelationshipStatus]) -> list[RelationshipStatus]:
        # A set's order follows the string hash, which changes from process to process.
        return [status for status in RelationshipStatus if status in statuses]


class Stakeholder(BaseModel):
    """Who a gap is about, with enough context to act on it."""

    account_id: str
    account_name: str
    person_id: str
    name: str
    title: str | None
    department: str
    department_path: str = Field(
        default="", description="the department and those above it, top first: 总部/华东分公司/信息部"
    )
    roles: list[Role]


class UncoveredStakeholder(Stakeholder):
    links: int = Field(description="our links to this person, all of them weak")
    reason: UncoveredReason


class WeakLink(Stakeholder):
    contact_id: str
    contact_name: str
    contact_title: str | None
    status: RelationshipStatus
    basis: CoverageBasis = Field(
        default=CoverageBasis.recorded, description="recorded by a person, or made from interactions on record"
    )
    strength: int | None = Field(
        default=None, description="recorded, else computed from interactions (strength_source)"
    )
    strength_source: StrengthSource | None = None
    last_contact_on: date | None
    days_since_contact: int | None
    reasons: list[WeakReason]


class PlanState(Vocabulary):
    met = "met", "已达成", "met"
    open = "open", "推进中", "open"
    overdue = "overdue", "已逾期", "overdue"
    left = "left", "对方已离职", "stakeholder left"


class PlanProgress(Stakeholder):
    """One target of an account's plan and where the relationship stands now."""

    contact_id: str = Field(description="the owner on our side")
    contact_name: str
    contact_title: str | None
    status: RelationshipStatus = Field(description="the status the plan wants")
    band: Band | None = Field(description="the strength band the plan wants, if any")
    due: date | None
    note: str | None
    status_now: RelationshipStatus | None = Field(description="the owner's link now; None: no link yet")
    strength_now: int | None = Field(description="the link's strength now (recorded, else computed)")
    band_now: Band | None
    state: PlanState
    days_left: int | None = Field(description="days until `due` (negative when past); None without a day")


class AccountStanding(BaseModel):
    """Where an account stands, for the line a sales lead reads first (graphmap.analysis.review)."""

    account_id: str
    account_name: str
    risk: int = Field(description="1 is the most exposed account of the report")
    score: int | None = Field(description="weighted coverage 0-100 (coverage.py); None without stakeholders")
    score_before: int | None = Field(description="the same score `trend_days` before as_of")
    people: int = Field(description="active stakeholders")
    uncovered_decision_makers: int
    uncovered_stakeholders: int
    weak_links: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def trend(self) -> int | None:
        """The score's change since `score_before`: negative when coverage got worse."""
        return None if self.score is None or self.score_before is None else self.score - self.score_before


class GapReport(BaseModel):
    as_of: date
    thresholds: GapThresholds
    accounts: list[AccountStanding] = Field(
        default=[], description="one line per account, most exposed first (the registry's gaps fills it)"
    )
    trend_days: int = Field(default=7, description="score_before is this many days before as_of")
    uncovered_decision_makers: list[UncoveredStakeholder]
    uncovered_stakeholders: list[UncoveredStakeholder] = Field(
        description="everyone else without a strong link: influencers, users, purchasers, ..."
    )
    weak_links: list[WeakLink]
    plan: list[PlanProgress] = Field(
        default=[], description="the account plans' targets not met, overdue first (graphmap.analysis.plans)"
    )

    @property
    def uncovered(self) -> list[UncoveredStakeholder]:
        """Every uncovered stakeholder, decision-makers first."""
        return self.uncovered_decision_makers + self.uncovered_stakeholders

    def per_account(self, account_ids: Iterable[str]) -> dict[str, "GapReport"]:
        """This report cut into one report per account (an empty one for an account without gaps), in one
        pass: analyses that go through a chunk of 200 accounts otherwise looked for each account's gaps in
        the whole chunk's report, 200 scans of it."""
        parts: dict[
            str, tuple[list[UncoveredStakeholder], list[UncoveredStakeholder], list[WeakLink], list[PlanProgress]]
        ]
        parts = {account_id: ([], [], [], []) for account_id in account_ids}
        for u in self.uncovered_decision_makers:
            parts[u.account_id][0].append(u)
        for u in self.uncovered_stakeholders:
            parts[u.account_id][1].append(u)
        for w in self.weak_links:
            parts[w.account_id][2].append(w)
        for p in self.plan:
            parts[p.account_id][3].append(p)
        return {
            account_id: GapReport(
                as_of=self.as_of,
                thresholds=self.thresholds,
                uncovered_decision_makers=decision_makers,
                uncovered_stakeholders=others,
                weak_links=weak_links,
                plan=plan,
            )
            for account_id, (decision_makers, others, weak_links, plan) in parts.items()
        }


G = TypeVar("G", bound=Stakeholder)
ROLE_PRIORITY = (Role.decision_maker, Role.influencer, Role.champion, Role.purchaser, Role.blocker, Role.user)


def most_important_first(gaps: Iterable[G]) -> list[G]:
    """Gaps in the order to act on them when only the first few are read: by the person's most important
    role (decision-makers, influencers, champions, purchasers, blockers, users), then the weakest link."""

    def key(gap: G) -> tuple[int, int]:
        rank = min((ROLE_PRIORITY.index(r) for r in gap.roles if r in ROLE_PRIORITY), default=len(ROLE_PRIORITY))
        strength = getattr(gap, "strength", None)
        return rank, -1 if strength is None else strength

    return sorted(gaps, key=key)


def find_gaps(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    thresholds: GapThresholds | None = None,
) -> GapReport:
    scope = Scope.of(scope)
    # NotFound for an unknown account: a typo must show, not an empty report.
    accounts = list_account_names(store) if scope.account_ids is None else scope_accounts(store, scope)
    return gaps_of(store, accounts, as_of, thresholds, scope.masked)


@collector_paused()
def gaps_of(
    store: GraphStore,
    accounts: Sequence[Account],
    as_of: date | None = None,
    thresholds: GapThresholds | None = None,
    masked: bool = False,
) -> GapReport:
    """The gaps of these accounts: what analyses that go through the portfolio chunk by chunk ask for;
    `masked`: stakeholders' names as a viewer sees them (graphmap.privacy)."""
    as_of = as_of or date.today()
    thresholds = thresholds or GapThresholds()
    account_names = {a.id: a.name for a in accounts}
    uncovered: list[UncoveredStakeholder] = []
    weak_links: list[WeakLink] = []
    # READ_CHUNK accounts per read: one query over a whole portfolio of 10,000 accounts ran Neo4j out of
    # its 1 GB heap. People come ordered by account first, so chunks of sorted ids keep the report's order.
    chunks = list(in_chunks(sorted(account_names)))
    for rows in read_ahead(chunks, lambda chunk: _gap_rows(store, chunk, as_of)):
        _judge(rows, account_names, as_of, thresholds, masked, uncovered, weak_links)
    return _report(as_of, thresholds, uncovered, weak_links)


def network_gaps(
    network: AccountNetwork,
    as_of: date,
    thresholds: GapThresholds | None = None,
    strengths: Sequence[LinkStrength] | None = None,
) -> GapReport:
    """The same rules on one account's network already in memory (its names as read): what the map's
    what-if and its edits recompute without a round trip. A test holds it equal to gaps_of.
    `strengths`: network_strengths(network, as_of), when the caller has them (the links are not scored again)."""
    thresholds = thresholds or GapThresholds()
    uncovered: list[UncoveredStakeholder] = []
    weak_links: list[WeakLink] = []
    _judge(_network_rows(network, as_of, strengths), {network.account.id: network.account.name}, as_of, thresholds,
           False, uncovered, weak_links)  # fmt: skip
    return _report(as_of, thresholds, uncovered, weak_links)


def _judge(
    rows: "GapRows",
    account_names: dict[str, str],
    as_of: date,
    thresholds: GapThresholds,
    masked: bool,
    uncovered: list[UncoveredStakeholder],
    weak_links: list[WeakLink],
) -> None:
    """Applies the rules (top of this module) to the rows of some accounts, adding to the two lists."""
    people, links, last_contacts, paths = rows
    for row in people:
        person = {k: v for k, v in row.items() if k != "department_id"} | {
            "account_name": account_names[row["account_id"]],
            "department_path": paths[row["department_id"]],
        }
        if masked:
            person["name"] = mask_name(person["name"])
        covering = links.get(row["person_id"], ())
        strong_links = 0
        for link in covering:
            last_on, touchpoints = last_contacts.get((row["person_id"], link["contact_id"]), (None, []))
            if "score" in link:  # scored already (network_strengths)
                score = link["score"]
            else:
                score = rounded(score_link(RelationshipStatus(link["status"]), touchpoints, as_of))
            link = link | dict(
                zip(("strength", "strength_source"), link_strength(link["strength"], link.get("basis"), score),
                    strict=True)
            )  # fmt: skip
            reasons = _weak_reasons(link, last_on, as_of, thresholds)
            if reasons:
                weak_links.append(_weak_link(person, link, last_on, as_of, reasons))
            else:
                strong_links += 1
        if not strong_links:
            reason = UncoveredReason.weak_only if covering else UncoveredReason.no_contact
            uncovered.append(UncoveredStakeholder(**person, links=len(covering), reason=reason))


def _report(
    as_of: date, thresholds: GapThresholds, uncovered: list[UncoveredStakeholder], weak_links: list[WeakLink]
) -> GapReport:
    return GapReport(
        as_of=as_of,
        thresholds=thresholds,
        uncovered_decision_makers=[u for u in uncovered if Role.decision_maker in u.roles],
        uncovered_stakeholders=[u for u in uncovered if Role.decision_maker not in u.roles],
        weak_links=weak_links,
    )


GapRows = tuple[list[Row], dict[str, list[Row]], dict[tuple[str, str], tuple[date, list[Touchpoint]]], dict[str, str]]


def _gap_rows(store: GraphStore, account_ids: Sequence[str], as_of: date) -> GapRows:
    """What the rules need for some accounts: their active people (in report order), each person's
    coverage links (by contact id), the last contact of each covered pair on or before `as_of`, and each
    department's path (a leaf name alone, 信息部, says little in an account with ten of them)."""
    people = store.read(Q.find_active_stakeholders, account_ids=account_ids)
    departments = store.read(Q.list_departments, account_ids=account_ids)
    links: dict[str, list[Row]] = {}
    for link in store.read(Q.find_coverage_links, account_ids=account_ids):
        links.setdefault(link["person_id"], []).append(link)
    last_contacts = {
        (row["person_id"], row["contact_id"]): (
            date.fromisoformat(row["last_contact_on"]),
            [(date.fromisoformat(on), Channel(channel) if channel else None) for on, channel in row["touchpoints"]],
        )
        for row in store.read(Q.find_last_contacts, account_ids=account_ids, as_of=as_of)
    }
    return people, links, last_contacts, path_texts(departments)


def _network_rows(network: AccountNetwork, as_of: date, strengths: Sequence[LinkStrength] | None = None) -> GapRows:
    """_gap_rows' rows made from a network in memory, in the order the queries give them; with `strengths`,
    each link row carries its score and no touchpoints are gathered."""
    departments = {d.id: d for d in network.departments}
    contacts = {c.id: c for c in network.contacts}
    active = {p.id: p for p in network.people if p.status is not PersonStatus.left}
    people = [
        {"account_id": p.account_id, "person_id": p.id, "name": p.name, "title": p.title,
         "department": departments[p.department_id].name, "department_id": p.department_id, "roles": list(p.roles)}
        for p in active.values()
    ]  # fmt: skip
    people.sort(key=lambda row: (row["department"], row["person_id"]))
    scored = None if strengths is None else {(s.person_id, s.contact_id): s for s in strengths}
    links: dict[str, list[Row]] = {}
    for c in sorted(network.coverage, key=lambda c: (c.person_id, c.contact_id)):
        if c.person_id in active:
            contact = contacts[c.contact_id]
            link = {"person_id": c.person_id, "contact_id": c.contact_id, "contact_name": contact.name,
                    "contact_title": contact.title, "status": c.status.value, "strength": c.strength,
                    "basis": c.basis.value if c.basis else None}  # fmt: skip
            if scored is not None:
                link["score"] = scored[(c.person_id, c.contact_id)].score
            links.setdefault(c.person_id, []).append(link)
    if scored is not None:
        last_contacts: dict[tuple[str, str], tuple[date, list[Touchpoint]]] = {
            pair: (s.last_contact_on, []) for pair, s in scored.items() if s.last_contact_on and pair[0] in active
        }
        return people, links, last_contacts, path_texts(network.departments)
    covered = {(c.person_id, c.contact_id) for c in network.coverage if c.person_id in active}
    touchpoints: dict[tuple[str, str], list[Touchpoint]] = {}
    for (contact_id, person_id), seen in touchpoints_by_link(network.interactions).items():
        dated = [t for t in seen if t[0] <= as_of]
        if dated and (person_id, contact_id) in covered:
            touchpoints[(person_id, contact_id)] = dated
    last_contacts = {pair: (max(t[0] for t in seen), seen) for pair, seen in touchpoints.items()}
    return people, links, last_contacts, path_texts(network.departments)


def path_texts(departments: Iterable[Any]) -> dict[str, str]:
    """Department id -> its path from the top, as one text: 总部/华东分公司/信息部 (rows or models)."""
    return {department_id: "/".join(names) for department_id, names in department_paths(departments).items()}


def _weak_reasons(
    link: dict[str, Any], last_on: date | None, as_of: date, thresholds: GapThresholds
) -> list[WeakReason]:
    """Why a COVERS link is weak (the rules at the top of this module); none for a strong link."""
    reasons = []
    if link["status"] in thresholds.weak_statuses:
        reasons.append(WeakReason.weak_status)
    if link["strength"] is not None and link["strength"] < thresholds.min_strength:
        reasons.append(WeakReason.low_strength)
    if last_on is None:
        reasons.append(WeakReason.never_contacted)
    elif (as_of - last_on).days > thresholds.cadence_days:
        reasons.append(WeakReason.stale)
    return reasons


def _weak_link(
    person: dict[str, Any], link: dict[str, Any], last_on: date | None, as_of: date, reasons: list[WeakReason]
) -> WeakLink:
    return WeakLink(
        **person,
        contact_id=link["contact_id"],
        contact_name=link["contact_name"],
        contact_title=link["contact_title"],
        status=link["status"],
        basis=link.get("basis") or CoverageBasis.recorded,
        strength=link["strength"],
        strength_source=link["strength_source"],
        last_contact_on=last_on,
        days_since_contact=(as_of - last_on).days if last_on else None,
        reasons=reasons,
    )
