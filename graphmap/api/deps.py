"""What routes depend on: the store, the principal behind the bearer token, and the account asked about."""

import threading
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from graphmap.access import Principal, authenticate, ensure_visible
from graphmap.config import Settings
from graphmap.errors import Forbidden
from graphmap.model import ID_PATTERN
from graphmap.store import GraphStore, open_store


class StoreHolder:
    """Opens the store on first use and again after a failed start, so the API comes up, answers 503 while
    the engine is down, and recovers by itself once it is back (no restart of graphmap)."""

    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self.settings = settings
        self._store = store
        self._lock = threading.Lock()

    def get(self) -> GraphStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def get_store(request: Request) -> GraphStore:
    holder: StoreHolder = request.app.state.stores
    return holder.get()


StoreDep = Annotated[GraphStore, Depends(get_store)]

_bearer = HTTPBearer(auto_error=False, description="an API token from `graphmap token create` (gm_...)")


def current_principal(
    store: StoreDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    return authenticate(store, credentials.credentials if credentials else None)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def editor(principal: CurrentPrincipal) -> Principal:
    if not principal.may_edit:
        raise Forbidden("this token may only read (role viewer); changes need an editor or admin token")
    return principal


def admin(principal: CurrentPrincipal) -> Principal:
    if not principal.is_admin:
        raise Forbidden("this needs an admin token")
    return principal


Editor = Annotated[Principal, Depends(editor)]
Admin = Annotated[Principal, Depends(admin)]

AccountIdPath = Annotated[str, Path(pattern=ID_PATTERN, description="the account's id (客户编号)")]


def visible_account(store: StoreDep, principal: CurrentPrincipal, account_id: AccountIdPath) -> str:
    """The account in the path, if the principal may see it; else 404 as if it did not exist."""
    ensure_visible(store, principal, account_id)
    return account_id


VisibleAccount = Annotated[str, Depends(visible_account)]
