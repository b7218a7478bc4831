"""Follow-up cadence (跟进节奏, process card stage 3): high intent weekly, medium every two weeks, low monthly.

For each account and each active key stakeholder we cover, the next follow-up is due one cadence after
the last interaction on or before as_of, or on as_of when there has been none. A dated next action
(下一步行动) that is later than the last interaction brings it forward.

Intent, and which one rules (`intent_source`): for the account, its latest process card with an intent
(the needs analysis, stage 2, is the more specific and the more recent judgement), else the archive's
意向等级, else `default_intent`; for a stakeholder, their own, else the card that names them, else their
account's. Owner: the account's owner, else its latest card's 主责人, else the contact with the most
interactions there; for a stakeholder, the contact who covers them and met them last.
"""

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from graphmap.graph import AccountNetwork, ScopeLike, find_contacts, read_cards, scope_chunks
from graphmap.model import Card, Contact, Intent, Person, PersonStatus, Role, TaskState, Vocabulary
from graphmap.store import GraphStore


class DueBasis(Vocabulary):
    cadence = "cadence", "跟进周期", "cadence"
    next_action = "next_action", "下一步行动", "next action"
    never_contacted = "never_contacted", "尚未接触", "never contacted"
    task = "task", "任务", "a task"


class IntentSource(Vocabulary):
    card = "card", "流程卡牌", "process card"
    archive = "archive", "客户档案", "archive"
    person = "person", "关键人", "the stakeholder's own"
    default = "default", "默认", "default"
    task = "task", "任务本身", "the task's own day"


class FollowUpSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    cadence_days: dict[Intent, int] = Field(default={Intent.high: 7, Intent.medium: 14, Intent.low: 30})
    default_intent: Intent = Intent.medium
    key_roles: frozenset[Role] = frozenset({Role.decision_maker, Role.influencer, Role.purchaser, Role.champion})


DEFAULT_FOLLOW_UPS = FollowUpSettings()


class FollowUp(BaseModel):
    account_id: str
    account_name: str
    person_id: str | None = Field(description="None for the account as a whole")
    person_name: str | None
    person_title: str | None
    owner_id: str | None
    owner_name: str | None
    owner_title: str | None
    intent: Intent | None = Field(description="None for a task: its day is its own")
    intent_recorded: bool = Field(description="False when the intent is a default or inherited")
    intent_source: IntentSource = Field(description="which intent ruled: a card's, the archive's, the person's")
    intent_card_id: str | None = Field(default=None, description="the card whose intent ruled")
    last_contact_on: date | None
    due_on: date
    basis: DueBasis
    next_action: str | None
    overdue_days: int = Field(description="days past due on as_of; 0 when not overdue")
    task_id: str | None = Field(default=None, description="the open task this follow-up is (basis task)")


def follow_ups(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    owner_id: str | None = None,
    overdue_only: bool = False,
    settings: FollowUpSettings = DEFAULT_FOLLOW_UPS,
) -> list[FollowUp]:
    """Follow-ups, by owner then due day; `overdue_only` keeps those past due on as_of."""
    as_of = as_of or date.today()
    items = [
        item
        for chunk in scope_chunks(store, scope)
        for network, cards, owners in with_cards(store, chunk)
        for item in network_follow_ups(network, as_of, settings, cards, owners)
        if (owner_id is None or item.owner_id == owner_id) and (not overdue_only or item.overdue_days > 0)
    ]
    return sorted(items, key=lambda f: (f.owner_name or "\uffff", f.owner_id or "", f.due_on, f.account_id,
                                        f.person_id or ""))  # fmt: skip


def with_cards(
    store: GraphStore, networks: list[AccountNetwork]
) -> Iterator[tuple[AccountNetwork, list[Card], dict[str, Contact]]]:
    """Each network with its cards and the owners it does not hold itself (an account's or a card's owner
    who covers nobody there), read once for the chunk."""
    cards: dict[str, list[Card]] = defaultdict(list)
    for card in read_cards(store, [n.account.id for n in networks]):
        cards[card.account_id].append(card)
    held = {c.id for n in networks for c in n.contacts}
    named = {n.account.owner_id for n in networks} | {c.owner_id for found in cards.values() for c in found}
    owners = find_contacts(store, sorted(i for i in named if i is not None and i not in held))
    for network in networks:
        yield network, cards[network.account.id], owners


def _latest(cards: Sequence[Card]) -> list[Card]:
    """Newest first: by the day of the needs analysis, else the day the card was opened, else its id."""
    return sorted(cards, key=lambda c: (c.analysed_on or c.opened_on or date.min, c.id), reverse=True)


def network_follow_ups(
    network: AccountNetwork,
    as_of: date,
    settings: FollowUpSettings,
    cards: Sequence[Card] = (),
    known_contacts: Mapping[str, Contact] | None = None,
) -> list[FollowUp]:
    account = network.account
    contacts = dict(known_contacts or {}) | {c.id: c for c in (*network.contacts, *network.owners)}
    seen = [(i, i.on) for i in network.interactions if i.on is not None and i.on <= as_of]
    by_contact = Counter(c for i, _ in seen for c in i.contact_ids)
    latest = _latest(cards)
    card_owner = next((c.owner_id for c in latest if c.owner_id), None)
    owner = account.owner_id or card_owner or min(by_contact, key=lambda c: (-by_contact[c], c), default=None)
    ruling = next((c for c in latest if c.intent is not None), None)
    account_intent: Intent = settings.default_intent
    source = IntentSource.default
    if ruling is not None and ruling.intent is not None:
        account_intent, source = ruling.intent, IntentSource.card
    elif account.intent is not None:
        account_intent, source = account.intent, IntentSource.archive
    card_of_person = {p: c for c in reversed(latest) if c.intent is not None for p in c.person_ids}

    def item(
        person: Person | None,
        intent: Intent,
        recorded: bool,
        owner_id: str | None,
        last: date | None,
        source: IntentSource,
        card: Card | None,
    ) -> FollowUp:
        due, basis = (last + timedelta(days=settings.cadence_days[intent]), DueBasis.cadence) if last else (
            as_of, DueBasis.never_contacted)  # fmt: skip
        next_due = person.next_action_due if person else None
        if next_due is not None and (last is None or next_due > last) and next_due < due:
            due, basis = next_due, DueBasis.next_action
        return FollowUp(
            account_id=account.id,
            account_name=account.name,
            person_id=person.id if person else None,
            person_name=person.name if person else None,
            person_title=person.title if person else None,
            owner_id=owner_id,
            owner_name=contacts[owner_id].name if owner_id in contacts else None,
            owner_title=contacts[owner_id].title if owner_id in contacts else None,
            intent=intent,
            intent_recorded=recorded,
            intent_source=source,
            intent_card_id=card.id if card else None,
            last_contact_on=last,
            due_on=due,
            basis=basis,
            next_action=person.next_action if person else None,
            overdue_days=max(0, (as_of - due).days),
        )

    last_in_account = max((on for _, on in seen), default=None)
    items = [item(None, account_intent, source is not IntentSource.default, owner, last_in_account, source, ruling)]
    met: dict[str, list[tuple[date, str]]] = defaultdict(list)  # person -> (day, our contact) of each meeting
    last_seen: dict[str, date] = {}
    for i, on in seen:
        for person_id in i.person_ids:
            last_seen[person_id] = max(last_seen.get(person_id, on), on)
            met[person_id].extend((on, c) for c in i.contact_ids)
    coverers: dict[str, list[str]] = {}
    for link in network.coverage:
        coverers.setdefault(link.person_id, []).append(link.contact_id)
    for person in sorted(network.people, key=lambda p: p.id):
        if person.status is not PersonStatus.active or person.id not in coverers:
            continue
        if not settings.key_roles & set(person.roles):
            continue
        last = last_seen.get(person.id)
        latest_contact = max((m for m in met[person.id] if m[1] in coverers[person.id]), default=None)
        person_owner = latest_contact[1] if latest_contact else min(coverers[person.id])
        card = card_of_person.get(person.id)
        if person.intent is not None:
            items.append(item(person, person.intent, True, person_owner, last, IntentSource.person, None))
        elif card is not None and card.intent is not None:
            items.append(item(person, card.intent, True, person_owner, last, IntentSource.card, card))
        else:
            items.append(item(person, account_intent, False, person_owner, last, source, ruling))
    people = {p.id: p for p in network.people}
    for task in network.tasks:  # an open task with a day is a follow-up of its own
        if task.state is not TaskState.open or task.due is None:
            continue
        about, doer = people.get(task.person_id or ""), contacts.get(task.owner_id)
        items.append(FollowUp(
            account_id=account.id, account_name=account.name, person_id=about.id if about else None,
            person_name=about.name if about else None, person_title=about.title if about else None,
            owner_id=task.owner_id, owner_name=doer.name if doer else None,
            owner_title=doer.title if doer else None, intent=None, intent_recorded=False,
            intent_source=IntentSource.task, last_contact_on=last_seen.get(about.id) if about else last_in_account,
            due_on=task.due, basis=DueBasis.task, next_action=task.title,
            overdue_days=max(0, (as_of - task.due).days), task_id=task.id,
        ))  # fmt: skip
    return items
