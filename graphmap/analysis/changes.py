"""What changed since a day, per account, with the counts account teams ask for (the change log).

For a masked scope (a viewer's: graphmap.privacy) every stakeholder's name in an entry is masked, and
the records an audit entry keeps before and after are left out: they may hold phones and e-mails.
"""

from collections import Counter
from datetime import date

from pydantic import BaseModel, Field

from graphmap.changelog import Change, ChangeKind, read_changes
from graphmap.graph import Scope, ScopeLike, find_contacts, scope_accounts
from graphmap.model import RelationshipStatus, titled
from graphmap.privacy import mask_name, mask_names_in
from graphmap.queries import Q
from graphmap.store import GraphStore

STATUS_RANK = {  # how close a relationship is, to tell coverage gained from coverage lost
    RelationshipStatus.trusted: 4,
    RelationshipStatus.referred: 3,
    RelationshipStatus.initial: 2,
    RelationshipStatus.competitor: 1,
    RelationshipStatus.none: 0,
}
# Entries about one stakeholder: their name is masked even when they are no longer in the graph.
ABOUT_A_STAKEHOLDER = {
    ChangeKind.person_joined,
    ChangeKind.person_left,
    ChangeKind.person_returned,
    ChangeKind.title_changed,
    ChangeKind.roles_changed,
    ChangeKind.coverage_gained,
    ChangeKind.status_changed,
    ChangeKind.person_erased,
}


class ChangeSummary(BaseModel):
    account_id: str
    account_name: str = Field(default="", description="empty for an account no longer in the graph")
    joined: int
    left: int
    status_changes: int
    coverage_gained: int = Field(description="new links, and links whose status got closer")
    coverage_lost: int = Field(description="links whose status got more distant")
    changes: list[Change]
    contacts: dict[str, str] = Field(default={}, description="our contacts the entries name: id -> title and name")


def changes_since(store: GraphStore, since: date, scope: ScopeLike = None) -> list[ChangeSummary]:
    """The change log from `since` on, per account of the scope (NotFound for one account that does not
    exist), with the counts account teams ask for."""
    scope = Scope.of(scope)
    names = {a.id: a.name for a in scope_accounts(store, scope)}
    accounts = None if scope.account_ids is None else set(names)
    by_account: dict[str, list[Change]] = {}
    for change in read_changes(store, since, scope.one):
        # users, tokens and erasures belong to no account
        if change.account_id is not None and (accounts is None or change.account_id in accounts):
            by_account.setdefault(change.account_id, []).append(change)
    if scope.masked:
        by_account = _masked(store, by_account)
    named = find_contacts(store, sorted({c.contact_id for cs in by_account.values() for c in cs if c.contact_id}))
    summaries = []
    for key, changes in sorted(by_account.items()):
        kinds = Counter(c.kind for c in changes)
        closer = [c for c in changes if c.kind is ChangeKind.status_changed and _closer(c)]
        summaries.append(
            ChangeSummary(
                account_id=key,
                joined=kinds[ChangeKind.person_joined],
                left=kinds[ChangeKind.person_left],
                status_changes=kinds[ChangeKind.status_changed],
                coverage_gained=kinds[ChangeKind.coverage_gained] + len(closer),
                coverage_lost=kinds[ChangeKind.status_changed] - len(closer),
                changes=changes,
                account_name=names.get(key, ""),
                contacts={
                    c.contact_id: titled(named[c.contact_id].title, named[c.contact_id].name)
                    for c in changes
                    if c.contact_id in named
                },  # fmt: skip
            )
        )
    return summaries


def _masked(store: GraphStore, by_account: dict[str, list[Change]]) -> dict[str, list[Change]]:
    names: dict[str, list[str]] = {account_id: [] for account_id in by_account}
    for row in store.read(Q.list_people, account_ids=sorted(by_account)):
        names[row["account_id"]].append(row["name"])

    def masked(change: Change, known: list[str]) -> Change:
        about = change.kind in ABOUT_A_STAKEHOLDER or (change.actor is not None and change.field == "person")
        subject = mask_name(change.subject_name) if about else mask_names_in(change.subject_name, known)
        if change.actor is not None:  # an audit entry: the records it keeps may hold contact details
            before = after = None
        else:
            before, after = (None if v is None else mask_names_in(v, known) for v in (change.before, change.after))
        return change.model_copy(update={"subject_name": subject, "before": before, "after": after})

    return {account_id: [masked(c, names[account_id]) for c in changes] for account_id, changes in by_account.items()}


def _closer(change: Change) -> bool:
    before = STATUS_RANK[RelationshipStatus(change.before)] if change.before else 0
    after = STATUS_RANK[RelationshipStatus(change.after)] if change.after else 0
    return after > before
