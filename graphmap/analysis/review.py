"""The sales lead's weekly review (周报): where each account stands, and what moved since a day.

- standing (`gap_report`): the gap report with one line per account first, the coverage score (coverage.py)
  on as_of and `trend_days` before, uncovered decision-makers and weak links, accounts most exposed first
  (uncovered decision-makers, then the lowest score, then weak links);
- movements (`weekly_review`), between `since` (default 7 days before as_of) and as_of:
  * decision-makers who became uncovered or covered, and links whose strength band changed (went cold,
    warmed): the gap and strength rules applied on both days to the records as they are, each day
    counting the interactions on or before it;
  * people who joined, left, returned or changed title: the change log's entries of those days;
  * new single points of failure (spof.py): a critical person, a dependence on one person or a sole
    strongly covered stakeholder on as_of that was not one on `since`;
  * follow-ups that became overdue: due on or after `since` and before as_of (followups.py);
  * the three most valuable next actions per account (actions.py), each with its warm path.
The scope's masking applies: a viewer's review names stakeholders as graphmap.privacy masks them.
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from pydantic import BaseModel, Field

from graphmap.access import list_grants, list_users
from graphmap.analysis.actions import NextAction, account_actions
from graphmap.analysis.changes import changes_since
from graphmap.analysis.coverage import DEFAULT_COVERAGE, account_coverage
from graphmap.analysis.followups import DEFAULT_FOLLOW_UPS, DueBasis, FollowUp, network_follow_ups, with_cards
from graphmap.analysis.gaps import AccountStanding, GapReport, GapThresholds, PlanState, gaps_of, path_texts
from graphmap.analysis.influence import influence_centrality
from graphmap.analysis.plans import network_plan
from graphmap.analysis.spof import AccountRisk, account_risk
from graphmap.analysis.strength import BAND_RANK, network_strengths
from graphmap.analysis.ties import build_tie_graph
from graphmap.changelog import Change, ChangeKind
from graphmap.errors import Invalid, NotFound
from graphmap.graph import AccountNetwork, Scope, ScopeLike, scope_chunks
from graphmap.model import PersonStatus, Role, Vocabulary
from graphmap.store import GraphStore

TREND_DAYS = 7
ACTIONS_PER_ACCOUNT = 3


class MovementKind(Vocabulary):
    decision_maker_uncovered = "decision_maker_uncovered", "决策者失去覆盖", "decision-maker no longer covered"
    decision_maker_covered = "decision_maker_covered", "决策者已覆盖", "decision-maker now covered"
    # Only with every_gap (the map's compare): the same for the stakeholders who are not decision-makers.
    stakeholder_uncovered = "stakeholder_uncovered", "关键人失去覆盖", "stakeholder no longer covered"
    stakeholder_covered = "stakeholder_covered", "关键人已覆盖", "stakeholder now covered"
    went_cold = "went_cold", "关系转弱", "link went cold"
    warmed = "warmed", "关系升温", "link warmed"
    joined = "joined", "新加入", "joined"
    left = "left", "已离开", "left"
    returned = "returned", "复职", "returned"
    title_changed = "title_changed", "职位变化", "title changed"
    new_single_point = "new_single_point", "新的单点依赖", "new single point of failure"
    overdue = "overdue", "跟进已逾期", "follow-up became overdue"
    task_overdue = "task_overdue", "任务已逾期", "task became overdue"
    plan_overdue = "plan_overdue", "计划目标逾期", "plan target fell due unmet"
    plan_met = "plan_met", "计划目标达成", "plan target met"
    comment = "comment", "新评论", "new comment"


class SinglePointKind(Vocabulary):
    critical = "critical", "关键节点：其离开会切断通往决策者的所有路径", "their leaving cuts every path to a DM"
    depends_on_contact = "depends_on_contact", "过度依赖我方一人", "the account hangs on one of ours"
    depends_on_stakeholder = "depends_on_stakeholder", "过度依赖对方一人", "the account hangs on one of theirs"
    sole_covered = "sole_covered", "唯一强覆盖的关键人", "the only stakeholder we cover strongly"


MOVEMENT_ORDER = list(MovementKind)
CHANGE_MOVEMENTS = {
    ChangeKind.person_joined: MovementKind.joined,
    ChangeKind.person_left: MovementKind.left,
    ChangeKind.person_returned: MovementKind.returned,
    ChangeKind.title_changed: MovementKind.title_changed,
}


class Movement(BaseModel):
    """One thing that moved in an account; `before` and `after` are the values compared: a strength band's
    key (weak/fair/strong, None for never contacted), a title, a single point's kind, a due day."""

    kind: MovementKind
    on: date | None = Field(default=None, description="the day it happened, when a record says so")
    person_id: str | None = None
    person_name: str
    person_title: str | None = None
    department_path: str | None = None
    roles: list[Role] = []
    contact_id: str | None = Field(default=None, description="our side of a link, or the follow-up's owner")
    contact_name: str | None = None
    contact_title: str | None = None
    before: str | None = None
    after: str | None = None


class AccountReview(BaseModel):
    standing: AccountStanding
    movements: list[Movement] = Field(description="by kind (MovementKind's order), then person")
    actions: list[NextAction] = Field(description=f"the {ACTIONS_PER_ACCOUNT} most valuable next actions")

    @property
    def quiet(self) -> bool:
        return not self.movements


class Review(BaseModel):
    since: date
    as_of: date
    accounts: list[AccountReview] = Field(description="most exposed first (AccountStanding.risk)")

    @property
    def quiet(self) -> bool:
        """Nothing moved in any account."""
        return all(a.quiet for a in self.accounts)


def gap_report(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    thresholds: GapThresholds | None = None,
    trend_days: int = TREND_DAYS,
) -> GapReport:
    """The gap report (gaps.find_gaps) with where each account stands (`accounts`), most exposed first."""
    as_of, scope = as_of or date.today(), Scope.of(scope)
    before = as_of - timedelta(days=trend_days)
    parts: list[GapReport] = []
    standings: list[AccountStanding] = []
    for networks in scope_chunks(store, scope):
        accounts = [n.account for n in networks]
        now = gaps_of(store, accounts, as_of, thresholds, scope.masked)
        earlier = gaps_of(store, accounts, before, thresholds, scope.masked).per_account(a.id for a in accounts)
        now.plan = [p for n in networks for p in network_plan(n, as_of) if p.state is not PlanState.met]
        parts.append(now)
        split = now.per_account(a.id for a in accounts)
        standings += [_standing(n, split[n.account.id], earlier[n.account.id]) for n in networks]
    report = GapReport(
        as_of=as_of,
        thresholds=thresholds or GapThresholds(),
        accounts=_ranked(standings),
        trend_days=trend_days,
        uncovered_decision_makers=[u for part in parts for u in part.uncovered_decision_makers],
        uncovered_stakeholders=[u for part in parts for u in part.uncovered_stakeholders],
        weak_links=[w for part in parts for w in part.weak_links],
        plan=[p for part in parts for p in part.plan],
    )
    return report


def weekly_review(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    since: date | None = None,
    owner_id: str | None = None,
    team: str | None = None,
    thresholds: GapThresholds | None = None,
    every_gap: bool = False,
) -> Review:
    """What moved between `since` (default 7 days before as_of) and as_of in the scope's accounts, or in
    those of the scope that one of our contacts works on (`owner_id`: owns the account or covers someone
    there) or that are granted to a team. `every_gap`: the gaps that opened or closed for every
    stakeholder, not only for decision-makers (the map's compare)."""
    as_of = as_of or date.today()
    since = since or as_of - timedelta(days=TREND_DAYS)
    if since > as_of:
        raise Invalid(f"since {since.isoformat()} is after as_of {as_of.isoformat()} / 起始日期晚于分析日期")
    scope = _narrowed(store, Scope.of(scope), team)
    changes = _changes(store, scope, since, as_of)
    reviews: list[AccountReview] = []
    for networks in scope_chunks(store, scope):
        if owner_id is not None:
            networks = [n for n in networks if _works_on(n, owner_id)]
        accounts = [n.account for n in networks]
        now = gaps_of(store, accounts, as_of, thresholds, scope.masked).per_account(a.id for a in accounts)
        then = gaps_of(store, accounts, since, thresholds, scope.masked).per_account(a.id for a in accounts)
        for network, cards, owners in with_cards(store, networks):
            follow_ups = network_follow_ups(network, as_of, DEFAULT_FOLLOW_UPS, cards, owners)
            account_id = network.account.id
            reviews.append(_review(network, now[account_id], then[account_id], changes.get(account_id, []),
                                   follow_ups, since, as_of, every_gap))  # fmt: skip
    ranks = {s.account_id: s.risk for s in _ranked(r.standing for r in reviews)}
    for r in reviews:
        r.standing.risk = ranks[r.standing.account_id]
    return Review(since=since, as_of=as_of, accounts=sorted(reviews, key=lambda r: r.standing.risk))


def _narrowed(store: GraphStore, scope: Scope, team: str | None) -> Scope:
    """The scope's accounts granted to `team` (NotFound for a team nobody is in and nothing is granted to)."""
    if team is None:
        return scope
    granted = {g.account_id for g in list_grants(store, grantees=[f"team:{team}"])}
    if not granted and all(u.team != team for u in list_users(store)):
        raise NotFound(f"no team {team!r} / 没有此团队")
    ids = granted if scope.account_ids is None else granted & scope.account_ids
    return Scope(frozenset(ids), scope.masked)


def _works_on(network: AccountNetwork, contact_id: str) -> bool:
    """Owns the account, covers someone in it, or owns a plan target or a task there."""
    return (network.account.owner_id == contact_id or any(c.contact_id == contact_id for c in network.coverage)
            or any(c.id == contact_id for c in network.owners))  # fmt: skip


def _changes(store: GraphStore, scope: Scope, since: date, as_of: date) -> dict[str, list[Change]]:
    """The change log's entries about people, from since to as_of, per account (masked as the scope is)."""
    if scope.account_ids is not None and not scope.account_ids:
        return {}
    return {
        summary.account_id: [c for c in summary.changes if c.on <= as_of and c.kind in CHANGE_MOVEMENTS]
        for summary in changes_since(store, since, scope)
    }


def _standing(network: AccountNetwork, now: GapReport, before: GapReport) -> AccountStanding:
    centrality = influence_centrality(network)  # the same on both days: computed once
    return AccountStanding(
        account_id=network.account.id,
        account_name=network.account.name,
        risk=0,  # set by _ranked
        score=account_coverage(network, now, DEFAULT_COVERAGE, centrality).score,
        score_before=account_coverage(network, before, DEFAULT_COVERAGE, centrality).score,
        people=sum(1 for p in network.people if p.status is PersonStatus.active),
        uncovered_decision_makers=len(now.uncovered_decision_makers),
        uncovered_stakeholders=len(now.uncovered_stakeholders),
        weak_links=len(now.weak_links),
    )


def _ranked(standings: Iterable[AccountStanding]) -> list[AccountStanding]:
    """Most exposed first: most uncovered decision-makers, lowest score, most weak links; ranks from 1."""
    ordered = sorted(
        standings,
        key=lambda s: (-s.uncovered_decision_makers, s.score is None, s.score or 0, -s.weak_links,
                       s.account_name, s.account_id),
    )  # fmt: skip
    for rank, standing in enumerate(ordered, start=1):
        standing.risk = rank
    return ordered


def _review(
    network: AccountNetwork,
    now: GapReport,
    then: GapReport,
    changes: Sequence[Change],
    follow_ups: Sequence[FollowUp],
    since: date,
    as_of: date,
    every_gap: bool = False,
) -> AccountReview:
    people = {p.id: p for p in network.people}
    contacts = {c.id: c for c in network.contacts}
    paths = path_texts(network.departments)
    active = {p.id for p in network.people if p.status is PersonStatus.active}
    joined = {c.subject_id for c in changes if c.kind is ChangeKind.person_joined}

    def about(person_id: str, **fields: object) -> Movement:
        """A movement about a stakeholder, or one of our contacts (a single point of failure)."""
        person, contact = people.get(person_id), contacts.get(person_id)
        if person is not None:
            fields |= {"person_name": person.name, "person_title": person.title, "roles": list(person.roles),
                       "department_path": paths.get(person.department_id)}  # fmt: skip
        elif contact is not None:
            fields |= {"person_name": contact.name, "person_title": contact.title, **with_contact(person_id)}
        fields.setdefault("person_name", person_id)  # someone no longer in the graph: the change log's name
        return Movement(person_id=person_id, **fields)

    def with_contact(contact_id: str | None) -> dict[str, object]:
        contact = contacts.get(contact_id) if contact_id else None
        if contact is None:
            return {}
        return {"contact_id": contact.id, "contact_name": contact.name, "contact_title": contact.title}

    moved: list[Movement] = []
    gaps = [(now.uncovered_decision_makers, then.uncovered_decision_makers, MovementKind.decision_maker_uncovered,
             MovementKind.decision_maker_covered)]  # fmt: skip
    if every_gap:
        gaps.append((now.uncovered_stakeholders, then.uncovered_stakeholders, MovementKind.stakeholder_uncovered,
                     MovementKind.stakeholder_covered))  # fmt: skip
    for uncovered, uncovered_before, opened, closed in gaps:
        uncovered_now = {u.person_id for u in uncovered}
        uncovered_then = {u.person_id for u in uncovered_before}
        for person_id in sorted(uncovered_now - uncovered_then - joined):
            moved.append(about(person_id, kind=opened))
        for person_id in sorted((uncovered_then - uncovered_now) & active):
            moved.append(about(person_id, kind=closed))

    bands_then = {(s.contact_id, s.person_id): s.band for s in network_strengths(network, since)}
    for link in network_strengths(network, as_of):
        before = bands_then.get((link.contact_id, link.person_id))
        if link.person_id not in active or BAND_RANK[before] == BAND_RANK[link.band]:
            continue
        kind = MovementKind.warmed if BAND_RANK[link.band] > BAND_RANK[before] else MovementKind.went_cold
        moved.append(about(link.person_id, kind=kind, on=link.last_contact_on, before=before, after=link.band,
                           **with_contact(link.contact_id)))  # fmt: skip

    for change in changes:
        moved.append(about(change.subject_id, kind=CHANGE_MOVEMENTS[change.kind], on=change.on,
                           person_name=change.subject_name, before=change.before, after=change.after))  # fmt: skip

    for point, person_id in sorted(_single_points(network, as_of, now) - _single_points(network, since, then)):
        moved.append(about(person_id, kind=MovementKind.new_single_point, after=point))

    for item in follow_ups:
        if item.overdue_days > 0 and since <= item.due_on < as_of:
            fields = {"kind": MovementKind.overdue, "on": item.due_on, "after": item.due_on.isoformat(),
                      **with_contact(item.owner_id)}  # fmt: skip
            if item.basis is DueBasis.task:  # what the task is, and its owner, who may cover no one here
                fields |= {"kind": MovementKind.task_overdue, "before": item.next_action, "contact_id": item.owner_id,
                           "contact_name": item.owner_name, "contact_title": item.owner_title}  # fmt: skip
            if item.person_id is None:  # the account as a whole
                moved.append(Movement(person_name=network.account.name, **fields))
            else:
                moved.append(about(item.person_id, **fields))

    plan_then = {(p.contact_id, p.person_id): p for p in network_plan(network, since)}
    for p in network_plan(network, as_of):
        earlier = plan_then.get((p.contact_id, p.person_id))
        if p.state is PlanState.met and earlier is not None and earlier.state is not PlanState.met:
            kind = MovementKind.plan_met
        elif p.state is PlanState.overdue and p.due is not None and since <= p.due < as_of:
            kind = MovementKind.plan_overdue
        else:
            continue
        owner = {"contact_id": p.contact_id, "contact_name": p.contact_name, "contact_title": p.contact_title}
        moved.append(about(p.person_id, kind=kind, on=p.due, before=p.status_now, after=p.status, **owner))

    for comment in network.comments:  # what the team wrote in the period: `before` its author, `after` its text
        if since <= comment.written_at.date() <= as_of:
            fields = {"kind": MovementKind.comment, "on": comment.written_at.date(), "before": comment.author,
                      "after": comment.text, **with_contact(comment.contact_id)}  # fmt: skip
            moved.append(about(comment.person_id, **fields) if comment.person_id else
                         Movement(person_name=network.account.name, **fields))  # fmt: skip

    moved.sort(key=lambda m: (MOVEMENT_ORDER.index(m.kind), m.department_path or "", m.person_title or "",
                              m.person_name, m.contact_name or ""))  # fmt: skip
    return AccountReview(
        standing=_standing(network, now, then),
        movements=moved,
        actions=account_actions(network, now, as_of)[:ACTIONS_PER_ACCOUNT],
    )


def _single_points(network: AccountNetwork, day: date, gaps: GapReport) -> set[tuple[str, str]]:
    """(kind, person id) of each single point of failure of the account on this day."""
    risk: AccountRisk = account_risk(network, build_tie_graph(network, day), {u.person_id for u in gaps.uncovered}, day)
    found = {(SinglePointKind.critical.value, c.person.id) for c in risk.critical_people}
    if risk.depends_on_contact and risk.top_contact is not None:
        found.add((SinglePointKind.depends_on_contact.value, risk.top_contact.person.id))
    if risk.depends_on_stakeholder and risk.top_stakeholder is not None:
        found.add((SinglePointKind.depends_on_stakeholder.value, risk.top_stakeholder.person.id))
    if risk.sole_covered_stakeholder is not None:
        found.add((SinglePointKind.sole_covered.value, risk.sole_covered_stakeholder.id))
    return found
