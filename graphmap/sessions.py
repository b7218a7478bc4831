"""Browser sign-in (登录): an API token exchanged for a session, kept in an HttpOnly cookie.

The map page served by `graphmap serve` is a workspace where editors change the graph through the API's
own routes. A browser cannot send a bearer header with a plain link, and a token pasted into a page's
script could be read by any script on it; so the token is presented once, on the sign-in page, and
exchanged for a session: a token of its own (the same role, marked `session`, living 12 hours or until
the presented token expires, whichever is first; audited; revoked at sign-out), whose secret travels
only in an HttpOnly, SameSite=Strict cookie.

Cross-site request forgery: besides SameSite=Strict, every state-changing request made with the session
cookie must carry X-CSRF-Token, an HMAC of the session's secret that the page reads from a second
cookie (readable by the page's script, useless without the first). Another site can neither read it nor
set the header. Requests with a bearer header are not cookie-borne and need no CSRF token.
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from graphmap.access import Principal, Token, authenticate, issue_token, revoke_token
from graphmap.store import GraphStore

SESSION_COOKIE = "gm_session"
CSRF_COOKIE = "gm_csrf"
CSRF_HEADER = "X-CSRF-Token"
SESSION_HOURS = 12
SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
_CSRF_LABEL = b"graphmap csrf v1"


def open_session(store: GraphStore, presented: str) -> tuple[Principal, Token, str]:
    """The principal behind an API token, and a session token for them (Unauthorized for a bad token)."""
    principal = authenticate(store, presented)
    expires_at = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=SESSION_HOURS)
    if principal.expires_at is not None:
        expires_at = min(expires_at, principal.expires_at)
    token, secret = issue_token(store, principal.user.id, principal.role, principal.user.id, expires_at, session=True)
    return principal, token, secret


def close_session(store: GraphStore, secret: str) -> None:
    """Revokes the session behind a cookie; one already unusable needs nothing."""
    principal = authenticate(store, secret)
    if principal.token_id is not None:
        revoke_token(store, principal.token_id, principal.user.id)


def csrf_token(secret: str) -> str:
    """The CSRF token of a session: derived from its secret, so nothing more is stored."""
    return hmac.new(secret.encode(), _CSRF_LABEL, hashlib.sha256).hexdigest()


def csrf_matches(secret: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(csrf_token(secret), presented)
