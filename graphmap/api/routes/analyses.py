"""The analyses (分析), with the same functions and so the same numbers as the CLI.

Without account_id an analysis covers every account the caller may see. Viewers get stakeholders' names
masked in the answers, as in the pages.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel

from graphmap.access import Principal, ensure_visible, visible_account_ids
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
from graphmap.api.deps import CurrentPrincipal, StoreDep
from graphmap.config import get_settings
from graphmap.errors import NotFound
from graphmap.graph import network_chunks, select_accounts
from graphmap.model import ID_PATTERN, RelationshipStatus, mask_name
from graphmap.store import GraphStore

router = APIRouter(prefix="/analyses", tags=["analyses / 分析"])
T = TypeVar("T", bound=BaseModel)

AccountQuery = Annotated[str | None, Query(pattern=ID_PATTERN, description="one account (default: all you may see)")]
AsOfQuery = Annotated[date | None, Query(description="the day to judge staleness on (default: today)")]


def _as_of(as_of: date | None) -> date:
    return as_of or get_settings().as_of or date.today()


def _scope(store: GraphStore, principal: Principal, account_id: str | None) -> list[str | None]:
    """The account ids to run an analysis for: the one asked (if visible), all (admins), or each granted."""
    if account_id is not None:
        ensure_visible(store, principal, account_id)
        select_accounts(store, account_id)  # 404 for an account that is not there
        return [account_id]
    visible = visible_account_ids(store, principal)
    if visible is None:
        return [None]
    existing = {a.id for a in select_accounts(store)}
    return [*sorted(visible & existing)]


def _per_account(
    store: GraphStore, principal: Principal, account_id: str | None, run: Callable[[str | None], list[T]]
) -> list[T]:
    results = [item for scope in _scope(store, principal, account_id) for item in run(scope)]
    return _masked(store, results) if principal.masked else results


def _masked(store: GraphStore, results: list[T], account_ids: list[str] | None = None) -> list[T]:
    """The answers with every stakeholder's name of the accounts involved masked, wherever it is written."""
    if account_ids is None:
        account_ids = sorted({str(getattr(r, "account_id")) for r in results if getattr(r, "account_id", None)})  # noqa: B009
    names: set[str] = set()
    for chunk in network_chunks(store, select_accounts_by_ids(store, account_ids)):
        names |= {p.name for network in chunk for p in network.people if len(p.name) > 1}
    ordered = sorted(names, key=len, reverse=True)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            for name in ordered:
                value = value.replace(name, mask_name(name))
            return value
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return [type(r).model_validate(walk(r.model_dump(mode="json"))) for r in results]


def select_accounts_by_ids(store: GraphStore, account_ids: list[str]) -> list[Any]:
    wanted = set(account_ids)
    return [a for a in select_accounts(store) if a.id in wanted]


@router.get("/gaps", summary="缺口：未覆盖的决策者与薄弱关系 / Gaps: uncovered decision-makers, weak links",
            operation_id="gaps")  # fmt: skip
def gaps(
    store: StoreDep,
    principal: CurrentPrincipal,
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
    scope = _scope(store, principal, account_id)
    accounts = select_accounts(store) if scope == [None] else select_accounts_by_ids(store, scope)  # type: ignore[arg-type]
    report = gaps_of(store, accounts, _as_of(as_of), thresholds)
    if not principal.masked:
        return report
    masked = _masked(store, [*report.uncovered_decision_makers, *report.uncovered_stakeholders,
                                        *report.weak_links])  # fmt: skip
    first, second = len(report.uncovered_decision_makers), len(report.uncovered_stakeholders)
    return report.model_copy(update={"uncovered_decision_makers": masked[:first],
                                     "uncovered_stakeholders": masked[first : first + second],
                                     "weak_links": masked[first + second :]})  # fmt: skip


@router.get("/coverage", summary="覆盖度 / Buying-committee completeness and coverage", operation_id="coverage")
def coverage_(
    store: StoreDep, principal: CurrentPrincipal, account_id: AccountQuery = None, as_of: AsOfQuery = None
) -> list[AccountCoverage]:
    return _per_account(store, principal, account_id, lambda scope: coverage(store, scope, _as_of(as_of)))


@router.get("/strength", summary="关系强度 / Relationship strength of every link", operation_id="strength")
def strength(
    store: StoreDep, principal: CurrentPrincipal, account_id: AccountQuery = None, as_of: AsOfQuery = None
) -> list[LinkStrength]:
    return _per_account(store, principal, account_id, lambda s: relationship_strength(store, s, _as_of(as_of)))


@router.get("/warm-paths", summary="引荐路径 / Warm-introduction paths to a stakeholder", operation_id="warm_paths")
def warm_paths_(
    store: StoreDep,
    principal: CurrentPrincipal,
    account_id: Annotated[str, Query(pattern=ID_PATTERN, description="the stakeholder's account")],
    person_id: Annotated[str, Query(pattern=ID_PATTERN, description="the stakeholder to reach")],
    k: Annotated[int, Query(ge=1, le=50)] = 3,
    max_hops: Annotated[int, Query(ge=1, le=6)] = MAX_HOPS,
    as_of: AsOfQuery = None,
) -> list[WarmPath]:
    ensure_visible(store, principal, account_id)
    found = store.read("get_person", person_id=person_id)
    if not found or found[0]["account_id"] != account_id:
        raise NotFound(f"no stakeholder {person_id!r} in account {account_id!r}")
    paths = warm_paths(store, person_id, k, max_hops, _as_of(as_of))
    if not principal.masked:
        return paths
    return _masked(store, paths, [account_id])


@router.get("/single-points", summary="单点依赖 / Single points of failure", operation_id="single_points")
def spof(
    store: StoreDep, principal: CurrentPrincipal, account_id: AccountQuery = None, as_of: AsOfQuery = None
) -> list[AccountRisk]:
    return _per_account(store, principal, account_id, lambda scope: single_points(store, scope, _as_of(as_of)))


@router.get("/segments", summary="客户分层 / Tier per account", operation_id="segments")
def segments_(
    store: StoreDep, principal: CurrentPrincipal, account_id: AccountQuery = None, as_of: AsOfQuery = None
) -> list[Segment]:
    return _per_account(store, principal, account_id, lambda scope: segments(store, scope, _as_of(as_of)))


@router.get("/follow-ups", summary="跟进计划 / Follow-ups due", operation_id="follow_ups")
def follow_ups_(
    store: StoreDep,
    principal: CurrentPrincipal,
    account_id: AccountQuery = None,
    as_of: AsOfQuery = None,
    owner_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="one of our contacts")] = None,
    overdue: Annotated[bool, Query(description="only those past due")] = False,
) -> list[FollowUp]:
    return _per_account(
        store, principal, account_id, lambda scope: follow_ups(store, scope, _as_of(as_of), owner_id, overdue)
    )


@router.get("/changes", summary="变化 / What changed since a day", operation_id="changes")
def changes(
    store: StoreDep,
    principal: CurrentPrincipal,
    since: Annotated[date, Query(description="changes on or after this day")],
    account_id: AccountQuery = None,
) -> list[ChangeSummary]:
    return _per_account(store, principal, account_id, lambda scope: changes_since(store, since, scope))


@router.get("/influencers", summary="影响力排名 / Most influential stakeholders", operation_id="influencers")
def influencers(
    store: StoreDep,
    principal: CurrentPrincipal,
    account_id: AccountQuery = None,
    as_of: AsOfQuery = None,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[HiddenInfluencer]:
    return _per_account(
        store, principal, account_id, lambda scope: hidden_influencers(store, scope, _as_of(as_of), top)
    )


@router.get("/lifecycle", summary="生命周期 / Lifecycle stage per account", operation_id="lifecycle")
def lifecycle(
    store: StoreDep, principal: CurrentPrincipal, account_id: AccountQuery = None, as_of: AsOfQuery = None
) -> list[AccountLifecycle]:
    return _per_account(store, principal, account_id, lambda scope: lifecycle_stages(store, scope, _as_of(as_of)))


@router.get("/actions", summary="下一步行动建议 / Suggested next actions", operation_id="actions")
def actions(
    store: StoreDep, principal: CurrentPrincipal, account_id: AccountQuery = None, as_of: AsOfQuery = None
) -> list[NextAction]:
    return _per_account(store, principal, account_id, lambda scope: next_actions(store, scope, _as_of(as_of)))
