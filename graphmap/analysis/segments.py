"""Segmentation (客户关系划分): a tier per account, the rule that decided it, and a borderline flag.

Rules, tried in this order (thresholds in SegmentThresholds; revenue in 万元 over 12 months, interactions
counted in the graph over the last `activity_days` up to as_of, or the segmentation table's count if higher):
1. core       revenue >= core_revenue and interactions >= core_interactions
2. potential  potential_revenue <= revenue < core_revenue, or a new inquiry in the last `inquiry_days`
3. ordinary   ordinary_revenue <= revenue < potential_revenue and
              ordinary_min_interactions <= interactions < core_interactions
4. low_value  revenue < ordinary_revenue, or no interaction in the window and no renewal intent
5. otherwise  the tier its revenue alone would give, flagged borderline
Borderline (for human review): the revenue of a higher tier is met but its activity is not, e.g. 65万 with
4 interactions. Without a recorded revenue only rules 2 and 4 can decide; else the tier is unknown.
"""

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from graphmap.graph import AccountNetwork, ScopeLike, iter_scope
from graphmap.model import Account, Tier
from graphmap.store import GraphStore

STRATEGIES: dict[Tier, tuple[str, str]] = {
    Tier.core: (
        "配备专属客户成功经理，每季度提供定制化报告",
        "a dedicated customer-success manager and a tailored quarterly report",
    ),
    Tier.potential: ("每月推送案例，邀请参加研讨会", "monthly case studies and seminar invitations"),
    Tier.ordinary: ("提供标准化服务", "standard service"),
    Tier.low_value: ("控制服务成本", "limit the cost to serve"),
}


class SegmentThresholds(BaseModel):
    model_config = ConfigDict(frozen=True)

    core_revenue: float = Field(default=50, ge=0, description="万元 over 12 months")
    core_interactions: int = Field(default=10, ge=0)
    potential_revenue: float = Field(default=20, ge=0)
    ordinary_revenue: float = Field(default=5, ge=0)
    ordinary_min_interactions: int = Field(default=3, ge=0)
    activity_days: int = Field(default=182, ge=1, description="the interaction window: about six months")
    inquiry_days: int = Field(default=182, ge=1, description="an inquiry this recent makes an account potential")


DEFAULT_SEGMENTS = SegmentThresholds()


class Segment(BaseModel):
    account_id: str
    account_name: str
    tier: Tier | None = Field(description="None when the data cannot decide (no revenue on record)")
    rule_zh: str
    rule_en: str
    borderline: bool = Field(description="a human should review: a higher tier's revenue is met, its activity not")
    revenue_12m: float | None
    interactions: int = Field(description="interactions in the activity window")
    recent_inquiry: bool
    renewal_intent: bool | None
    strategy_zh: str | None
    strategy_en: str | None


def segments(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    thresholds: SegmentThresholds = DEFAULT_SEGMENTS,
) -> list[Segment]:
    as_of = as_of or date.today()
    return [segment_network(network, as_of, thresholds) for network in iter_scope(store, scope)]


def segment_network(network: AccountNetwork, as_of: date, thresholds: SegmentThresholds = DEFAULT_SEGMENTS) -> Segment:
    since = as_of - timedelta(days=thresholds.activity_days)
    interactions = sum(1 for i in network.interactions if i.on is not None and since < i.on <= as_of)
    # The segmentation table's own count covers calls nobody logged; the graph may hold newer ones.
    interactions = max(interactions, network.account.recorded_interactions_6m or 0)
    return segment_account(network.account, interactions, as_of, thresholds)


def segment_account(
    account: Account, interactions: int, as_of: date, thresholds: SegmentThresholds = DEFAULT_SEGMENTS
) -> Segment:
    """The tier of one account from its revenue, its interaction count in the window and its inquiries."""
    t = thresholds
    revenue = account.revenue_12m
    inquiry = account.last_inquiry_on
    recent_inquiry = inquiry is not None and as_of - timedelta(days=t.inquiry_days) < inquiry <= as_of
    idle_without_renewal = interactions == 0 and not account.renewal_intent
    tier: Tier | None
    fallback = False
    if revenue is not None and revenue >= t.core_revenue and interactions >= t.core_interactions:
        tier, zh, en = (
            Tier.core,
            f"营收{revenue:g}万≥{t.core_revenue:g}万且互动{interactions}次≥{t.core_interactions}次",
            (f"revenue {revenue:g}万 >= {t.core_revenue:g}万 and {interactions} interactions >= {t.core_interactions}"),
        )
    elif revenue is not None and t.potential_revenue <= revenue < t.core_revenue:
        tier, zh, en = (
            Tier.potential,
            f"营收{revenue:g}万在{t.potential_revenue:g}-{t.core_revenue:g}万之间",
            (f"revenue {revenue:g}万 between {t.potential_revenue:g}万 and {t.core_revenue:g}万"),
        )
    elif recent_inquiry:
        tier, zh, en = Tier.potential, f"近期有新询价（{inquiry}）", f"a new inquiry on {inquiry}"
    elif (
        revenue is not None
        and t.ordinary_revenue <= revenue < t.potential_revenue
        and t.ordinary_min_interactions <= interactions < t.core_interactions
    ):
        tier, zh, en = (
            Tier.ordinary,
            f"营收{revenue:g}万、互动{interactions}次",
            (f"revenue {revenue:g}万 and {interactions} interactions"),
        )
    elif revenue is not None and revenue < t.ordinary_revenue:
        tier, zh, en = (
            Tier.low_value,
            f"营收{revenue:g}万<{t.ordinary_revenue:g}万",
            (f"revenue {revenue:g}万 < {t.ordinary_revenue:g}万"),
        )
    elif idle_without_renewal:
        tier, zh, en = Tier.low_value, "半年内无互动且无续约意向", "no interaction in the window and no renewal intent"
    elif revenue is None:
        tier, zh, en = None, "无近12个月营收记录，无法分层", "no 12-month revenue on record: cannot decide"
    else:
        tier = Tier.potential if revenue >= t.core_revenue else Tier.ordinary  # core revenue: one tier down
        zh = f"营收{revenue:g}万与互动{interactions}次指向不同层级，需人工复核"
        en = f"revenue {revenue:g}万 and {interactions} interactions point to different tiers: review"
        fallback = True
    borderline = fallback or (revenue is not None and _higher_revenue_met(tier, revenue, interactions, t))
    strategy = STRATEGIES.get(tier) if tier else None
    return Segment(
        account_id=account.id,
        account_name=account.name,
        tier=tier,
        rule_zh=zh,
        rule_en=en,
        borderline=borderline,
        revenue_12m=revenue,
        interactions=interactions,
        recent_inquiry=recent_inquiry,
        renewal_intent=account.renewal_intent,
        strategy_zh=strategy[0] if strategy else None,
        strategy_en=strategy[1] if strategy else None,
    )


def _higher_revenue_met(tier: Tier | None, revenue: float, interactions: int, t: SegmentThresholds) -> bool:
    """Whether the revenue of a tier above the given one is met while its activity criterion is not."""
    rank = {Tier.core: 0, Tier.potential: 1, Tier.ordinary: 2, Tier.low_value: 3}
    given = rank[tier] if tier else 4
    if given > rank[Tier.core] and revenue >= t.core_revenue and interactions < t.core_interactions:
        return True
    return (
        given >= rank[Tier.ordinary]
        and t.ordinary_revenue <= revenue < t.potential_revenue
        and interactions < t.ordinary_min_interactions
    )
