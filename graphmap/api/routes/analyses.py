"""The analyses (分析), one route per entry of graphmap.analysis.registry: `GET /analyses/NAME`, the
analysis's options as query parameters, the same functions and so the same numbers as the CLI.

Without account_id an analysis covers every account the caller may see, in one run. Viewers get the
view graphmap.privacy describes, as in the pages and the records.
"""

import inspect
from typing import Annotated, Any

from fastapi import APIRouter, Query

from graphmap.analysis.registry import ANALYSES, Analysis
from graphmap.api.deps import AccountQuery, AsOfQuery, CurrentPrincipal, Recall, RecallDep, StoreDep, as_of_or_today
from graphmap.graph import Scope

router = APIRouter(prefix="/analyses", tags=["analyses / 分析"])


def analysis_scope(principal: CurrentPrincipal, recall: Recall, account_id: str | None) -> Scope:
    """The accounts an analysis covers for this caller: the one asked (404 unless it exists and is visible),
    else every one they may see; masked for viewers."""
    if account_id is not None:
        recall.visibility.check(account_id)
        return Scope(frozenset([account_id]), principal.masked)
    visible = recall.visibility.ids()
    return Scope(None if visible is None else frozenset(visible), principal.masked)


def _add_route(analysis: Analysis) -> None:
    def route(
        store: StoreDep,
        principal: CurrentPrincipal,
        recall: RecallDep,
        options: Annotated[analysis.options, Query()],  # type: ignore[name-defined]
        account_id: AccountQuery = None,
        as_of: AsOfQuery = None,
    ) -> Any:
        scope = analysis_scope(principal, recall, account_id)  # the access check, before any answer is reused
        return recall(lambda: analysis.run(store, scope, as_of_or_today(as_of), options))

    if not analysis.dated:  # the change log takes `since`, the loss of a contact no day: no as_of to offer
        signature = inspect.signature(route)
        route.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for p in signature.parameters.values() if p.name != "as_of"]
        )

    for path in (analysis.name, *analysis.aliases):
        router.add_api_route(
            f"/{path}",
            route,
            methods=["GET"],
            response_model=analysis.answer,
            summary=f"{analysis.title_zh} / {analysis.title_en}",
            description=analysis.summary,
            operation_id=analysis.method if path == analysis.name else f"{analysis.method}_as_{path.replace('-', '_')}",
            include_in_schema=path == analysis.name,  # old spellings answer, the docs show one name
        )


for _analysis in ANALYSES:
    _add_route(_analysis)
