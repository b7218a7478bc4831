"""Signing in from a browser (graphmap.sessions): an API token exchanged for an HttpOnly session cookie,
CSRF on every change made with it, signing out revokes it. The bearer API is unchanged."""

import re
from datetime import date

import pytest

from graphmap.access import list_tokens
from graphmap.audit import read_audit
from graphmap.sessions import CSRF_COOKIE, SESSION_COOKIE, csrf_token
from tests.api.conftest import EAST, WEST, Api

pytestmark = pytest.mark.integration
EN = EAST[0]


def sign_in(api: Api, who: str, next_path: str = "/") -> object:
    form = api.client.get("/login")
    assert form.status_code == 200 and 'type="password"' in form.text
    form_token = re.search(r'name="form_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    return api.client.post("/login", data={"token": api.tokens[who], "form_token": form_token, "next": next_path},
                           follow_redirects=False)  # fmt: skip


def test_a_token_becomes_an_httponly_strict_session_and_the_browser_reads_and_edits(api: Api) -> None:
    reply = sign_in(api, "east_editor", f"/accounts/{EN}/page")
    assert reply.status_code == 303 and reply.headers["location"] == f"/accounts/{EN}/page"
    cookies = reply.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in session and "SameSite=strict" in session and "Path=/" in session
    csrf = next(c for c in cookies if c.startswith(CSRF_COOKIE + "="))
    assert "HttpOnly" not in csrf and "SameSite=strict" in csrf
    secret = api.client.cookies[SESSION_COOKIE]
    assert api.client.cookies[CSRF_COOKIE] == csrf_token(secret) and secret not in api.tokens.values()
    (kept,) = [t for t in list_tokens(api.store, "east.editor") if t.session]
    assert kept.role.value == "editor" and (kept.expires_at - kept.created_at).total_seconds() == 12 * 3600

    home = api.client.get("/")
    assert home.status_code == 200 and all(f"/accounts/{a}/page" in home.text for a in EAST)
    assert f"/accounts/{WEST[0]}/page" not in home.text  # the grants hold
    assert api.client.get(f"/accounts/{EN}/page").status_code == 200
    person = api.client.get(f"/accounts/{EN}/people").json()["data"][0]
    url = f"/accounts/{EN}/people/{person['id']}"
    # A change with the cookie alone is what a forged cross-site request looks like: refused.
    assert api.client.patch(url, json={"title": "被伪造"}).status_code == 403
    assert api.client.patch(url, json={"title": "x"}, headers={"X-CSRF-Token": "0" * 64}).status_code == 403
    changed = api.client.patch(url, json={"title": "首席信息官"}, headers={"X-CSRF-Token": csrf_token(secret)})
    assert changed.status_code == 200 and changed.json()["title"] == "首席信息官"
    entries = read_audit(api.store, date(2000, 1, 1), actor="east.editor")  # the session's, then the change
    assert [e.kind.value for e in entries if e.subject_id == person["id"]] == ["record_updated"]


def test_signing_out_revokes_the_session(api: Api) -> None:
    sign_in(api, "east_editor")
    secret = api.client.cookies[SESSION_COOKIE]
    assert api.client.post("/logout", data={"csrf": "wrong"}).status_code == 403  # another site's form
    reply = api.client.post("/logout", data={"csrf": csrf_token(secret)}, follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/login"
    assert all(t.revoked_at is not None for t in list_tokens(api.store, "east.editor") if t.session)
    api.client.cookies.set(SESSION_COOKIE, secret)  # a copy of the old cookie opens nothing
    assert api.client.get(f"/accounts/{EN}/people", headers={"Accept": "application/json"}).status_code == 401


def test_bad_tokens_forged_forms_and_foreign_next_are_refused(api: Api) -> None:
    form = api.client.get("/login")
    form_token = re.search(r'name="form_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    wrong = api.client.post("/login", data={"token": "gm_abc_def", "form_token": form_token})
    assert wrong.status_code == 401 and "令牌无效" in wrong.text and "not valid" in wrong.text
    assert SESSION_COOKIE not in api.client.cookies
    api.client.cookies.clear()
    forged = api.client.post("/login", data={"token": api.tokens["admin"], "form_token": form_token})
    assert forged.status_code == 403 and SESSION_COOKIE not in api.client.cookies
    for foreign in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        assert sign_in(api, "east_viewer", foreign).headers["location"] == "/"  # type: ignore[attr-defined]
    payload = '"><script>alert(1)</script>'
    assert "<script>alert" not in api.client.get("/login", params={"next": "/" + payload}).text


def test_a_viewer_session_reads_masked_and_may_not_change(api: Api) -> None:
    sign_in(api, "east_viewer")
    secret = api.client.cookies[SESSION_COOKIE]
    person = api.client.get(f"/accounts/{EN}/people").json()["data"][0]
    refused = api.client.patch(f"/accounts/{EN}/people/{person['id']}", json={"title": "x"},
                               headers={"X-CSRF-Token": csrf_token(secret)})  # fmt: skip
    assert refused.status_code == 403


def test_a_browser_without_a_session_is_sent_to_sign_in_and_programs_get_401(api: Api) -> None:
    page = api.client.get(f"/accounts/{EN}/page?as_of=2024-09-30", headers={"Accept": "text/html"},
                          follow_redirects=False)  # fmt: skip
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=/accounts/")
    assert api.client.get(f"/accounts/{EN}/page").status_code == 401
    assert api.client.get("/", follow_redirects=False).headers["location"] == "/login"
    assert api.call("east_editor", "GET", f"/accounts/{EN}/people").status_code == 200  # bearer unchanged
