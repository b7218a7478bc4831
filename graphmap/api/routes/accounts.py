"""Accounts (客户): list, read, create, change, delete; the account's network page; its process cards."""

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from graphmap.access import holds_grant
from graphmap.api.bodies import AccountCreate, AccountUpdate
from graphmap.api.deps import (
    Admin,
    AsOfQuery,
    CurrentPrincipal,
    DefaultDay,
    Editor,
    Encoded,
    RecallDep,
    StoreDep,
    VisibilityDep,
    VisibleAccount,
)
from graphmap.api.listing import Page, Window, matches, page_of
from graphmap.api.routes.records import IdPath
from graphmap.api.versions import IfMatch, expected_version, with_etag
from graphmap.editing import create_account, delete_account, update_account
from graphmap.errors import NotFound
from graphmap.graph import AccountSummary, list_accounts, read_cards
from graphmap.model import Account, Card, CustomerType, Stage, Tier
from graphmap.queries import Q
from graphmap.rendering import render_account, render_file, render_parts

router = APIRouter(tags=["accounts / 客户"])
SORTABLE = ("id", "name", "industry", "revenue_12m", "updated_on", "people", "contacts")


class AccountFilters(Window):
    q: str | None = Field(default=None, max_length=200, description="part of the name or id")
    industry: str | None = Field(default=None, max_length=200)
    stage: Stage | None = None
    customer_type: CustomerType | None = None
    tier: Tier | None = None

    def keep(self, a: AccountSummary) -> bool:
        return ((matches(a.name, self.q) or matches(a.id, self.q))
                and (self.industry is None or a.industry == self.industry)
                and (self.stage is None or a.stage == self.stage)
                and (self.customer_type is None or a.customer_type == self.customer_type)
                and (self.tier is None or a.tier == self.tier))  # fmt: skip


@router.get("/accounts", summary="列出客户 / List accounts", operation_id=Q.list_accounts)
def list_accounts_(
    store: StoreDep,
    visibility: VisibilityDep,
    filters: Annotated[AccountFilters, Query()],
) -> Page[AccountSummary]:
    visible = visibility.ids()
    accounts = [a for a in list_accounts(store) if (visible is None or a.id in visible) and filters.keep(a)]
    return page_of(accounts, filters, SORTABLE, "name")


@router.get("/accounts/{account_id}", summary="查看客户 / Get an account", operation_id="get_account")
def get_account(store: StoreDep, account_id: VisibleAccount) -> AccountSummary:
    found = list_accounts(store, account_id)
    if not found:
        raise NotFound(f"no account with id {account_id!r}")
    return found[0]


@router.post(
    "/accounts",
    status_code=status.HTTP_201_CREATED,
    summary="新建客户 / Create an account (granted to your team)",
    operation_id="create_account",
)
def create_account_(store: StoreDep, principal: Editor, body: AccountCreate, response: Response) -> Account:
    fields = body.model_dump(exclude_unset=True)
    account = create_account(store, fields, principal.user.id, grantee=f"team:{principal.user.team}")
    return with_etag(response, account)


@router.patch("/accounts/{account_id}", summary="修改客户 / Update an account", operation_id="update_account")
def update_account_(store: StoreDep, principal: Editor, account_id: VisibleAccount, body: AccountUpdate,
                    response: Response, if_match: IfMatch = None) -> Account:  # fmt: skip
    changes = body.model_dump(exclude_unset=True)
    return with_etag(
        response, update_account(store, account_id, changes, principal.user.id, expected_version(if_match))
    )


@router.delete(
    "/accounts/{account_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="删除客户及其全部记录 / Delete an account and everything in it (admins)",
    operation_id="delete_account",
)
def delete_account_(store: StoreDep, principal: Admin, account_id: VisibleAccount, if_match: IfMatch = None) -> None:
    delete_account(store, account_id, principal.user.id, expected_version(if_match))


@router.get(
    "/accounts/{account_id}/page",
    response_class=HTMLResponse,
    summary="客户关系网络页面 / The account's interactive network page",
    operation_id="get_account_page",
)
def account_page(
    request: Request,
    store: StoreDep,
    principal: CurrentPrincipal,
    recall: RecallDep,
    account_id: VisibleAccount,
    default: DefaultDay,
    as_of: AsOfQuery = None,
    path_to: Annotated[str | None, Query(max_length=200, description="a stakeholder: their best warm path")] = None,
) -> Response:
    day = as_of or default

    def compute() -> Encoded:
        # Linking its shared scripts (pages/assets.py), the page is its data; kept gzipped too, as browsers take.
        page = render_account(store, account_id, day, path_to, masked=principal.masked, files=True,
                              workspace=True)  # fmt: skip
        return Encoded.of(page.encode(), "text/html; charset=utf-8")

    return recall(compute).response(request)


@router.get(
    "/accounts/{account_id}/page/data",
    summary="客户关系图的数据 / What the account's page draws, for the workspace to redraw after an edit",
    operation_id="get_account_page_data",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
def account_page_data(
    request: Request,
    principal: CurrentPrincipal,
    store: StoreDep,
    recall: RecallDep,
    account_id: VisibleAccount,
    default: DefaultDay,
    as_of: AsOfQuery = None,
    actions: Annotated[
        bool, Query(description="with the suggested next steps (false: faster; ask /analyses/actions apart)")
    ] = True,
) -> Response:
    day = as_of or default

    def compute() -> Encoded:
        # Encoded here, once: FastAPI's encoder would walk the ten thousand values of a large map again.
        parts = render_parts(store, account_id, day, masked=principal.masked, actions=actions)
        return Encoded.of(json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode(), "application/json")

    return recall(compute).response(request)


_MEDIA = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


@router.get(
    "/accounts/{account_id}/page.{format}",
    response_class=Response,
    summary="客户关系图文件（会议用）/ The account's whole map as SVG, PNG or PDF, for meetings",
    operation_id="get_account_map_file",
    responses={200: {"content": {media: {} for media in _MEDIA.values()}}},
)
def account_map_file(
    store: StoreDep,
    principal: CurrentPrincipal,
    recall: RecallDep,
    account_id: VisibleAccount,
    format: Annotated[Literal["svg", "png", "pdf"], Path(description="svg, png or pdf")],
    default: DefaultDay,
    as_of: AsOfQuery = None,
    paper: Annotated[Literal["a4", "a3"], Query(description="the PDF's paper, landscape")] = "a4",
) -> Response:
    day = as_of or default
    drawn = recall(lambda: render_file(store, account_id, day, format, masked=principal.masked, paper=paper))
    name = f"{account_id}.{format}"
    return Response(drawn, media_type=_MEDIA[format], headers={"Content-Disposition": f'inline; filename="{name}"'})


def _cards_of(store: StoreDep, principal: CurrentPrincipal, account_id: str) -> list[Card]:
    """Process cards are seen only by those the account is granted to (admins too need a grant)."""
    if not holds_grant(store, principal, account_id):
        raise NotFound(f"no process cards of account {account_id!r} for you: they are its grantees' files")
    return list(read_cards(store, [account_id]))


@router.get("/accounts/{account_id}/cards", summary="流程卡牌 / Process cards", operation_id=Q.list_cards,
            tags=["cards / 流程卡牌"])  # fmt: skip
def list_cards(
    store: StoreDep, principal: CurrentPrincipal, account_id: VisibleAccount, window: Annotated[Window, Query()]
) -> Page[Card]:
    return page_of(_cards_of(store, principal, account_id), window, ("id", "opened_on"), "id")


@router.get("/accounts/{account_id}/cards/{card_id}", summary="查看流程卡牌 / Get a process card",
            operation_id="get_card", tags=["cards / 流程卡牌"])  # fmt: skip
def get_card(store: StoreDep, principal: CurrentPrincipal, account_id: VisibleAccount, card_id: IdPath) -> Card:
    for card in _cards_of(store, principal, account_id):
        if card.id == card_id:
            return card
    raise NotFound(f"no process card {card_id!r} in account {account_id!r}")
