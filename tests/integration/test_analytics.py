"""The analyses on every engine, checked against independent computations: networkx for paths,
articulation points and PageRank; plain Python over the Portfolio for strength, coverage and dependency."""

import json
import math
import random
from collections import Counter, defaultdict
from datetime import timedelta

import networkx as nx
import pytest
from typer.testing import CliRunner

from graphmap.analysis.actions import GapKind, next_actions
from graphmap.analysis.changes import changes_since
from graphmap.analysis.coverage import DEFAULT_COVERAGE, coverage
from graphmap.analysis.gaps import GapThresholds, find_gaps
from graphmap.analysis.influence import hidden_influencers
from graphmap.analysis.paths import warm_paths
from graphmap.analysis.spof import coverage_lost_if_leaves, single_points
from graphmap.analysis.strength import DEFAULT_STRENGTH, relationship_strength
from graphmap.changelog import ChangeKind
from graphmap.cli import app
from graphmap.errors import Invalid, NotFound
from graphmap.graph import write_portfolio
from graphmap.io.mapping_table import read_mapping_table
from graphmap.model import Coverage, Person, PersonStatus, Portfolio, RelationshipStatus, Role
from graphmap.sample import SAMPLE_AS_OF, portfolio_path
from tests.conftest import WORKED_EXAMPLE
from tests.integration.expected import coverage_of, expected_uncovered

pytestmark = pytest.mark.integration
AS_OF = SAMPLE_AS_OF


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))


@pytest.fixture
def loaded(store, sample):
    write_portfolio(store, sample)
    return sample


def _active(portfolio: Portfolio) -> dict[str, Person]:
    return {p.id: p for p in portfolio.people if p.status is PersonStatus.active}


def _expected_scores(portfolio: Portfolio) -> dict[tuple[str, str], int | None]:
    """Link strength by the formula in docs/analytics.md, written out again."""
    s = DEFAULT_STRENGTH
    scores = {}
    for link in coverage_of(portfolio):
        activity, seen = 0.0, False
        for i in portfolio.interactions:
            if i.on and i.on <= AS_OF and link.contact_id in i.contact_ids and link.person_id in i.person_ids:
                seen = True
                weight = s.channel_weights[i.channel] if i.channel else s.unknown_channel_weight
                activity += weight * 0.5 ** ((AS_OF - i.on).days / s.half_life_days)
        score = s.prior_weight * s.status_priors[link.status] + (1 - s.prior_weight) * 100 * (
            1 - math.exp(-activity / s.saturation)
        )
        scores[(link.contact_id, link.person_id)] = math.floor(score + 0.5) if seen else None
    return scores


def _tie_graph(portfolio: Portfolio, account_id: str) -> nx.DiGraph:
    """The introduction graph with networkx: person->person both ways (strongest tie), person->contact."""
    people = {k: p for k, p in _active(portfolio).items() if p.account_id == account_id}
    scores = _expected_scores(portfolio)
    graph = nx.DiGraph()
    graph.add_nodes_from(people)

    def tie(a: str, b: str, strength: int, kind: str) -> None:
        if a in people and b in people and a != b:
            if not graph.has_edge(a, b) or strength > graph.edges[a, b]["strength"]:
                graph.add_edge(a, b, strength=strength, kind=kind)
                graph.add_edge(b, a, strength=strength, kind=kind)

    for line in portfolio.reporting_lines:
        tie(line.person_id, line.manager_id, 60, "reports_to")
    for edge in portfolio.influences:
        if edge.sign > 0:
            tie(edge.person_id, edge.target_id, edge.strength, "influences")
    for a in people.values():
        for b in people.values():
            if a.id < b.id and a.department_id == b.department_id:
                tie(a.id, b.id, 30, "same_department")
    for link in coverage_of(portfolio):
        if link.person_id in people and link.status is not RelationshipStatus.none:
            score = link.strength if link.strength is not None else scores[(link.contact_id, link.person_id)]
            if score is None:
                score = round(DEFAULT_STRENGTH.status_priors[link.status])
            graph.add_edge(link.person_id, "contact:" + link.contact_id, strength=score, kind="covers")
    return graph


def _expected_paths(portfolio: Portfolio, target: str, k: int, max_hops: int) -> list[tuple]:
    person = next(p for p in portfolio.people if p.id == target)
    graph = _tie_graph(portfolio, person.account_id)
    blockers = {p.id for p in portfolio.people if Role.blocker in p.roles}
    contacts = [n for n in graph if n.startswith("contact:")]
    ranked = []
    for path in nx.all_simple_paths(graph, target, contacts, cutoff=max_hops):
        inner = path[1:-1]
        if any(n.startswith("contact:") or n in blockers for n in inner):
            continue
        kinds = [graph.edges[a, b]["kind"] for a, b in zip(path, path[1:], strict=False)]
        if any(a == b == "same_department" for a, b in zip(kinds, kinds[1:], strict=False)):
            continue  # two steps inside one department: never a path (see analysis/paths.py)
        forward = [path[-1].removeprefix("contact:"), *reversed(path[:-1])]
        weakest = min(graph.edges[a, b]["strength"] for a, b in zip(path, path[1:], strict=False))
        ranked.append((-weakest, len(path) - 1, tuple(forward)))
    return sorted(ranked)[:k]


def test_warm_paths_match_networkx(store, loaded):
    rng = random.Random(4)
    report = find_gaps(store, as_of=AS_OF)
    small = {a.id for a in loaded.accounts if sum(p.account_id == a.id for p in loaded.people) <= 40}
    targets = [u.person_id for u in report.uncovered_decision_makers if u.account_id in small]
    targets += rng.sample(sorted(p for p, person in _active(loaded).items() if person.account_id in small), 8)
    assert len(targets) >= 10
    for target in targets:
        for k, hops in ((5, 4), (3, 2)):
            found = [(-p.weakest, p.hops, (p.contact_id, *(s.to_id for s in p.steps)))
                     for p in warm_paths(store, target, k=k, max_hops=hops, as_of=AS_OF)]  # fmt: skip
            assert found == _expected_paths(loaded, target, k, hops), target


def test_a_path_reads_as_words_and_bad_targets_are_refused(store, loaded):
    dm = find_gaps(store, as_of=AS_OF).uncovered_decision_makers[0]
    best = warm_paths(store, dm.person_id, k=1, as_of=AS_OF)[0]
    assert best.explanation_zh.endswith(f"{dm.title}{dm.name}") and " → " in best.explanation_zh
    assert best.steps[0].status is not None and best.steps[0].kind == "covers"
    with pytest.raises(NotFound):
        warm_paths(store, "no-such-person")
    gone = next(p for p in loaded.people if p.status is PersonStatus.left)
    with pytest.raises(Invalid, match="left"):
        warm_paths(store, gone.id)


def _expected_cuts(portfolio: Portfolio, account_id: str) -> dict[str, list[str]]:
    """For each person or contact: the decision-makers reachable from our side now and not without them."""
    directed = _tie_graph(portfolio, account_id)
    graph = nx.Graph(directed.to_undirected())
    contacts = [n for n in graph if n.startswith("contact:")]
    graph.add_edges_from(("us", c) for c in contacts)
    dms = {p.id for p in _active(portfolio).values() if p.account_id == account_id and Role.decision_maker in p.roles}
    reached = nx.node_connected_component(graph, "us") if contacts else set()
    cuts = {}
    for node in list(graph):
        if node == "us":
            continue
        without = graph.copy()
        without.remove_node(node)
        still = nx.node_connected_component(without, "us")
        lost = sorted(d for d in dms & reached if d != node and d not in still)
        if lost:
            cuts[node.removeprefix("contact:")] = lost
    return cuts


def test_critical_people_are_the_articulation_points_networkx_finds(store, loaded):
    risks = single_points(store, as_of=AS_OF)
    assert len(risks) == len(loaded.accounts)
    for risk in risks:
        found = {c.person.id: [d.id for d in c.decision_makers_cut] for c in risk.critical_people}
        assert found == _expected_cuts(loaded, risk.account_id), risk.account_id


def test_dependency_shares_and_exposure(store, loaded):
    for risk in single_points(store, as_of=AS_OF):
        recent = [i for i in loaded.interactions if i.account_id == risk.account_id and i.on
                  and AS_OF - timedelta(days=365) < i.on <= AS_OF]  # fmt: skip
        assert risk.interactions == len(recent)
        by_contact = Counter(c for i in recent for c in set(i.contact_ids))
        if recent:
            top = max(by_contact.values())
            assert risk.top_contact and risk.top_contact.interactions == top
            assert risk.depends_on_contact == (len(recent) >= 5 and top / len(recent) >= 0.8)
    active = _active(loaded)
    coverers = defaultdict(set)
    for link in loaded.coverage:
        coverers[link.person_id].add(link.contact_id)
    contact = loaded.contacts[0].id
    expected = sorted(p for p, cs in coverers.items() if cs == {contact} and p in active)
    assert sorted(p.id for p in coverage_lost_if_leaves(store, contact)) == expected
    with pytest.raises(NotFound):
        coverage_lost_if_leaves(store, "nobody")


def test_centrality_is_networkx_pagerank(store, loaded):
    ranked = hidden_influencers(store, as_of=AS_OF, top=1000)
    for account in loaded.accounts:
        people = {k for k, p in _active(loaded).items() if p.account_id == account.id}
        graph = nx.DiGraph()
        graph.add_nodes_from(people)

        def listen(a: str, b: str, w: float, graph: nx.DiGraph = graph, people: set[str] = people) -> None:
            if a in people and b in people:
                old = graph.edges[a, b]["weight"] if graph.has_edge(a, b) else 0.0
                graph.add_edge(a, b, weight=old + w)

        for line in loaded.reporting_lines:
            listen(line.person_id, line.manager_id, 0.5)
        for edge in loaded.influences:
            listen(edge.target_id, edge.person_id, edge.strength / 100)
        expected = nx.pagerank(graph, alpha=0.85, tol=1e-12, max_iter=1000)
        found = {h.person_id: h.centrality for h in ranked if h.account_id == account.id}
        assert set(found) == people
        for person_id, value in found.items():
            assert value == pytest.approx(expected[person_id] * len(people), abs=2e-3)
    uncovered = {u.person_id for u in find_gaps(store, as_of=AS_OF).uncovered_stakeholders}
    assert all(h.hidden == (h.centrality > 1 and h.person_id in uncovered) for h in ranked if Role.decision_maker
               not in h.roles)  # fmt: skip


def test_strength_is_the_documented_formula(store, loaded):
    links = relationship_strength(store, as_of=AS_OF)
    expected = _expected_scores(loaded)
    assert {(s.contact_id, s.person_id): s.score for s in links} == expected
    assert any(s.score is None for s in links) and any(s.band == "strong" for s in links)


def test_coverage_counts_and_completeness(store, loaded):
    thresholds = GapThresholds()
    uncovered = expected_uncovered(loaded, AS_OF, thresholds)
    for report in coverage(store, as_of=AS_OF):
        active = [p for p in _active(loaded).values() if p.account_id == report.account_id]
        assert report.people == len(active)
        assert report.covered == sum(1 for p in active if p.id not in uncovered)
        reached = {r for p in active if p.id not in uncovered for r in p.roles}
        required = DEFAULT_COVERAGE.required_roles
        assert report.covered_roles == [r for r in required if r in reached]
        assert report.completeness == round(100 * len(report.covered_roles) / len(required))
        assert report.score is not None and 0 <= report.score <= 100
        top = next(d for d in report.departments if d.parent_id is None)
        assert top.subtree_people == len(active)  # the HQ's subtree is the whole account


def test_required_roles_per_account(store, loaded):
    account = loaded.accounts[0]
    changed = account.model_copy(update={"required_roles": (Role.champion,)})
    write_portfolio(store, loaded.model_copy(update={"accounts": (changed, *loaded.accounts[1:])}))
    (report,) = coverage(store, account.id, as_of=AS_OF)
    assert report.required_roles == [Role.champion]


def test_every_gap_gets_an_action(store, loaded):
    report = find_gaps(store, as_of=AS_OF)
    suggested = next_actions(store, as_of=AS_OF)
    people = {(a.gap, a.person_id) for a in suggested}
    for u in report.uncovered_decision_makers:
        assert (GapKind.uncovered_decision_maker, u.person_id) in people
    assert sum(a.gap is GapKind.weak_link for a in suggested) == len(report.weak_links)
    assert all(a.action_zh and a.action_en for a in suggested)
    assert [a.priority for a in suggested if a.account_id == suggested[0].account_id] == sorted(
        a.priority for a in suggested if a.account_id == suggested[0].account_id
    )
    introductions = [a for a in suggested if a.path is not None]
    assert introductions and all(a.path.steps[0].to_name in a.action_zh for a in introductions)


def test_the_change_log_records_what_a_later_import_changed(store):
    first = read_mapping_table(WORKED_EXAMPLE)
    write_portfolio(store, first)
    account = first.accounts[0]
    later_day = account.updated_on + timedelta(days=30)
    user = next(p for p in first.people if p.title == "生产线组长")
    tech = next(p for p in first.people if p.title == "技术经理")
    newcomer = user.model_copy(update={"id": "p-newcomer", "name": "王*", "title": "设备主管"})
    tech_link = next(c for c in first.coverage if c.person_id == tech.id)
    contact = next(c for c in first.contacts if c.id != tech_link.contact_id)
    later = first.model_copy(
        update={
            "accounts": (account.model_copy(update={"updated_on": later_day}),),
            "people": (*[p for p in first.people if p.id != user.id],
                       user.model_copy(update={"status": PersonStatus.left}), newcomer),
            "coverage": (*[c for c in first.coverage if c is not tech_link],
                         tech_link.model_copy(update={"status": RelationshipStatus.trusted}),
                         Coverage(contact_id=contact.id, person_id=newcomer.id, status=RelationshipStatus.initial)),
        }
    )  # fmt: skip
    write_portfolio(store, later)
    write_portfolio(store, later)  # again: nothing new
    (summary,) = changes_since(store, later_day, account.id)
    kinds = sorted((c.kind, c.subject_id) for c in summary.changes)
    expected = [(ChangeKind.person_left, user.id), (ChangeKind.person_joined, newcomer.id),
                (ChangeKind.status_changed, tech.id), (ChangeKind.coverage_gained, newcomer.id)]  # fmt: skip
    assert kinds == sorted(expected)
    assert (summary.joined, summary.left, summary.coverage_gained, summary.coverage_lost) == (1, 1, 2, 0)
    status = next(c for c in summary.changes if c.kind is ChangeKind.status_changed)
    assert (status.before, status.after, status.on) == ("initial", "trusted", later_day)
    (everything,) = changes_since(store, account.updated_on, account.id)
    assert [c.kind for c in everything.changes][0] is ChangeKind.account_added
    assert changes_since(store, later_day + timedelta(days=1)) == []
    with pytest.raises(NotFound):
        changes_since(store, later_day, "no-such-account")


def test_the_cli_prints_the_library_numbers(cli_env):
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    run("demo", "--out", "/tmp/graphmap-test-pages-" + cli_env)
    as_of = ("--as-of", AS_OF.isoformat())
    reports = json.loads(run("coverage", "--json", *as_of))
    assert len(reports) == 7 and all("completeness" in r for r in reports)
    dm = json.loads(run("gaps", "--json", *as_of))["uncovered_decision_makers"][0]["person_id"]
    found = json.loads(run("paths", dm, "--json", "--k", "2", *as_of))
    assert 1 <= len(found) <= 2 and found[0]["target_id"] == dm
    for command in ("strength", "spof", "influencers", "segments", "followups", "lifecycle", "actions"):
        assert json.loads(run(command, "--json", *as_of)), command
        assert "/" in run(command, *as_of)  # the table, headers in both languages
    assert json.loads(run("changes", "--since", "2024-01-01", "--json"))
    result = runner.invoke(app, ["paths", "nobody"])
    assert result.exit_code == 1 and "no stakeholder" in result.output
