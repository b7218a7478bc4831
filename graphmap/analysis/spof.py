"""Single points of failure (单点依赖): where an account hangs on one person, ours or theirs.

Per account, over the interactions of the last `window_days` up to as_of:
- depends on one of our contacts: one contact took part in >= `share` of the interactions (and there
  were >= `min_interactions`); likewise one stakeholder;
- hangs on one stakeholder: exactly one active stakeholder has a strong link (the gap rule);
- exposure: for each of our contacts, the stakeholders nobody else on our side covers (they lose all
  coverage if the contact leaves);
- critical people: a stakeholder (or contact) whose departure cuts every tie-path (analysis/ties.py, no hop
  limit) from our side to a decision-maker we reach today. Found as articulation points of the tie graph
  with all our contacts joined to one "us" node, in one depth-first search.
"""

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from graphmap.analysis.gaps import GapThresholds, gaps_of
from graphmap.analysis.ties import DEFAULT_TIES, TieGraph, TieSettings, build_tie_graph
from graphmap.errors import NotFound
from graphmap.graph import AccountNetwork, Scope, ScopeLike, scope_chunks
from graphmap.model import PersonStatus, Role
from graphmap.privacy import mask_name
from graphmap.queries import Q
from graphmap.store import GraphStore


class SpofSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    share: float = Field(default=0.8, gt=0, le=1, description="one person's share of interactions that is too much")
    min_interactions: int = Field(default=5, ge=1, description="fewer interactions than this prove nothing")
    window_days: int = Field(default=365, ge=1, description="interactions of this many days before as_of count")


DEFAULT_SPOF = SpofSettings()


class PersonRef(BaseModel):
    id: str
    name: str
    title: str | None


class Dependency(BaseModel):
    person: PersonRef
    interactions: int = Field(description="interactions in the window this person took part in")
    share: float = Field(description="of all the account's interactions in the window, 0-1")


class Exposure(BaseModel):
    contact: PersonRef
    stakeholders_lost: list[PersonRef] = Field(description="covered by this contact and by nobody else")


class CriticalPerson(BaseModel):
    person: PersonRef
    side: str = Field(description="'theirs' for a stakeholder, 'ours' for one of our contacts")
    decision_makers_cut: list[PersonRef]


class AccountRisk(BaseModel):
    account_id: str
    account_name: str
    interactions: int = Field(description="interactions in the window")
    top_contact: Dependency | None
    depends_on_contact: bool
    top_stakeholder: Dependency | None
    depends_on_stakeholder: bool
    sole_covered_stakeholder: PersonRef | None = Field(description="the only stakeholder with a strong link")
    exposures: list[Exposure]
    critical_people: list[CriticalPerson]


def single_points(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    settings: SpofSettings = DEFAULT_SPOF,
    thresholds: GapThresholds | None = None,
    ties: TieSettings = DEFAULT_TIES,
) -> list[AccountRisk]:
    as_of = as_of or date.today()
    risks = []
    for networks in scope_chunks(store, scope):
        gaps = gaps_of(store, [n.account for n in networks], as_of, thresholds)
        uncovered = {u.person_id for u in gaps.uncovered}
        risks += [account_risk(n, build_tie_graph(n, as_of, ties), uncovered, as_of, settings) for n in networks]
    return risks


def account_risk(
    network: AccountNetwork,
    graph: TieGraph,
    uncovered: set[str],
    as_of: date,
    settings: SpofSettings = DEFAULT_SPOF,
) -> AccountRisk:
    """The risks of one account; `graph` is its tie graph (build_tie_graph), shared with other analyses."""
    since = as_of - timedelta(days=settings.window_days)
    recent = [i for i in network.interactions if i.on is not None and since < i.on <= as_of]
    people = {p.id: p for p in network.people}
    contacts = {c.id: c for c in network.contacts}

    def ref(node_id: str) -> PersonRef:
        node = people.get(node_id) or contacts[node_id]
        return PersonRef(id=node.id, name=node.name, title=node.title)

    def top(counts: Counter[str]) -> Dependency | None:
        if not counts:
            return None
        node_id, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return Dependency(person=ref(node_id), interactions=n, share=round(n / len(recent), 3))

    top_contact = top(Counter(c for i in recent for c in set(i.contact_ids)))
    top_stakeholder = top(Counter(p for i in recent for p in set(i.person_ids)))

    def depends(dependency: Dependency | None) -> bool:
        return (
            dependency is not None and len(recent) >= settings.min_interactions and dependency.share >= settings.share
        )

    strongly = sorted(p for p in graph.people if p not in uncovered)
    coverers: dict[str, set[str]] = defaultdict(set)
    for link in network.coverage:
        if link.person_id in graph.people:
            coverers[link.person_id].add(link.contact_id)
    exposures = [
        Exposure(
            contact=ref(contact_id),
            stakeholders_lost=[ref(p) for p in sorted(coverers) if coverers[p] == {contact_id}],
        )
        for contact_id in sorted(contacts)
    ]
    return AccountRisk(
        account_id=network.account.id,
        account_name=network.account.name,
        interactions=len(recent),
        top_contact=top_contact,
        depends_on_contact=depends(top_contact),
        top_stakeholder=top_stakeholder,
        depends_on_stakeholder=depends(top_stakeholder),
        sole_covered_stakeholder=ref(strongly[0]) if len(strongly) == 1 else None,
        exposures=[e for e in exposures if e.stakeholders_lost],
        critical_people=[
            CriticalPerson(
                person=ref(node_id),
                side="ours" if node_id in contacts else "theirs",
                decision_makers_cut=[ref(d) for d in cut],
            )
            for node_id, cut in sorted(decision_makers_cut_by(graph).items())
        ],
    )


US = "\0us"  # the node joining all our contacts; no id can start with NUL


def decision_makers_cut_by(graph: TieGraph) -> dict[str, list[str]]:
    """node id -> decision-makers (sorted) who lose every path to our side if that node goes.

    Tarjan's articulation points on the undirected tie graph, rooted at US, iteratively (accounts can be
    deeper than Python's recursion limit). Removing v cuts off the DFS subtree of each child c with
    low[c] >= disc[v]; the decision-makers in those subtrees are the ones cut.
    """
    adjacency = _adjacency(graph)
    decision_makers = {p.id for p in graph.people.values() if Role.decision_maker in p.roles}
    disc: dict[str, int] = {US: 0}
    low: dict[str, int] = {US: 0}
    finish: dict[str, int] = {}
    order: list[str] = [US]
    stack: list[tuple[str, str | None, int]] = [(US, None, 0)]
    cut_children: dict[str, list[str]] = defaultdict(list)
    while stack:
        node, parent, index = stack.pop()
        neighbours = adjacency[node]
        if index < len(neighbours):
            stack.append((node, parent, index + 1))
            other = neighbours[index]
            if other == parent:
                continue
            if other in disc:
                low[node] = min(low[node], disc[other])
            else:
                disc[other] = low[other] = len(order)
                order.append(other)
                stack.append((other, node, 0))
            continue
        finish[node] = len(order) - 1  # the last discovery index inside node's subtree
        if parent is not None:
            low[parent] = min(low[parent], low[node])
            if parent != US and low[node] >= disc[parent]:
                cut_children[parent].append(node)
    positions = sorted(disc[d] for d in decision_makers if d in disc)  # decision-makers we reach today
    cut: dict[str, list[str]] = {}
    for node, children in cut_children.items():
        if node not in graph.people and node not in graph.contacts:
            continue  # a department hub is not somebody who can leave
        lost = sorted(
            order[i]
            for child in children
            for i in positions[bisect_left(positions, disc[child]) : bisect_right(positions, finish[child])]
        )
        if lost:
            cut[node] = lost
    return cut


def _adjacency(graph: TieGraph) -> dict[str, list[str]]:
    """Undirected, sorted neighbour lists. A department is one hub node joined to its members: for whether
    removing a person disconnects others, that is the same as joining every pair, in linear size."""
    adjacency: dict[str, set[str]] = defaultdict(set)
    adjacency[US] = set(graph.contacts)
    for contact_id in graph.contacts:
        adjacency[contact_id].add(US)
    for person_id, covers in graph.covered_by.items():
        for cover in covers:
            adjacency[person_id].add(cover.contact_id)
            adjacency[cover.contact_id].add(person_id)
    for person_id, others in graph.explicit.items():
        adjacency[person_id].update(others)
    for department_id, members in graph.members.items():
        hub = "\0department:" + department_id
        adjacency[hub].update(members)
        for person_id in members:
            adjacency[person_id].add(hub)
    return {node: sorted(others) for node, others in adjacency.items()}


class LostStakeholder(PersonRef):
    account_id: str


def coverage_lost_if_leaves(store: GraphStore, contact_id: str, scope: ScopeLike = None) -> list[LostStakeholder]:
    """Active stakeholders, in the scope's accounts, whom nobody but this contact covers."""
    scope = Scope.of(scope)
    rows = store.read(Q.find_sole_coverage, contact_id=contact_id)
    if not rows:
        raise NotFound(f"no contact of ours with id {contact_id!r}")
    return [
        LostStakeholder(
            id=row["person_id"],
            account_id=row["account_id"],
            title=row["title"],
            name=mask_name(row["name"]) if scope.masked else row["name"],
        )  # fmt: skip
        for row in rows
        if row["person_id"] is not None
        and row["coverers"] == 1
        and row["status"] != PersonStatus.left
        and (scope.account_ids is None or row["account_id"] in scope.account_ids)
    ]
