"""The gap rules computed independently, in plain Python over a Portfolio, to check the Cypher against."""

from datetime import date

from graphmap.analysis.gaps import GapThresholds, WeakReason
from graphmap.model import PersonStatus, Portfolio


def expected_weak_links(
    portfolio: Portfolio, as_of: date, thresholds: GapThresholds
) -> dict[tuple[str, str], set[WeakReason]]:
    active = {p.id for p in portfolio.people if p.status is not PersonStatus.left}
    last: dict[tuple[str, str], date] = {}
    for interaction in portfolio.interactions:
        if interaction.on is None or interaction.on > as_of:
            continue
        for contact_id in interaction.contact_ids:
            for person_id in interaction.person_ids:
                key = (contact_id, person_id)
                last[key] = max(last.get(key, interaction.on), interaction.on)
    weak: dict[tuple[str, str], set[WeakReason]] = {}
    for link in portfolio.coverage:
        if link.person_id not in active:
            continue
        key = (link.contact_id, link.person_id)
        reasons = set()
        if link.status in thresholds.weak_statuses:
            reasons.add(WeakReason.weak_status)
        if link.strength is not None and link.strength < thresholds.min_strength:
            reasons.add(WeakReason.low_strength)
        if key not in last:
            reasons.add(WeakReason.never_contacted)
        elif (as_of - last[key]).days > thresholds.cadence_days:
            reasons.add(WeakReason.stale)
        if reasons:
            weak[key] = reasons
    return weak


def expected_uncovered(portfolio: Portfolio, as_of: date, thresholds: GapThresholds) -> set[str]:
    active = {p.id for p in portfolio.people if p.status is not PersonStatus.left}
    weak = expected_weak_links(portfolio, as_of, thresholds)
    strong = {c.person_id for c in portfolio.coverage if (c.contact_id, c.person_id) not in weak}
    return active - strong
