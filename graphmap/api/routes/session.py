"""Browser sign-in (graphmap.sessions): the sign-in page, the list of accounts, signing out.

The bearer-token API is unchanged; these routes only hand a browser its session cookie."""

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from graphmap.access import authenticate, visible_account_ids
from graphmap.api.deps import StoreDep
from graphmap.errors import Unauthorized
from graphmap.graph import list_accounts
from graphmap.pages.signin import accounts_page, sign_in_page
from graphmap.sessions import CSRF_COOKIE, SESSION_COOKIE, close_session, csrf_matches, csrf_token, open_session

router = APIRouter(tags=["sign-in / 登录"], include_in_schema=False)
FORM_COOKIE = "gm_form"  # guards the sign-in form itself: nobody else's page can sign a browser in
SESSION_SECONDS = 12 * 3600


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of this site only, never another host."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or len(value) > 500:
        return "/"
    return value if value.isprintable() else "/"


def _form(request: Request, next_path: str, error: str | None = None, status: int = 200) -> HTMLResponse:
    form_token = secrets.token_urlsafe(24)
    page = HTMLResponse(sign_in_page(next_path, form_token, error), status_code=status)
    page.set_cookie(FORM_COOKIE, form_token, max_age=3600, path="/login", httponly=True, samesite="strict",
                    secure=request.url.scheme == "https")  # fmt: skip
    return page


@router.get("/login", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str | None = None) -> Response:
    return _form(request, safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def sign_in(
    request: Request,
    store: StoreDep,
    token: Annotated[str, Form(max_length=200)],
    form_token: Annotated[str, Form(max_length=100)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    next_path = safe_next(next)
    expected = request.cookies.get(FORM_COOKIE)
    if not expected or not secrets.compare_digest(expected, form_token):
        return _form(request, next_path, "登录表单已过期，请重试 / the sign-in form expired; please try again", 403)
    try:
        _, _, secret = open_session(store, token.strip())
    except Unauthorized:
        refused = "令牌无效、已过期或已撤销 / the token is not valid, has expired or was revoked"
        return _form(request, next_path, refused, 401)
    secure = request.url.scheme == "https"
    answer = RedirectResponse(next_path, status_code=303)
    answer.set_cookie(SESSION_COOKIE, secret, max_age=SESSION_SECONDS, path="/", httponly=True, samesite="strict",
                      secure=secure)  # fmt: skip
    # Read by the page's script and sent back as X-CSRF-Token on every change (graphmap.sessions).
    answer.set_cookie(CSRF_COOKIE, csrf_token(secret), max_age=SESSION_SECONDS, path="/", httponly=False,
                      samesite="strict", secure=secure)  # fmt: skip
    answer.delete_cookie(FORM_COOKIE, path="/login")
    return answer


@router.post("/logout")
async def sign_out(request: Request, store: StoreDep) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    form = await request.form()
    presented = request.headers.get("X-CSRF-Token") or form.get("csrf")
    answer = RedirectResponse("/login", status_code=303)
    if secret and csrf_matches(secret, presented if isinstance(presented, str) else None):
        try:
            await run_in_threadpool(close_session, store, secret)
        except Unauthorized:
            pass  # expired or revoked already: nothing left to close
    elif secret:
        return HTMLResponse("退出需要页面上的按钮 / sign out with the page's button", status_code=403)
    answer.delete_cookie(SESSION_COOKIE, path="/")
    answer.delete_cookie(CSRF_COOKIE, path="/")
    return answer


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    try:
        principal = authenticate(store, secret)
    except Unauthorized:
        return RedirectResponse("/login", status_code=303)
    visible = visible_account_ids(store, principal)
    accounts = [a for a in list_accounts(store) if visible is None or a.id in visible]
    accounts.sort(key=lambda a: (a.name, a.id))
    assert secret is not None  # authenticate refused a missing one
    return HTMLResponse(accounts_page(principal.user.name, principal.role.value, accounts, csrf_token(secret)))
