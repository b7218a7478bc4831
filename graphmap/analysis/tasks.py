"""Tasks (任务): what our contacts are to do in each account, by whom and by when, overdue first.

A task is a record (graphmap.model.Task): made by hand, or from a suggested next action, a gap, a plan
target or a warm path (an introduction request, graphmap.introductions). It ends done, dropped, or, for an
introduction, with its outcome. An open task past its day is overdue; open tasks with a day are
follow-ups too (graphmap.analysis.followups), so the weekly review lists those that fell due.
"""

from datetime import date

from pydantic import BaseModel, Field

from graphmap.graph import AccountNetwork, ScopeLike, iter_scope
from graphmap.model import IntroductionOutcome, TaskOrigin, TaskState
from graphmap.store import Reads


class TaskItem(BaseModel):
    """A task with the names it points at, as a sales lead reads it."""

    account_id: str
    account_name: str
    task_id: str
    title: str
    state: TaskState
    origin: TaskOrigin
    owner_id: str
    owner_name: str | None
    owner_title: str | None
    person_id: str | None
    person_name: str | None
    person_title: str | None
    via_person_id: str | None
    via_person_name: str | None
    outcome: IntroductionOutcome | None
    due: date | None
    done_on: date | None
    detail: str | None
    overdue_days: int = Field(description="days an open task is past its day on as_of; 0 otherwise")


def network_tasks(network: AccountNetwork, as_of: date) -> list[TaskItem]:
    """The account's tasks: open ones first, overdue first, then by day (undated last); then done and dropped."""
    people = {p.id: p for p in network.people}
    owners = {c.id: c for c in (*network.contacts, *network.owners)}
    items = []
    for task in network.tasks:
        owner = owners.get(task.owner_id)
        person = people.get(task.person_id or "")
        via = people.get(task.via_person_id or "")
        late = task.state is TaskState.open and task.due is not None and task.due < as_of
        items.append(
            TaskItem(
                account_id=network.account.id,
                account_name=network.account.name,
                task_id=task.id,
                title=task.title,
                state=task.state,
                origin=task.origin,
                owner_id=task.owner_id,
                owner_name=owner.name if owner else None,
                owner_title=owner.title if owner else None,
                person_id=task.person_id,
                person_name=person.name if person else None,
                person_title=person.title if person else None,
                via_person_id=task.via_person_id,
                via_person_name=via.name if via else None,
                outcome=task.outcome,
                due=task.due,
                done_on=task.done_on,
                detail=task.detail,
                overdue_days=(as_of - task.due).days if late and task.due else 0,
            )
        )
    return sorted(items, key=lambda t: (t.state is not TaskState.open, -t.overdue_days, t.due or date.max, t.task_id))


def tasks(
    store: Reads,
    scope: ScopeLike = None,
    as_of: date | None = None,
    owner_id: str | None = None,
    state: TaskState | None = TaskState.open,
    overdue_only: bool = False,
) -> list[TaskItem]:
    """The scope's tasks (open ones unless `state` says otherwise, None: all), of one owner if given."""
    as_of = as_of or date.today()
    return [
        item
        for network in iter_scope(store, scope)
        for item in network_tasks(network, as_of)
        if (owner_id is None or item.owner_id == owner_id)
        and (state is None or item.state is state)
        and (not overdue_only or item.overdue_days > 0)
    ]
