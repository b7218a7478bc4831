"""The analyses (分析), with the same functions and so the same numbers as the CLI.

Without account_id an analysis covers every account the caller may see. Viewers get stakeholders' names
masked in the answers, as in the pages.
"""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel

from graphmap.access import Principal
from graphmap.analysis.actions import NextAction, next_actions
from graphmap.analysis.coverage import AccountCoverage, coverage
from graphmap.analysis.followups import FollowUp, follow_ups
from graphmap.analysis.gaps import GapReport, GapThresholds, gaps_of
from graphmap.analysis.influence import HiddenInfluencer, hidden_influencers
from graphmap.analysis.lifecycle import AccountLifecycle, ChangeSummary, changes_since, lifecycle_stages
from graphmap.analysis.paths import MAX_HOPS, WarmPath, warm_paths
from graphmap.analysis.segments import Segment, segments
from graphmap.analysis.spof import AccountRisk, single_points
from graphmap.analysis.strength import LinkStrength, relationship_strength
from graphmap.api.deps import AccountQuery, AsOfQuery, CurrentPrincipal, Recall, RecallDep, StoreDep, as_of_or_today
from graphmap.errors import NotFound
from graphmap.graph import AccountSummary, network_chunks, select_accounts
from graphmap.model import ID_PATTERN, Account, Day, RelationshipStatus, mask_names_in
from graphmap.store import GraphStore

router = APIRouter(prefix="/analyses", tags=["analyses / 分析"])
T = TypeVar("T", bound=BaseModel)


def _accounts(store: GraphStore, recall: Recall, account_id: str | None) -> list[AccountSummary] | None:
    """The accounts an analysis covers: the one asked (404 unless it exists and is visible), each granted
    one, or None for every account (admins)."""
    if account_id is not None:
        recall.visibility.check(account_id)
        return recall.remember(("account", account_id), lambda: select_accounts(store, account_id))
    visible = recall.visibility.ids()
    if visible is None:
        return None
    everything = recall.remember(("accounts",), lambda: select_accounts(store))
    return [a for a in everything if a.id in visible]


def _per_account(
    store: GraphStore,
    principal: Principal,
    account_id: str | None,
    recall: Recall,
    run: Callable[[str | None], list[T]],
) -> list[T]:
    accounts = _accounts(store, recall, account_id)  # the access check, before any answer is reused

    def compute() -> list[T]:
        scopes: list[str | None] = [None] if accounts is None else [a.id for a in accounts]
        results = [item for scope in scopes for item in run(scope)]
        return _masked(store, results, accounts) if principal.masked else results

    return recall(compute)


def _masked(store: GraphStore, results: list[T], accounts: Sequence[Account] | None) -> list[T]:
    """The answers with every stakeholder's name of these accounts masked, wherever it is written (viewers
    are never admins, so their accounts are always a list)."""
    names = [p.name for chunk in network_chunks(store, accounts or []) for n in chunk for p in n.people]

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return mask_names_in(value, names)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return [type(r).model_validate(walk(r.model_dump(mode="json"))) for r in results]


@router.get("/gaps", summary="缺口：未覆盖的决策者与薄弱关系 / Gaps: uncovered decision-makers, weak links",
            operation_id="gaps")  # fmt: skip
def gaps(
    store: StoreDep,
    principal: CurrentPrincipal,
    recall: RecallDep,
    account_id: AccountQuery = None,
    as_of: AsOfQuery = None,
    cadence_days: Annotated[int, Query(ge=1, le=3650)] = GapThresholds().cadence_days,
    min_strength: Annotated[int, Query(ge=0, le=100)] = GapThresholds().min_strength,
    weak_status: Annotated[list[RelationshipStatus] | None, Query(max_length=5)] = None,
) -> GapReport:
    thresholds = GapThresholds(
        weak_statuses=frozenset(weak_status) if weak_status else GapThresholds().weak_statuses,
        min_strength=min_strength,
        cadence_days=cadence_days,
    )
    accounts = _accounts(store, recall, account_id)

    def compute() -> GapReport:
        scope = select_accounts(store) if accounts is None else accounts
        report = gaps_of(store, scope, as_of_or_today(as_of), thresholds)
        return _masked(store, [report], accounts)[0] if principal.masked else report

    return recall(compute)


def _add_account_analysis(
    path: str, summary: str, analysis: Callable[[GraphStore, str | None, date], list[Any]], model: type[BaseModel]
) -> None:
    """A route for an analysis that takes only an account (or all) and a day, like the CLI's commands."""

    def route(
        store: StoreDep,
        principal: CurrentPrincipal,
        recall: RecallDep,
        account_id: AccountQuery = None,
        as_of: AsOfQuery = None,
    ) -> list[Any]:
        day = as_of_or_today(as_of)
        return _per_account(store, principal, account_id, recall, lambda scope: analysis(store, scope, day))

    name = path.strip("/").replace("-", "_")
    router.add_api_route(path, route, methods=["GET"], response_model=list[model], summary=summary,  # type: ignore[valid-type]
                         operation_id=name, name=name)  # fmt: skip


for _path, _summary, _analysis, _model in (
    ("/coverage", "覆盖度 / Buying-committee completeness and coverage", coverage, AccountCoverage),
    ("/strength", "关系强度 / Relationship strength of every link", relationship_strength, LinkStrength),
    ("/single-points", "单点依赖 / Single points of failure", single_points, AccountRisk),
    ("/segments", "客户分层 / Tier per account", segments, Segment),
    ("/lifecycle", "生命周期 / Lifecycle stage per account", lifecycle_stages, AccountLifecycle),
    ("/actions", "下一步行动建议 / Suggested next actions", next_actions, NextAction),
):
    _add_account_analysis(_path, _summary, _analysis, _model)


@router.get("/warm-paths", summary="引荐路径 / Warm-introduction paths to a stakeholder", operation_id="warm_paths")
def warm_paths_(
    store: StoreDep,
    principal: CurrentPrincipal,
    recall: RecallDep,
    account_id: Annotated[str, Query(pattern=ID_PATTERN, description="the stakeholder's account")],
    person_id: Annotated[str, Query(pattern=ID_PATTERN, description="the stakeholder to reach")],
    k: Annotated[int, Query(ge=1, le=50)] = 3,
    max_hops: Annotated[int, Query(ge=1, le=6)] = MAX_HOPS,
    as_of: AsOfQuery = None,
) -> list[WarmPath]:
    recall.visibility.check(account_id)
    found = store.read("get_person", person_id=person_id)
    if not found or found[0]["account_id"] != account_id:
        raise NotFound(f"no stakeholder {person_id!r} in account {account_id!r}")

    def compute() -> list[WarmPath]:
        paths = warm_paths(store, person_id, k, max_hops, as_of_or_today(as_of))
        return _masked(store, paths, select_accounts(store, account_id)) if principal.masked else paths

    return recall(compute)


@router.get("/follow-ups", summary="跟进计划 / Follow-ups due", operation_id="follow_ups")
def follow_ups_(
    store: StoreDep,
    principal: CurrentPrincipal,
    recall: RecallDep,
    account_id: AccountQuery = None,
    as_of: AsOfQuery = None,
    owner_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="one of our contacts")] = None,
    overdue: Annotated[bool, Query(description="only those past due")] = False,
) -> list[FollowUp]:
    day = as_of_or_today(as_of)
    return _per_account(
        store, principal, account_id, recall, lambda scope: follow_ups(store, scope, day, owner_id, overdue)
    )


@router.get("/changes", summary="变化 / What changed since a day", operation_id="changes")
def changes(
    store: StoreDep,
    principal: CurrentPrincipal,
    recall: RecallDep,
    since: Annotated[Day, Query(description="changes on or after this day")],
    account_id: AccountQuery = None,
) -> list[ChangeSummary]:
    return _per_account(store, principal, account_id, recall, lambda scope: changes_since(store, since, scope))


@router.get("/influencers", summary="影响力排名 / Most influential stakeholders", operation_id="influencers")
def influencers(
    store: StoreDep,
    principal: CurrentPrincipal,
    recall: RecallDep,
    account_id: AccountQuery = None,
    as_of: AsOfQuery = None,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[HiddenInfluencer]:
    day = as_of_or_today(as_of)
    return _per_account(store, principal, account_id, recall, lambda scope: hidden_influencers(store, scope, day, top))
