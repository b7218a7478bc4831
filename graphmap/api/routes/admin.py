"""Administration (管理): users, tokens, grants of accounts, and the audit trail. Admins only."""

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from graphmap.access import (
    DEFAULT_TOKEN_DAYS,
    AccessRole,
    Grant,
    Token,
    User,
    add_user,
    create_token,
    find_user,
    grant,
    list_grants,
    list_tokens,
    list_users,
    revoke_token,
    withdraw_grant,
)
from graphmap.api.deps import Admin, CurrentPrincipal, StoreDep
from graphmap.api.listing import Page, Window, page_of
from graphmap.audit import read_audit
from graphmap.changelog import Change
from graphmap.errors import NotFound
from graphmap.model import ID_PATTERN, Day, Id, Name
from graphmap.queries import Q

router = APIRouter(tags=["administration / 管理"])
GRANTEE = r"^(team|user):[A-Za-z0-9][A-Za-z0-9._:\-]{0,199}$"
IdQuery = Annotated[str | None, Query(pattern=ID_PATTERN)]


class Me(BaseModel):
    user: User
    role: AccessRole


@router.get("/me", summary="当前用户 / Who this token belongs to", operation_id="me", tags=["me / 当前用户"])
def me(principal: CurrentPrincipal) -> Me:
    return Me(user=principal.user, role=principal.role)


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Id = Field(description="a login-like id: wang.fang")
    name: Name
    team: Id


@router.get("/users", summary="列出用户 / List users", operation_id=Q.list_users)
def list_users_(store: StoreDep, principal: Admin, window: Annotated[Window, Query()]) -> Page[User]:
    return page_of(list_users(store), window, ("id", "name", "team"), "id")


@router.post("/users", status_code=status.HTTP_201_CREATED, summary="新增用户 / Add a user", operation_id="add_user",
             responses={200: {"model": User, "description": "已有此用户：姓名和团队已更新 / "
                                                           "The user existed: name and team updated"}})  # fmt: skip
def add_user_(store: StoreDep, principal: Admin, body: UserCreate, response: Response) -> User:
    user, created = add_user(store, body.id, body.name, body.team, principal.user.id)
    if not created:  # as `graphmap user add`: the name and team of one already there
        response.status_code = status.HTTP_200_OK
    return user


@router.get("/users/{user_id}", summary="查看用户 / Get a user", operation_id="get_user")
def get_user(store: StoreDep, principal: Admin, user_id: Annotated[str, Path(pattern=ID_PATTERN)]) -> User:
    user = find_user(store, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id!r}")
    return user


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: Id
    role: AccessRole
    days: int = Field(default=DEFAULT_TOKEN_DAYS, ge=1, le=3650, description="days until it expires")


class NewToken(BaseModel):
    token: Token
    secret: str = Field(description="the bearer token; shown once, stored only hashed")


@router.get("/tokens", summary="列出令牌 / List tokens (never their secrets)", operation_id=Q.list_tokens)
def list_tokens_(
    store: StoreDep, principal: Admin, window: Annotated[Window, Query()], user_id: IdQuery = None
) -> Page[Token]:
    return page_of(list_tokens(store, user_id), window, ("id", "user_id", "created_at", "expires_at"), "created_at")


@router.post("/tokens", status_code=status.HTTP_201_CREATED, summary="创建令牌 / Create a token",
             operation_id="create_token")  # fmt: skip
def create_token_(store: StoreDep, principal: Admin, body: TokenCreate) -> NewToken:
    token, secret = create_token(store, body.user_id, body.role, principal.user.id, body.days)
    return NewToken(token=token, secret=secret)


@router.delete("/tokens/{token_id}", summary="撤销令牌 / Revoke a token", operation_id="revoke_token")
def revoke_token_(
    store: StoreDep, principal: Admin, token_id: Annotated[str, Path(pattern="^[0-9a-f]{1,32}$")]
) -> Token:
    return revoke_token(store, token_id, principal.user.id)


class GrantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: Id
    grantee: str = Field(
        pattern=r"^(team|user):[A-Za-z0-9][A-Za-z0-9._:\-]{0,199}$", description="team:NAME or user:ID"
    )


@router.get("/grants", summary="列出授权 / List grants", operation_id=Q.list_grants)
def list_grants_(
    store: StoreDep, principal: Admin, window: Annotated[Window, Query()], account_id: IdQuery = None
) -> Page[Grant]:
    return page_of(list_grants(store, account_id=account_id), window, ("account_id", "grantee"), "account_id")


@router.post("/grants", status_code=status.HTTP_201_CREATED, summary="授权 / Grant an account",
             operation_id="grant")  # fmt: skip
def grant_(store: StoreDep, principal: Admin, body: GrantCreate) -> Grant:
    return grant(store, body.account_id, body.grantee, principal.user.id)


@router.delete("/grants", status_code=status.HTTP_204_NO_CONTENT, summary="撤销授权 / Withdraw a grant",
               operation_id="withdraw_grant")  # fmt: skip
def withdraw_grant_(
    store: StoreDep,
    principal: Admin,
    account_id: Annotated[str, Query(pattern=ID_PATTERN)],
    grantee: Annotated[str, Query(pattern=GRANTEE)],
) -> None:
    withdraw_grant(store, account_id, grantee, principal.user.id)


@router.get("/audit", summary="审计记录 / The audit trail", operation_id="audit")
def audit(
    store: StoreDep,
    principal: Admin,
    window: Annotated[Window, Query()],
    since: Annotated[Day | None, Query(description="entries on or after this day (default: 30 days ago)")] = None,
    actor: IdQuery = None,
    account_id: IdQuery = None,
) -> Page[Change]:
    entries = read_audit(store, since or date.today() - timedelta(days=30), actor, account_id)
    return page_of(entries, window, ("recorded_at", "actor", "kind"), "recorded_at")
