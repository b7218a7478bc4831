"""Warm-introduction paths (引荐路径): from any of our contacts, through stakeholders, to a target person.

A path is contact -> covered stakeholder -> ... -> target along the ties of analysis/ties.py, at most
`max_hops` edges long, through distinct people. Paths rank by their weakest tie (higher first), then by
length (shorter first), then by the ids along them, so the answer is the same on every run and engine.

The search is best-first from the target: a partial path's (weakest tie, length) bounds every path it can
still become, so paths come out in rank order and the search stops after k. It never extends a partial
path that cannot reach a contact within the hop limit (a breadth-first distance computed first).
"""

import heapq
from datetime import date

from pydantic import BaseModel, Field

from graphmap.analysis.ties import DEFAULT_TIES, TieGraph, TieKind, TieSettings, build_tie_graph
from graphmap.errors import Invalid, NotFound
from graphmap.graph import read_account_network
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
) -> list[WarmPath]:
    """The k best warm paths to `target_id` (empty when nobody on our side can reach them)."""
    if not 1 <= max_hops <= 6:
        raise Invalid(f"max_hops: {max_hops} is out of range; give 1 to 6")
    rows = store.read("get_person", person_id=target_id)
    if not rows:
        raise NotFound(f"no stakeholder with id {target_id!r}")
    if rows[0]["status"] == PersonStatus.left:
        raise Invalid(f"stakeholder {target_id!r} has left the account; there is nobody to introduce us to")
    network = read_account_network(store, rows[0]["account_id"])
    graph = build_tie_graph(network, as_of or date.today(), settings)
    return find_paths(graph, target_id, k, max_hops)


def find_paths(graph: TieGraph, target_id: str, k: int = 3, max_hops: int = MAX_HOPS) -> list[WarmPath]:
    if target_id not in graph.people:
        return []
    distance = graph.hops_from_contacts
    found: list[WarmPath] = []
    # entries: (-weakest, hops, order, ids, complete); ids run from the target back towards a contact.
    # Complete paths of equal rank come out by their ids from the contact on (order); every complete path of
    # that rank is already in the heap by then, since partial paths only ever get weaker or longer.
    heap: list[tuple[int, int, tuple[str, ...], tuple[str, ...], bool]] = []

    def push(weakest: int, hops: int, ids: tuple[str, ...], complete: bool) -> None:
        heapq.heappush(heap, (-weakest, hops, ids[::-1] if complete else ids, ids, complete))

    for cover in graph.covered_by.get(target_id, []):
        push(cover.strength, 1, (target_id, cover.contact_id), True)
    push(101, 0, (target_id,), False)  # the target itself; no tie yet, so stronger than any
    examined = 0
    while heap and len(found) < k and examined < SEARCH_LIMIT:
        negative_weakest, hops, _, ids, complete = heapq.heappop(heap)
        examined += 1
        if complete:
            found.append(_warm_path(graph, ids))
            continue
        here = ids[-1]
        weakest = -negative_weakest
        if 0 < hops < max_hops:  # an intermediate: our contacts who cover them complete the path
            for cover in graph.covered_by.get(here, []):
                push(min(weakest, cover.strength), hops + 1, (*ids, cover.contact_id), True)
        for other, _, strength in graph.neighbours(here):
            if other in ids or not graph.passes_on(other) or hops + 1 + distance.get(other, max_hops + 1) > max_hops:
                continue
            push(min(weakest, strength), hops + 1, (*ids, other), False)
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
