"""Vocabularies (keys in English, labels in Chinese and English) and the graph's pydantic models.

Keys are what the graph stores; labels are what people read. A Portfolio is the unit every
importer produces and graph.write_portfolio stores: validated whole before the first write.
"""

import types
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from operator import attrgetter
from typing import Annotated, Any, Self, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator


class Vocabulary(StrEnum):
    """A closed set of keys, each with a Chinese and an English label."""

    zh: str
    en: str

    def __new__(cls, key: str, zh: str = "", en: str = "") -> Self:
        member = str.__new__(cls, key)
        member._value_ = key
        member.zh = zh
        member.en = en
        return member

    @property
    def label(self) -> str:
        return f"{self.zh} / {self.en}"

    @classmethod
    def parse(cls, text: str) -> Self:
        """The member whose key, Chinese or English label matches `text` (case and spacing ignored)."""
        lookup = _LOOKUPS.get(cls)
        if lookup is None:
            lookup = {fold(spelling): m for m in cls for spelling in (m.value, m.zh, m.en)}
            lookup |= {fold(spelling): m for m, spellings in ALIASES.get(cls, {}).items() for spelling in spellings}
            _LOOKUPS[cls] = lookup
        try:
            return lookup[fold(text)]  # type: ignore[return-value]
        except KeyError:
            raise ValueError(f"accepted: {cls.accepted()}") from None

    @classmethod
    def accepted(cls) -> str:
        return ", ".join(f"{m.zh}/{m.value}" for m in cls)


def titled(title: str | None, name: str) -> str:
    """A person as the templates write them: title, then name (销售经理*某)."""
    return f"{title or ''}{name}"


def unwrapped(annotation: Any) -> tuple[Any, bool]:
    """(the type inside Optional / Annotated, whether None is allowed): what frames and the CLI's flags
    are typed by."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional


def ancestry(department_id: str, parents: Mapping[str, str | None]) -> list[str]:
    """A department's id and the ids above it, itself first, up to the top: the one walk up the org chart
    (ids missing from `parents` end it, and so does a cycle, which cannot loop forever)."""
    chain: list[str] = []
    here: str | None = department_id
    while here is not None and here in parents and here not in chain:
        chain.append(here)
        here = parents[here]
    return chain


def fold(text: str) -> str:
    """How people vary a label they type: case, spaces, _ - and /. Compare folded."""
    folded = _FOLDED.get(text)
    if folded is None:  # an import folds the same titles, names and headers row after row
        folded = text.strip().lower().translate(_FOLDED_AWAY)
        if len(_FOLDED) >= FOLD_MEMO:
            _FOLDED.clear()
        _FOLDED[text] = folded
    return folded


_FOLDED_AWAY = str.maketrans("", "", " _-/")
FOLD_MEMO = 20_000  # texts whose folded form is remembered: a few megabytes at most
_FOLDED: dict[str, str] = {}


_LOOKUPS: dict[type, dict[str, "Vocabulary"]] = {}


class Role(Vocabulary):
    decision_maker = "decision_maker", "决策者", "decision-maker"
    influencer = "influencer", "影响者", "influencer"
    user = "user", "使用者", "user"
    purchaser = "purchaser", "采购者", "purchaser"
    champion = "champion", "内部支持者", "champion"
    blocker = "blocker", "反对者", "blocker"
    unknown = "unknown", "未知", "unknown"


class RelationshipStatus(Vocabulary):
    trusted = "trusted", "长期合作信任", "long-term, trusted"
    initial = "initial", "初步接触陌生", "first contact, unfamiliar"
    referred = "referred", "第三方引荐", "referred by a third party"
    competitor = "competitor", "存在竞争关系", "leans to a competitor"
    none = "none", "无直接接触", "no direct contact"


class Band(Vocabulary):
    """A relationship's strength band (graphmap.analysis.strength draws the lines): what a plan aims at."""

    strong = "strong", "强", "strong"
    fair = "fair", "一般", "fair"
    weak = "weak", "弱", "weak"


class Team(Vocabulary):
    sales = "sales", "销售团队", "sales"
    service = "service", "客户服务团队", "customer service"
    success = "success", "客户成功团队", "customer success"
    marketing = "marketing", "市场营销团队", "marketing"


class PersonStatus(Vocabulary):
    active = "active", "在职", "active"
    left = "left", "已离职", "left"


class Channel(Vocabulary):
    phone = "phone", "电话", "phone"
    meeting = "meeting", "会议", "meeting"
    visit = "visit", "拜访", "visit"
    email = "email", "邮件", "e-mail"
    event = "event", "活动", "event"
    other = "other", "其他", "other"


class DatePrecision(Vocabulary):
    day = "day", "日", "day"
    month = "month", "月", "month"


class DepartmentLevel(Vocabulary):
    hq = "hq", "总部", "headquarters"
    branch = "branch", "分支机构", "branch"
    department = "department", "部门", "department"


class CustomerType(Vocabulary):
    new = "new", "新客户", "new"
    existing = "existing", "老客户", "existing"
    potential = "potential", "潜在客户", "potential"
    lost = "lost", "流失客户", "lost"
    important = "important", "重要客户", "important"  # the maintenance map's fourth type


class Stage(Vocabulary):
    """Where the business with an account stands (合作阶段)."""

    negotiating = "negotiating", "接洽中", "negotiating"
    active = "active", "合作中", "active"
    paused = "paused", "暂停合作", "paused"
    terminated = "terminated", "终止合作", "terminated"


class Lifecycle(Vocabulary):
    """The maintenance map's customer lifecycle, in order."""

    awareness = "awareness", "意识", "awareness"
    consideration = "consideration", "考虑", "consideration"
    purchase = "purchase", "购买", "purchase"
    usage = "usage", "使用", "usage"
    loyalty = "loyalty", "忠诚", "loyalty"
    churn = "churn", "流失", "churn"


class SizeBand(Vocabulary):
    """Staff headcount band (企业规模) in the archive."""

    under_50 = "under_50", "50人以下", "under 50"
    from_50 = "50_200", "50-200人", "50-200"
    from_200 = "200_500", "200-500人", "200-500"
    over_500 = "over_500", "500人以上", "over 500"


class CoverageBasis(Vocabulary):
    """Where a COVERS link comes from."""

    recorded = "recorded", "人工记录", "recorded"
    interactions = "interactions", "互动记录", "from interactions"


class Intent(Vocabulary):
    """Intent level from the needs analysis; it sets the follow-up cadence."""

    high = "high", "高", "high"
    medium = "medium", "中", "medium"
    low = "low", "低", "low"


class Tier(Vocabulary):
    """The segmentation's tiers (客户关系划分), best first."""

    core = "core", "核心客户", "core"
    potential = "potential", "潜力客户", "potential"
    ordinary = "ordinary", "普通客户", "ordinary"
    low_value = "low_value", "低价值客户", "low value"


class CardSource(Vocabulary):
    """Where a process card's first contact came from (客户来源)."""

    website = "website", "官网", "website"
    trade_show = "trade_show", "展会", "trade show"
    referral = "referral", "转介绍", "referral"
    other = "other", "其他", "other"


# Other spellings the seeds' own documents use (docs/tables.md lists them); parse accepts them, and a
# file written back uses the label. Where the written text says more than the label (a card's source,
# 老客户转介绍), the importer keeps it beside the key.
ALIASES: dict[type[Vocabulary], dict[Any, tuple[str, ...]]] = {
    Role: {
        Role.decision_maker: ("决策人", "关键决策人", "决策"),
        Role.influencer: ("影响人", "影响"),
        Role.user: ("使用人", "用户", "使用"),
        Role.purchaser: ("采购人", "采购"),
        Role.champion: ("支持者", "内部教练", "coach"),
        Role.blocker: ("阻碍者", "反对"),
    },
    Team: {
        Team.sales: ("销售", "销售部"),
        Team.service: ("客服", "客服团队", "客户服务", "客户服务部"),
        Team.success: ("客户成功",),
        Team.marketing: ("市场", "市场部", "市场营销", "营销团队"),
    },
    Channel: {
        Channel.phone: ("电话沟通", "电话回访", "call"),
        Channel.meeting: ("视频会议", "线上会议", "面谈", "video"),
        Channel.visit: ("上门拜访", "客户拜访", "面访", "现场拜访"),
        Channel.email: ("电子邮件", "邮箱", "mail"),
        Channel.event: ("研讨会", "展会", "沙龙", "seminar"),
    },
    CustomerType: {
        CustomerType.existing: ("现有客户", "已合作客户", "current"),
        CustomerType.important: ("大客户", "VIP客户", "key account"),
    },
    Lifecycle: {
        Lifecycle.awareness: ("意识阶段", "认知", "认知阶段"),
        Lifecycle.consideration: ("考虑阶段",),
        Lifecycle.purchase: ("购买阶段",),
        Lifecycle.usage: ("使用阶段",),
        Lifecycle.loyalty: ("忠诚阶段",),
        Lifecycle.churn: ("流失阶段",),
    },
    Intent: {
        Intent.high: ("高意向", "强", "高意向客户", "high intent"),
        Intent.medium: ("中意向", "中等", "一般", "中意向客户", "medium intent"),
        Intent.low: ("低意向", "弱", "低意向客户", "low intent"),
    },
    Tier: {
        Tier.core: ("核心", "重点维护"),
        Tier.potential: ("潜力",),
        Tier.ordinary: ("普通", "一般跟进"),
        Tier.low_value: ("低价值", "观察预警"),
    },
    CardSource: {
        CardSource.website: ("官网留言", "官方网站", "网站", "官网咨询", "网站留言", "线上咨询"),
        CardSource.trade_show: ("行业展会", "展会对接", "展会留资"),
        CardSource.referral: ("老客户转介绍", "客户转介绍", "渠道推荐", "客户推荐", "推荐"),
        CardSource.other: ("客户主动咨询", "主动咨询", "电话沟通", "客户拜访"),
    },
}

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,199}$"  # safe in file names and URLs: 2024-IT-001, p-3fa2c1
Id = Annotated[str, Field(pattern=ID_PATTERN)]
# Far enough from date.min and date.max that adding or taking a window of days can never overflow.
EARLIEST_DAY, LATEST_DAY = date(1000, 1, 1), date(8999, 12, 31)
Day = Annotated[date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]


def no_nul(text: str) -> str:
    # The embedded engine reads query text as a C string: a NUL would end it there.
    if "\x00" in text:
        raise ValueError("text may not contain a NUL character (\\x00)")
    return text


Text = Annotated[str, Field(max_length=2000), AfterValidator(no_nul)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(no_nul)]
# 万元; far above any account, and small enough that FalkorDB's 15-digit doubles read back finite (a value
# just under the largest float was stored, then read back as inf and broke every read of its account).
AMOUNT_MAX = 1e12


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # amounts are finite


# (:Account)
class Account(Record):
    id: Id
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
    # The archive (客户档案), docs/tables.md
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
    # The segmentation table (客户关系划分), docs/tables.md
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


# (:Department)-[:PART_OF]->(:Account) when parent_id is None, else -[:PART_OF]->(:Department)
class Department(Record):
    id: Id
    account_id: Id
    name: Name
    level: DepartmentLevel = DepartmentLevel.department
    parent_id: Id | None = None


# (:Person)-[:WORKS_IN]->(:Department)
class Person(Record):
    id: Id
    account_id: Id
    department_id: Id
    name: Name
    title: Text | None = None
    roles: tuple[Role, ...] = ()
    status: PersonStatus = PersonStatus.active
    next_action: Text | None = None
    next_action_due: Day | None = None
    intent: Intent | None = None
    # Contact details as the archive keeps them: reduced on the way in (docs/tables.md), never the original.
    phone: Text | None = Field(default=None, description="area code and last four digits: 021-****5678")
    email: Text | None = Field(default=None, description="the e-mail's domain only")
    email_key: Text | None = Field(
        default=None,
        description="keyed hash of the e-mail address, for capture (graphmap/capturing.py); set by "
        "graphmap, never the address itself",
    )


# (:Contact) one of our staff
class Contact(Record):
    id: Id
    name: Name
    title: Text | None = None
    team: Team | None = None


# (:Contact)-[:COVERS]->(:Person)
class Coverage(Record):
    contact_id: Id
    person_id: Id
    status: RelationshipStatus
    since: Day | None = None
    strength: int | None = Field(default=None, ge=0, le=100)
    referred_by: Text | None = None
    basis: CoverageBasis = Field(
        default=CoverageBasis.recorded, description="recorded by a person, or made from interactions on record"
    )


UNPLANNABLE = frozenset({RelationshipStatus.competitor, RelationshipStatus.none})


# (:Contact)-[:PLANS]->(:Person): the relationship the account's plan wants one of our contacts to have with a
# stakeholder (Altify's "relationship we want"); coverage and gaps measure the account against it.
class PlanTarget(Record):
    contact_id: Id = Field(description="the owner on our side: the contact who is to build the relationship")
    person_id: Id
    status: RelationshipStatus = Field(description="the status wanted: trusted, referred or initial")
    band: Band | None = Field(default=None, description="the strength band wanted, if any")
    due: Day | None = Field(default=None, description="the day it should be reached by")
    note: Text | None = Field(default=None, description="why, or how: 通过行业专家引荐")

    @model_validator(mode="after")
    def _status_is_a_goal(self) -> Self:
        if self.status in UNPLANNABLE:
            raise ValueError(
                f"status: {self.status} is no relationship to aim for; plan trusted, referred or initial"
                f" / 目标关系状态须为长期合作信任、第三方引荐或初步接触"
            )
        return self


class TaskState(Vocabulary):
    open = "open", "待办", "open"
    done = "done", "已完成", "done"
    dropped = "dropped", "已放弃", "dropped"


class TaskOrigin(Vocabulary):
    """What a task was made from."""

    manual = "manual", "手动创建", "made by hand"
    action = "action", "建议的下一步", "a suggested next action"
    gap = "gap", "缺口", "a gap"
    plan = "plan", "计划目标", "a plan target"
    comment = "comment", "评论", "a comment"
    introduction = "introduction", "引荐请求", "an introduction request"


class IntroductionOutcome(Vocabulary):
    asked = "asked", "已请求", "asked"
    introduced = "introduced", "已引荐", "introduced"
    declined = "declined", "已婉拒", "declined"


# (:Task): something one of our contacts is to do in an account, by a day; an introduction request is one
# (origin introduction): who of theirs we ask (via_person_id) to introduce us to whom (person_id).
class Task(Record):
    id: Id
    account_id: Id
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

    @model_validator(mode="after")
    def _introductions_name_both(self) -> Self:
        introduction = self.origin is TaskOrigin.introduction
        if introduction and (self.person_id is None or self.via_person_id is None):
            raise ValueError("an introduction request names its target (person_id) and who introduces us"
                             " (via_person_id) / 引荐请求须写明引荐对象和引荐人")  # fmt: skip
        if not introduction and (self.via_person_id is not None or self.outcome is not None):
            raise ValueError("via_person_id and outcome belong to introduction requests (origin introduction)"
                             " / 引荐人与引荐结果只用于引荐请求")  # fmt: skip
        if introduction and self.person_id == self.via_person_id:
            raise ValueError("via_person_id: nobody introduces us to themselves / 引荐人不能是引荐对象本人")
        return self


CommentText = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(no_nul)]


# (:Comment): a note one of graphmap's users leaves on the account, a person, or one of our links to a person
# (contact_id with person_id), with the users it @mentions; only its author changes it.
class Comment(Record):
    id: Id
    account_id: Id
    author: Id = Field(description="the graphmap user who wrote it")
    text: CommentText
    person_id: Id | None = Field(default=None, description="the stakeholder it is on (none: the account)")
    contact_id: Id | None = Field(default=None, description="with person_id: it is on our contact's link to them")
    mentions: tuple[Id, ...] = Field(default=(), description="the users it @mentions, as written in the text")
    written_at: datetime
    edited_at: datetime | None = None

    @model_validator(mode="after")
    def _a_link_has_two_ends(self) -> Self:
        if self.contact_id is not None and self.person_id is None:
            raise ValueError("a comment on a link names its person_id too / 关于对接关系的评论须同时写明关键人")
        return self


# A process card's decision chain names people in these roles: added to the roles they have.
class RoleGrant(Record):
    id: Id = Field(description="the person's id")
    roles: tuple[Role, ...] = Field(min_length=1)


# (:Person)-[:REPORTS_TO]->(:Person)
class ReportingLine(Record):
    person_id: Id
    manager_id: Id


# (:Person)-[:INFLUENCES {strength, sign}]->(:Person)
class Influence(Record):
    person_id: Id
    target_id: Id
    strength: int = Field(default=50, ge=0, le=100)
    sign: int = Field(default=1, description="-1 for opposition")

    @model_validator(mode="after")
    def _sign_is_unit(self) -> Self:
        if self.sign not in (1, -1):
            raise ValueError("sign must be 1 or -1")
        return self


# (:Interaction)-[:WITH]->(:Person) and (:Interaction)-[:WITH]->(:Contact)
class Interaction(Record):
    id: Id
    account_id: Id
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


# (:Card) a process card (流程卡牌): one opportunity worked through the stages, kept with its account
class Card(Record):
    id: Id = Field(description="CRM-YYYYMMDD-N")
    account_id: Id
    opened_on: Day | None = None
    source: CardSource | None = None
    source_text: Text | None = Field(default=None, description="客户来源 as written when it says more (老客户转介绍)")
    industry: Text | None = Field(default=None, description="所属行业 as the card gives it")
    contact: Text | None = Field(default=None, description="联系人及职务 as written; the person is in the graph")
    needs_keywords: Text | None = Field(default=None, description="初步需求关键词")
    analysed_on: Day | None = Field(default=None, description="需求分析日期")
    owner: Text | None = Field(default=None, description="who owns it, as written (销售经理*某)")
    owner_id: Id | None = Field(default=None, description="the Contact the owner is")
    person_ids: tuple[Id, ...] = Field(default=(), description="the people it names: its contact, its decision chain")
    helpers: Text | None = Field(default=None, description="co-owners and helpers, as written")
    pain_points: Text | None = Field(default=None, description="by priority")
    explicit_needs: Text | None = None
    latent_needs: Text | None = None
    decision_makers: Text | None = Field(default=None, description="the decision chain, as written")
    influencers: Text | None = None
    users: Text | None = None
    budget: Text | None = Field(default=None, description="budget range as written (50-80万)")
    intent: Intent | None = None
    proposal_on: Day | None = None
    contract_on: Day | None = None
    delivered_on: Day | None = None
    accepted_on: Day | None = None
    surveyed_on: Day | None = None
    satisfaction: int | None = Field(default=None, ge=0, le=100, description="survey score; 90 and up: core pool")
    referral: Text | None = Field(default=None, description="referrals the customer made")
    follow_up_notes: Text | None = Field(default=None, description="跟进记录 as the card writes it, in one cell")
    survey_result: Text | None = Field(default=None, description="满意度调查结果 as written")
    deal_status: Text | None = Field(default=None, description="合作状态 as written (已签订合同(2024-05-25))")
    notes: Text | None = Field(default=None, description="备注")


class Portfolio(Record):
    """Everything one import brings: checked for dangling references and duplicate ids as a whole."""

    accounts: tuple[Account, ...] = ()
    departments: tuple[Department, ...] = ()
    people: tuple[Person, ...] = ()
    contacts: tuple[Contact, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    reporting_lines: tuple[ReportingLine, ...] = ()
    influences: tuple[Influence, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    cards: tuple[Card, ...] = ()
    role_grants: tuple[RoleGrant, ...] = ()
    plan_targets: tuple[PlanTarget, ...] = ()
    tasks: tuple[Task, ...] = ()
    comments: tuple[Comment, ...] = ()

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        accounts = _unique_ids("accounts", self.accounts)
        departments = _unique_ids("departments", self.departments)
        people = _unique_ids("people", self.people)
        contacts = _unique_ids("contacts", self.contacts)
        interactions = _unique_ids("interactions", self.interactions)
        _unique_ids("tasks", self.tasks)
        _unique_ids("comments", self.comments)
        cards = _unique_ids("cards", self.cards)
        problems: list[str] = []

        def check(kind: str, index: int, field: str, value: str | None, known: set[str]) -> None:
            if value is not None and value not in known:
                problems.append(f"{kind}[{index}].{field}: unknown id {value!r}")

        for i, a in enumerate(self.accounts):
            check("accounts", i, "owner_id", a.owner_id, contacts)
        for i, d in enumerate(self.departments):
            check("departments", i, "account_id", d.account_id, accounts)
            check("departments", i, "parent_id", d.parent_id, departments)
        for i, p in enumerate(self.people):
            check("people", i, "account_id", p.account_id, accounts)
            check("people", i, "department_id", p.department_id, departments)
        for i, c in enumerate(self.coverage):
            check("coverage", i, "contact_id", c.contact_id, contacts)
            check("coverage", i, "person_id", c.person_id, people)
        for i, r in enumerate(self.reporting_lines):
            check("reporting_lines", i, "person_id", r.person_id, people)
            check("reporting_lines", i, "manager_id", r.manager_id, people)
        for i, f in enumerate(self.influences):
            check("influences", i, "person_id", f.person_id, people)
            check("influences", i, "target_id", f.target_id, people)
        for i, n in enumerate(self.interactions):
            check("interactions", i, "account_id", n.account_id, accounts)
            for pid in n.person_ids:
                check("interactions", i, "person_ids", pid, people)
            for cid in n.contact_ids:
                check("interactions", i, "contact_ids", cid, contacts)
            check("interactions", i, "owner_id", n.owner_id, contacts)
            check("interactions", i, "card_id", n.card_id, cards)
        for i, card in enumerate(self.cards):
            check("cards", i, "account_id", card.account_id, accounts)
            check("cards", i, "owner_id", card.owner_id, contacts)
        for i, grant in enumerate(self.role_grants):
            check("role_grants", i, "id", grant.id, people)
        for i, t in enumerate(self.plan_targets):
            check("plan_targets", i, "contact_id", t.contact_id, contacts)
            check("plan_targets", i, "person_id", t.person_id, people)
        for i, task in enumerate(self.tasks):
            check("tasks", i, "account_id", task.account_id, accounts)
            check("tasks", i, "owner_id", task.owner_id, contacts)
            check("tasks", i, "person_id", task.person_id, people)
            check("tasks", i, "via_person_id", task.via_person_id, people)
            check("tasks", i, "interaction_id", task.interaction_id, interactions)
        for i, comment in enumerate(self.comments):
            check("comments", i, "account_id", comment.account_id, accounts)
            check("comments", i, "person_id", comment.person_id, people)
            check("comments", i, "contact_id", comment.contact_id, contacts)
        if problems:
            raise ValueError(
                "; ".join(problems[:20]) + (f" (+{len(problems) - 20} more)" if len(problems) > 20 else "")
            )
        return self


def _unique_ids(kind: str, items: tuple[BaseModel, ...]) -> set[str]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        item_id: str = getattr(item, "id")  # noqa: B009 - every kind passed here has an id
        if item_id in seen:
            raise ValueError(f"{kind}[{i}].id: duplicate id {item_id!r}")
        seen.add(item_id)
    return seen


def combine(portfolios: list[Portfolio]) -> Portfolio:
    """One portfolio from several (e.g. one file per account), so that they are written in large batches.

    The same thing in two inputs is kept once, the later input winning, exactly as importing them one
    after the other would leave it. Not checked again: every input was, and whatever one refers to is in
    the union under its id, whichever input's version wins.
    """
    if len(portfolios) == 1:
        return portfolios[0]

    def merged(kind: str, key: Callable[[Any], object]) -> tuple[Any, ...]:
        items: dict[object, Any] = {}
        for portfolio in portfolios:
            for item in getattr(portfolio, kind):
                items[key(item)] = item
        return tuple(items.values())

    by_id: Callable[[Any], object] = attrgetter("id")
    return Portfolio.model_construct(
        accounts=merged("accounts", by_id),
        departments=merged("departments", by_id),
        people=merged("people", by_id),
        contacts=merged("contacts", by_id),
        coverage=merged("coverage", attrgetter("contact_id", "person_id")),
        reporting_lines=merged("reporting_lines", attrgetter("person_id", "manager_id")),
        influences=merged("influences", attrgetter("person_id", "target_id")),
        interactions=merged("interactions", by_id),
        cards=merged("cards", by_id),
        role_grants=merged("role_grants", by_id),
        plan_targets=merged("plan_targets", attrgetter("contact_id", "person_id")),
        tasks=merged("tasks", by_id),
        comments=merged("comments", by_id),
    )
