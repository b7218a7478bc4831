"""Lifecycle stage and owner team per account (维护导图).

The stage recorded on the account wins. Otherwise it is inferred, first rule that applies:
1. churn          stage terminated, or customer type lost
2. consideration  never bought (no first deal) and in talks (negotiating) or an interaction in the window
3. awareness      never bought, otherwise
4. purchase       first deal within the window
5. loyalty        a core account (analysis/segments.py) buying for at least `loyalty_days`, renewal not ruled out
6. usage          otherwise
The owner team recorded wins; otherwise it follows the stage: awareness -> marketing, consideration and
purchase -> sales, usage -> service, loyalty -> customer success, churn -> sales (win-back).
"""

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from graphmap.analysis.segments import DEFAULT_SEGMENTS, SegmentThresholds, segment_network
from graphmap.graph import AccountNetwork, ScopeLike, iter_scope
from graphmap.model import CustomerType, Lifecycle, Stage, Team, Tier
from graphmap.store import GraphStore

OWNER_TEAMS = {
    Lifecycle.awareness: Team.marketing,
    Lifecycle.consideration: Team.sales,
    Lifecycle.purchase: Team.sales,
    Lifecycle.usage: Team.service,
    Lifecycle.loyalty: Team.success,
    Lifecycle.churn: Team.sales,
}


class LifecycleSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    window_days: int = Field(default=182, ge=1, description="'recent' for interactions and first deals")
    loyalty_days: int = Field(default=365, ge=1, description="tenure a core account needs to count as loyal")


DEFAULT_LIFECYCLE = LifecycleSettings()


class AccountLifecycle(BaseModel):
    account_id: str
    account_name: str
    lifecycle: Lifecycle
    lifecycle_recorded: bool
    rule_zh: str
    rule_en: str
    owner_team: Team
    owner_team_recorded: bool


def lifecycle_stages(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    settings: LifecycleSettings = DEFAULT_LIFECYCLE,
    segments: SegmentThresholds = DEFAULT_SEGMENTS,
) -> list[AccountLifecycle]:
    as_of = as_of or date.today()
    return [account_lifecycle(network, as_of, settings, segments) for network in iter_scope(store, scope)]


def account_lifecycle(
    network: AccountNetwork,
    as_of: date,
    settings: LifecycleSettings = DEFAULT_LIFECYCLE,
    segments: SegmentThresholds = DEFAULT_SEGMENTS,
) -> AccountLifecycle:
    account = network.account
    since = as_of - timedelta(days=settings.window_days)
    if account.lifecycle is not None:
        stage, zh, en = account.lifecycle, "档案记录", "as recorded"
    elif account.stage is Stage.terminated or account.customer_type is CustomerType.lost:
        stage, zh, en = Lifecycle.churn, "合作已终止或流失客户", "business terminated or customer lost"
    elif account.first_deal_on is None:
        talking = account.stage is Stage.negotiating or any(
            i.on is not None and since < i.on <= as_of for i in network.interactions
        )
        stage, zh, en = (
            (Lifecycle.consideration, "尚未成交，正在接洽", "no deal yet, in talks")
            if talking
            else (Lifecycle.awareness, "尚未成交，近期无接洽", "no deal yet and no recent contact")
        )
    elif account.first_deal_on > since:
        stage, zh, en = (
            Lifecycle.purchase,
            f"首次成交于{account.first_deal_on}",
            f"first deal on {account.first_deal_on}",
        )
    elif (
        segment_network(network, as_of, segments).tier is Tier.core
        and (as_of - account.first_deal_on).days >= settings.loyalty_days
        and account.renewal_intent is not False
    ):
        stage, zh, en = Lifecycle.loyalty, "核心客户且长期合作", "a core account with a long tenure"
    else:
        stage, zh, en = Lifecycle.usage, "已成交，持续使用中", "buying and using"
    return AccountLifecycle(
        account_id=account.id,
        account_name=account.name,
        lifecycle=stage,
        lifecycle_recorded=account.lifecycle is not None,
        rule_zh=zh,
        rule_en=en,
        owner_team=account.owner_team or OWNER_TEAMS[stage],
        owner_team_recorded=account.owner_team is not None,
    )
