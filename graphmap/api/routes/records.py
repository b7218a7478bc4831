"""The records kept inside an account: departments, people, coverage, reporting lines, influence, the plan's
targets, tasks, comments, interactions.

Every kind gets the same five routes under /accounts/{account_id}/<kind>: list (filters, sort, {data,
count}), get, create, update (PATCH, only the fields given) and delete. Ids are generated on create;
ids, the account and the link's two ends never come from a body (422 if they do).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel, Field

from graphmap.access import Principal
from graphmap.api.bodies import (
    Body,
    CommentCreate,
    CommentUpdate,
    CoverageCreate,
    CoverageUpdate,
    DepartmentCreate,
    DepartmentUpdate,
    InfluenceCreate,
    InfluenceUpdate,
    InteractionCreate,
    InteractionUpdate,
    PersonCreate,
    PersonUpdate,
    PlanTargetCreate,
    PlanTargetUpdate,
    ReportingLineCreate,
    ReportingLineUpdate,
    TaskCreate,
    TaskUpdate,
)
from graphmap.api.deps import CurrentPrincipal, DefaultDay, Editor, SettingsDep, StoreDep, VisibleAccount
from graphmap.api.listing import Page, Window, matches, page_of
from graphmap.api.versions import IfMatch, expected_version, with_etag
from graphmap.editing import (
    COMMENT,
    COVERAGE,
    DEPARTMENT,
    INFLUENCE,
    INTERACTION,
    PERSON,
    PLAN_TARGET,
    REPORTING_LINE,
    TASK,
    RecordKind,
    create_record,
    delete_record,
    find_record,
    update_record,
)
from graphmap.graph import AccountNetwork, read_account_network
from graphmap.introductions import request_introduction
from graphmap.model import (
    ID_PATTERN,
    Channel,
    Comment,
    Coverage,
    Day,
    Department,
    DepartmentLevel,
    Id,
    Influence,
    Interaction,
    Person,
    PersonStatus,
    PlanTarget,
    Record,
    RelationshipStatus,
    ReportingLine,
    Role,
    Task,
    TaskOrigin,
    TaskState,
)

router = APIRouter()
IdPath = Annotated[str, Path(pattern=ID_PATTERN)]
Text = Annotated[str | None, Field(default=None, max_length=200)]


class Filters(Window):
    def keep(self, record: Any) -> bool:
        return True


class DepartmentFilters(Filters):
    level: DepartmentLevel | None = None
    parent_id: Text = None
    q: Text = Field(default=None, description="part of the name")

    def keep(self, d: Department) -> bool:
        return ((self.level is None or d.level == self.level)
                and (self.parent_id is None or d.parent_id == self.parent_id) and matches(d.name, self.q))  # fmt: skip


class PersonFilters(Filters):
    department_id: Text = None
    role: Role | None = None
    status: PersonStatus | None = None
    q: Text = Field(default=None, description="part of the name or title")

    def keep(self, p: Person) -> bool:
        return ((self.department_id is None or p.department_id == self.department_id)
                and (self.role is None or self.role in p.roles) and (self.status is None or p.status == self.status)
                and (matches(p.name, self.q) or matches(p.title, self.q)))  # fmt: skip


class CoverageFilters(Filters):
    contact_id: Text = None
    person_id: Text = None
    status: RelationshipStatus | None = None

    def keep(self, c: Coverage) -> bool:
        return ((self.contact_id is None or c.contact_id == self.contact_id)
                and (self.person_id is None or c.person_id == self.person_id)
                and (self.status is None or c.status == self.status))  # fmt: skip


class ReportingLineFilters(Filters):
    person_id: Text = None
    manager_id: Text = None

    def keep(self, r: ReportingLine) -> bool:
        return (self.person_id is None or r.person_id == self.person_id) and (
            self.manager_id is None or r.manager_id == self.manager_id
        )


class InfluenceFilters(Filters):
    person_id: Text = None
    target_id: Text = None

    def keep(self, f: Influence) -> bool:
        return (self.person_id is None or f.person_id == self.person_id) and (
            self.target_id is None or f.target_id == self.target_id
        )


class PlanTargetFilters(Filters):
    contact_id: Text = None
    person_id: Text = None
    status: RelationshipStatus | None = None
    due_by: Day | None = Field(default=None, description="due on or before this day")

    def keep(self, t: PlanTarget) -> bool:
        return ((self.contact_id is None or t.contact_id == self.contact_id)
                and (self.person_id is None or t.person_id == self.person_id)
                and (self.status is None or t.status == self.status)
                and (self.due_by is None or (t.due is not None and t.due <= self.due_by)))  # fmt: skip


class TaskFilters(Filters):
    state: TaskState | None = None
    owner_id: Text = None
    person_id: Text = Field(default=None, description="about this stakeholder, or asking them to introduce us")
    origin: TaskOrigin | None = None
    due_by: Day | None = Field(default=None, description="due on or before this day")

    def keep(self, t: Task) -> bool:
        return ((self.state is None or t.state == self.state)
                and (self.owner_id is None or t.owner_id == self.owner_id)
                and (self.person_id is None or self.person_id in (t.person_id, t.via_person_id))
                and (self.origin is None or t.origin == self.origin)
                and (self.due_by is None or (t.due is not None and t.due <= self.due_by)))  # fmt: skip


class CommentFilters(Filters):
    person_id: Text = Field(default=None, description="on this stakeholder, or on one of our links to them")
    contact_id: Text = Field(default=None, description="on one of this contact's links")
    author: Text = None
    mentioning: Text = Field(default=None, description="those that @mention this user")

    def keep(self, c: Comment) -> bool:
        return ((self.person_id is None or c.person_id == self.person_id)
                and (self.contact_id is None or c.contact_id == self.contact_id)
                and (self.author is None or c.author == self.author)
                and (self.mentioning is None or self.mentioning in c.mentions))  # fmt: skip


class InteractionFilters(Filters):
    person_id: Text = None
    contact_id: Text = None
    channel: Channel | None = None
    since: Day | None = Field(default=None, description="on or after this day")
    until: Day | None = Field(default=None, description="on or before this day")
    q: Text = Field(default=None, description="part of the summary")

    def keep(self, i: Interaction) -> bool:
        return ((self.person_id is None or self.person_id in i.person_ids)
                and (self.contact_id is None or self.contact_id in i.contact_ids)
                and (self.channel is None or i.channel == self.channel)
                and (self.since is None or (i.on is not None and i.on >= self.since))
                and (self.until is None or (i.on is not None and i.on <= self.until))
                and matches(i.summary, self.q))  # fmt: skip


@dataclass(frozen=True)
class Route:
    kind: RecordKind
    path: str
    zh: str
    en: str
    page: type[BaseModel]  # Page[the record]
    create: type[Body]  # graphmap/api/bodies.py
    update: type[Body]
    filters: type[Filters]
    sortable: tuple[str, ...]
    default_sort: str


ROUTES = (
    Route(DEPARTMENT, "departments", "部门", "departments", Page[Department], DepartmentCreate, DepartmentUpdate,
          DepartmentFilters, ("id", "name", "level"), "name"),
    Route(PERSON, "people", "关键人", "stakeholders", Page[Person], PersonCreate, PersonUpdate, PersonFilters,
          ("id", "name", "title", "status", "department_id"), "name"),
    Route(COVERAGE, "coverage", "对接关系", "coverage (our contact covers a stakeholder)", Page[Coverage],
          CoverageCreate, CoverageUpdate, CoverageFilters, ("contact_id", "person_id", "status", "since", "strength"),
          "person_id"),
    Route(REPORTING_LINE, "reporting-lines", "汇报关系", "reporting lines", Page[ReportingLine], ReportingLineCreate,
          ReportingLineUpdate, ReportingLineFilters, ("person_id", "manager_id"), "person_id"),
    Route(INFLUENCE, "influences", "影响关系", "influence", Page[Influence], InfluenceCreate, InfluenceUpdate,
          InfluenceFilters, ("person_id", "target_id", "strength"), "person_id"),
    Route(PLAN_TARGET, "plan-targets", "计划目标", "plan targets (the relationship we want)", Page[PlanTarget],
          PlanTargetCreate, PlanTargetUpdate, PlanTargetFilters, ("contact_id", "person_id", "status", "due"),
          "person_id"),
    Route(TASK, "tasks", "任务", "tasks (introduction requests too)", Page[Task], TaskCreate, TaskUpdate, TaskFilters,
          ("id", "due", "state", "owner_id", "title"), "due"),
    Route(COMMENT, "comments", "评论", "comments (editable by their author)", Page[Comment], CommentCreate,
          CommentUpdate, CommentFilters, ("id", "written_at", "author"), "written_at"),
    Route(INTERACTION, "interactions", "互动记录", "interactions", Page[Interaction], InteractionCreate,
          InteractionUpdate, InteractionFilters, ("id", "on", "channel", "due"), "-on"),
)  # fmt: skip


def _key_of_path(kind: RecordKind) -> Callable[..., tuple[str, ...]]:
    if kind.key == ("id",):

        def by_id(record_id: IdPath) -> tuple[str, ...]:
            return (record_id,)

        return by_id
    if kind.key == ("contact_id", "person_id"):

        def coverage_key(contact_id: IdPath, person_id: IdPath) -> tuple[str, ...]:
            return (contact_id, person_id)

        return coverage_key
    if kind.key == ("person_id", "manager_id"):

        def reporting_key(person_id: IdPath, manager_id: IdPath) -> tuple[str, ...]:
            return (person_id, manager_id)

        return reporting_key

    def influence_key(person_id: IdPath, target_id: IdPath) -> tuple[str, ...]:
        return (person_id, target_id)

    return influence_key


def _network(store: Any, principal: Principal, account_id: str) -> AccountNetwork:
    return read_account_network(store, account_id, principal.masked)


def _add_routes(route: Route) -> None:
    kind, model = route.kind, route.kind.model
    key_path = "/".join("{" + ("record_id" if kind.key == ("id",) else k) + "}" for k in kind.key)
    base = f"/accounts/{{account_id}}/{route.path}"
    tags: list[str | Enum] = [f"{route.path} / {route.zh}"]
    Key = Annotated[tuple[str, ...], Depends(_key_of_path(kind))]

    def list_records(
        store: StoreDep, principal: CurrentPrincipal, account_id: VisibleAccount, filters: Filters
    ) -> BaseModel:
        records = [r for r in kind.records(_network(store, principal, account_id)) if filters.keep(r)]
        return page_of(records, filters, route.sortable, route.default_sort)

    def get_record(
        store: StoreDep, principal: CurrentPrincipal, account_id: VisibleAccount, key: Key, response: Response
    ) -> Record:
        record = find_record(_network(store, principal, account_id), kind, key)
        return record if principal.masked else with_etag(response, record)  # a version is for those who edit

    def create(store: StoreDep, principal: Editor, account_id: VisibleAccount, body: Body, response: Response,
               settings: SettingsDep) -> Record:  # fmt: skip
        fields = body.model_dump(exclude_unset=True)
        created = create_record(store, kind, account_id, fields, principal.user.id, settings.keep_contact_details)
        return with_etag(response, created)

    def update(store: StoreDep, principal: Editor, account_id: VisibleAccount, key: Key, body: Body,
               response: Response, settings: SettingsDep, if_match: IfMatch = None) -> Record:  # fmt: skip
        changes = body.model_dump(exclude_unset=True)
        record = update_record(store, kind, account_id, key, changes, principal.user.id, expected_version(if_match),
                               settings.keep_contact_details)  # fmt: skip
        return with_etag(response, record)

    def delete(
        store: StoreDep, principal: Editor, account_id: VisibleAccount, key: Key, if_match: IfMatch = None
    ) -> None:
        delete_record(store, kind, account_id, key, principal.user.id, expected_version(if_match))

    # One set of functions for every kind: FastAPI reads each kind's own filters and bodies from these.
    list_records.__annotations__["filters"] = Annotated[route.filters, Query()]
    create.__annotations__["body"] = route.create
    update.__annotations__["body"] = route.update

    what = f"{route.zh} / {route.en}"
    router.add_api_route(base, list_records, methods=["GET"], response_model=route.page, tags=tags,
                         summary=f"列出{route.zh} / List {route.en}", operation_id=f"list_{kind.name}")  # fmt: skip
    router.add_api_route(f"{base}/{key_path}", get_record, methods=["GET"], response_model=model, tags=tags,
                         summary=f"查看 / Get: {what}", operation_id=f"get_{kind.name}")  # fmt: skip
    router.add_api_route(base, create, methods=["POST"], response_model=model, tags=tags,
                         status_code=status.HTTP_201_CREATED, summary=f"新建 / Create: {what}",
                         operation_id=f"create_{kind.name}")  # fmt: skip
    router.add_api_route(f"{base}/{key_path}", update, methods=["PATCH"], response_model=model, tags=tags,
                         summary=f"修改 / Update: {what}", operation_id=f"update_{kind.name}")  # fmt: skip
    router.add_api_route(f"{base}/{key_path}", delete, methods=["DELETE"], tags=tags,
                         status_code=status.HTTP_204_NO_CONTENT, summary=f"删除 / Delete: {what}",
                         operation_id=f"delete_{kind.name}")  # fmt: skip


for _route in ROUTES:
    _add_routes(_route)


class IntroductionRequest(Body):
    person_id: Id = Field(description="the stakeholder we want to be introduced to")
    rank: int = Field(default=1, ge=1, le=10, description="which warm path to go by: 1 is the best")
    as_of: Day | None = Field(default=None, description="the day the paths are judged on (default: the API's day)")


@router.post("/accounts/{account_id}/introductions", response_model=Task, status_code=status.HTTP_201_CREATED,
             tags=["tasks / 任务"], summary="起草引荐请求 / Draft an introduction request",
             operation_id="request_introduction")  # fmt: skip
def introduce(store: StoreDep, principal: Editor, account_id: VisibleAccount, body: IntroductionRequest,
              response: Response, day: DefaultDay) -> Task:  # fmt: skip
    """From the best warm path (or the `rank`-th) to the stakeholder: the request to the first person on it,
    drafted in Chinese and English, recorded as a task (origin introduction) for the contact of ours whose
    link starts the path. Its outcome (asked, introduced, declined) is set on the task; introduced, the
    owner gets the link it made (status referred, referred_by who introduced us)."""
    made = request_introduction(store, account_id, body.person_id, principal.user.id, body.as_of or day, body.rank)
    return with_etag(response, made)
