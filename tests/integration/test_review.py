"""The weekly review on every engine: the sample and a week of changes to it, against an independent
computation from the change log's records and the interactions (tests/integration/expected.py)."""

from datetime import date, timedelta

import pytest

from graphmap.analysis.followups import DueBasis, follow_ups
from graphmap.analysis.gaps import GapThresholds
from graphmap.analysis.review import MovementKind, Review, gap_report, weekly_review
from graphmap.analysis.strength import DEFAULT_STRENGTH, band_of, link_strength, rounded, score_link
from graphmap.graph import Scope, write_portfolio
from graphmap.model import (
    Band,
    Channel,
    Coverage,
    Interaction,
    Person,
    PersonStatus,
    Portfolio,
    RelationshipStatus,
    Role,
)
from graphmap.sample import SAMPLE_AS_OF, portfolio_path
from tests.integration.expected import coverage_of, expected_uncovered

pytestmark = pytest.mark.integration
SINCE = SAMPLE_AS_OF - timedelta(days=7)
CHANGED_ON = SAMPLE_AS_OF - timedelta(days=2)
LG = "2024-LG-00005"


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))


def week_of_changes(sample: Portfolio) -> Portfolio:
    """What a planner's update of one account brings in the review's week: a new vice-president nobody
    covers, a title change, someone who left, and our sales manager's first visit to the purchasing
    director, a decision-maker only weakly covered until then."""
    account = next(a for a in sample.accounts if a.id == LG).model_copy(update={"updated_on": CHANGED_ON})
    people = {p.id: p for p in sample.people if p.account_id == LG}
    people[f"{LG}-p0004"] = people[f"{LG}-p0004"].model_copy(update={"title": "物流总监"})
    people[f"{LG}-p0005"] = people[f"{LG}-p0005"].model_copy(update={"status": PersonStatus.left})
    people[f"{LG}-p0900"] = Person(id=f"{LG}-p0900", account_id=LG, department_id=f"{LG}-d001", name="郑伟",
                                   title="副总裁", roles=(Role.decision_maker,))  # fmt: skip
    return Portfolio(
        accounts=[account],
        departments=[d for d in sample.departments if d.account_id == LG],
        contacts=sample.contacts,
        people=list(people.values()),
        interactions=[
            Interaction(id="i-review-visit", account_id=LG, on=CHANGED_ON, channel=Channel.visit,
                        summary="拜访采购总监", person_ids=(f"{LG}-p0002",), contact_ids=("c00024",)),
        ],
        coverage=[Coverage(contact_id="c00024", person_id=f"{LG}-p0002", status=RelationshipStatus.trusted,
                           strength=65)],
    )  # fmt: skip


def merged(sample: Portfolio, update: Portfolio) -> Portfolio:
    """The portfolio as the store holds it after the update: the independent computation's input."""
    people = {p.id: p for p in sample.people} | {p.id: p for p in update.people}
    return sample.model_copy(
        update={
            "people": list(people.values()),
            "interactions": [*sample.interactions, *update.interactions],
            "coverage": [*sample.coverage, *update.coverage],
        }
    )


@pytest.fixture
def updated(store, sample) -> Portfolio:
    write_portfolio(store, sample)
    update = week_of_changes(sample)
    write_portfolio(store, update)
    return merged(sample, update)


def moved(review: Review, kind: MovementKind) -> set[str]:
    return {m.person_id for a in review.accounts for m in a.movements if m.kind is kind}  # type: ignore[misc]


def expected_bands(portfolio: Portfolio, day: date) -> dict[tuple[str, str], Band | None]:
    """Each link's strength band on a day, from the interactions up to it (a recorded strength rules)."""
    bands = {}
    for link in coverage_of(portfolio):
        met = [(i.on, i.channel) for i in portfolio.interactions
               if i.on is not None and i.on <= day and link.contact_id in i.contact_ids
               and link.person_id in i.person_ids]  # fmt: skip
        strength, _ = link_strength(link.strength, link.basis, rounded(score_link(link.status, met, day)))
        bands[(link.contact_id, link.person_id)] = band_of(strength, DEFAULT_STRENGTH)
    return bands


def test_the_review_of_a_week_equals_an_independent_computation(store, updated):
    review = weekly_review(store, as_of=SAMPLE_AS_OF)
    assert (review.since, review.as_of) == (SINCE, SAMPLE_AS_OF)

    # Who joined, left or changed title: the records the update changed, on its day.
    changes = {(m.kind, m.person_id, m.on, m.before, m.after) for a in review.accounts for m in a.movements
               if m.kind in (MovementKind.joined, MovementKind.left, MovementKind.title_changed)}  # fmt: skip
    assert changes == {
        (MovementKind.joined, f"{LG}-p0900", CHANGED_ON, None, "副总裁"),
        (MovementKind.title_changed, f"{LG}-p0004", CHANGED_ON, "运输调度总监", "物流总监"),
        (MovementKind.left, f"{LG}-p0005", CHANGED_ON, "active", "left"),
    }

    # Decision-makers covered or not: the gap rules, computed apart, on both days.
    decision_makers = {p.id for p in updated.people if Role.decision_maker in p.roles}
    thresholds = GapThresholds()
    then = expected_uncovered(updated, SINCE, thresholds) & decision_makers
    now = expected_uncovered(updated, SAMPLE_AS_OF, thresholds) & decision_makers
    active = {p.id for p in updated.people if p.status is PersonStatus.active}
    assert moved(review, MovementKind.decision_maker_uncovered) == now - then - {f"{LG}-p0900"}
    assert moved(review, MovementKind.decision_maker_covered) == (then - now) & active
    assert f"{LG}-p0002" in moved(review, MovementKind.decision_maker_covered)  # the first visit

    # Links that went cold or warmed: the strength bands, computed apart, on both days.
    before, after = expected_bands(updated, SINCE), expected_bands(updated, SAMPLE_AS_OF)
    rank = {None: 0, Band.weak: 1, Band.fair: 2, Band.strong: 3}
    links = {(m.kind, m.contact_id, m.person_id) for a in review.accounts for m in a.movements
             if m.kind in (MovementKind.went_cold, MovementKind.warmed)}  # fmt: skip
    assert links == {
        (MovementKind.warmed if rank[after[key]] > rank[before[key]] else MovementKind.went_cold, *key)
        for key in after
        if rank[after[key]] != rank[before[key]] and key[1] in active
    }
    assert links  # the sample's week moves some

    # Follow-ups that became overdue in the week: those the follow-up plan says are past due, due since;
    # the open tasks among them (the sample's visits, due three days before its day) as tasks.
    late = [f for f in follow_ups(store, as_of=SAMPLE_AS_OF, overdue_only=True) if f.due_on >= SINCE]
    for kind, tasks in ((MovementKind.overdue, False), (MovementKind.task_overdue, True)):
        expected = {(f.account_id, f.person_id) for f in late if (f.basis is DueBasis.task) is tasks}
        assert {(a.standing.account_id, m.person_id) for a in review.accounts for m in a.movements
                if m.kind is kind} == expected  # fmt: skip
        assert expected

    # Every account, most exposed first, with at most three actions and a warm path where one is proposed.
    assert [a.standing.risk for a in review.accounts] == list(range(1, len(review.accounts) + 1))
    assert len(review.accounts) == len(updated.accounts)
    assert all(len(a.actions) <= 3 for a in review.accounts)
    assert any(action.path is not None for a in review.accounts for action in a.actions)


def test_every_gap_adds_the_other_stakeholders_gaps_that_opened_or_closed(store, updated):
    # The map's compare: the same gap rule for everyone, computed apart on both days; the review's own
    # movements unchanged beside them. Over two months with a cadence of one, so that links go stale
    # (gaps open) as others are renewed (gaps close).
    since, thresholds = SAMPLE_AS_OF - timedelta(days=60), GapThresholds(cadence_days=30)
    review = weekly_review(store, as_of=SAMPLE_AS_OF, since=since, thresholds=thresholds)
    every = weekly_review(store, as_of=SAMPLE_AS_OF, since=since, thresholds=thresholds, every_gap=True)
    others = {p.id for p in updated.people if Role.decision_maker not in p.roles}
    then = expected_uncovered(updated, since, thresholds) & others
    now = expected_uncovered(updated, SAMPLE_AS_OF, thresholds) & others
    active = {p.id for p in updated.people if p.status is PersonStatus.active}
    assert moved(every, MovementKind.stakeholder_uncovered) == now - then
    assert moved(every, MovementKind.stakeholder_covered) == (then - now) & active
    assert now - then and (then - now) & active  # the sample's two months open some and close some
    assert not moved(review, MovementKind.stakeholder_uncovered) | moved(review, MovementKind.stakeholder_covered)
    kept = {(a.standing.account_id, m.kind, m.person_id) for a in every.accounts for m in a.movements
            if m.kind not in (MovementKind.stakeholder_uncovered, MovementKind.stakeholder_covered)}  # fmt: skip
    assert kept == {(a.standing.account_id, m.kind, m.person_id) for a in review.accounts for m in a.movements}


def test_the_standing_of_each_account_comes_first_in_the_gap_report(store, updated):
    report = gap_report(store, as_of=SAMPLE_AS_OF)
    thresholds = GapThresholds()
    uncovered = expected_uncovered(updated, SAMPLE_AS_OF, thresholds)
    decision_makers = {p.id for p in updated.people if Role.decision_maker in p.roles}
    account_of = {p.id: p.account_id for p in updated.people}
    for standing in report.accounts:
        mine = {p for p in uncovered if account_of[p] == standing.account_id}
        assert standing.uncovered_decision_makers == len(mine & decision_makers)
        assert standing.uncovered_stakeholders == len(mine - decision_makers)
    ranked = [(-s.uncovered_decision_makers, s.score) for s in report.accounts]
    assert ranked == sorted(ranked, key=lambda r: (r[0], r[1] is None, r[1] or 0))
    lg = next(s for s in report.accounts if s.account_id == LG)
    assert lg.score is not None and lg.score_before is not None and lg.trend == lg.score - lg.score_before
    assert lg.trend > 0  # the purchasing director is covered


def test_a_viewer_reads_the_review_masked(store, updated):
    review = weekly_review(store, Scope(frozenset([LG]), masked=True), as_of=SAMPLE_AS_OF)
    names = {p.name for p in updated.people if p.account_id == LG}
    text = review.model_dump_json()
    assert not [name for name in names if name in text]
    assert "宋东浩" in text  # our own colleagues' names stay visible (graphmap.privacy)


def test_a_quiet_week_says_so(store, sample):
    write_portfolio(store, sample)
    later = SAMPLE_AS_OF + timedelta(days=400)  # every link long stale on both days: nothing moves
    review = weekly_review(store, LG, as_of=later, since=later - timedelta(days=1))
    assert review.quiet and review.accounts[0].quiet


def test_a_review_for_an_owner_or_a_team_keeps_their_accounts(store, updated):
    from graphmap.access import add_user, grant

    mine = weekly_review(store, as_of=SAMPLE_AS_OF, owner_id="c00021")
    assert {a.standing.account_id for a in mine.accounts} == {
        c.account_id for c in updated.people for link in updated.coverage
        if link.contact_id == "c00021" and link.person_id == c.id
    } | {a.id for a in updated.accounts if a.owner_id == "c00021"}  # fmt: skip
    add_user(store, "wang.fang", "王芳", "east", "test")
    grant(store, LG, "team:east", "test")
    assert [a.standing.account_id for a in weekly_review(store, as_of=SAMPLE_AS_OF, team="east").accounts] == [LG]
    with pytest.raises(Exception, match="no team 'west'"):
        weekly_review(store, as_of=SAMPLE_AS_OF, team="west")
