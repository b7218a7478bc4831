"""The FastAPI application: one error model mapped once, size limits, the store opened lazily."""

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphmap import __version__
from graphmap.api import deps
from graphmap.api.cache import AnswerCache
from graphmap.api.deps import StoreHolder
from graphmap.api.kept import KeptAnswers
from graphmap.api.routes import (
    accounts,
    admin,
    analyses,
    assets,
    captures,
    contacts,
    health,
    records,
    session,
    subjects,
    tables,
)
from graphmap.api.versions import etag
from graphmap.config import Settings, get_settings
from graphmap.errors import Busy, GraphmapError, GraphUnavailable, PreconditionFailed, Unauthorized
from graphmap.store import GraphStore

log = logging.getLogger("graphmap.api")

RETRY_AFTER_SECONDS = 5
DESCRIPTION = """
graphmap 的 HTTP 接口：客户组织中的关键人、我方对接人与关系网络。
The HTTP API of graphmap: the people inside our customers' organisations and how we are connected to them.

- 认证 / Auth: `Authorization: Bearer gm_...` (a token from `graphmap token create`).
- 权限 / Access: viewers read with names masked, editors change, admins administer; each user sees only the
  accounts granted to them or their team. An account you may not see answers 404.
- 列表 / Lists: `{data, count}` with `offset`, `limit` and `sort` (`-field` for descending).
- 错误 / Errors: `{"error": ..., "detail": ...}`; 422 names the field; 503 means retry later.
"""


class ErrorBody(BaseModel):
    """The one error model: a stable code and a sentence for people (and, with 412, the current record)."""

    error: str
    detail: str
    current: dict[str, Any] | None = Field(default=None, description="412 only: the record as it is now")


ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 412: "precondition_failed", 413: "too_large", 422: "invalid",
               429: "busy",
               500: "internal", 503: "graph_unavailable"}  # fmt: skip


ERROR_DESCRIPTIONS = {400: "请求无法解析（请求体或请求头）/ The request could not be read: its body or a header",
                      403: "角色不足 / The token's role may not do this",
                      409: "与现有数据冲突 / Conflicts with what is stored",
                      412: "记录已被他人修改 / If-Match names a version that is no longer the stored one",
                      413: "请求体过大 / The request body is too large"}  # fmt: skip


def error_response(
    status: int, detail: str, headers: dict[str, str] | None = None, current: dict[str, Any] | None = None
) -> JSONResponse:
    body = ErrorBody(error=ERROR_CODES.get(status, "error"), detail=detail, current=current)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def _documented(code: int) -> dict[str, Any]:
    return {"model": ErrorBody} | ({"description": ERROR_DESCRIPTIONS[code]} if code in ERROR_DESCRIPTIONS else {})


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for dependency in dependant.dependencies:
        yield dependency
        yield from _dependencies(dependency)


def document_errors(router: APIRouter) -> None:
    """Adds to each route the errors it can answer with beyond those every route has, read from the route
    itself (a role check, a body, a change), so the OpenAPI document cannot drift from the code."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            continue
        codes = []
        if any(d.call in (deps.editor, deps.admin) for d in _dependencies(route.dependant)):
            codes.append(403)
        if (route.methods or set()) & {"POST", "PATCH", "PUT", "DELETE"}:
            codes.append(409)
        if any(p.alias == "If-Match" for p in route.dependant.header_params):
            codes.append(412)
        for code in codes:
            route.responses.setdefault(code, _documented(code))


def json_errors_in_openapi(app: FastAPI) -> None:
    """Errors are JSON on every route, the HTML page's too; FastAPI would document them in the route's own
    media type, so the generated document is corrected once, when it is first built."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        document = build()  # FastAPI builds it once and keeps it
        error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for operations in document["paths"].values() if first else ():
            for operation in operations.values():
                for code, response in operation["responses"].items():
                    if code[0] in "45":
                        response["content"] = error_content
        return document

    app.openapi = openapi  # type: ignore[method-assign]


class BodyLimit:
    """Refuses bodies over the limit (413) before they are read whole: by their Content-Length, or, for a
    chunked body, as soon as the bytes received pass it. Uploads (imports) have a limit of their own."""

    def __init__(self, app: ASGIApp, body_limit: int, upload_limit: int) -> None:
        self.app = app
        self.body_limit = body_limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.upload_limit if scope["path"].startswith("/imports") else self.body_limit
        length = Headers(scope=scope).get("content-length")
        if length is not None and not length.isdigit():
            detail = f"Content-Length is not a number of bytes: {length[:40]!r} / 请求头 Content-Length 不是数字"
            return await error_response(400, detail)(scope, receive, send)
        if length is not None and int(length) > limit:
            return await _refusal(limit)(scope, receive, send)
        received = 0
        over = False

        async def counted() -> Message:
            nonlocal received, over
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                over = True
                return {"type": "http.disconnect"}  # the app stops reading; its answer is replaced below
            return message

        async def answered(message: Message) -> None:
            if not over:
                await send(message)

        await self.app(scope, counted, answered)
        if over:
            await _refusal(limit)(scope, receive, send)


def _refusal(limit: int) -> JSONResponse:
    # Made only when needed: every request passes here, and building a response takes a model and JSON.
    return error_response(413, f"the request body is over {limit:,} bytes / 请求体超过 {limit:,} 字节")


def _a_browser_page(request: Request) -> bool:
    """A person following a link to a page, not a program calling the API: sent to sign in instead of a 401."""
    return (request.method == "GET" and "authorization" not in request.headers
            and "text/html" in request.headers.get("accept", ""))  # fmt: skip


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The app; `store` is for tests (else the configured store is opened on first use)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Routes run in a thread pool; under the GIL a few threads answer as many requests as forty, and
        # answer them more evenly (bench/api_load.py measures it).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.api_threads
        yield
        app.state.stores.close()

    # FastAPIOffline serves Swagger UI and ReDoc from its own package, not a CDN: /docs works offline.
    app = FastAPIOffline(
        title="graphmap",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # Any request may be unreadable (400) or too large (413), its body or its headers: every route says so.
        responses={code: _documented(code) for code in (400, 401, 404, 413, 422, 503)},
    )
    app.state.stores = StoreHolder(settings, store)
    app.state.answers = AnswerCache()
    app.state.settings = settings

    @app.exception_handler(GraphmapError)
    async def domain_error(request: Request, error: GraphmapError) -> Response:
        if isinstance(error, Unauthorized) and _a_browser_page(request):  # the map opened from a link
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(here)}", 303)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if isinstance(error, GraphUnavailable | Busy) else None
        detail = error.message
        if isinstance(error, GraphUnavailable):
            detail = f"{detail}; retry in {RETRY_AFTER_SECONDS} seconds / 图数据库暂不可用，请稍后重试"
        if error.status_code >= 500 and not isinstance(error, GraphUnavailable):
            log.error("%s %s failed: %s", request.method, request.url.path, error.message)
            detail = "an unexpected error; it has been logged"
        return error_response(error.status_code, detail, headers)

    @app.exception_handler(PreconditionFailed)
    async def stale_version(request: Request, error: PreconditionFailed) -> JSONResponse:
        current = error.current.model_dump(mode="json")
        return error_response(412, error.message, {"ETag": etag(error.current)}, current)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()[:20])
        return error_response(422, problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return error_response(error.status_code, str(error.detail), getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return error_response(500, "an unexpected error; it has been logged")

    app.add_middleware(KeptAnswers)  # the innermost: errors and size limits apply to what it sends as well
    app.add_middleware(BodyLimit, body_limit=settings.api_body_limit, upload_limit=settings.api_upload_limit)
    modules = (health, accounts, records, contacts, subjects, analyses, tables, captures, admin, session, assets)
    for module in modules:
        document_errors(module.router)
        app.include_router(module.router)
    document_errors(analyses.review_router)
    app.include_router(analyses.review_router)
    json_errors_in_openapi(app)
    return app
