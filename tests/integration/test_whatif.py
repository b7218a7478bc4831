"""What if someone leaves, on every engine: the sample's contacts and stakeholders taken out in memory,
checked against the analyses that answer parts of it from the store, and nothing written."""

from collections import Counter

import pytest

from graphmap.analysis.coverage import coverage
from graphmap.analysis.gaps import find_gaps
from graphmap.analysis.registry import run_analysis
from graphmap.analysis.spof import coverage_lost_if_leaves
from graphmap.analysis.whatif import what_if_leaves
from graphmap.editing import COVERAGE, delete_record
from graphmap.errors import Invalid, NotFound
from graphmap.graph import count_graph, read_account_network, write_portfolio
from graphmap.model import Portfolio, Role
from graphmap.sample import SAMPLE_AS_OF, portfolio_path

pytestmark = pytest.mark.integration


@pytest.fixture
def sample(store) -> Portfolio:
    portfolio = Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))
    write_portfolio(store, portfolio)
    return portfolio


def busiest_contact(sample: Portfolio) -> str:
    """The contact of ours who covers the most decision-makers."""
    decision_makers = {p.id for p in sample.people if Role.decision_maker in p.roles}
    return Counter(c.contact_id for c in sample.coverage if c.person_id in decision_makers).most_common(1)[0][0]


def test_a_contact_leaving_costs_what_the_store_s_analyses_say(store, sample):
    contact_id = busiest_contact(sample)
    before = count_graph(store)
    answers = what_if_leaves(store, contact_id, as_of=SAMPLE_AS_OF)
    assert count_graph(store) == before  # nothing written
    covered = {p.account_id for c in sample.coverage if c.contact_id == contact_id for p in sample.people
               if p.id == c.person_id}  # fmt: skip
    assert {a.account_id for a in answers} == covered and len(answers) >= 2
    lost = coverage_lost_if_leaves(store, contact_id)
    assert {(a.account_id, p.id) for a in answers for p in a.loses_all_coverage} == {(p.account_id, p.id) for p in lost}
    # A decision-maker covered today becomes uncovered when every other link to them is weak (or none).
    report = find_gaps(store, as_of=SAMPLE_AS_OF)
    weak = {(w.contact_id, w.person_id) for w in report.weak_links}
    uncovered = {u.person_id for u in report.uncovered_decision_makers}
    expected = {
        (p.account_id, p.id)
        for p in sample.people
        if Role.decision_maker in p.roles and p.status.value != "left" and p.id not in uncovered
        and all((c.contact_id, c.person_id) in weak for c in sample.coverage
                if c.person_id == p.id and c.contact_id != contact_id)
    }  # fmt: skip
    assert (
        expected
        and {(a.account_id, u.person_id) for a in answers for u in a.newly_uncovered_decision_makers} == expected
    )
    assert any(a.broken_paths for a in answers)
    for answer in answers:
        assert answer.side == "ours" and answer.leaving.id == contact_id
        assert answer.score_after is not None and answer.score_before is not None
        assert answer.score_after <= answer.score_before
        network = read_account_network(store, answer.account_id)
        decision_makers = {p.id for p in network.people if Role.decision_maker in p.roles}
        assert {u.person_id for u in answer.newly_uncovered_decision_makers} <= decision_makers
        for broken in answer.broken_paths:
            assert contact_id == broken.before.contact_id or contact_id in {s.to_id for s in broken.before.steps}
            assert broken.after is None or broken.after.contact_id != contact_id


def test_what_if_is_what_the_store_says_once_it_has_happened(store, sample):
    # The what-if judges only the people whose links change; doing it for real must give the same answer.
    contact_id = busiest_contact(sample)
    answers = {a.account_id: a for a in what_if_leaves(store, contact_id, as_of=SAMPLE_AS_OF)}
    uncovered_before = {u.person_id for u in find_gaps(store, as_of=SAMPLE_AS_OF).uncovered_decision_makers}
    for account_id in answers:  # every link of theirs, those made from interactions on record too
        for link in read_account_network(store, account_id).coverage:
            if link.contact_id == contact_id:
                delete_record(store, COVERAGE, account_id, (link.contact_id, link.person_id), "test")
    scores = {c.account_id: c.score for c in coverage(store, as_of=SAMPLE_AS_OF)}
    uncovered_after = find_gaps(store, as_of=SAMPLE_AS_OF).uncovered_decision_makers
    for account_id, answer in answers.items():
        assert answer.score_after == scores[account_id]
        expected = {u.person_id for u in uncovered_after if u.account_id == account_id} - uncovered_before
        assert {u.person_id for u in answer.newly_uncovered_decision_makers} == expected


def test_a_stakeholder_leaving_breaks_the_paths_that_went_through_them(store, sample):
    # The sample's hubs: the stakeholder most warm paths to decision-makers pass through.
    contact_id = busiest_contact(sample)
    (answer, *_) = what_if_leaves(store, contact_id, as_of=SAMPLE_AS_OF)
    via = next(s.to_id for b in answer.broken_paths for s in b.before.steps[:-1])
    (theirs,) = what_if_leaves(store, via, as_of=SAMPLE_AS_OF)
    assert theirs.side == "theirs" and theirs.leaving.id == via and theirs.broken_paths
    for broken in theirs.broken_paths:
        assert via in {s.to_id for s in broken.before.steps[:-1]}
        assert broken.after is None or via not in {s.to_id for s in broken.after.steps}
    assert theirs.loses_all_coverage == []  # nobody's links go through a stakeholder


def test_the_faces_name_it_what_if_and_refuse_strangers(store, sample):
    contact_id = busiest_contact(sample)
    account_id = what_if_leaves(store, contact_id, as_of=SAMPLE_AS_OF)[0].account_id
    one = run_analysis(store, "what-if", account_id, SAMPLE_AS_OF, leaves=contact_id)
    assert [a.account_id for a in one] == [account_id]
    with pytest.raises(NotFound, match="nobody-here"):
        what_if_leaves(store, "nobody-here", as_of=SAMPLE_AS_OF)
    left = next((p for p in sample.people if p.status.value == "left"), None)
    if left is not None:
        with pytest.raises(Invalid, match="left"):
            what_if_leaves(store, left.id, as_of=SAMPLE_AS_OF)
