"""Coverage per account (覆盖度): is the buying committee complete, and how much of the account do we reach.

- completeness: the share of the required roles (the account's own list, else CoverageSettings.required_roles)
  held by at least one active stakeholder with a strong link (the gap rule: graphmap/analysis/gaps.py);
- score: 100 * sum(weight * credit) / sum(weight) over active stakeholders, where credit is 1 for a strong
  link, `weak_credit` for weak links only, 0 for none, and weight is the person's heaviest role weight
  times (1 + centrality_boost * centrality / the account's highest centrality);
- the same score per department (its own people) and per subtree (the department and all below it);
- the account's plan: how many of its targets are met, and how many are overdue (graphmap.analysis.plans).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from graphmap.analysis.gaps import GapReport, GapThresholds, PlanState, UncoveredReason, gaps_of
from graphmap.analysis.influence import influence_centrality
from graphmap.analysis.plans import network_plan
from graphmap.graph import AccountNetwork, Scope, ScopeLike, scope_chunks
from graphmap.model import DepartmentLevel, PersonStatus, Role
from graphmap.store import GraphStore


class CoverageSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    required_roles: tuple[Role, ...] = (Role.decision_maker, Role.influencer, Role.user, Role.purchaser)
    role_weights: dict[Role, float] = Field(
        default={
            Role.decision_maker: 3.0,
            Role.influencer: 2.0,
            Role.purchaser: 1.5,
            Role.champion: 1.5,
            Role.blocker: 1.5,
            Role.user: 1.0,
            Role.unknown: 0.5,
        }
    )
    no_role_weight: float = Field(default=0.5, ge=0)
    weak_credit: float = Field(default=0.3, ge=0, le=1, description="credit for a person reached by weak links only")
    centrality_boost: float = Field(default=1.0, ge=0, description="the most central person weighs this much more")


DEFAULT_COVERAGE = CoverageSettings()


class DepartmentCoverage(BaseModel):
    department_id: str
    name: str
    level: DepartmentLevel
    parent_id: str | None
    people: int = Field(description="active stakeholders in this department itself")
    covered: int = Field(description="of them, with a strong link")
    score: int | None = Field(description="0-100 over this department's own people; None when it has none")
    subtree_people: int = Field(description="active stakeholders here and in every department below")
    subtree_covered: int
    subtree_score: int | None


class AccountCoverage(BaseModel):
    account_id: str
    account_name: str
    required_roles: list[Role]
    covered_roles: list[Role] = Field(description="required roles held by someone we reach strongly")
    missing_roles: list[Role]
    completeness: int = Field(description="0-100: share of the required roles covered")
    score: int | None = Field(description="0-100 weighted coverage; None for an account without stakeholders")
    people: int
    covered: int = Field(description="active stakeholders with a strong link")
    weakly_covered: int = Field(description="reached by weak links only")
    uncovered: int = Field(description="not reached at all")
    departments: list[DepartmentCoverage]
    plan_targets: int = Field(default=0, description="targets in the account's plan (graphmap.analysis.plans)")
    plan_met: int = Field(default=0, description="of them, met on the as-of day")
    plan_overdue: int = Field(default=0, description="of them, not met and past their day")


def coverage(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    thresholds: GapThresholds | None = None,
    settings: CoverageSettings = DEFAULT_COVERAGE,
) -> list[AccountCoverage]:
    as_of, scope = as_of or date.today(), Scope.of(scope)
    results = []
    for networks in scope_chunks(store, scope):
        report = gaps_of(store, [n.account for n in networks], as_of, thresholds, scope.masked)
        gaps = report.per_account(n.account.id for n in networks)
        results += [account_coverage(network, gaps[network.account.id], settings) for network in networks]
    return results


def account_coverage(
    network: AccountNetwork, gaps: GapReport, settings: CoverageSettings, centrality: dict[str, float] | None = None
) -> AccountCoverage:
    """`centrality`: influence_centrality(network), when the caller has it (it depends on the network alone)."""
    reasons = {u.person_id: u.reason for u in gaps.uncovered}
    credit = {
        person_id: settings.weak_credit if reason is UncoveredReason.weak_only else 0.0
        for person_id, reason in reasons.items()
    }
    centrality = influence_centrality(network) if centrality is None else centrality
    top = max(centrality.values(), default=0.0) or 1.0
    active = [p for p in network.people if p.status is PersonStatus.active]
    weight = {
        p.id: max(
            (settings.role_weights.get(r, settings.no_role_weight) for r in p.roles), default=settings.no_role_weight
        )
        * (1 + settings.centrality_boost * centrality.get(p.id, 0.0) / top)
        for p in active
    }
    person_credit = {p.id: credit.get(p.id, 1.0) for p in active}  # not in the gap report: strongly covered
    required = list(network.account.required_roles or settings.required_roles)
    reached = {r for p in active if p.id not in reasons for r in p.roles}
    covered_roles = [r for r in required if r in reached]

    members: dict[str, list[str]] = defaultdict(list)
    for p in active:
        members[p.department_id].append(p.id)
    children: dict[str | None, list[str]] = defaultdict(list)
    for d in network.departments:
        children[d.parent_id].append(d.id)

    def subtree(department_id: str) -> list[str]:
        ids, stack = [], [department_id]
        while stack:
            current = stack.pop()
            ids.extend(members[current])
            stack.extend(children[current])
        return ids

    def summary(ids: Iterable[str]) -> tuple[int, int, int | None]:
        ids = list(ids)
        if not ids:
            return 0, 0, None
        total = sum(weight[i] for i in ids)
        score = round(100 * sum(weight[i] * person_credit[i] for i in ids) / total) if total else 0
        return len(ids), sum(1 for i in ids if i not in reasons), score

    departments = []
    for d in sorted(network.departments, key=lambda d: d.id):
        people, covered, score = summary(members[d.id])
        subtree_people, subtree_covered, subtree_score = summary(subtree(d.id))
        departments.append(
            DepartmentCoverage(
                department_id=d.id,
                name=d.name,
                level=d.level,
                parent_id=d.parent_id,
                people=people,
                covered=covered,
                score=score,
                subtree_people=subtree_people,
                subtree_covered=subtree_covered,
                subtree_score=subtree_score,
            )
        )
    people, covered, score = summary(p.id for p in active)
    plan = [p.state for p in network_plan(network, gaps.as_of)]
    return AccountCoverage(
        account_id=network.account.id,
        account_name=network.account.name,
        required_roles=required,
        covered_roles=covered_roles,
        missing_roles=[r for r in required if r not in reached],
        completeness=round(100 * len(covered_roles) / len(required)) if required else 100,
        score=score,
        people=people,
        covered=covered,
        weakly_covered=sum(1 for p in active if reasons.get(p.id) is UncoveredReason.weak_only),
        uncovered=sum(1 for p in active if reasons.get(p.id) is UncoveredReason.no_contact),
        departments=departments,
        plan_targets=len(plan),
        plan_met=plan.count(PlanState.met),
        plan_overdue=plan.count(PlanState.overdue),
    )
