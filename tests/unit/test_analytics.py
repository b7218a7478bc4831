"""Scoring formulas and rules, worked by hand (no engine)."""

import math
from datetime import date, timedelta

import pytest

from graphmap.analysis.followups import DEFAULT_FOLLOW_UPS, DueBasis, network_follow_ups
from graphmap.analysis.lifecycle import account_lifecycle
from graphmap.analysis.segments import Tier, segment_account, segment_network
from graphmap.analysis.strength import Trend, band_of, score_link, trend_of
from graphmap.graph import AccountNetwork
from graphmap.model import (
    Account,
    Band,
    Channel,
    Contact,
    Coverage,
    CustomerType,
    Department,
    Intent,
    Interaction,
    Lifecycle,
    Person,
    RelationshipStatus,
    Role,
    Stage,
    Team,
)

AS_OF = date(2024, 9, 30)


def test_one_visit_today_from_a_trusted_link():
    engagement = 100 * (1 - math.exp(-1 / 2))  # activity 1.0 (a visit, no decay), saturation 2
    expected = 0.3 * 75 + 0.7 * engagement
    assert score_link(RelationshipStatus.trusted, [(AS_OF, Channel.visit)], AS_OF) == pytest.approx(expected)
    assert round(expected) == 50


def test_an_interaction_counts_half_after_the_half_life():
    ninety_days_ago = AS_OF - timedelta(days=90)
    score = score_link(RelationshipStatus.trusted, [(ninety_days_ago, Channel.visit)], AS_OF)
    assert score == pytest.approx(0.3 * 75 + 0.7 * 100 * (1 - math.exp(-0.5 / 2)))


def test_a_visit_counts_more_than_an_email_and_frequency_saturates():
    visit = score_link(RelationshipStatus.initial, [(AS_OF, Channel.visit)], AS_OF)
    email = score_link(RelationshipStatus.initial, [(AS_OF, Channel.email)], AS_OF)
    assert visit is not None and email is not None and visit > email
    many = [score_link(RelationshipStatus.initial, [(AS_OF, Channel.visit)] * n, AS_OF) or 0 for n in (1, 5, 50)]
    assert many[0] < many[1] < many[2] < 0.3 * 35 + 70 + 1e-9  # never above prior share + 70


def test_never_contacted_has_no_score_and_later_interactions_do_not_count():
    assert score_link(RelationshipStatus.trusted, [], AS_OF) is None
    assert score_link(RelationshipStatus.trusted, [(AS_OF + timedelta(days=1), Channel.visit)], AS_OF) is None
    assert band_of(None) is None and trend_of(None, 40) is None


@pytest.mark.parametrize(
    ("score", "band"), [(60, Band.strong), (59, Band.fair), (30, Band.fair), (29, Band.weak), (0, Band.weak)]
)
def test_bands(score, band):
    assert band_of(score) is band


def test_trend():
    assert trend_of(50, None) is Trend.new
    assert trend_of(50, 45) is Trend.rising
    assert trend_of(50, 46) is Trend.steady
    assert trend_of(40, 45) is Trend.falling


def _account(**fields) -> Account:
    return Account(id=fields.pop("id", "C001"), name=fields.pop("name", "某客户"), **fields)


# The segmentation table's worked rows (DOMAIN.md): C001 65万, 12 interactions, 24 months -> core;
# C002 28万, 5, asked about new products -> potential; C003 12万, 3, 6 months -> ordinary; C004 3万, 0 -> low_value.
@pytest.mark.parametrize(
    ("account", "interactions", "tier"),
    [
        (_account(id="C001", revenue_12m=65, first_deal_on=AS_OF - timedelta(days=730)), 12, Tier.core),
        (_account(id="C002", revenue_12m=28, last_inquiry_on=AS_OF - timedelta(days=20)), 5, Tier.potential),
        (_account(id="C003", revenue_12m=12, first_deal_on=AS_OF - timedelta(days=182)), 3, Tier.ordinary),
        (_account(id="C004", revenue_12m=3), 0, Tier.low_value),
    ],
)
def test_the_worked_segmentation_rows(account, interactions, tier):
    segment = segment_account(account, interactions, AS_OF)
    assert segment.tier is tier and not segment.borderline
    assert segment.strategy_zh and segment.strategy_en


def test_revenue_met_but_not_activity_goes_to_review():
    segment = segment_account(_account(revenue_12m=65), 4, AS_OF)
    assert segment.tier is Tier.potential and segment.borderline
    idle = segment_account(_account(revenue_12m=65, renewal_intent=False), 0, AS_OF)
    assert idle.tier is Tier.low_value and idle.borderline


def test_a_recent_inquiry_makes_a_small_account_potential_and_an_old_one_does_not():
    recent = segment_account(_account(revenue_12m=2, last_inquiry_on=AS_OF - timedelta(days=30)), 1, AS_OF)
    old = segment_account(_account(revenue_12m=2, last_inquiry_on=AS_OF - timedelta(days=300)), 1, AS_OF)
    assert recent.tier is Tier.potential and old.tier is Tier.low_value


def test_without_revenue_only_inquiry_or_inactivity_decide():
    assert segment_account(_account(), 4, AS_OF).tier is None
    assert segment_account(_account(), 0, AS_OF).tier is Tier.low_value


def test_thresholds_are_configurable():
    from graphmap.analysis.segments import SegmentThresholds

    strict = SegmentThresholds(core_revenue=100)
    assert segment_account(_account(revenue_12m=65), 12, AS_OF, strict).tier is not Tier.core


def _network(account: Account, interactions: list[Interaction], people: list[Person] | None = None) -> AccountNetwork:
    department = Department(id="d1", account_id=account.id, name="采购部")
    people = people or [
        Person(id="p1", account_id=account.id, department_id="d1", name="*某", title="采购总监",
               roles=(Role.decision_maker,)),
    ]  # fmt: skip
    contacts = (Contact(id="c1", name="*某", title="销售经理"), Contact(id="c2", name="王伟", title="销售总监"))
    return AccountNetwork(
        account=account,
        departments=(department,),
        people=tuple(people),
        contacts=contacts,
        coverage=(Coverage(contact_id="c1", person_id="p1", status=RelationshipStatus.trusted),
                  Coverage(contact_id="c2", person_id="p1", status=RelationshipStatus.initial)),
        reporting_lines=(),
        influences=(),
        interactions=tuple(interactions),
    )  # fmt: skip


def _met(on: date, contact: str = "c1", number: int = 0) -> Interaction:
    return Interaction(id=f"i{on}{contact}{number}", account_id="C001", on=on, summary="拜访", person_ids=("p1",),
                       contact_ids=(contact,), channel=Channel.visit)  # fmt: skip


def test_segments_count_interactions_in_the_six_month_window_only():
    inside = [_met(AS_OF - timedelta(days=d), number=d) for d in range(1, 11)]
    outside = [_met(AS_OF - timedelta(days=200 + d), number=d) for d in range(5)]
    later = [_met(AS_OF + timedelta(days=3))]
    network = _network(_account(revenue_12m=65), inside + outside + later)
    assert segment_network(network, AS_OF).interactions == 10
    assert segment_network(network, AS_OF).tier is Tier.core


def test_follow_up_cadence_by_intent():
    last = AS_OF - timedelta(days=10)
    network = _network(_account(intent=Intent.high), [_met(last, "c2"), _met(last - timedelta(days=30), "c1")])
    account_item, person_item = network_follow_ups(network, AS_OF, DEFAULT_FOLLOW_UPS)
    assert account_item.person_id is None and account_item.due_on == last + timedelta(days=7)
    assert account_item.overdue_days == 3 and account_item.basis is DueBasis.cadence
    assert person_item.person_id == "p1" and person_item.owner_id == "c2"  # who met them last
    assert person_item.intent is Intent.high and not person_item.intent_recorded  # inherited from the account


def test_a_dated_next_action_brings_the_follow_up_forward_and_never_contacted_is_due_now():
    last = AS_OF - timedelta(days=5)
    person = Person(id="p1", account_id="C001", department_id="d1", name="*某", roles=(Role.decision_maker,),
                    intent=Intent.low, next_action="寄送方案", next_action_due=last + timedelta(days=3))  # fmt: skip
    items = network_follow_ups(_network(_account(), [_met(last)], [person]), AS_OF, DEFAULT_FOLLOW_UPS)
    assert items[1].due_on == last + timedelta(days=3) and items[1].basis is DueBasis.next_action
    quiet = network_follow_ups(_network(_account(), []), AS_OF, DEFAULT_FOLLOW_UPS)
    assert all(i.due_on == AS_OF and i.basis is DueBasis.never_contacted for i in quiet)


@pytest.mark.parametrize(
    ("fields", "interactions", "stage", "team"),
    [
        ({"lifecycle": Lifecycle.loyalty, "owner_team": Team.marketing}, 0, Lifecycle.loyalty, Team.marketing),
        ({"stage": Stage.terminated, "first_deal_on": date(2020, 1, 1)}, 0, Lifecycle.churn, Team.sales),
        ({"customer_type": CustomerType.potential}, 1, Lifecycle.consideration, Team.sales),
        ({"customer_type": CustomerType.potential}, 0, Lifecycle.awareness, Team.marketing),
        ({"first_deal_on": AS_OF - timedelta(days=30)}, 0, Lifecycle.purchase, Team.sales),
        ({"first_deal_on": AS_OF - timedelta(days=800), "revenue_12m": 80}, 12, Lifecycle.loyalty, Team.success),
        ({"first_deal_on": AS_OF - timedelta(days=800), "revenue_12m": 8}, 4, Lifecycle.usage, Team.service),
    ],
)
def test_lifecycle_stage_and_owner_team(fields, interactions, stage, team):
    met = [_met(AS_OF - timedelta(days=d + 1), number=d) for d in range(interactions)]
    result = account_lifecycle(_network(_account(**fields), met), AS_OF)
    assert (result.lifecycle, result.owner_team) == (stage, team)
    assert result.lifecycle_recorded == ("lifecycle" in fields)
