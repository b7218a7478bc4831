"""Who may use graphmap and see which accounts: users, their API tokens, and grants of accounts.

- A user belongs to one team. A token belongs to a user and carries a role: viewer (reads what
  graphmap.privacy lets a viewer see), editor (reads and changes) or admin (everything,
  every account, the audit trail, users and grants).
- A viewer or editor sees an account only when it is granted to them or to their team. An account they
  may not see does not exist for them (404, never 403: its existence is not leaked).
- Process cards are the files of the people who work the account: only grantees see them, admins
  included (an admin who needs them grants the account to themselves, and that is audited).
- A token is shown once, when it is created: `gm_<id>_<secret>`. Only the SHA-256 of the secret is
  stored; the secret has 256 random bits, so a fast hash is enough (no password stretching needed).
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from graphmap.audit import Write, audit_entry, audit_writes, write_audited
from graphmap.changelog import ChangeKind
from graphmap.errors import Invalid, NotFound, Unauthorized
from graphmap.graph import select_accounts
from graphmap.model import Id, Name, Record, Vocabulary
from graphmap.queries import Q
from graphmap.store import GraphStore, Reads

TOKEN_PREFIX = "gm"
DEFAULT_TOKEN_DAYS = 90


class AccessRole(Vocabulary):
    viewer = "viewer", "查看者", "viewer"
    editor = "editor", "编辑者", "editor"
    admin = "admin", "管理员", "admin"


# (:User) a person who uses graphmap (one of our staff), not a stakeholder
class User(Record):
    id: Id
    name: Name
    team: Id = Field(description="the team whose grants the user shares")
    added_at: datetime | None = None


# (:Token) an API token of a user
class Token(Record):
    id: str
    user_id: Id
    role: AccessRole
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    session: bool = Field(default=False, description="a browser's sign-in (graphmap.sessions), not an API token")

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


# (:Grant) an account granted to a team or one user
class Grant(Record):
    id: str
    account_id: Id
    grantee: str = Field(description='"team:NAME" or "user:ID"')
    granted_by: str | None = None
    granted_at: datetime | None = None


class Principal(BaseModel):
    """Who is asking: the user behind a token, with the token's role."""

    user: User
    role: AccessRole
    token_id: str | None = None
    expires_at: datetime | None = None  # the token's; None for the CLI, which needs none

    @property
    def is_admin(self) -> bool:
        return self.role is AccessRole.admin

    @property
    def may_edit(self) -> bool:
        return self.role in (AccessRole.editor, AccessRole.admin)

    @property
    def masked(self) -> bool:
        """Viewers see accounts as graphmap.privacy masks them."""
        return self.role is AccessRole.viewer

    @property
    def grantees(self) -> list[str]:
        return [f"user:{self.user.id}", f"team:{self.user.team}"]

    def expired(self) -> bool:
        """Whether its token has expired by now (a principal is kept between requests: api/deps.py)."""
        return self.expires_at is not None and self.expires_at <= _now()


def _node_rows(node: User | Token | Grant, **extra: Any) -> dict[str, Any]:
    """The parameters of a merge_* query for one node: its id and its other properties."""
    return {"rows": [{"id": node.id, "props": node.model_dump(mode="json", exclude={"id"}) | extra}]}


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def add_user(store: GraphStore, user_id: str, name: str, team: str, actor: str) -> tuple[User, bool]:
    """Adds a user, or updates the name and team of one already there; the user, and whether it is new."""
    user = User(id=user_id, name=name, team=team, added_at=_now())
    before = find_user(store, user_id)
    if before is not None:
        user = user.model_copy(update={"added_at": before.added_at})
    kind = ChangeKind.user_added if before is None else ChangeKind.record_updated
    write_audited(store, [(Q.merge_users, _node_rows(user))],
                  [audit_entry(actor, kind, "user", user.id, user.name, before=before, after=user)])  # fmt: skip
    return user, before is None


def find_user(store: Reads, user_id: str) -> User | None:
    rows = store.read(Q.list_users, user_id=user_id)
    return User(**rows[0]) if rows else None


def list_users(store: GraphStore) -> list[User]:
    return [User(**row) for row in store.read(Q.list_users, user_id=None)]


def create_token(
    store: GraphStore, user_id: str, role: AccessRole, actor: str, days: int = DEFAULT_TOKEN_DAYS
) -> tuple[Token, str]:
    """A new token for a user and the secret to hand over: shown now, never again."""
    if find_user(store, user_id) is None:
        raise NotFound(f"no user with id {user_id!r}; add one with `graphmap user add`")
    if not 1 <= days <= 3650:
        raise Invalid(f"days: {days}; a token lives from 1 to 3650 days")
    return issue_token(store, user_id, role, actor, _now() + timedelta(days=days))


def issue_token(
    store: GraphStore, user_id: str, role: AccessRole, actor: str, expires_at: datetime, session: bool = False
) -> tuple[Token, str]:
    """Writes a token (audited) and returns it with its secret; the callers check the user and the life."""
    token = Token(id=secrets.token_hex(6), user_id=user_id, role=role, created_at=_now(), expires_at=expires_at,
                  session=session)  # fmt: skip
    secret = secrets.token_urlsafe(32)
    write_audited(store, [(Q.merge_tokens, _node_rows(token, secret_hash=_hash(secret)))],
                  [audit_entry(actor, ChangeKind.token_created, "token", token.id, user_id, after=token)])  # fmt: skip
    return token, f"{TOKEN_PREFIX}_{token.id}_{secret}"


def revoke_token(store: GraphStore, token_id: str, actor: str) -> Token:
    rows = store.read(Q.list_tokens, token_id=token_id, user_id=None)
    if not rows:
        raise NotFound(f"no token with id {token_id!r}")
    before = _token(rows[0])
    if before.revoked_at is not None:
        return before
    after = before.model_copy(update={"revoked_at": _now()})
    write_audited(store, [(Q.merge_tokens, _node_rows(after))],
                  [audit_entry(actor, ChangeKind.token_revoked, "token", after.id, after.user_id, before=before,
                               after=after)])  # fmt: skip
    return after


def list_tokens(store: GraphStore, user_id: str | None = None) -> list[Token]:
    return [_token(row) for row in store.read(Q.list_tokens, token_id=None, user_id=user_id)]


def authenticate(store: GraphStore, presented: str | None) -> Principal:
    """The principal behind a bearer token; Unauthorized for a missing, unknown, expired or revoked one.

    The reason is not told apart in the message: a guesser learns nothing about which tokens exist."""
    refused = _refused()
    if not presented:
        raise refused
    prefix, _, rest = presented.partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not token_id or not secret or len(presented) > 200:
        raise refused
    rows = store.read(Q.list_tokens, token_id=token_id, user_id=None)
    if not rows or not hmac.compare_digest(rows[0]["secret_hash"] or "", _hash(secret)):
        raise refused
    token = _token(rows[0])
    user = find_user(store, token.user_id)
    if user is None or not token.usable(_now()):
        raise refused
    return Principal(user=user, role=token.role, token_id=token.id, expires_at=token.expires_at)


def still_valid(principal: Principal) -> Principal:
    """A principal authenticated a while ago, if its token has not expired since."""
    if principal.expired():
        raise _refused()
    return principal


def _refused() -> Unauthorized:
    return Unauthorized("a valid bearer token is needed: Authorization: Bearer gm_...")


def grant(store: GraphStore, account_id: str, grantee: str, actor: str) -> Grant:
    """Grants an account to "team:NAME" or "user:ID"; granting twice changes nothing."""
    account = select_accounts(store, account_id)[0]
    granted, writes = granting(store, account_id, account.name, grantee, actor)
    if any(g.id == granted.id for g in list_grants(store, account_id=account_id)):
        return granted
    write_audited(store, writes, [])  # the writes hold their audit entry
    return granted


def granting(reads: Reads, account_id: str, account_name: str, grantee: str, actor: str) -> tuple[Grant, list[Write]]:
    """The grant of an account and the writes that record it with its audit entry (for a guarded step:
    a new account and its creator team's grant are written together)."""
    _check_grantee(reads, grantee)
    granted = Grant(id=_grant_id(account_id, grantee), account_id=account_id, grantee=grantee, granted_by=actor,
                    granted_at=_now())  # fmt: skip
    entry = audit_entry(actor, ChangeKind.access_granted, "grant", granted.id, account_name, account_id=account_id,
                        after=granted)  # fmt: skip
    return granted, [(Q.merge_grants, _node_rows(granted)), *audit_writes([entry])]


def withdraw_grant(store: GraphStore, account_id: str, grantee: str, actor: str) -> None:
    grants = [g for g in list_grants(store, account_id=account_id) if g.grantee == grantee]
    if not grants:
        raise NotFound(f"account {account_id!r} is not granted to {grantee!r}")
    write_audited(store, [(Q.delete_grants, {"ids": [g.id for g in grants]})],
                  [audit_entry(actor, ChangeKind.access_revoked, "grant", g.id, account_id, account_id=account_id,
                               before=g) for g in grants])  # fmt: skip


def list_grants(store: GraphStore, grantees: list[str] | None = None, account_id: str | None = None) -> list[Grant]:
    return [Grant(**row) for row in store.read(Q.list_grants, grantees=grantees, account_id=account_id)]


def visible_account_ids(store: GraphStore, principal: Principal) -> set[str] | None:
    """The accounts a principal may see; None means every account (admins)."""
    if principal.is_admin:
        return None
    return {g.account_id for g in list_grants(store, grantees=principal.grantees)}


def may_see(store: GraphStore, principal: Principal, account_id: str) -> bool:
    """Whether the principal may see this account: admins see every account, others those granted to them."""
    return principal.is_admin or holds_grant(store, principal, account_id)


def holds_grant(store: GraphStore, principal: Principal, account_id: str) -> bool:
    """Whether the account is granted to the principal or their team (one indexed read)."""
    rows = store.read(Q.count_account_grants, account_id=account_id, grantees=principal.grantees)
    return bool(rows and rows[0]["grants"])


def unknown_account(account_id: str) -> NotFound:
    """What a caller who may not see an account is told: the same as for an account that does not exist."""
    return NotFound(f"no account with id {account_id!r}")


def parse_grantee(team: str | None, user: str | None) -> str:
    if (team is None) == (user is None):
        raise Invalid("give a team or a user, not both")
    return f"team:{team}" if team is not None else f"user:{user}"


def _check_grantee(store: Reads, grantee: str) -> None:
    kind, _, name = grantee.partition(":")
    if kind not in ("team", "user") or not name:
        raise Invalid(f"grantee {grantee!r}: give team:NAME or user:ID")
    if kind == "user" and find_user(store, name) is None:
        raise NotFound(f"no user with id {name!r}")


def _grant_id(account_id: str, grantee: str) -> str:
    return "gr-" + hashlib.sha256(f"{account_id}|{grantee}".encode()).hexdigest()[:16]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _token(row: dict[str, Any]) -> Token:
    return Token(**{k: v for k, v in row.items() if k != "secret_hash" and v is not None})
