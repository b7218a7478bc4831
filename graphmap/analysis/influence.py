"""Influence centrality inside an account, and the hidden influencers it reveals (隐性影响者).

Centrality is PageRank over who listens to whom: a report listens to their manager (REPORTS_TO, weight
`reporting_weight`), and the target of an INFLUENCES edge listens to its source (weight strength/100,
opposition included: it is influence too). People who left are not in the graph. Scores are scaled so
that the account's average is 1.0: 3.0 means three times the influence of a typical colleague.
"""

import operator
from collections import defaultdict
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from graphmap.analysis.gaps import GapThresholds, gaps_of
from graphmap.analysis.memo import per_network
from graphmap.graph import AccountNetwork, ScopeLike, scope_chunks
from graphmap.model import PersonStatus, Role
from graphmap.store import GraphStore


class CentralitySettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    damping: float = Field(default=0.85, gt=0, lt=1)
    reporting_weight: float = Field(default=0.5, gt=0, description="a reporting line, on the strength/100 scale")
    tolerance: float = Field(default=1e-10, gt=0)
    max_iterations: int = Field(default=500, ge=1)


DEFAULT_CENTRALITY = CentralitySettings()


@per_network()
def influence_centrality(
    network: AccountNetwork, settings: CentralitySettings = DEFAULT_CENTRALITY
) -> dict[str, float]:
    """person_id -> centrality (average 1.0) for the account's active people."""
    nodes = sorted(p.id for p in network.people if p.status is PersonStatus.active)
    if not nodes:
        return {}
    known = set(nodes)
    # listens[a][b]: how much a listens to b; rank flows from a to b along it.
    listens: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for line in network.reporting_lines:
        if line.person_id in known and line.manager_id in known:
            listens[line.person_id][line.manager_id] += settings.reporting_weight
    for edge in network.influences:
        if edge.person_id in known and edge.target_id in known:
            listens[edge.target_id][edge.person_id] += edge.strength / 100
    # The iterations run over positions, each listener's weights summed once: the same operations in the
    # same order as over the dicts (the scores are equal to the last bit), four times faster at 2,000 people.
    n = len(nodes)
    position = {x: i for i, x in enumerate(nodes)}
    dangling = [i for i, x in enumerate(nodes) if not listens.get(x)]
    flows = [
        (position[a], position[b], weight, total)
        for a, targets in listens.items()
        if (total := sum(targets.values())) > 0
        for b, weight in targets.items()
    ]
    damping = settings.damping
    rank = [1 / n] * n
    for _ in range(settings.max_iterations):
        dangling_rank = sum(map(rank.__getitem__, dangling))
        new = [(1 - damping) / n + damping * dangling_rank / n] * n
        for a, b, weight, total in flows:
            new[b] += damping * rank[a] * weight / total
        change = sum(map(abs, map(operator.sub, new, rank)))
        rank = new
        if change < n * settings.tolerance:
            break
    return {x: rank[i] * n for i, x in enumerate(nodes)}


class HiddenInfluencer(BaseModel):
    account_id: str
    account_name: str
    person_id: str
    name: str
    title: str | None
    department: str
    roles: list[Role]
    centrality: float = Field(description="influence relative to the account's average (1.0)")
    rank: int = Field(description="1 is the most influential person of the account")
    covered: bool = Field(description="has at least one strong link from our side (the gap rule)")
    hidden: bool = Field(description="influential (above average) and not strongly covered")


def hidden_influencers(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    top: int = 10,
    thresholds: GapThresholds | None = None,
    settings: CentralitySettings = DEFAULT_CENTRALITY,
) -> list[HiddenInfluencer]:
    """The `top` most influential active people per account, flagged when we do not really reach them."""
    as_of = as_of or date.today()
    ranked = []
    for networks in scope_chunks(store, scope):
        uncovered = {u.person_id for u in gaps_of(store, [n.account for n in networks], as_of, thresholds).uncovered}
        ranked += [item for network in networks for item in rank_influencers(network, uncovered, top, settings)]
    return ranked


def rank_influencers(
    network: AccountNetwork, uncovered: set[str], top: int, settings: CentralitySettings = DEFAULT_CENTRALITY
) -> list[HiddenInfluencer]:
    centrality = influence_centrality(network, settings)
    people = {p.id: p for p in network.people}
    departments = {d.id: d.name for d in network.departments}
    ranked = sorted(centrality.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [
        HiddenInfluencer(
            account_id=network.account.id,
            account_name=network.account.name,
            person_id=person_id,
            name=people[person_id].name,
            title=people[person_id].title,
            department=departments[people[person_id].department_id],
            roles=list(people[person_id].roles),
            centrality=round(score, 3),
            rank=rank,
            covered=person_id not in uncovered,
            hidden=score > 1.0 and person_id in uncovered,
        )
        for rank, (person_id, score) in enumerate(ranked, start=1)
    ]
