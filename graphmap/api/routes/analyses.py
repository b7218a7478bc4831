"""The analyses (分析), one route per entry of graphmap.analysis.registry: `GET /analyses/NAME`, the
analysis's options as query parameters, the same functions and so the same numbers as the CLI.

Without account_id an analysis covers every account the caller may see, in one run. Viewers get the
view graphmap.privacy describes, as in the pages and the records.
"""

import inspect
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from graphmap.analysis.registry import ANALYSES, Analysis, Options, ReviewOptions, find_analysis
from graphmap.analysis.review import Review
from graphmap.api.deps import (
    AccountQuery,
    AsOfQuery,
    CurrentPrincipal,
    DefaultDay,
    Encoded,
    Recall,
    RecallDep,
    StoreDep,
)
from graphmap.graph import Scope
from graphmap.pages.review import review_html, review_markdown

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
        request: Request,
        store: StoreDep,
        principal: CurrentPrincipal,
        recall: RecallDep,
        options: Options,
        default: DefaultDay,
        account_id: AccountQuery = None,
        as_of: AsOfQuery = None,
    ) -> Any:
        scope = analysis_scope(principal, recall, account_id)  # the access check, before any answer is reused
        answer = recall(lambda: Encoded.json(analysis.run(store, scope, as_of or default, options), analysis.answer))
        return answer.response(request)

    route.__annotations__["options"] = Annotated[analysis.options, Query()]  # this analysis's own options
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

REVIEW = find_analysis("review")
review_router = APIRouter(tags=["analyses / 分析"])
_REVIEW_MEDIA = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


@review_router.get(
    "/review",
    response_model=Review,
    summary="周报 / The weekly review",
    description="What moved since a day in the accounts you may see (or one owner's, or one team's), most "
    "exposed first, with the three best next actions; `format=md` or `html` (an e-mail body) instead of JSON. "
    "The same answer as GET /analyses/review and `graphmap review`.",
    operation_id="get_review",
    responses={200: {"content": {media.split(";")[0]: {} for media in _REVIEW_MEDIA.values()}}},
)
def review(
    request: Request,
    store: StoreDep,
    principal: CurrentPrincipal,
    recall: RecallDep,
    options: Annotated[ReviewOptions, Query()],
    default: DefaultDay,
    account_id: AccountQuery = None,
    as_of: AsOfQuery = None,
    format: Annotated[Literal["json", "md", "html"], Query(description="json, md or html")] = "json",
) -> Any:
    scope = analysis_scope(principal, recall, account_id)

    def compute() -> Encoded:  # kept per format: `format` is in the query, which the answer is kept by
        answer: Review = REVIEW.run(store, scope, as_of or default, options)
        if format == "json":
            return Encoded.json(answer, Review)
        text = review_markdown(answer) if format == "md" else review_html(answer)
        return Encoded.of(text.encode(), _REVIEW_MEDIA[format])

    return recall(compute).response(request)
