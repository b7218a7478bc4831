"""Gap analysis (缺口识别): decision-makers nobody on our side really covers, and weak links.

Rules (defaults in GapThresholds, documented in docs/gaps.md):
- a COVERS link is weak when its status is one of `weak_statuses` (initial, competitor, none), or its
  strength is known and below `min_strength`, or the last interaction between the two (on or before
  `as_of`) is more than `cadence_days` ago, or there is none;
- a stakeholder is uncovered when they have no link that is not weak. Decision-makers come first.
People who left are not gaps.
"""

from collections.abc import Sequence
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from graphmap.graph import READ_CHUNK, select_accounts
from graphmap.model import Account, RelationshipStatus, Role, Vocabulary
from graphmap.store import GraphStore
from graphmap.store.values import collector_paused


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
    min_strength: int = Field(default=40, ge=0, le=100, description="a known strength below this is low")
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
    roles: list[Role]


class UncoveredStakeholder(Stakeholder):
    links: int = Field(description="our links to this person, all of them weak")
    reason: UncoveredReason


class WeakLink(Stakeholder):
    contact_id: str
    contact_name: str
    contact_title: str | None
    status: RelationshipStatus
    strength: int | None
    last_contact_on: date | None
    days_since_contact: int | None
    reasons: list[WeakReason]


class GapReport(BaseModel):
    as_of: date
    thresholds: GapThresholds
    uncovered_decision_makers: list[UncoveredStakeholder]
    uncovered_stakeholders: list[UncoveredStakeholder] = Field(
        description="everyone else without a strong link: influencers, users, purchasers, ..."
    )
    weak_links: list[WeakLink]

    @property
    def uncovered(self) -> list[UncoveredStakeholder]:
        """Every uncovered stakeholder, decision-makers first."""
        return self.uncovered_decision_makers + self.uncovered_stakeholders


def find_gaps(
    store: GraphStore,
    account_id: str | None = None,
    as_of: date | None = None,
    thresholds: GapThresholds | None = None,
) -> GapReport:
    accounts = select_accounts(store, account_id)  # NotFound for an unknown account: a typo must show
    return gaps_of(store, accounts, as_of, thresholds)


@collector_paused()
def gaps_of(
    store: GraphStore,
    accounts: Sequence[Account],
    as_of: date | None = None,
    thresholds: GapThresholds | None = None,
) -> GapReport:
    """The gaps of these accounts: what analyses that go through the portfolio chunk by chunk ask for."""
    as_of = as_of or date.today()
    thresholds = thresholds or GapThresholds()
    params = {
        "as_of": as_of,
        "stale_before": as_of - timedelta(days=thresholds.cadence_days),
        "weak_statuses": sorted(thresholds.weak_statuses),
        "min_strength": thresholds.min_strength,
    }
    uncovered: list[UncoveredStakeholder] = []
    weak_links: list[WeakLink] = []
    # READ_CHUNK accounts per query: one query over a whole portfolio of 10,000 accounts ran Neo4j out of
    # its 1 GB heap. The queries order by account first, so chunks of sorted ids keep the report's order.
    account_ids = sorted(a.id for a in accounts)
    for start in range(0, len(account_ids), READ_CHUNK):
        chunk = params | {"account_ids": account_ids[start : start + READ_CHUNK]}
        uncovered += (
            UncoveredStakeholder(
                **row, reason=UncoveredReason.weak_only if row["links"] else UncoveredReason.no_contact
            )
            for row in store.read("find_uncovered_people", **chunk)
        )
        weak_links += (_weak_link(row, as_of) for row in store.read("find_weak_links", **chunk))
    return GapReport(
        as_of=as_of,
        thresholds=thresholds,
        uncovered_decision_makers=[u for u in uncovered if Role.decision_maker in u.roles],
        uncovered_stakeholders=[u for u in uncovered if Role.decision_maker not in u.roles],
        weak_links=weak_links,
    )


def _weak_link(row: dict[str, object], as_of: date) -> WeakLink:
    last = row["last_contact_on"]
    last_on = date.fromisoformat(last) if isinstance(last, str) else None
    reasons = []
    if row["weak_status"]:
        reasons.append(WeakReason.weak_status)
    if row["low_strength"]:
        reasons.append(WeakReason.low_strength)
    if row["stale"]:
        reasons.append(WeakReason.stale if last_on else WeakReason.never_contacted)
    fields = {k: v for k, v in row.items() if k not in {"weak_status", "low_strength", "stale", "contact_team"}}
    return WeakLink(
        **fields,
        days_since_contact=(as_of - last_on).days if last_on else None,
        reasons=reasons,
    )
