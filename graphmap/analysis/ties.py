"""The graph warm paths and single points of failure walk: our contacts, the stakeholders they cover, and
the ties between stakeholders that an introduction can travel along.

- (:Contact)-[:COVERS]->(:Person) with a status other than `none`; its strength is the link's score from
  the interactions (analysis/strength.py), else the strength recorded on the link, else the status prior;
- REPORTS_TO, either way, at `reports_to_strength`;
- INFLUENCES with sign +1, either way, at the edge's strength (opposition never carries an introduction);
- the same department, at `same_department_strength`.
Only active people take part. Between two people the strongest tie counts. Blockers (反对者) can be
reached but never pass an introduction on.
"""

import heapq
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from graphmap.analysis.strength import DEFAULT_STRENGTH, StrengthSettings, network_strengths
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

    def neighbours(self, person_id: str) -> Iterator[tuple[str, TieKind, int]]:
        """(other person, kind as seen from person_id, strength), each neighbour once, strongest tie."""
        explicit = self.explicit.get(person_id, {})
        department = self.people[person_id].department_id
        for other, (kind, strength) in explicit.items():
            if self.people[other].department_id == department and self.same_department_strength > strength:
                yield other, TieKind.same_department, self.same_department_strength
            else:
                yield other, kind, strength
        for other in self.members[department]:
            if other != person_id and other not in explicit:
                yield other, TieKind.same_department, self.same_department_strength

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

    @cached_property
    def reach(self) -> dict[str, int]:
        """person_id -> the warmest (widest) route from them to any of our contacts, through people who pass
        introductions on, however long: an upper bound on how warm any path through them can end.

        Widest-path Dijkstra from the covered people outward; ties are symmetric, so the bound holds in
        the direction the search walks (from the target towards us)."""
        reach: dict[str, int] = {}
        heap: list[tuple[int, str]] = []
        for person_id, covers in self.covered_by.items():
            if covers and self.passes_on(person_id):
                reach[person_id] = max(c.strength for c in covers)
                heap.append((-reach[person_id], person_id))
        heapq.heapify(heap)
        expanded_departments: set[str] = set()
        while heap:
            negative, here = heapq.heappop(heap)
            if -negative < reach[here]:
                continue  # a stale entry: a wider route was found since
            department = self.department_of[here]
            ties = [(other, strength) for other, (_, strength) in self.explicit.get(here, {}).items()]
            # A department's first member to come out is its widest, so the department tie can offer its
            # mates nothing wider later: each department is expanded once, not once per member (a large
            # account's departments have hundreds of people).
            if department not in expanded_departments:
                expanded_departments.add(department)
                ties += [(other, self.same_department_strength) for other in self.members[department] if other != here]
            for other, strength in ties:
                width = min(strength, -negative)
                if width > reach.get(other, -1) and other not in self.blockers:
                    reach[other] = width
                    heapq.heappush(heap, (-width, other))
        return reach

    @cached_property
    def department_bounds(self) -> dict[str, tuple[int, int]]:
        """department_id -> (widest reach, fewest hops to us) over its members who pass introductions on:
        what a step into the department can at best lead to, before its members are looked at one by one."""
        bounds: dict[str, tuple[int, int]] = {}
        for department, members in self.members.items():
            open_ = [m for m in members if self.passes_on(m) and m in self.hops_from_contacts]
            if open_:
                bounds[department] = (
                    max(self.reach.get(m, -1) for m in open_),
                    min(self.hops_from_contacts[m] for m in open_),
                )
        return bounds

    def tie(self, a: str, b: str) -> tuple[TieKind, int]:
        for other, kind, strength in self.neighbours(a):
            if other == b:
                return kind, strength
        raise KeyError((a, b))


def build_tie_graph(
    network: AccountNetwork,
    as_of: date,
    settings: TieSettings = DEFAULT_TIES,
    strength: StrengthSettings = DEFAULT_STRENGTH,
) -> TieGraph:
    people = {p.id: p for p in network.people if p.status is PersonStatus.active}
    graph = TieGraph(
        account_id=network.account.id,
        contacts={c.id: c for c in network.contacts},
        people=people,
        same_department_strength=settings.same_department_strength,
    )
    scores = {(s.contact_id, s.person_id): s.score for s in network_strengths(network, as_of, strength)}
    for link in network.coverage:
        if link.person_id not in people or link.status is RelationshipStatus.none:
            continue
        score = scores.get((link.contact_id, link.person_id))
        if score is None:
            score = link.strength if link.strength is not None else round(strength.status_priors[link.status])
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
