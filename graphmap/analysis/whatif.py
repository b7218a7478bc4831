"""What if someone leaves (假如离开): the account's map as if one of our contacts, or one of theirs, were gone.

Nothing is written: the network is read once, the person taken out of a copy in memory, and the gap
rules (gaps.network_gaps), the coverage score (coverage.account_coverage) and the warm paths
(paths.find_paths) run on both. One of our contacts may cover people in several accounts: each account
they cover someone in gets its answer. A stakeholder's answer is about their own account.

- loses_all_coverage: stakeholders with a link from our side before and none after;
- newly_uncovered_decision_makers: decision-makers the gap rules call uncovered after and not before;
- broken_paths: the best warm path to each active decision-maker, where it went through the person
  leaving (their contact, or a stakeholder on the way), and the best one left (None: nobody reaches them).
"""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from graphmap.analysis.coverage import DEFAULT_COVERAGE, account_coverage
from graphmap.analysis.gaps import GapReport, GapThresholds, UncoveredStakeholder, network_gaps
from graphmap.analysis.influence import influence_centrality
from graphmap.analysis.paths import WarmPath, find_paths
from graphmap.analysis.spof import PersonRef
from graphmap.analysis.strength import network_strengths
from graphmap.analysis.ties import TieGraph, build_tie_graph
from graphmap.errors import Invalid, NotFound
from graphmap.graph import AccountNetwork, Scope, ScopeLike, find_stakeholder, read_account_network, read_scope
from graphmap.model import Person, PersonStatus, Role
from graphmap.queries import Q
from graphmap.store import GraphStore

Side = Literal["ours", "theirs"]


class BrokenPath(BaseModel):
    person: PersonRef = Field(description="the decision-maker the path led to")
    before: WarmPath
    after: WarmPath | None = Field(description="the best path left; None when nobody on our side reaches them")


class WhatIf(BaseModel):
    account_id: str
    account_name: str
    as_of: date
    leaving: PersonRef
    side: Side = Field(description="'ours' for one of our contacts, 'theirs' for a stakeholder")
    score_before: int | None = Field(description="weighted coverage 0-100 as things are")
    score_after: int | None = Field(description="the same without the person leaving")
    loses_all_coverage: list[PersonRef]
    newly_uncovered_decision_makers: list[UncoveredStakeholder]
    broken_paths: list[BrokenPath]


def what_if_leaves(
    store: GraphStore,
    person_id: str,
    scope: ScopeLike = None,
    as_of: date | None = None,
    thresholds: GapThresholds | None = None,
) -> list[WhatIf]:
    """The answer for each account in the scope that `person_id` (one of our contacts or a stakeholder)
    is part of; NotFound when they are neither in the scope."""
    scope, as_of = Scope.of(scope), as_of or date.today()
    covered = store.read(Q.find_sole_coverage, contact_id=person_id)
    if covered:
        accounts = {row["account_id"] for row in covered if row["account_id"] is not None}
        if scope.account_ids is not None:
            accounts &= scope.account_ids
    else:
        stakeholder = find_stakeholder(store, person_id, scope)
        if stakeholder.status is PersonStatus.left:
            raise Invalid(f"stakeholder {person_id!r} has left the account already / 此人已离开")
        accounts = {stakeholder.account_id}
    if not accounts:
        return []
    if len(accounts) == 1:  # the map's question: its account's network, kept by the API while unchanged
        networks = [read_account_network(store, next(iter(accounts)), scope.masked)]
    else:
        networks = read_scope(store, Scope(frozenset(accounts), scope.masked))
    return [network_what_if(network, person_id, as_of, thresholds) for network in networks]


def network_what_if(
    network: AccountNetwork, person_id: str, as_of: date, thresholds: GapThresholds | None = None
) -> WhatIf:
    """The answer for one account's network already in memory."""
    contacts = {c.id: c for c in network.contacts}
    people = {p.id: p for p in network.people}
    if person_id in contacts:
        side: Side = "ours"
        leaving = PersonRef(id=person_id, name=contacts[person_id].name, title=contacts[person_id].title)
        after = _without_contact(network, person_id)
    elif person_id in people:
        side = "theirs"
        leaving = PersonRef(id=person_id, name=people[person_id].name, title=people[person_id].title)
        after = _without_stakeholder(network, person_id)
    else:
        raise NotFound(f"nobody with id {person_id!r} in account {network.account.id!r} / 此客户中没有此人")
    # What does not change is computed once: a link's strength is its own interactions', and the stakeholders'
    # centrality is their ties', which one of ours leaving leaves as they were.
    strengths = network_strengths(network, as_of)
    strengths_after = [s for s in strengths if s.contact_id != person_id] if side == "ours" else strengths
    gaps_before = network_gaps(network, as_of, thresholds, strengths)
    # Gaps are judged person by person: only those the person leaving covered (or they themselves) change.
    affected = {c.person_id for c in network.coverage if c.contact_id == person_id} if side == "ours" else {person_id}
    gaps_only = network_gaps(_only(after, affected), as_of, thresholds, strengths_after)
    gaps_after = _with_gaps_of(gaps_before, gaps_only, affected)
    covered_before = {c.person_id for c in network.coverage}
    covered_after = {c.person_id for c in after.coverage}
    active_after = {p.id for p in after.people if p.status is PersonStatus.active}
    uncovered_before = {u.person_id for u in gaps_before.uncovered_decision_makers}
    centrality = influence_centrality(network)
    centrality_after = centrality if side == "ours" else influence_centrality(after)
    return WhatIf(
        account_id=network.account.id,
        account_name=network.account.name,
        as_of=as_of,
        leaving=leaving,
        side=side,
        score_before=account_coverage(network, gaps_before, DEFAULT_COVERAGE, centrality).score,
        score_after=account_coverage(after, gaps_after, DEFAULT_COVERAGE, centrality_after).score,
        loses_all_coverage=[
            _ref(people[p])
            for p in sorted(covered_before - covered_after, key=lambda p: (people[p].name, p))
            if p in active_after
        ],  # fmt: skip
        newly_uncovered_decision_makers=[
            u for u in gaps_after.uncovered_decision_makers if u.person_id not in uncovered_before
        ],
        broken_paths=_broken_paths(
            build_tie_graph(network, as_of, strengths=strengths),
            build_tie_graph(after, as_of, strengths=strengths_after),
            after,
            person_id,
        ),
    )


def _broken_paths(
    graph_before: TieGraph, graph_after: TieGraph, after: AccountNetwork, leaving_id: str
) -> list[BrokenPath]:
    broken = []
    for person in sorted(after.people, key=lambda p: (p.name, p.id)):
        if person.status is not PersonStatus.active or Role.decision_maker not in person.roles:
            continue
        found = find_paths(graph_before, person.id, k=1)
        if not found or leaving_id not in _on_path(found[0]):
            continue
        left = find_paths(graph_after, person.id, k=1)
        broken.append(BrokenPath(person=_ref(person), before=found[0], after=left[0] if left else None))
    return broken


def _only(network: AccountNetwork, people: set[str]) -> AccountNetwork:
    """The network of these people alone (departments kept whole, for their paths)."""
    return network.model_copy(
        update={
            "people": tuple(p for p in network.people if p.id in people),
            "coverage": tuple(c for c in network.coverage if c.person_id in people),
            "interactions": tuple(i for i in network.interactions if not people.isdisjoint(i.person_ids)),
        }
    )


def _with_gaps_of(report: GapReport, part: GapReport, people: set[str]) -> GapReport:
    """`report` with these people's gaps replaced by `part`'s."""
    return report.model_copy(
        update={
            "uncovered_decision_makers": [u for u in report.uncovered_decision_makers if u.person_id not in people]
            + part.uncovered_decision_makers,
            "uncovered_stakeholders": [u for u in report.uncovered_stakeholders if u.person_id not in people]
            + part.uncovered_stakeholders,
            "weak_links": [w for w in report.weak_links if w.person_id not in people] + part.weak_links,
        }
    )


def _on_path(path: WarmPath) -> set[str]:
    return {path.contact_id, *(step.to_id for step in path.steps[:-1])}


def _without_contact(network: AccountNetwork, contact_id: str) -> AccountNetwork:
    return network.model_copy(
        update={
            "contacts": tuple(c for c in network.contacts if c.id != contact_id),
            "coverage": tuple(c for c in network.coverage if c.contact_id != contact_id),
            "interactions": tuple(
                i.model_copy(update={"contact_ids": tuple(c for c in i.contact_ids if c != contact_id)})
                if contact_id in i.contact_ids
                else i
                for i in network.interactions
            ),  # fmt: skip
        }
    )


def _without_stakeholder(network: AccountNetwork, person_id: str) -> AccountNetwork:
    return network.model_copy(
        update={
            "people": tuple(
                p.model_copy(update={"status": PersonStatus.left}) if p.id == person_id else p for p in network.people
            )
        }
    )


def _ref(person: Person) -> PersonRef:
    return PersonRef(id=person.id, name=person.name, title=person.title)
