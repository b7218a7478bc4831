"""Data-subject requests about one stakeholder: everything stored about them, and erasure.

Erasure leaves no trace of the person in the graph: their node and every link to them go; interactions that
were with them alone go, and so do tasks and comments about them; their name is replaced by ERASED wherever
it was written in the account's texts (other interactions, other people's next actions, links' referrers,
the plan's notes, other tasks and comments, process cards, the account's notes); change-log and audit
entries about them or naming them are deleted. One audit entry remains, saying only that an erasure
happened, by whom and when. Then the engine forgets what it deleted (GraphStore.forget_deleted): the
embedded engine rewrites its append-only files without any older snapshot or change file. Pages and exports
are drawn from the graph, so they follow; files written before (exports, backups) and Neo4j's transaction
logs are outside graphmap's reach and are the deployment's to handle (docs/api.md).
"""

from collections.abc import Iterable
from datetime import date
from typing import TypeVar

from pydantic import BaseModel, Field

from graphmap.audit import Write, audit_entry, audit_writes
from graphmap.changelog import Change, ChangeKind, read_changes
from graphmap.editing import PERSON, comments_on, find_record, tasks_about
from graphmap.graph import (
    AccountNetwork,
    account_row,
    card_row,
    comment_row,
    coverage_row,
    interaction_row,
    person_row,
    plan_target_row,
    read_account_network,
    read_cards,
    task_row,
)
from graphmap.model import (
    Comment,
    Contact,
    Coverage,
    Department,
    Influence,
    Interaction,
    Person,
    PlanTarget,
    ReportingLine,
    Task,
)
from graphmap.queries import Q
from graphmap.store import GraphStore, Reads

ERASED = "[已删除 / erased]"
_FIRST_DAY = date(1900, 1, 1)
R = TypeVar("R", bound=BaseModel)


class SubjectExport(BaseModel):
    """Everything graphmap keeps about one stakeholder (the answer to an access request)."""

    person: Person
    account_id: str
    account_name: str
    department: Department
    covered_by: list[tuple[Contact, Coverage]]
    reports_to: list[ReportingLine]
    reported_to_by: list[ReportingLine]
    influences: list[Influence]
    influenced_by: list[Influence]
    interactions: list[Interaction]
    plan_targets: list[PlanTarget] = Field(default=[], description="the relationships our plan wants with them")
    tasks: list[Task] = Field(default=[], description="tasks about them, or asking them for an introduction")
    comments: list[Comment] = Field(default=[], description="comments on them and on our links to them")
    changes: list[Change]


def export_subject(store: GraphStore, account_id: str, person_id: str) -> SubjectExport:
    network = read_account_network(store, account_id)
    person = find_record(network, PERSON, (person_id,))
    assert isinstance(person, Person)
    contacts = {c.id: c for c in network.contacts}
    return SubjectExport(
        person=person,
        account_id=account_id,
        account_name=network.account.name,
        department=next(d for d in network.departments if d.id == person.department_id),
        covered_by=[(contacts[c.contact_id], c) for c in network.coverage if c.person_id == person_id],
        reports_to=[r for r in network.reporting_lines if r.person_id == person_id],
        reported_to_by=[r for r in network.reporting_lines if r.manager_id == person_id],
        influences=[f for f in network.influences if f.person_id == person_id],
        influenced_by=[f for f in network.influences if f.target_id == person_id],
        interactions=[i for i in network.interactions if person_id in i.person_ids],
        plan_targets=[t for t in network.plan_targets if t.person_id == person_id],
        tasks=tasks_about(network, person_id),
        comments=comments_on(network, person_id),
        changes=_changes_naming(store, person),
    )


def erase_person(store: GraphStore, account_id: str, person_id: str, actor: str) -> Change:
    """Erases one stakeholder (see the module's description); returns the one audit entry that stays.
    Read and written in one guarded step: a text naming them written meanwhile is found too."""

    def decide(reads: Reads) -> tuple[list[Write], Change]:
        network = read_account_network(reads, account_id)
        person = find_record(network, PERSON, (person_id,))
        assert isinstance(person, Person)
        traces = _traces(person)
        entry = audit_entry(actor, ChangeKind.person_erased, "person", "erased", ERASED, account_id)
        theirs = [i for i in network.interactions if person_id in i.person_ids]
        writes: list[Write] = [
            (Q.delete_changes, {"ids": [c.id for c in _changes_naming(reads, person)]}),
            (Q.delete_people, {"ids": [person_id]}),
            (Q.delete_lone_interactions, {"ids": [i.id for i in theirs]}),
            (Q.delete_tasks, {"ids": [t.id for t in tasks_about(network, person_id)]}),
            (Q.delete_comments, {"ids": [c.id for c in comments_on(network, person_id)]}),
            *((query, {"rows": rows}) for query, rows in _scrubbed(reads, network, person, traces) if rows),
        ]
        return [*writes, *audit_writes([entry])], entry

    entry = store.guarded(decide, [(Q.lock_account, {"id": account_id})])
    store.forget_deleted()  # what the engine's files still hold of them goes too
    return entry


def _traces(person: Person) -> list[str]:
    """What would identify the person in free text: their name (a one-character name would match too
    much to be replaced safely; it is still erased from their own record), phone and e-mail."""
    return [t for t in (person.name if len(person.name) > 1 else None, person.phone, person.email) if t]


def _scrub(text: str | None, traces: list[str]) -> str | None:
    if text is None:
        return None
    for trace in traces:
        text = text.replace(trace, ERASED)
    return text


def _scrubbed(
    store: Reads, network: AccountNetwork, person: Person, traces: list[str]
) -> Iterable[tuple[Q, list[dict[str, object]]]]:
    """The account's records whose texts name the person, rewritten; interactions with others stay, with
    the person gone from them (merge_interactions only rewrites properties; the WITH link went with the
    node)."""

    def scrubbed(record: R, fields: tuple[str, ...]) -> R | None:
        changes = {f: _scrub(getattr(record, f), traces) for f in fields}
        if all(changes[f] == getattr(record, f) for f in fields):
            return None
        return record.model_copy(update=changes)

    interactions = [
        scrubbed(i, ("summary", "follow_up", "on_text"))
        for i in network.interactions
        if person.id not in i.person_ids or len(i.person_ids) > 1
    ]
    yield Q.merge_interactions, [interaction_row(i) for i in interactions if i is not None]
    people = [scrubbed(p, ("next_action", "title")) for p in network.people if p.id != person.id]
    yield Q.merge_people, [person_row(p) for p in people if p is not None]
    coverage = [scrubbed(c, ("referred_by",)) for c in network.coverage if c.person_id != person.id]
    yield Q.merge_coverage, [coverage_row(c) for c in coverage if c is not None]
    plan_targets = [scrubbed(t, ("note",)) for t in network.plan_targets if t.person_id != person.id]
    yield Q.merge_plan_targets, [plan_target_row(t) for t in plan_targets if t is not None]
    about = {t.id for t in tasks_about(network, person.id)}
    tasks = [scrubbed(t, ("title", "detail")) for t in network.tasks if t.id not in about]
    yield Q.merge_tasks, [task_row(t) for t in tasks if t is not None]
    comments = [scrubbed(c, ("text",)) for c in network.comments if c.person_id != person.id]
    yield Q.merge_comments, [comment_row(c) for c in comments if c is not None]
    cards = [
        scrubbed(c, ("owner", "helpers", "pain_points", "explicit_needs", "latent_needs", "decision_makers",
                     "influencers", "users", "referral"))
        for c in read_cards(store, [network.account.id])
    ]  # fmt: skip
    yield Q.merge_cards, [card_row(c) for c in cards if c is not None]
    account = scrubbed(network.account, ("mapping_goal", "risks", "opportunities", "growth_notes", "products"))
    yield Q.merge_accounts, [account_row(account)] if account is not None else []


def _changes_naming(store: Reads, person: Person) -> list[Change]:
    """Change-log and audit entries about the person, or whose texts name them."""
    texts = [person.id, *_traces(person)]
    return [
        c
        for c in read_changes(store, _FIRST_DAY)
        if c.subject_id == person.id
        or any(t in (c.subject_name or "") or t in (c.before or "") or t in (c.after or "") for t in texts)
    ]
