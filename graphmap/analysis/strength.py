"""Relationship strength (关系强度) of each COVERS link, scored from the dated interactions between the two.

    activity   = sum over interactions on or before as_of of  channel_weight * 0.5 ** (age_days / half_life_days)
    engagement = 100 * (1 - exp(-activity / saturation))          # frequency counts, but saturates
    score      = prior_weight * status_prior + (1 - prior_weight) * engagement

A link with no dated interaction on record has no score (None), not 0: "never contacted" is a fact of its
own, not a weak relationship. Bands and trend: see docs/analytics.md.

One value everywhere (`link_strength`): a link's strength is the one a person recorded (the mapping
table's or an edit's), else the score computed here; gaps, coverage and pages all use it and say which
it is (`StrengthSource`, docs/gaps.md).
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from graphmap.analysis.memo import per_network
from graphmap.graph import AccountNetwork, ScopeLike, iter_scope
from graphmap.model import Band, Channel, CoverageBasis, Interaction, RelationshipStatus, Vocabulary
from graphmap.store import GraphStore


class Trend(Vocabulary):
    rising = "rising", "上升", "rising"
    steady = "steady", "平稳", "steady"
    falling = "falling", "下降", "falling"
    new = "new", "新建立", "new"


class StrengthSource(Vocabulary):
    recorded = "recorded", "人工记录", "recorded"
    computed = "computed", "由互动计算", "computed from interactions"


def link_strength(
    recorded: int | None, basis: CoverageBasis | str | None, score: int | None
) -> tuple[int | None, StrengthSource | None]:
    """The strength of a link, and where it came from: recorded by a person, else computed."""
    if recorded is not None and basis != CoverageBasis.interactions:
        return recorded, StrengthSource.recorded
    return (score, StrengthSource.computed) if score is not None else (None, None)


class StrengthSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    half_life_days: float = Field(default=90, gt=0, description="an interaction counts half as much after this")
    saturation: float = Field(default=2.0, gt=0, description="activity at which engagement reaches 63%")
    prior_weight: float = Field(default=0.3, ge=0, le=1, description="share of the score from the status")
    channel_weights: dict[Channel, float] = Field(
        default={
            Channel.visit: 1.0,
            Channel.meeting: 0.8,
            Channel.event: 0.6,
            Channel.phone: 0.5,
            Channel.other: 0.4,
            Channel.email: 0.3,
        }
    )
    unknown_channel_weight: float = Field(default=0.4, ge=0)
    status_priors: dict[RelationshipStatus, float] = Field(
        default={
            RelationshipStatus.trusted: 75,
            RelationshipStatus.referred: 55,
            RelationshipStatus.initial: 35,
            RelationshipStatus.competitor: 20,
            RelationshipStatus.none: 10,
        }
    )
    strong_from: int = Field(default=60, ge=0, le=100)
    fair_from: int = Field(default=30, ge=0, le=100)
    trend_days: int = Field(default=90, ge=1, description="the trend compares with the score this long ago")
    trend_step: int = Field(default=5, ge=1, description="a change smaller than this is steady")


DEFAULT_STRENGTH = StrengthSettings()
BAND_RANK = {None: 0, Band.weak: 1, Band.fair: 2, Band.strong: 3}  # None: never contacted
Touchpoint = tuple[date, Channel | None]


class LinkStrength(BaseModel):
    account_id: str
    account_name: str = ""
    contact_id: str
    contact_name: str
    contact_title: str | None
    person_id: str
    person_name: str
    person_title: str | None
    status: RelationshipStatus
    interactions: int = Field(description="dated interactions between the two on or before as_of")
    last_contact_on: date | None
    score: int | None = Field(description="0-100 from the interactions; None when never contacted")
    recorded_strength: int | None = Field(default=None, description="the strength a person recorded, if any")
    strength: int | None = Field(default=None, description="the one value every analysis uses: recorded, else score")
    strength_source: StrengthSource | None = None
    band: Band | None = Field(description="of `strength`")
    previous_score: int | None = Field(description="the score trend_days before as_of")
    trend: Trend | None


def score_link(
    status: RelationshipStatus,
    touchpoints: Iterable[Touchpoint],
    as_of: date,
    settings: StrengthSettings = DEFAULT_STRENGTH,
) -> float | None:
    """The unrounded score from (day, channel) touchpoints; later ones than as_of are ignored."""
    activity = 0.0
    seen = False
    for on, channel in touchpoints:
        if on > as_of:
            continue
        seen = True
        weight = (
            settings.channel_weights.get(channel, settings.unknown_channel_weight)
            if channel
            else (settings.unknown_channel_weight)
        )
        activity += weight * 0.5 ** ((as_of - on).days / settings.half_life_days)
    if not seen:
        return None
    engagement = 100 * (1 - math.exp(-activity / settings.saturation))
    return settings.prior_weight * settings.status_priors[status] + (1 - settings.prior_weight) * engagement


def band_of(score: int | None, settings: StrengthSettings = DEFAULT_STRENGTH) -> Band | None:
    if score is None:
        return None
    if score >= settings.strong_from:
        return Band.strong
    return Band.fair if score >= settings.fair_from else Band.weak


def trend_of(score: int | None, previous: int | None, settings: StrengthSettings = DEFAULT_STRENGTH) -> Trend | None:
    if score is None:
        return None
    if previous is None:
        return Trend.new
    if score - previous >= settings.trend_step:
        return Trend.rising
    return Trend.falling if previous - score >= settings.trend_step else Trend.steady


def touchpoints_by_link(interactions: Iterable[Interaction]) -> dict[tuple[str, str], list[Touchpoint]]:
    """(contact_id, person_id) -> the dated interactions both took part in."""
    by_link: dict[tuple[str, str], list[Touchpoint]] = defaultdict(list)
    for i in interactions:
        if i.on is None:
            continue
        for contact_id in i.contact_ids:
            for person_id in i.person_ids:
                by_link[(contact_id, person_id)].append((i.on, i.channel))
    return by_link


@per_network()
def network_strengths(
    network: AccountNetwork, as_of: date, settings: StrengthSettings = DEFAULT_STRENGTH
) -> list[LinkStrength]:
    contacts = {c.id: c for c in network.contacts}
    people = {p.id: p for p in network.people}
    touchpoints = touchpoints_by_link(network.interactions)
    before = as_of - timedelta(days=settings.trend_days)
    links = []
    for link in network.coverage:
        seen = [t for t in touchpoints.get((link.contact_id, link.person_id), []) if t[0] <= as_of]
        score = rounded(score_link(link.status, seen, as_of, settings))
        previous = rounded(score_link(link.status, seen, before, settings))
        strength, source = link_strength(link.strength, link.basis, score)
        contact, person = contacts[link.contact_id], people[link.person_id]
        links.append(
            LinkStrength(
                account_id=network.account.id,
                account_name=network.account.name,
                contact_id=contact.id,
                contact_name=contact.name,
                contact_title=contact.title,
                person_id=person.id,
                person_name=person.name,
                person_title=person.title,
                status=link.status,
                interactions=len(seen),
                last_contact_on=max((t[0] for t in seen), default=None),
                score=score,
                recorded_strength=link.strength,
                strength=strength,
                strength_source=source,
                band=band_of(strength, settings),
                previous_score=previous,
                trend=trend_of(score, previous, settings),
            )
        )
    return links


def relationship_strength(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    settings: StrengthSettings = DEFAULT_STRENGTH,
) -> list[LinkStrength]:
    """Every COVERS link of one account (or all), scored; weakest first, never-contacted last."""
    as_of = as_of or date.today()
    links = [link for network in iter_scope(store, scope) for link in network_strengths(network, as_of, settings)]
    return sorted(links, key=lambda s: (s.account_id, s.strength is None, s.strength or 0, s.person_id, s.contact_id))


def rounded(score: float | None) -> int | None:
    return None if score is None else int(math.floor(score + 0.5))
