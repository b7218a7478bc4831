"""Every analysis once: its one name, what it answers, its options and the model of its answer.

The faces are built from this list, so an analysis has the same name and options everywhere:
- the CLI command `graphmap NAME` (options as --flags; old spellings stay as hidden commands),
- the API route `GET /analyses/NAME` (options as query parameters; old spellings answer too),
- the Workbench method NAME with `_` for `-` (`wb.single_points()`), a DataFrame.
Each analysis runs on a graph.Scope (a set of accounts, masked for viewers) and a day.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from graphmap.analysis.actions import NextAction, next_actions
from graphmap.analysis.changes import ChangeSummary, changes_since
from graphmap.analysis.coverage import AccountCoverage, coverage
from graphmap.analysis.followups import FollowUp, follow_ups
from graphmap.analysis.gaps import GapReport, GapThresholds, PlanProgress
from graphmap.analysis.influence import HiddenInfluencer, hidden_influencers
from graphmap.analysis.lifecycle import AccountLifecycle, lifecycle_stages
from graphmap.analysis.paths import MAX_HOPS, WarmPath, warm_paths
from graphmap.analysis.plans import plan_progress
from graphmap.analysis.review import Review, gap_report, weekly_review
from graphmap.analysis.segments import DEFAULT_SEGMENTS, Segment, SegmentThresholds, segments
from graphmap.analysis.spof import AccountRisk, LostStakeholder, coverage_lost_if_leaves, single_points
from graphmap.analysis.strength import LinkStrength, relationship_strength
from graphmap.analysis.tasks import TaskItem, tasks
from graphmap.analysis.whatif import WhatIf, what_if_leaves
from graphmap.collector import collector_paused
from graphmap.errors import Invalid, NotFound
from graphmap.graph import Scope
from graphmap.model import Day, Id, RelationshipStatus, TaskState
from graphmap.store import GraphStore

_GAPS = GapThresholds()


class Options(BaseModel):
    """An analysis's options; a field's `cli` extra names its flags when they differ from --field-name.

    Other inputs are ignored, not refused: the API reads the options from a query that also carries
    account_id and as_of (run_analysis refuses unknown keywords itself)."""

    model_config = ConfigDict(frozen=True)


class NoOptions(Options):
    pass


def _status(value: Any) -> Any:
    return RelationshipStatus.parse(value) if isinstance(value, str) else value


class GapOptions(Options):
    cadence_days: int = Field(default=_GAPS.cadence_days, ge=1, le=3650,
                              description="a link with no interaction for longer is stale")  # fmt: skip
    min_strength: int = Field(default=_GAPS.min_strength, ge=0, le=100, description="a known strength below is low")
    weak_status: list[Annotated[RelationshipStatus, BeforeValidator(_status)]] | None = Field(
        default=None,
        max_length=5,
        description="a status that makes a link weak (repeatable; default initial, competitor, none)",
    )

    def thresholds(self) -> GapThresholds:
        statuses = frozenset(self.weak_status) if self.weak_status else _GAPS.weak_statuses
        return GapThresholds(weak_statuses=statuses, min_strength=self.min_strength, cadence_days=self.cadence_days)


class SegmentOptions(Options):
    core_revenue: float = Field(default=DEFAULT_SEGMENTS.core_revenue, ge=0, description="万元 over 12 months for core")
    core_interactions: int = Field(default=DEFAULT_SEGMENTS.core_interactions, ge=0,
                                   description="interactions in 6 months for core")  # fmt: skip
    potential_revenue: float = Field(default=DEFAULT_SEGMENTS.potential_revenue, ge=0, description="万元 for potential")
    ordinary_revenue: float = Field(default=DEFAULT_SEGMENTS.ordinary_revenue, ge=0, description="万元 for ordinary")

    def thresholds(self) -> SegmentThresholds:
        return DEFAULT_SEGMENTS.model_copy(update=self.model_dump())


class FollowUpOptions(Options):
    owner_id: Id | None = Field(default=None, description="one of our contacts' id",
                                json_schema_extra={"cli": ["--owner", "--owner-id"]})  # fmt: skip
    overdue: bool = Field(default=False, description="only those past due")


class TaskOptions(Options):
    owner_id: Id | None = Field(default=None, description="one of our contacts' id",
                                json_schema_extra={"cli": ["--owner", "--owner-id"]})  # fmt: skip
    state: TaskState | None = Field(default=TaskState.open, description="open (default), done or dropped")
    every_state: bool = Field(default=False, description="every task, whatever its state")
    overdue: bool = Field(default=False, description="only those past their day")


class InfluencerOptions(Options):
    top: int = Field(default=10, ge=1, le=100, description="people per account")


class WarmPathOptions(Options):
    person_id: Id = Field(description="the stakeholder to reach (see gaps or the pages)",
                          json_schema_extra={"cli": ["--person"], "cli_argument": "PERSON"})  # fmt: skip
    k: int = Field(default=3, ge=1, le=50, description="how many paths")
    max_hops: int = Field(default=MAX_HOPS, ge=1, le=6, description="longest path, in ties")


class ChangeOptions(Options):
    since: Day = Field(description="changes on or after this day (YYYY-MM-DD)")


class ReviewOptions(GapOptions):
    since: Day | None = Field(default=None, description="what moved on or after this day (default: 7 days before "
                              "the as-of day)")  # fmt: skip
    owner_id: Id | None = Field(default=None, description="the accounts one of our contacts owns, covers someone "
                                "in, or owns a plan target or task in",
                                json_schema_extra={"cli": ["--owner", "--owner-id"]})  # fmt: skip
    team: str | None = Field(default=None, max_length=100, description="the accounts granted to this team")
    every_gap: bool = Field(default=False, description="gaps that opened or closed for every stakeholder, not "
                            "only for decision-makers (the map's compare)")  # fmt: skip


class WhatIfOptions(GapOptions):
    leaves: Id = Field(description="one of our contacts, or a stakeholder: the map as if they left",
                       json_schema_extra={"cli": ["--leaves"]})  # fmt: skip


class ContactOptions(Options):
    contact_id: Id = Field(description="one of our contacts", json_schema_extra={"cli": ["--contact"]})


@dataclass(frozen=True)
class Analysis:
    name: str  # the CLI command and the API path; the Workbench method is `method`
    title_zh: str
    title_en: str
    summary: str  # one line for --help and the API's description
    function: Callable[[GraphStore, Scope, date, Any], Any]  # (store, scope, as_of, options) -> the answer
    result: type[BaseModel]  # the answer's model, or one item's when `many`
    options: type[Options] = NoOptions
    many: bool = True
    dated: bool = True  # takes --as-of (the change log takes --since instead)
    aliases: tuple[str, ...] = ()

    def run(self, store: GraphStore, scope: Scope, as_of: date, options: Any) -> Any:
        """The answer, built with the collector paused: an analysis makes tens of thousands of small objects
        without cycles, and next to the networks the API keeps, the collector's full passes over them took a
        third of a what-if at 2,000 stakeholders (bench/README.md, "The workspace")."""
        with collector_paused():
            return self.function(store, scope, as_of, options)

    @property
    def method(self) -> str:
        return self.name.replace("-", "_")

    @property
    def answer(self) -> Any:
        """The answer's type, for the API's response model."""
        return list[self.result] if self.many else self.result  # type: ignore[name-defined]


def _lost(store: GraphStore, scope: Scope, as_of: date, options: ContactOptions) -> list[LostStakeholder]:
    return coverage_lost_if_leaves(store, options.contact_id, scope)


ANALYSES: Sequence[Analysis] = (
    Analysis("gaps", "缺口", "Gaps", "Uncovered decision-makers and weak links, per account.",
             lambda store, scope, day, o: gap_report(store, scope, day, o.thresholds()), GapReport, GapOptions,
             many=False),
    Analysis("coverage", "覆盖度", "Coverage", "Buying-committee completeness and weighted coverage per account.",
             lambda store, scope, day, o: coverage(store, scope, day), AccountCoverage),
    Analysis("strength", "关系强度", "Relationship strength",
             "Relationship strength of every link, from the dated interactions, weakest first.",
             lambda store, scope, day, o: relationship_strength(store, scope, day), LinkStrength),
    Analysis("single-points", "单点依赖", "Single points of failure",
             "Accounts that hang on one person, ours or theirs.",
             lambda store, scope, day, o: single_points(store, scope, day), AccountRisk,
             aliases=("spof", "single_points")),
    Analysis("coverage-lost", "离职影响", "Coverage lost if a contact leaves",
             "The stakeholders nobody else on our side covers if one of our contacts leaves.", _lost,
             LostStakeholder, ContactOptions, dated=False),
    Analysis("influencers", "影响力排名", "Most influential stakeholders",
             "The most influential stakeholders per account, flagged when we do not reach them.",
             lambda store, scope, day, o: hidden_influencers(store, scope, day, o.top), HiddenInfluencer,
             InfluencerOptions, aliases=("hidden-influencers", "hidden_influencers")),
    Analysis("segments", "客户分层", "Segments", "Tier per account, the rule that decided it, a borderline flag.",
             lambda store, scope, day, o: segments(store, scope, day, o.thresholds()), Segment, SegmentOptions),
    Analysis("lifecycle", "生命周期", "Lifecycle", "Lifecycle stage and owner team per account.",
             lambda store, scope, day, o: lifecycle_stages(store, scope, day), AccountLifecycle),
    Analysis("follow-ups", "跟进计划", "Follow-ups",
             "Follow-ups due by intent level, by owner; overdue ones alone on request.",
             lambda store, scope, day, o: follow_ups(store, scope, day, o.owner_id, o.overdue), FollowUp,
             FollowUpOptions, aliases=("followups", "follow_ups")),
    Analysis("actions", "下一步行动建议", "Next actions", "Suggested next actions for every gap, most important first.",
             lambda store, scope, day, o: next_actions(store, scope, day), NextAction),
    Analysis("warm-paths", "引荐路径", "Warm paths",
             "Warm-introduction paths to a stakeholder, best first: who can introduce us, through whom.",
             lambda store, scope, day, o: warm_paths(store, o.person_id, o.k, o.max_hops, day, scope=scope),
             WarmPath, WarmPathOptions, aliases=("paths", "warm_paths")),
    Analysis("changes", "变化", "Changes",
             "What changed since a day: people who joined or left, status changes, coverage gained or lost.",
             lambda store, scope, day, o: changes_since(store, o.since, scope), ChangeSummary, ChangeOptions,
             dated=False),
    Analysis("review", "周报", "Weekly review",
             "What moved since a day, per account, most exposed first, with the three best next actions.",
             lambda store, scope, day, o: weekly_review(store, scope, day, o.since, o.owner_id, o.team,
                                                        o.thresholds(), o.every_gap),
             Review, ReviewOptions, many=False, aliases=("weekly-review",)),
    Analysis("what-if", "假如离开", "What if someone leaves",
             "The map as if one of our contacts or a stakeholder left: who loses all coverage, decision-makers "
             "uncovered, warm paths broken, the coverage score before and after. Nothing is written.",
             lambda store, scope, day, o: what_if_leaves(store, o.leaves, scope, day, o.thresholds()), WhatIf,
             WhatIfOptions, aliases=("what_if",)),
    Analysis("tasks", "任务", "Tasks",
             "What our contacts are to do, introduction requests too: open ones, overdue first, by owner on request.",
             lambda store, scope, day, o: tasks(store, scope, day, o.owner_id, None if o.every_state else o.state,
                                                o.overdue),
             TaskItem, TaskOptions, aliases=("todo",)),
    Analysis("plan", "客户关系规划", "Account plan",
             "Each target of the account plans against the relationship now: met, open, overdue, or the person left.",
             lambda store, scope, day, o: plan_progress(store, scope, day), PlanProgress,
             aliases=("plans", "plan-progress")),
)  # fmt: skip
BY_NAME = {spelling: a for a in ANALYSES for spelling in (a.name, *a.aliases)}


def find_analysis(name: str) -> Analysis:
    """The analysis of this name or one of its old spellings."""
    try:
        return BY_NAME[name]
    except KeyError:
        known = ", ".join(a.name for a in ANALYSES)
        raise NotFound(f"no analysis {name!r}; there are {known} / 没有此分析") from None


def run_analysis(
    store: GraphStore, name: str, scope: Scope | str | None = None, as_of: date | None = None, **options: Any
) -> Any:
    """One analysis by name, its options as keywords (checked by its options model)."""
    analysis = find_analysis(name)
    unknown = set(options) - set(analysis.options.model_fields)
    if unknown:
        raise Invalid(f"{name} takes no option {', '.join(sorted(unknown))}; it takes "
                      f"{', '.join(analysis.options.model_fields) or 'none'} / 不支持的选项")  # fmt: skip
    return analysis.run(store, Scope.of(scope), as_of or date.today(), analysis.options(**options))
