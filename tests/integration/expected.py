"""The gap rules computed independently, in plain Python over a Portfolio, to check the Cypher against."""

from datetime import date

from graphmap.analysis.gaps import GapThresholds, WeakReason
from graphmap.analysis.strength import rounded, score_link, touchpoints_by_link
from graphmap.model import Coverage, CoverageBasis, PersonStatus, Portfolio, RelationshipStatus


def coverage_of(portfolio: Portfolio) -> list[Coverage]:
    """The links a written portfolio has: those recorded, and one for every pair of our contact and their
    person who met without one (status initial, since the first meeting)."""
    links = {(c.contact_id, c.person_id): c for c in portfolio.coverage}
    for interaction in sorted(portfolio.interactions, key=lambda i: (i.on is None, i.on)):
        for contact_id in interaction.contact_ids:
            for person_id in interaction.person_ids:
                links.setdefault((contact_id, person_id), Coverage(
                    contact_id=contact_id, person_id=person_id, status=RelationshipStatus.initial,
                    since=interaction.on, basis=CoverageBasis.interactions))  # fmt: skip
    return list(links.values())


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
    touchpoints = touchpoints_by_link(portfolio.interactions)
    for link in coverage_of(portfolio):
        if link.person_id not in active:
            continue
        key = (link.contact_id, link.person_id)
        reasons = set()
        if link.status in thresholds.weak_statuses:
            reasons.add(WeakReason.weak_status)
        computed = rounded(score_link(link.status, touchpoints.get(key, []), as_of))
        strength = link.strength if link.strength is not None else computed
        if strength is not None and strength < thresholds.min_strength:
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
    strong = {c.person_id for c in coverage_of(portfolio) if (c.contact_id, c.person_id) not in weak}
    return active - strong
