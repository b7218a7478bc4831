"""Warm-introduction paths (引荐路径): from any of our contacts, through stakeholders, to a target person.

A path is contact -> covered stakeholder -> ... -> target along the ties of analysis/ties.py, at most
`max_hops` edges long, through distinct people, never two same-department steps in a row (everyone in a
department is tied to everyone else there, so the direct step is always as warm and shorter: such a
detour is no introduction anyone would make). Paths rank by their weakest tie (higher first), then by
length (shorter first), then by the ids along them, so the answer is the same on every run and engine.

The search is best-first (A*) from the target: a partial path is ranked by the best any completion of it
can be, its weakest tie capped by the widest route from its end to any of our contacts in the hops it
has left and its length plus the fewest hops still needed (both computed once per tie graph), so paths
come out in rank order and the search stops after k. It never extends a partial path that cannot reach
a contact within the hop limit.
"""

import bisect
import heapq
from datetime import date

from pydantic import BaseModel, Field

from graphmap.analysis.ties import DEFAULT_TIES, TieGraph, TieKind, TieSettings, build_tie_graph
from graphmap.errors import Invalid
from graphmap.graph import Scope, ScopeLike, find_stakeholder, read_account_network
from graphmap.model import Contact, Person, PersonStatus, RelationshipStatus, titled
from graphmap.store import GraphStore

MAX_HOPS = 4
SEARCH_LIMIT = 200_000  # partial paths examined per target; only pathological graphs get near it


class PathStep(BaseModel):
    from_id: str
    to_id: str
    to_name: str
    to_title: str | None
    kind: TieKind
    strength: int
    status: RelationshipStatus | None = Field(default=None, description="on the first step: our relationship")


class WarmPath(BaseModel):
    account_id: str
    target_id: str
    contact_id: str
    contact_name: str
    contact_title: str | None
    steps: list[PathStep]
    weakest: int = Field(description="the strength of the weakest tie: how warm the whole path is")
    hops: int
    explanation_zh: str
    explanation_en: str


def warm_paths(
    store: GraphStore,
    target_id: str,
    k: int = 3,
    max_hops: int = MAX_HOPS,
    as_of: date | None = None,
    settings: TieSettings = DEFAULT_TIES,
    scope: ScopeLike = None,
) -> list[WarmPath]:
    """The k best warm paths to `target_id` (empty when nobody on our side can reach them); `scope`: the
    accounts the stakeholder must be in (NotFound otherwise) and how their people are seen."""
    scope = Scope.of(scope)
    if not 1 <= max_hops <= 6:
        raise Invalid(f"max_hops: {max_hops} is out of range; give 1 to 6")
    target = find_stakeholder(store, target_id, scope)
    if target.status is PersonStatus.left:
        raise Invalid(f"stakeholder {target_id!r} has left the account; there is nobody to introduce us to")
    network = read_account_network(store, target.account_id, scope.masked)
    graph = build_tie_graph(network, as_of or date.today(), settings)
    return find_paths(graph, target_id, k, max_hops)


def find_paths(graph: TieGraph, target_id: str, k: int = 3, max_hops: int = MAX_HOPS) -> list[WarmPath]:
    if target_id not in graph.people:
        return []
    distance, department_hops = graph.hops_from_contacts, graph.department_hops
    # reach[n]: each person's widest route to us in at most n ties; department_reach[n]: a department's best
    reach = [graph.reach_within(hops) for hops in range(max_hops + 1)]
    department_reach = [graph.department_reach_within(hops) for hops in range(max_hops + 1)]
    same_department = graph.same_department_strength
    blockers, department_of = graph.blockers, graph.department_of
    found: list[WarmPath] = []
    # Entries: (-weakest, hops, 0 partial | 1 complete, order, ids, actual weakest, actual hops, last step
    # inside a department, department still to expand). ids run from the target back towards a contact.
    # A partial path is keyed by the best any completion of it can be (its weakest capped by the widest
    # route on to us in the hops left, its hops plus the fewest still needed), so paths come out in rank
    # order; the tighter that bound, the fewer partials come out before the answer. At equal
    # keys partials go first: complete paths of one rank then come out by their ids from the contact on
    # (order), all of them being in the heap by then. The step into one's own department is one entry
    # for the whole department, keyed by the best of its members, expanded only if it comes up: everyone
    # there is a neighbour, and most searches end before that.
    Entry = tuple[int, int, int, tuple[str, ...], tuple[str, ...], int, int, bool, str | None]
    heap: list[Entry] = []
    kth: list[tuple[int, int]] = []  # the k best complete keys pushed so far: a partial worse than all can go

    def worse_than_kth(key: tuple[int, int]) -> bool:
        return len(kth) == k and key > kth[-1]

    def push_partial(weakest: int, hops: int, ids: tuple[str, ...], via_department: bool) -> None:
        here = ids[-1]
        key = (-min(weakest, reach[max_hops - hops].get(here, -1)), hops + distance[here]) if hops else (-weakest, 0)
        if not worse_than_kth(key):
            heapq.heappush(heap, (*key, 0, ids, ids, weakest, hops, via_department, None))

    def push_department(weakest: int, hops: int, ids: tuple[str, ...]) -> None:
        department = department_of[ids[-1]]
        widest = department_reach[max_hops - hops - 1].get(department)  # the step in is a tie
        if widest is None:
            return  # none of its members reaches us in the ties left
        fewest = department_hops[department]
        key = (-min(weakest, same_department, widest), hops + 1 + fewest)
        if hops + 1 + fewest <= max_hops and not worse_than_kth(key):
            heapq.heappush(heap, (*key, 0, (*ids, "\uffff"), ids, weakest, hops, False, department))

    def push_complete(weakest: int, hops: int, ids: tuple[str, ...]) -> None:
        heapq.heappush(heap, (-weakest, hops, 1, ids[::-1], ids, weakest, hops, False, None))
        bisect.insort(kth, (-weakest, hops))
        del kth[k:]

    for cover in graph.covered_by.get(target_id, []):
        push_complete(cover.strength, 1, (target_id, cover.contact_id))
    push_partial(101, 0, (target_id,), False)  # the target itself; no tie yet, so stronger than any
    examined = 0
    while heap and len(found) < k and examined < SEARCH_LIMIT:
        _, _, complete, _, ids, weakest, hops, via_department, department = heapq.heappop(heap)
        examined += 1
        here = ids[-1]
        if complete:
            found.append(_warm_path(graph, ids))
        elif department is not None:  # the department step, member by member
            explicit = graph.explicit.get(here, {})
            for other in graph.members[department]:
                if other == here or other in ids or other in blockers:
                    continue
                if other in explicit and explicit[other][1] >= same_department:
                    continue  # a stronger tie than the department: taken one by one below
                if hops + 1 + distance.get(other, max_hops + 1) <= max_hops:
                    push_partial(min(weakest, same_department), hops + 1, (*ids, other), True)
        else:
            if 0 < hops < max_hops:  # an intermediate: our contacts who cover them complete the path
                for cover in graph.covered_by.get(here, []):
                    push_complete(min(weakest, cover.strength), hops + 1, (*ids, cover.contact_id))
            own_department = department_of[here]
            for other, (_, strength) in graph.explicit.get(here, {}).items():
                if strength < same_department and department_of[other] == own_department:
                    continue  # the department tie is stronger: the department step covers it
                too_far = hops + 1 + distance.get(other, max_hops + 1) > max_hops
                if other in ids or too_far or other in blockers:
                    continue
                push_partial(min(weakest, strength), hops + 1, (*ids, other), False)
            if not via_department:  # never two steps inside one department: the direct one is warmer or equal
                push_department(weakest, hops, ids)
    return found


def _warm_path(graph: TieGraph, ids: tuple[str, ...]) -> WarmPath:
    forward = ids[::-1]  # contact, first stakeholder, ..., target
    contact = graph.contacts[forward[0]]
    cover = next(c for c in graph.covered_by[forward[1]] if c.contact_id == contact.id)
    steps = [_step(contact.id, graph.people[forward[1]], TieKind.covers, cover.strength, cover.status)]
    for a, b in zip(forward[1:], forward[2:], strict=False):
        kind, strength = graph.tie(a, b)
        steps.append(_step(a, graph.people[b], kind, strength))
    return WarmPath(
        account_id=graph.account_id,
        target_id=forward[-1],
        contact_id=contact.id,
        contact_name=contact.name,
        contact_title=contact.title,
        steps=steps,
        weakest=min(s.strength for s in steps),
        hops=len(steps),
        explanation_zh=_explain(contact, steps, "zh"),
        explanation_en=_explain(contact, steps, "en"),
    )


def _step(from_id: str, to: Person, kind: TieKind, strength: int, status: RelationshipStatus | None = None) -> PathStep:
    return PathStep(
        from_id=from_id, to_id=to.id, to_name=to.name, to_title=to.title, kind=kind, strength=strength, status=status
    )


def _explain(contact: Contact, steps: list[PathStep], language: str) -> str:
    """销售经理*某 -> 采购总监李娜 (长期合作信任 72) -> 汇报给 -> 副总经理张强"""
    arrow = " → " if language == "zh" else " -> "
    first, rest = steps[0], steps[1:]
    status = getattr(first.status, language) if first.status else ""
    first_person = f"{titled(first.to_title, first.to_name)} ({status} {first.strength})"
    parts = [titled(contact.title, contact.name), first_person]
    for step in rest:
        parts += [getattr(step.kind, language), titled(step.to_title, step.to_name)]
    return arrow.join(parts)
