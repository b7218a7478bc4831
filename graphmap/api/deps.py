"""What routes depend on: the store, the principal behind the bearer token, and the account asked about."""

import functools
import gzip
import hashlib
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool

from graphmap.access import Principal, authenticate, may_see, still_valid, unknown_account, visible_account_ids
from graphmap.api.cache import AnswerCache
from graphmap.asof import remembered_day
from graphmap.config import Settings
from graphmap.errors import Forbidden, GraphmapError
from graphmap.graph import keep_networks
from graphmap.model import ID_PATTERN, Day
from graphmap.sessions import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, csrf_matches
from graphmap.store import GraphStore, open_store

T = TypeVar("T")


class StoreHolder:
    """Opens the store on first use and again after a failed start, so the API comes up, answers 503 while
    the engine is down, and recovers by itself once it is back (no restart of graphmap)."""

    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self.settings = settings
        self._store = keep_networks(store) if store is not None else None
        self._owned = store is None  # a store handed in belongs to the caller, who closes it
        self._lock = threading.Lock()

    @property
    def opened(self) -> GraphStore | None:
        """The store if it is open already, without waiting for anything."""
        return self._store

    def get(self) -> GraphStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = keep_networks(open_store(self.settings))
        return self._store

    def close(self) -> None:
        if self._store is not None and self._owned:
            self._store.close()
            self._store = None


# The dependencies that wait for nothing are `async def`: FastAPI runs a plain `def` on its thread pool,
# a hand over to another thread and back on every request: a third of a busy worker's event loop (py-spy).


async def get_store(request: Request) -> GraphStore:
    holder: StoreHolder = request.app.state.stores
    store = holder.opened
    # Opening may start the embedded engine, which takes seconds: on the thread pool, off the event loop.
    return store if store is not None else await run_in_threadpool(holder.get)


StoreDep = Annotated[GraphStore, Depends(get_store)]


async def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]

_bearer = HTTPBearer(auto_error=False, description="an API token from `graphmap token create` (gm_...)")


class Remember:
    """The request's use of the answer cache (api/cache.py): the graph's generation is read once, when the
    request first needs it, before anything is computed from the graph."""

    def __init__(self, cache: AnswerCache, generation: str | None) -> None:
        self.cache, self.generation = cache, generation

    def __call__(self, key: Hashable, compute: Callable[[], T]) -> T:
        return self.cache.get_or_compute(self.generation, key, compute)

    async def without_waiting(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The same, for dependencies on the event loop: a kept answer at once, and only computing (which
        reads the store) handed to the thread pool. An answer of None is never kept for these callers."""
        kept: T | None = self.cache.kept(self.generation, key)
        return kept if kept is not None else await run_in_threadpool(self, key, compute)


_GENERATION = "graphmap.generation"  # where a request keeps the generation it read (api/kept.py reads it first)


async def read_generation(request: Request, store: GraphStore) -> str | None:
    """The store's generation, read once per request: on the thread pool, as it asks the engine."""
    if _GENERATION not in request.scope:
        request.scope[_GENERATION] = await run_in_threadpool(store.generation)
    generation: str | None = request.scope[_GENERATION]
    return generation


async def remember(request: Request, store: StoreDep) -> Remember:
    return Remember(request.app.state.answers, await read_generation(request, store))


RememberDep = Annotated[Remember, Depends(remember)]


async def current_principal(
    request: Request,
    store: StoreDep,
    remember: RememberDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The bearer token's principal, else the browser session's (graphmap.sessions): a change made with the
    session cookie must carry its CSRF token."""
    presented = presented_token(request)  # the same as `credentials` where there are any
    if credentials is None and presented and request.method not in SAFE_METHODS:
        if not csrf_matches(presented, request.headers.get(CSRF_HEADER)):
            raise Forbidden(f"a change from the browser needs the page's {CSRF_HEADER} header; reload the page "
                            "/ 浏览器中的修改需要页面的 CSRF 令牌，请刷新页面")  # fmt: skip
    key = principal_key(presented)
    return still_valid(await remember.without_waiting(key, lambda: authenticate(store, presented)))


def presented_token(request: Request) -> str | None:
    """The bearer token, read as HTTPBearer reads it, else the browser session's cookie."""
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    return token if scheme.lower() == "bearer" and token else request.cookies.get(SESSION_COOKIE)


def principal_key(presented: str | None) -> Hashable:
    """Where the principal behind a token is kept while the graph is unchanged: a revocation is a write, and
    expiry is checked on each request (still_valid)."""
    return ("principal", hashlib.sha256(presented.encode()).hexdigest() if presented else None)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def editor(principal: CurrentPrincipal) -> Principal:
    if not principal.may_edit:
        raise Forbidden("this token may only read (role viewer); changes need an editor or admin token")
    return principal


async def admin(principal: CurrentPrincipal) -> Principal:
    if not principal.is_admin:
        raise Forbidden("this needs an admin token")
    return principal


Editor = Annotated[Principal, Depends(editor)]
Admin = Annotated[Principal, Depends(admin)]

AccountQuery = Annotated[str | None, Query(pattern=ID_PATTERN, description="one account (default: all you may see)")]
AsOfQuery = Annotated[Day | None, Query(description="the day to judge staleness on (default: today)")]


REMEMBERED_DAY = ("remembered day",)  # kept as a 1-tuple: the answer cache keeps no None


async def default_day(store: StoreDep, remember: RememberDep, settings: SettingsDep) -> date:
    """The day a request without as_of is judged on (graphmap.asof): GRAPHMAP_AS_OF, else the day the store
    remembers (kept while the graph is unchanged: one read per generation, not per request), else today."""
    if settings.as_of is not None:
        return settings.as_of
    (remembered,) = await remember.without_waiting(REMEMBERED_DAY, lambda: (remembered_day(store),))
    return remembered or date.today()


DefaultDay = Annotated[date, Depends(default_day)]


class Visibility:
    """Which accounts the caller may see, asked no wider than a route needs: whether it may see one account
    is one indexed read, and every account it may see is read only for answers about all of them. A team
    may hold thousands of grants, which would otherwise be read for every request whose answer is not
    kept yet. Both kept while the graph is unchanged."""

    def __init__(self, store: GraphStore, principal: Principal, remember: Remember) -> None:
        self.store, self.principal, self.remember = store, principal, remember
        self._view = (principal.is_admin, tuple(principal.grantees))

    def check(self, account_id: str) -> None:
        """NotFound, worded as for an account that does not exist, unless the caller may see it."""
        seen = self._seen()
        if account_id not in seen:
            seen[account_id] = may_see(self.store, self.principal, account_id)
        if not seen[account_id]:
            raise unknown_account(account_id)

    def known(self, account_id: str) -> bool:
        """Whether check() can answer for this account without reading the store."""
        return account_id in self._seen()

    def _seen(self) -> dict[str, bool]:
        # One kept entry per view, not one per account: the answer cache holds few entries, pages among them.
        return self.remember(("may see", self._view), dict)

    def ids(self) -> set[str] | None:
        """Every account the caller may see; None: every account there is (admins)."""
        return self.remember(("visible", self._view), lambda: visible_account_ids(self.store, self.principal))


async def visibility(store: StoreDep, principal: CurrentPrincipal, remember: RememberDep) -> Visibility:
    return Visibility(store, principal, remember)


VisibilityDep = Annotated[Visibility, Depends(visibility)]


GZIP_FROM_BYTES = 1024  # a smaller answer is sent as it is: compressing it would save less than a packet


@dataclass(frozen=True)
class Encoded:
    """An answer as it is sent: its bytes, and their gzip when worth it, made once and kept with the answer.
    FastAPI would otherwise validate and encode a kept answer again for every request (an account's gaps
    took as long to encode as everything else the request did), and Starlette would compress it again."""

    body: bytes
    media_type: str
    packed: bytes | None = None

    @classmethod
    def of(cls, body: bytes, media_type: str) -> "Encoded":
        packed = gzip.compress(body, compresslevel=6) if len(body) >= GZIP_FROM_BYTES else None
        return cls(body, media_type, packed)

    @classmethod
    def json(cls, answer: Any, answer_type: Any) -> "Encoded":
        """`answer` as FastAPI sends it for a route whose response_model is `answer_type`."""
        return cls.of(_adapter(answer_type).dump_json(answer, by_alias=True), "application/json")

    def response(self, request: Request) -> Response:
        """The gzip to a client that takes it (as Starlette's GZipMiddleware decides), else the bytes."""
        if self.packed is not None and "gzip" in request.headers.get("accept-encoding", ""):
            return Response(self.packed, media_type=self.media_type,
                            headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})  # fmt: skip
        return Response(self.body, media_type=self.media_type, headers={"Vary": "Accept-Encoding"})


@functools.cache  # building one compiles its type's schema: once per answer type, not per answer
def _adapter(answer_type: Any) -> TypeAdapter[Any]:
    return TypeAdapter(answer_type)


class Recall:
    """Computes a route's answer, or reuses the one computed for the same request by a caller who sees the
    graph the same way, while the graph has not changed. Routes call it after their access checks."""

    def __init__(self, remember: Remember, key: Hashable, visibility: Visibility) -> None:
        self.remember, self.key = remember, key
        self.visibility = visibility  # for the route's access checks

    def __call__(self, compute: Callable[[], T]) -> T:
        return self.remember(self.key, compute)


async def recall(
    request: Request, principal: CurrentPrincipal, remember: RememberDep, visibility: VisibilityDep, day: DefaultDay
) -> Recall:
    return Recall(remember, answer_key(request, principal, day), visibility)


def answer_key(request: Request, principal: Principal, day: date) -> Hashable:
    """What a route's answer is kept by: the route and its query, how the caller sees the graph (which
    decides every access check too) and the day a request without as_of is judged on."""
    query = tuple(sorted(request.query_params.multi_items()))
    view = (principal.masked, principal.is_admin, tuple(principal.grantees))
    return (request.url.path, query, view, day)


RecallDep = Annotated[Recall, Depends(recall)]


async def kept_answer(request: Request) -> Encoded | None:
    """The answer a GET would get from its route's Recall, if one is kept for how this caller sees the graph
    as it is now; None as soon as anything it needs is not kept (the route then decides, every refusal
    included). Kept answers are computed after their route's access checks, and the key holds everything
    those checks depend on (answer_key), so what this sends, the route would have sent."""
    store = request.app.state.stores.opened
    presented = presented_token(request)
    if store is None or not presented:
        return None
    try:
        generation = await read_generation(request, store)
    except GraphmapError:
        return None  # the route reads it again and answers 503
    cache: AnswerCache = request.app.state.answers
    principal: Principal | None = cache.kept(generation, principal_key(presented))
    if principal is None or principal.expired():
        return None
    settings: Settings = request.app.state.settings
    day = settings.as_of
    if day is None:
        remembered: tuple[date | None] | None = cache.kept(generation, REMEMBERED_DAY)
        if remembered is None:
            return None
        day = remembered[0] or date.today()
    answer = cache.kept(generation, answer_key(request, principal, day))
    return answer if isinstance(answer, Encoded) else None


AccountIdPath = Annotated[str, Path(pattern=ID_PATTERN, description="the account's id (客户编号)")]


async def visible_account(visibility: VisibilityDep, account_id: AccountIdPath) -> str:
    """The account in the path, if the principal may see it; else 404 as if it did not exist."""
    if visibility.known(account_id):
        visibility.check(account_id)
    else:  # asking reads the store: on the thread pool
        await run_in_threadpool(visibility.check, account_id)
    return account_id


VisibleAccount = Annotated[str, Depends(visible_account)]
