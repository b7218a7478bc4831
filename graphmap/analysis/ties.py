"""The graph warm paths and single points of failure walk: our contacts, the stakeholders they cover, and
the ties between stakeholders that an introduction can travel along.

- (:Contact)-[:COVERS]->(:Person) with a status other than `none`; its strength is the link's one strength
  (recorded, else computed from the interactions: strength.link_strength), else the status prior;
- REPORTS_TO, either way, at `reports_to_strength`;
- INFLUENCES with sign +1, either way, at the edge's strength (opposition never carries an introduction);
- the same department, at `same_department_strength`.
Only active people take part. Between two people the strongest tie counts. Blockers (反对者) can be
reached but never pass an introduction on.
"""

import heapq
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from graphmap.analysis.strength import DEFAULT_STRENGTH, LinkStrength, StrengthSettings, network_strengths
from graphmap.graph import AccountNetwork
from graphmap.model import Contact, Person, PersonStatus, RelationshipStatus, Role, Vocabulary


class TieKind(Vocabulary):
    covers = "covers", "我方对接", "covers"
    reports_to = "reports_to", "汇报给", "reports to"
    manages = "manages", "管理", "manages"
    influences = "influences", "影响", "influences"
    influenced_by = "influenced_by", "受其影响", "is influenced by"
    same_department = "same_department", "同部门", "works in the same department as"


class TieSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    reports_to_strength: int = Field(default=60, ge=0, le=100)
    same_department_strength: int = Field(default=30, ge=0, le=100)


DEFAULT_TIES = TieSettings()


@dataclass(frozen=True)
class Cover:
    contact_id: str
    person_id: str
    status: RelationshipStatus
    strength: int


@dataclass
class TieGraph:
    account_id: str
    contacts: dict[str, Contact]
    people: dict[str, Person]  # active people only
    covered_by: dict[str, list[Cover]] = field(default_factory=lambda: defaultdict(list))
    explicit: dict[str, dict[str, tuple[TieKind, int]]] = field(default_factory=lambda: defaultdict(dict))
    members: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    same_department_strength: int = DEFAULT_TIES.same_department_strength
    # reach_within(n) for each n asked so far (index n), and department_reach_within's, built on demand
    _reach_layers: list[dict[str, int]] = field(default_factory=lambda: [{}], init=False, repr=False, compare=False)
    _department_reach: dict[int, dict[str, int]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def passes_on(self, person_id: str) -> bool:
        """Whether an introduction can travel through this person."""
        return person_id not in self.blockers

    @cached_property
    def blockers(self) -> frozenset[str]:
        """The people who never pass an introduction on (the searches ask for every step they consider)."""
        return frozenset(p.id for p in self.people.values() if Role.blocker in p.roles)

    @cached_property
    def department_of(self) -> dict[str, str]:
        """person_id -> their department, without going through the Person model on every step."""
        return {p.id: p.department_id for p in self.people.values()}

    @cached_property
    def hops_from_contacts(self) -> dict[str, int]:
        """person_id -> fewest ties from any of our contacts, through people who pass introductions on.

        The bound that keeps the warm-path search from extending what cannot arrive; computed once per graph,
        not once per target."""
        distance: dict[str, int] = {}
        queue: deque[str] = deque()
        for person_id in sorted(self.covered_by):
            if self.covered_by[person_id] and self.passes_on(person_id):
                distance[person_id] = 1
                queue.append(person_id)
        expanded_departments: set[str] = set()
        while queue:
            here = queue.popleft()
            department = self.people[here].department_id
            # Department mates are all one step away: expand each department once, not once per member.
            mates = [] if department in expanded_departments else self.members[department]
            expanded_departments.add(department)
            for other in [*self.explicit.get(here, {}), *mates]:
                if other not in distance and self.passes_on(other):
                    distance[other] = distance[here] + 1
                    queue.append(other)
        return distance

    def reach_within(self, hops: int) -> dict[str, int]:
        """person_id -> the warmest (widest) route from them to any of our contacts in at most `hops` ties,
        through people who pass introductions on; absent when there is none that short. An upper bound on
        how warm any path through them can end with `hops` ties left: it ignores that a path visits each
        person once and never takes two department steps in a row.

        Each count of hops builds on the one before (ties are symmetric, so the bound holds in the direction
        the search walks, from the target towards us); computed once per graph, not once per target."""
        layers = self._reach_layers
        while len(layers) <= hops:
            layers.append(self._one_hop_further(layers[-1]) if len(layers) > 1 else self._covered_reach())
        return layers[hops]

    def _covered_reach(self) -> dict[str, int]:
        """Within one tie: the people our contacts cover, at their strongest cover."""
        return {
            person_id: max(c.strength for c in covers)
            for person_id, covers in self.covered_by.items()
            if covers and person_id not in self.blockers
        }

    def _one_hop_further(self, shorter: dict[str, int]) -> dict[str, int]:
        """The widest routes with one tie more than `shorter`'s, or `shorter`'s own where wider."""
        # The two widest members of each department: everyone's widest department mate but themselves.
        best_two: dict[str, list[tuple[int, str]]] = {}
        for department, members in self.members.items():
            best_two[department] = heapq.nlargest(2, ((shorter[m], m) for m in members if m in shorter))
        # The loop every warm-path search and what-if waits on: names bound once, no function call per tie.
        further: dict[str, int] = {}
        explicit, blockers, department_of = self.explicit, self.blockers, self.department_of
        same_department = self.same_department_strength
        for person_id in self.people:
            if person_id in blockers:
                continue
            width = shorter.get(person_id, -1)
            for other, (_, strength) in explicit.get(person_id, {}).items():
                route = shorter.get(other)
                if route is not None:
                    tie = strength if strength < route else route
                    width = tie if tie > width else width
            for mate_width, mate in best_two[department_of[person_id]]:
                if mate != person_id:
                    width = max(width, min(same_department, mate_width))
                    break
            if width >= 0:
                further[person_id] = width
        return further

    def department_reach_within(self, hops: int) -> dict[str, int]:
        """department_id -> the widest route to us in at most `hops` ties from any of its members: what a
        step into the department can at best lead to, before its members are looked at one by one."""
        cache = self._department_reach
        if hops not in cache:
            within = self.reach_within(hops)
            cache[hops] = {}
            for department, members in self.members.items():
                widths = [within[m] for m in members if m in within]
                if widths:
                    cache[hops][department] = max(widths)
        return cache[hops]

    @cached_property
    def department_hops(self) -> dict[str, int]:
        """department_id -> the fewest ties from any of its members who pass introductions on to us."""
        fewest: dict[str, int] = {}
        for department, members in self.members.items():
            hops = [self.hops_from_contacts[m] for m in members if m in self.hops_from_contacts]
            if hops:
                fewest[department] = min(hops)
        return fewest

    def tie(self, a: str, b: str) -> tuple[TieKind, int]:
        """The tie between two people as a step from a to b sees it (kind as seen from a): the strongest of
        their explicit tie and the department they share."""
        same_department = a != b and self.department_of[a] == self.department_of[b]
        if b in self.explicit.get(a, {}):
            kind, strength = self.explicit[a][b]
            if same_department and self.same_department_strength > strength:
                return TieKind.same_department, self.same_department_strength
            return kind, strength
        if same_department:
            return TieKind.same_department, self.same_department_strength
        raise KeyError((a, b))


def build_tie_graph(
    network: AccountNetwork,
    as_of: date,
    settings: TieSettings = DEFAULT_TIES,
    strength: StrengthSettings = DEFAULT_STRENGTH,
    strengths: Sequence[LinkStrength] | None = None,
) -> TieGraph:
    """`strengths`: network_strengths(network, as_of, strength), when the caller has them already."""
    people = {p.id: p for p in network.people if p.status is PersonStatus.active}
    graph = TieGraph(
        account_id=network.account.id,
        contacts={c.id: c for c in network.contacts},
        people=people,
        same_department_strength=settings.same_department_strength,
    )
    if strengths is None:
        strengths = network_strengths(network, as_of, strength)
    scores = {(s.contact_id, s.person_id): s.strength for s in strengths}
    for link in network.coverage:
        if link.person_id not in people or link.status is RelationshipStatus.none:
            continue
        score = scores.get((link.contact_id, link.person_id))
        if score is None:
            score = round(strength.status_priors[link.status])
        graph.covered_by[link.person_id].append(Cover(link.contact_id, link.person_id, link.status, score))

    def add(a: str, b: str, kind: TieKind, back: TieKind, value: int) -> None:
        if a not in people or b not in people or a == b:
            return
        if value > graph.explicit[a].get(b, (kind, -1))[1]:
            graph.explicit[a][b] = (kind, value)
            graph.explicit[b][a] = (back, value)

    for line in network.reporting_lines:
        add(line.person_id, line.manager_id, TieKind.reports_to, TieKind.manages, settings.reports_to_strength)
    for edge in network.influences:
        if edge.sign > 0:
            add(edge.person_id, edge.target_id, TieKind.influences, TieKind.influenced_by, edge.strength)
    for person in people.values():
        graph.members[person.department_id].append(person.id)
    for ids in graph.members.values():
        ids.sort()
    return graph
