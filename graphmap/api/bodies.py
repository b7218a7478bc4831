"""The bodies of the create (POST) and update (PATCH) routes, one pair per kind of record.

Written by `python -m tests.bodies` (make bodies) from the records in graphmap/model.py; do not edit by
hand: tests/unit/test_bodies.py fails while this file differs from what it writes. A create body is the
record without what the server sets (the id, the account, an address's hash: graphmap/addresses.py; a
comment's author, times and mentions); an update body has the same fields, each optional, without a link's
two ends (a different link is another record). What a record checks as a whole (an influence's sign) is
checked on the record a body makes (graphmap.editing).
"""

from pydantic import BaseModel, ConfigDict, Field

from graphmap.model import (
    AMOUNT_MAX,
    Band,
    Channel,
    CommentText,
    CoverageBasis,
    CustomerType,
    DatePrecision,
    Day,
    DepartmentLevel,
    Id,
    Intent,
    IntroductionOutcome,
    Lifecycle,
    Name,
    PersonStatus,
    RelationshipStatus,
    Role,
    SizeBand,
    Stage,
    TaskOrigin,
    TaskState,
    Team,
    Text,
    Tier,
)


class Body(BaseModel):
    """A request body: unknown fields are refused (422), amounts are finite."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class AccountCreate(Body):
    """POST: a new Account (graphmap.model.Account)."""

    name: Name
    industry: Text | None = None
    mapping_goal: Text | None = None
    updated_on: Day | None = None
    customer_type: CustomerType | None = None
    stage: Stage | None = None
    lifecycle: Lifecycle | None = Field(default=None, description="as recorded; analysis infers it when absent")
    owner_team: Team | None = None
    owner_id: Id | None = Field(default=None, description="the Contact who owns the account (first contact)")
    intent: Intent | None = None
    revenue_12m: float | None = Field(default=None, ge=0, le=AMOUNT_MAX, description="revenue of last 12 months, 万元")
    first_deal_on: Day | None = None
    last_inquiry_on: Day | None = Field(default=None, description="the latest new inquiry from the account")
    renewal_intent: bool | None = None
    size_band: SizeBand | None = None
    size_text: Text | None = Field(default=None, description="企业规模 as written when no band says it (100-500人)")
    founded_on: Day | None = None
    address: Text | None = None
    first_contact_on: Day | None = None
    products: Text | None = Field(default=None, description="main projects and products")
    total_amount: float | None = Field(default=None, ge=0, le=AMOUNT_MAX, description="cumulative amount, 万元")
    last_deal_on: Day | None = None
    term: Text | None = Field(default=None, description="cooperation term as written")
    grade: Text | None = Field(default=None, description="客户等级 as recorded (VIP, 潜力, ...)")
    satisfaction: int | None = Field(default=None, ge=1, le=5)
    risks: Text | None = None
    opportunities: Text | None = None
    profit_share: float | None = Field(default=None, ge=0, le=100, description="share of our profit, %")
    average_order: float | None = Field(default=None, ge=0, le=AMOUNT_MAX, description="average order size, 万元")
    transactions_6m: int | None = Field(default=None, ge=0, description="transactions in six months")
    recorded_interactions_6m: int | None = Field(
        default=None, ge=0, description="interactions in six months as the team counted them"
    )
    growth_notes: Text | None = Field(default=None, description="growth, expansion plans, responsiveness")
    tenure_months: int | None = Field(default=None, ge=0, description="months of cooperation")
    complaints_12m: int | None = Field(default=None, ge=0, description="complaints in twelve months")
    tier: Tier | None = Field(default=None, description="the tier the team assigned; the computed one is analysis")
    tier_basis: Text | None = Field(default=None, description="划分依据摘要: why the team assigned that tier")
    strategy: Text | None = Field(default=None, description="后续策略建议: the strategy the team recorded")
    core_needs: Text | None = Field(default=None, description="核心需求类型, as written")
    key_contact: Text | None = Field(default=None, description="联系人及职务 as the segmentation table writes it")
    notes: Text | None = Field(default=None, description="备注")
    required_roles: tuple[Role, ...] | None = Field(
        default=None, description="the buying committee this account needs; None means the default"
    )


class AccountUpdate(Body):
    """PATCH: the Account's fields to change."""

    name: Name | None = None
    industry: Text | None = None
    mapping_goal: Text | None = None
    updated_on: Day | None = None
    customer_type: CustomerType | None = None
    stage: Stage | None = None
    lifecycle: Lifecycle | None = Field(default=None, description="as recorded; analysis infers it when absent")
    owner_team: Team | None = None
    owner_id: Id | None = Field(default=None, description="the Contact who owns the account (first contact)")
    intent: Intent | None = None
    revenue_12m: float | None = Field(default=None, ge=0, le=AMOUNT_MAX, description="revenue of last 12 months, 万元")
    first_deal_on: Day | None = None
    last_inquiry_on: Day | None = Field(default=None, description="the latest new inquiry from the account")
    renewal_intent: bool | None = None
    size_band: SizeBand | None = None
    size_text: Text | None = Field(default=None, description="企业规模 as written when no band says it (100-500人)")
    founded_on: Day | None = None
    address: Text | None = None
    first_contact_on: Day | None = None
    products: Text | None = Field(default=None, description="main projects and products")
    total_amount: float | None = Field(default=None, ge=0, le=AMOUNT_MAX, description="cumulative amount, 万元")
    last_deal_on: Day | None = None
    term: Text | None = Field(default=None, description="cooperation term as written")
    grade: Text | None = Field(default=None, description="客户等级 as recorded (VIP, 潜力, ...)")
    satisfaction: int | None = Field(default=None, ge=1, le=5)
    risks: Text | None = None
    opportunities: Text | None = None
    profit_share: float | None = Field(default=None, ge=0, le=100, description="share of our profit, %")
    average_order: float | None = Field(default=None, ge=0, le=AMOUNT_MAX, description="average order size, 万元")
    transactions_6m: int | None = Field(default=None, ge=0, description="transactions in six months")
    recorded_interactions_6m: int | None = Field(
        default=None, ge=0, description="interactions in six months as the team counted them"
    )
    growth_notes: Text | None = Field(default=None, description="growth, expansion plans, responsiveness")
    tenure_months: int | None = Field(default=None, ge=0, description="months of cooperation")
    complaints_12m: int | None = Field(default=None, ge=0, description="complaints in twelve months")
    tier: Tier | None = Field(default=None, description="the tier the team assigned; the computed one is analysis")
    tier_basis: Text | None = Field(default=None, description="划分依据摘要: why the team assigned that tier")
    strategy: Text | None = Field(default=None, description="后续策略建议: the strategy the team recorded")
    core_needs: Text | None = Field(default=None, description="核心需求类型, as written")
    key_contact: Text | None = Field(default=None, description="联系人及职务 as the segmentation table writes it")
    notes: Text | None = Field(default=None, description="备注")
    required_roles: tuple[Role, ...] | None = Field(
        default=None, description="the buying committee this account needs; None means the default"
    )


class ContactCreate(Body):
    """POST: a new Contact (graphmap.model.Contact)."""

    name: Name
    title: Text | None = None
    team: Team | None = None


class ContactUpdate(Body):
    """PATCH: the Contact's fields to change."""

    name: Name | None = None
    title: Text | None = None
    team: Team | None = None


class DepartmentCreate(Body):
    """POST: a new Department (graphmap.model.Department)."""

    name: Name
    level: DepartmentLevel = DepartmentLevel.department
    parent_id: Id | None = None


class DepartmentUpdate(Body):
    """PATCH: the Department's fields to change."""

    name: Name | None = None
    level: DepartmentLevel | None = None
    parent_id: Id | None = None


class PersonCreate(Body):
    """POST: a new Person (graphmap.model.Person)."""

    department_id: Id
    name: Name
    title: Text | None = None
    roles: tuple[Role, ...] = ()
    status: PersonStatus = PersonStatus.active
    next_action: Text | None = None
    next_action_due: Day | None = None
    intent: Intent | None = None
    phone: Text | None = Field(default=None, description="area code and last four digits: 021-****5678")
    email: Text | None = Field(default=None, description="the e-mail's domain only")


class PersonUpdate(Body):
    """PATCH: the Person's fields to change."""

    department_id: Id | None = None
    name: Name | None = None
    title: Text | None = None
    roles: tuple[Role, ...] | None = None
    status: PersonStatus | None = None
    next_action: Text | None = None
    next_action_due: Day | None = None
    intent: Intent | None = None
    phone: Text | None = Field(default=None, description="area code and last four digits: 021-****5678")
    email: Text | None = Field(default=None, description="the e-mail's domain only")


class CoverageCreate(Body):
    """POST: a new Coverage (graphmap.model.Coverage)."""

    contact_id: Id
    person_id: Id
    status: RelationshipStatus
    since: Day | None = None
    strength: int | None = Field(default=None, ge=0, le=100)
    referred_by: Text | None = None
    basis: CoverageBasis = Field(
        default=CoverageBasis.recorded, description="recorded by a person, or made from interactions on record"
    )


class CoverageUpdate(Body):
    """PATCH: the Coverage's fields to change."""

    status: RelationshipStatus | None = None
    since: Day | None = None
    strength: int | None = Field(default=None, ge=0, le=100)
    referred_by: Text | None = None
    basis: CoverageBasis | None = Field(
        default=None, description="recorded by a person, or made from interactions on record"
    )


class ReportingLineCreate(Body):
    """POST: a new ReportingLine (graphmap.model.ReportingLine)."""

    person_id: Id
    manager_id: Id


class ReportingLineUpdate(Body):
    """PATCH: the ReportingLine's fields to change."""


class InfluenceCreate(Body):
    """POST: a new Influence (graphmap.model.Influence)."""

    person_id: Id
    target_id: Id
    strength: int = Field(default=50, ge=0, le=100)
    sign: int = Field(default=1, description="-1 for opposition")


class InfluenceUpdate(Body):
    """PATCH: the Influence's fields to change."""

    strength: int | None = Field(default=None, ge=0, le=100)
    sign: int | None = Field(default=None, description="-1 for opposition")


class PlanTargetCreate(Body):
    """POST: a new PlanTarget (graphmap.model.PlanTarget)."""

    contact_id: Id = Field(description="the owner on our side: the contact who is to build the relationship")
    person_id: Id
    status: RelationshipStatus = Field(description="the status wanted: trusted, referred or initial")
    band: Band | None = Field(default=None, description="the strength band wanted, if any")
    due: Day | None = Field(default=None, description="the day it should be reached by")
    note: Text | None = Field(default=None, description="why, or how: 通过行业专家引荐")


class PlanTargetUpdate(Body):
    """PATCH: the PlanTarget's fields to change."""

    status: RelationshipStatus | None = Field(
        default=None, description="the status wanted: trusted, referred or initial"
    )
    band: Band | None = Field(default=None, description="the strength band wanted, if any")
    due: Day | None = Field(default=None, description="the day it should be reached by")
    note: Text | None = Field(default=None, description="why, or how: 通过行业专家引荐")


class TaskCreate(Body):
    """POST: a new Task (graphmap.model.Task)."""

    title: Name = Field(description="what to do")
    owner_id: Id = Field(description="the contact of ours who does it")
    due: Day | None = None
    state: TaskState = TaskState.open
    person_id: Id | None = Field(default=None, description="the stakeholder it is about (an introduction's target)")
    origin: TaskOrigin = TaskOrigin.manual
    detail: Text | None = Field(default=None, description="the suggestion, gap or drafted request it came from")
    done_on: Day | None = Field(default=None, description="the day it was done (set when it is marked done)")
    interaction_id: Id | None = Field(default=None, description="the logged interaction that closed it")
    via_person_id: Id | None = Field(default=None, description="an introduction: who we ask to introduce us")
    outcome: IntroductionOutcome | None = Field(default=None, description="an introduction's outcome")


class TaskUpdate(Body):
    """PATCH: the Task's fields to change."""

    title: Name | None = Field(default=None, description="what to do")
    owner_id: Id | None = Field(default=None, description="the contact of ours who does it")
    due: Day | None = None
    state: TaskState | None = None
    person_id: Id | None = Field(default=None, description="the stakeholder it is about (an introduction's target)")
    origin: TaskOrigin | None = None
    detail: Text | None = Field(default=None, description="the suggestion, gap or drafted request it came from")
    done_on: Day | None = Field(default=None, description="the day it was done (set when it is marked done)")
    interaction_id: Id | None = Field(default=None, description="the logged interaction that closed it")
    via_person_id: Id | None = Field(default=None, description="an introduction: who we ask to introduce us")
    outcome: IntroductionOutcome | None = Field(default=None, description="an introduction's outcome")


class CommentCreate(Body):
    """POST: a new Comment (graphmap.model.Comment)."""

    text: CommentText
    person_id: Id | None = Field(default=None, description="the stakeholder it is on (none: the account)")
    contact_id: Id | None = Field(default=None, description="with person_id: it is on our contact's link to them")


class CommentUpdate(Body):
    """PATCH: the Comment's fields to change."""

    text: CommentText | None = None
    person_id: Id | None = Field(default=None, description="the stakeholder it is on (none: the account)")
    contact_id: Id | None = Field(default=None, description="with person_id: it is on our contact's link to them")


class InteractionCreate(Body):
    """POST: a new Interaction (graphmap.model.Interaction)."""

    on: Day | None = None
    on_precision: DatePrecision = DatePrecision.day
    on_text: Text | None = None
    channel: Channel | None = None
    summary: Text
    person_ids: tuple[Id, ...] = Field(min_length=1)
    contact_ids: tuple[Id, ...] = ()
    follow_up: Text | None = Field(default=None, description="跟进事项: what was agreed to do next")
    due: Day | None = Field(default=None, description="the follow-up's deadline")
    owner_id: Id | None = Field(default=None, description="the Contact who owns the follow-up")
    card_id: Id | None = Field(default=None, description="the process card this follow-up belongs to")


class InteractionUpdate(Body):
    """PATCH: the Interaction's fields to change."""

    on: Day | None = None
    on_precision: DatePrecision | None = None
    on_text: Text | None = None
    channel: Channel | None = None
    summary: Text | None = None
    person_ids: tuple[Id, ...] | None = Field(default=None, min_length=1)
    contact_ids: tuple[Id, ...] | None = None
    follow_up: Text | None = Field(default=None, description="跟进事项: what was agreed to do next")
    due: Day | None = Field(default=None, description="the follow-up's deadline")
    owner_id: Id | None = Field(default=None, description="the Contact who owns the follow-up")
    card_id: Id | None = Field(default=None, description="the process card this follow-up belongs to")
