"""Import and gap analysis on every engine: the worked example, the sample against an independent
computation, thresholds and as-of dates."""

from datetime import date, timedelta

import pytest

from graphmap.analysis.gaps import GapThresholds, UncoveredReason, WeakReason, find_gaps, gaps_of, network_gaps
from graphmap.analysis.strength import StrengthSource, network_strengths
from graphmap.graph import count_graph, list_accounts, read_account_network, write_portfolio
from graphmap.io.mapping_table import read_mapping_table
from graphmap.model import Account, Coverage, Interaction, Person, PersonStatus, Portfolio, RelationshipStatus, Role
from graphmap.sample import SAMPLE_AS_OF, portfolio_path
from tests.conftest import WORKED_EXAMPLE
from tests.integration.expected import coverage_of, expected_uncovered, expected_weak_links

pytestmark = pytest.mark.integration
WORKED_AS_OF = date(2024, 8, 31)


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))


@pytest.fixture
def worked(store):
    portfolio = read_mapping_table(WORKED_EXAMPLE)
    write_portfolio(store, portfolio)
    return portfolio


def test_worked_example_as_the_template_reads_it(store, worked):
    report = find_gaps(store, as_of=WORKED_AS_OF)
    # 采购总监 (trusted, met in June) is covered. The 副总经理 (referred) met us once, in August: no strength
    # was recorded, and the one computed from that meeting (28) is in strength's weak band, so gaps calls
    # the link weak too (one rule, docs/gaps.md).
    (vp,) = report.uncovered_decision_makers
    assert (vp.title, vp.reason) == ("副总经理", UncoveredReason.weak_only)
    weak = {w.title: w for w in report.weak_links}
    assert set(weak) == {"副总经理", "技术经理"}
    assert (weak["副总经理"].strength, weak["副总经理"].strength_source) == (28, StrengthSource.computed)
    assert weak["副总经理"].reasons == [WeakReason.low_strength]
    technical = weak["技术经理"]
    assert (technical.department, technical.status, technical.reasons) == (
        "技术部",
        RelationshipStatus.initial,
        [WeakReason.weak_status, WeakReason.low_strength],
    )
    assert (
        technical.contact_title,
        technical.contact_name,
        technical.last_contact_on,
        technical.days_since_contact,
    ) == (
        "技术工程师",
        "*某",
        date(2024, 7, 31),
        31,
    )
    uncovered = {u.title: u for u in report.uncovered_stakeholders}
    assert set(uncovered) == {"生产线组长", "技术经理"}
    assert uncovered["生产线组长"].reason is UncoveredReason.no_contact
    assert uncovered["生产线组长"].links == 0
    assert uncovered["技术经理"].reason is UncoveredReason.weak_only
    assert all(u.account_name == "XX科技有限公司" for u in report.uncovered_stakeholders)


def test_a_recorded_strength_rules_over_the_computed_one(store, worked):
    """A strength a person recorded is the link's strength; the computed one only stands in for it."""
    vp = next(c for c in worked.coverage if c.status is RelationshipStatus.referred)
    write_portfolio(store, worked.model_copy(update={"coverage": (vp.model_copy(update={"strength": 70}),)}))
    report = find_gaps(store, as_of=WORKED_AS_OF)
    assert report.uncovered_decision_makers == []
    assert "副总经理" not in {w.title for w in report.weak_links}


def test_a_shorter_cadence_turns_the_purchasing_director_into_a_gap(store, worked):
    report = find_gaps(store, as_of=WORKED_AS_OF, thresholds=GapThresholds(cadence_days=45))
    assert {u.title for u in report.uncovered_decision_makers} == {"采购总监", "副总经理"}  # June: 62 days
    stale = {w.title: w for w in report.weak_links}
    assert stale["采购总监"].reasons == [WeakReason.stale]
    assert stale["采购总监"].days_since_contact == 62


def test_interactions_after_as_of_do_not_count(store, worked):
    report = find_gaps(store, as_of=date(2024, 8, 1))  # before the 副总经理's first meeting
    vp = next(w for w in report.weak_links if w.title == "副总经理")
    assert vp.reasons == [WeakReason.never_contacted]
    assert vp.last_contact_on is None and vp.days_since_contact is None
    assert {u.title for u in report.uncovered_decision_makers} == {"副总经理"}


def test_importing_twice_changes_nothing(store, worked):
    account_id = worked.accounts[0].id
    before = (count_graph(store), read_account_network(store, account_id))
    write_portfolio(store, read_mapping_table(WORKED_EXAMPLE))
    assert (count_graph(store), read_account_network(store, account_id)) == before
    assert before[0] == {
        "Account": 1,
        "Change": 1,  # account_added: re-importing records nothing more
        "Department": 4,
        "Person": 4,
        "Contact": 3,
        "Interaction": 4,
        "COVERS": 3,
        "PART_OF": 4,
        "WORKS_IN": 4,
        "WITH": 7,
    }


def test_sample_gaps_match_an_independent_computation(store, sample):
    write_portfolio(store, sample)
    for thresholds in (GapThresholds(), GapThresholds(cadence_days=30, min_strength=60)):
        report = find_gaps(store, as_of=SAMPLE_AS_OF, thresholds=thresholds)
        weak = {(w.contact_id, w.person_id): set(w.reasons) for w in report.weak_links}
        assert weak == expected_weak_links(sample, SAMPLE_AS_OF, thresholds)
        uncovered = {u.person_id for u in report.uncovered_decision_makers + report.uncovered_stakeholders}
        assert uncovered == expected_uncovered(sample, SAMPLE_AS_OF, thresholds)
        roles = {p.id: p.roles for p in sample.people}
        assert all(Role.decision_maker in roles[u.person_id] for u in report.uncovered_decision_makers)
        assert all(Role.decision_maker not in roles[u.person_id] for u in report.uncovered_stakeholders)
    default = find_gaps(store, as_of=SAMPLE_AS_OF)
    assert len(default.uncovered_decision_makers) >= 3  # the sample has real gaps to show


def test_the_rules_on_a_network_in_memory_give_the_store_s_report(store, sample):
    # The map's what-if and edits judge a network in memory (network_gaps); it must be the same report.
    write_portfolio(store, sample)
    for as_of in (SAMPLE_AS_OF, SAMPLE_AS_OF - timedelta(days=45)):
        for thresholds in (GapThresholds(), GapThresholds(cadence_days=30, min_strength=60)):
            for account in sample.accounts:
                network = read_account_network(store, account.id)
                expected = gaps_of(store, [network.account], as_of, thresholds)
                assert network_gaps(network, as_of, thresholds) == expected
                scored = network_strengths(network, as_of)  # the links scored once, as the map and what-if do
                assert network_gaps(network, as_of, thresholds, scored) == expected


def test_one_account_only(store, sample, worked):
    write_portfolio(store, sample)
    account_id = sample.accounts[0].id
    report = find_gaps(store, account_id, as_of=SAMPLE_AS_OF)
    items = report.uncovered_decision_makers + report.uncovered_stakeholders + report.weak_links
    assert items and {i.account_id for i in items} == {account_id}


def test_the_portfolio_report_cut_per_account_is_each_account_s_own_report(store, sample):
    write_portfolio(store, sample)
    whole = find_gaps(store, as_of=SAMPLE_AS_OF)
    quiet = Account(id="2024-QQ-001", name="无缺口有限公司")  # no people: no gaps
    parts = whole.per_account(sorted([*(a.id for a in sample.accounts), quiet.id]))  # the report's order
    assert parts[quiet.id].uncovered == [] and parts[quiet.id].weak_links == []
    for account in sample.accounts:
        assert parts[account.id] == find_gaps(store, account.id, as_of=SAMPLE_AS_OF)
    assert [u for part in parts.values() for u in part.uncovered_decision_makers] == whole.uncovered_decision_makers


def test_people_who_left_are_not_gaps(store, worked):
    person = next(p for p in worked.people if p.title == "生产线组长")
    gone = person.model_copy(update={"status": PersonStatus.left})
    write_portfolio(store, worked.model_copy(update={"people": (gone,)}))
    titles = {u.title for u in find_gaps(store, as_of=WORKED_AS_OF).uncovered_stakeholders}
    assert "生产线组长" not in titles and "技术经理" in titles


def test_low_strength_makes_a_trusted_link_weak(store, worked):
    link = next(c for c in worked.coverage if c.status is RelationshipStatus.trusted)
    weaker = Coverage(**(link.model_dump() | {"strength": 20}))
    write_portfolio(store, worked.model_copy(update={"coverage": (weaker,)}))
    weak = {w.title: w for w in find_gaps(store, as_of=WORKED_AS_OF).weak_links}
    assert weak["采购总监"].reasons == [WeakReason.low_strength] and weak["采购总监"].strength == 20


def test_account_network_reads_back_what_was_written(store, sample):
    write_portfolio(store, sample)
    account = sample.accounts[1]
    network = read_account_network(store, account.id)
    assert network.account == account
    people = {p.id: p for p in sample.people if p.account_id == account.id}
    assert {p.id: p for p in network.people} == people
    assert set(network.departments) == {d for d in sample.departments if d.account_id == account.id}
    # and a link for every pair who met without one recorded (docs/gaps.md)
    assert set(network.coverage) == {c for c in coverage_of(sample) if c.person_id in people}
    assert set(network.reporting_lines) == {r for r in sample.reporting_lines if r.person_id in people}
    assert set(network.influences) == {f for f in sample.influences if f.person_id in people}
    written = {i.id: i for i in sample.interactions if i.account_id == account.id}
    assert {i.id: i.model_copy(update={"person_ids": tuple(sorted(i.person_ids))}) for i in network.interactions} == {
        k: v.model_copy(update={"person_ids": tuple(sorted(v.person_ids))}) for k, v in written.items()
    }
    summaries = {s.id: s for s in list_accounts(store)}
    assert summaries[account.id].people == len(people)


def test_a_later_import_updates_in_place(store, worked):
    person = next(p for p in worked.people if p.title == "技术经理")
    promoted = Person(**(person.model_dump() | {"roles": (Role.influencer, Role.champion), "next_action": None}))
    meeting = Interaction(
        id="i-new",
        account_id=person.account_id,
        on=WORKED_AS_OF - timedelta(days=3),
        summary="优化方案评审",
        person_ids=(person.id,),
        contact_ids=(),
    )
    write_portfolio(store, worked.model_copy(update={"people": (promoted,), "interactions": (meeting,)}))
    network = read_account_network(store, person.account_id)
    again = next(p for p in network.people if p.id == person.id)
    assert again.roles == (Role.influencer, Role.champion)
    assert again.next_action is None  # emptied at the source, emptied here
    assert len(network.people) == 4 and len(network.interactions) == 5


def test_an_unknown_account_is_an_error_not_an_empty_report(store, worked):
    from graphmap.errors import NotFound

    with pytest.raises(NotFound, match="no account with id 'a-typo'"):
        find_gaps(store, "a-typo", as_of=WORKED_AS_OF)
