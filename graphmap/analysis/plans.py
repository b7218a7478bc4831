"""The account plan (客户关系规划): each target against the relationship we have now (docs/gaps.md, "The plan").

A target asks one of our contacts (its owner) for a relationship with a stakeholder: a status, optionally a
strength band, optionally by a day. It is met when the owner's own link to the stakeholder has that status
or a closer one (changes.STATUS_RANK: trusted > referred > initial) and, when a band is asked, that band
or a stronger one (the link's strength as every analysis reads it: strength.link_strength). Someone else's
link does not meet it: the plan named who builds the relationship. It is overdue when it is not met and its
day is before the as-of day. A target on someone who left is shown as such: the plan needs another person.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from graphmap.analysis.changes import STATUS_RANK
from graphmap.analysis.gaps import PlanProgress, PlanState, path_texts
from graphmap.analysis.strength import BAND_RANK, LinkStrength, network_strengths
from graphmap.graph import AccountNetwork, ScopeLike, iter_scope
from graphmap.model import Band, PersonStatus, RelationshipStatus
from graphmap.store import Reads


def plan_met(status: RelationshipStatus, band: Band | None, link: LinkStrength | None) -> bool:
    """Whether a link (None: there is none) reaches a target's status and band (the rule at the top)."""
    if link is None or STATUS_RANK[link.status] < STATUS_RANK[status]:
        return False
    return band is None or BAND_RANK[link.band] >= BAND_RANK[band]


def network_plan(
    network: AccountNetwork, as_of: date, strengths: Sequence[LinkStrength] | None = None
) -> list[PlanProgress]:
    """The account's targets, overdue first, then open ones by day (undated last), then met ones.
    `strengths`: network_strengths(network, as_of), when the caller has them."""
    if not network.plan_targets:  # most accounts of a portfolio-wide report: nothing to score
        return []
    strengths = network_strengths(network, as_of) if strengths is None else strengths
    links = {(s.contact_id, s.person_id): s for s in strengths}
    people = {p.id: p for p in network.people}
    departments = {d.id: d.name for d in network.departments}
    paths = path_texts(network.departments)
    owners = {c.id: c for c in network.owners}
    progress = []
    for target in network.plan_targets:
        person, owner = people[target.person_id], owners[target.contact_id]
        link = links.get((target.contact_id, target.person_id))
        if person.status is PersonStatus.left:
            state = PlanState.left
        elif plan_met(target.status, target.band, link):
            state = PlanState.met
        else:
            state = PlanState.overdue if target.due is not None and target.due < as_of else PlanState.open
        progress.append(
            PlanProgress(
                account_id=network.account.id,
                account_name=network.account.name,
                person_id=person.id,
                name=person.name,
                title=person.title,
                department=departments[person.department_id],
                department_path=paths.get(person.department_id, ""),
                roles=list(person.roles),
                contact_id=owner.id,
                contact_name=owner.name,
                contact_title=owner.title,
                status=target.status,
                band=target.band,
                due=target.due,
                note=target.note,
                status_now=link.status if link else None,
                strength_now=link.strength if link else None,
                band_now=link.band if link else None,
                state=state,
                days_left=(target.due - as_of).days if target.due else None,
            )
        )
    return in_plan_order(progress)


_STATE_ORDER = (PlanState.overdue, PlanState.left, PlanState.open, PlanState.met)


def in_plan_order(progress: Iterable[PlanProgress]) -> list[PlanProgress]:
    """What to act on first: overdue, then those whose stakeholder left, then open (soonest due first), then met."""
    return sorted(
        progress,
        key=lambda p: (p.account_id, _STATE_ORDER.index(p.state), p.due or date.max, p.person_id, p.contact_id),
    )


def plan_progress(store: Reads, scope: ScopeLike = None, as_of: date | None = None) -> list[PlanProgress]:
    """Every target of the scope's account plans, where it stands on `as_of` (default today)."""
    as_of = as_of or date.today()
    return [p for network in iter_scope(store, scope) for p in network_plan(network, as_of)]
