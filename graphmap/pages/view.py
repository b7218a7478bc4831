"""What the map shows of each record, in zh and en: card contents, department summaries, tooltips and the
side panel's facts. The page (graphmap.pages.network) and the files (graphmap.pages.drawing) both read it,
so a card says the same on screen, in the SVG and on paper. A viewer's map is drawn from a masked network
(graphmap.privacy): nothing here masks anything itself.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphmap.analysis.actions import NextAction
from graphmap.analysis.gaps import GapReport, PlanProgress
from graphmap.analysis.plans import network_plan
from graphmap.analysis.strength import LinkStrength
from graphmap.graph import AccountNetwork
from graphmap.model import (
    Contact,
    Coverage,
    Department,
    Person,
    PersonStatus,
    Role,
    TaskState,
    Vocabulary,
    ancestry,
    titled,
)
from graphmap.pages import style
from graphmap.pages.review import plan_words

ROLE_ORDER = [
    Role.decision_maker,
    Role.influencer,
    Role.purchaser,
    Role.champion,
    Role.user,
    Role.blocker,
    Role.unknown,
]
MAX_CHIPS = 5  # on one card; the rest are counted ("+2")


@dataclass(frozen=True)
class Chip:
    """One of our contacts' link to the person on the card."""

    initial: str  # the contact's first character
    colour: str  # relationship status
    strength: int | None  # recorded else computed (graphmap.analysis.strength), 0-100: how full the ring is
    weak: bool  # one of the gap report's weak links: marked ⚠


@dataclass(frozen=True)
class Card:
    name: str
    title: str
    badges: tuple[tuple[str, str], ...] = ()  # (word, colour) per role, main role first
    chips: tuple[Chip, ...] = ()
    more_chips: int = 0
    gap: bool = False  # an uncovered decision-maker: red border, ⚠ before the name
    left: bool = False  # has left the account: greyed
    ours: bool = False  # one of our contacts: a dark card with the team's symbol
    symbol: str = ""

    def as_json(self) -> list[Any]:
        chips = [[c.initial, c.colour, c.strength, c.weak] for c in self.chips]
        return [self.name, self.title, [list(b) for b in self.badges], chips, self.more_chips, self.gap, self.left,
                self.ours, self.symbol]  # fmt: skip


@dataclass(frozen=True)
class DepartmentCard:
    name: str
    facts: str  # the header's second line
    summary: tuple[str, ...]  # what a collapsed department's box says
    uncovered: bool  # someone active works there and nobody there has a strong link from our side


class MapView:
    def __init__(
        self,
        network: AccountNetwork,
        gaps: GapReport,
        strengths: Sequence[LinkStrength] = (),
        actions: Sequence[NextAction] = (),
    ) -> None:
        account_id = network.account.id
        self.network = network
        self.as_of = gaps.as_of
        self.names = {p.id: p.name for p in network.people} | {c.id: c.name for c in network.contacts}
        self.departments = {d.id: d for d in network.departments}
        self.parents = {d.id: d.parent_id for d in network.departments}
        self.contacts = {c.id: c for c in network.contacts}
        self.uncovered_dm = {u.person_id for u in gaps.uncovered_decision_makers if u.account_id == account_id}
        self.uncovered = {u.person_id for u in gaps.uncovered if u.account_id == account_id}
        self.weak = {(w.contact_id, w.person_id): w for w in gaps.weak_links if w.account_id == account_id}
        self.weak_people = {person_id for _, person_id in self.weak}
        # One value per link, recorded else computed (strength.link_strength), shown with where it came from.
        self.scores = {(s.contact_id, s.person_id): s for s in strengths}
        self.actions: dict[str, list[NextAction]] = defaultdict(list)
        for action in actions:
            self.actions[action.person_id].append(action)
        self.coverage: dict[str, list[Coverage]] = defaultdict(list)
        self.covers: dict[str, int] = defaultdict(int)
        for link in network.coverage:
            self.covers[link.contact_id] += 1
            self.coverage[link.person_id].append(link)
        self.history: dict[str, list[list[str]]] = defaultdict(list)
        self.last_contact: dict[str, date] = {}
        for interaction in sorted(network.interactions, key=lambda i: (i.on or date.min, i.id), reverse=True):
            who = "、".join(self.name_of(c) for c in interaction.contact_ids)
            when = interaction.on_text or (interaction.on.isoformat() if interaction.on else "—")
            channel = both(interaction.channel) if interaction.channel else "—"
            for person_id in interaction.person_ids:
                self.history[person_id].append([when, channel, interaction.summary, who])
                if interaction.on and person_id not in self.last_contact:
                    self.last_contact[person_id] = interaction.on
        self.members: dict[str, int] = defaultdict(int)
        self.member_ids: dict[str, list[str]] = defaultdict(list)
        for person in network.people:
            self.members[person.department_id] += 1
            self.member_ids[person.department_id].append(person.id)
        # The account plan's targets on each person, where they stand (graphmap.analysis.plans).
        self.plan: dict[str, list[PlanProgress]] = defaultdict(list)
        for target in network_plan(network, self.as_of, strengths or None):
            self.plan[target.person_id].append(target)
        owners = {c.id: c for c in (*network.contacts, *network.owners)}
        self.tasks: dict[str, list[str]] = defaultdict(list)  # a person's tasks as lines, open ones first
        for task in sorted(network.tasks, key=lambda t: (t.state is not TaskState.open, t.due or date.max, t.id)):
            if task.person_id is not None:
                owner = owners.get(task.owner_id)
                whose = titled(owner.title, owner.name) if owner else task.owner_id
                due = f" · 期限 / by {task.due.isoformat()}" if task.due else ""
                outcome = f" · {both(task.outcome)}" if task.outcome else ""
                self.tasks[task.person_id].append(f"{task.title} · {whose}{due} · {both(task.state)}{outcome}")
        self.comments: dict[str, list[str]] = defaultdict(list)  # on a person and on our links to them
        for comment in network.comments:
            if comment.person_id is not None:
                on = f" ← {self.name_of(comment.contact_id)}" if comment.contact_id else ""
                self.comments[comment.person_id].append(
                    f"{comment.author} · {comment.written_at.date().isoformat()}{on}: {comment.text}"
                )
        active = [p for p in network.people if p.status is PersonStatus.active]
        self.active_departments = {p.department_id for p in active}
        self.covered_departments = {p.department_id for p in active if p.id not in self.uncovered}

    def name_of(self, record_id: str) -> str:
        return self.names.get(record_id, record_id)

    def uncovered_department(self, department_id: str) -> bool:
        return department_id in self.active_departments and department_id not in self.covered_departments

    def strength_of(self, link: Coverage) -> int | None:
        scored = self.scores.get((link.contact_id, link.person_id))
        return scored.strength if scored is not None else link.strength

    def strength_text(self, link: Coverage) -> str:
        scored = self.scores.get((link.contact_id, link.person_id))
        if scored is None or scored.strength is None or scored.strength_source is None:
            return "—" if link.strength is None else str(link.strength)
        return f"{scored.strength} ({both(scored.strength_source)})"

    # Cards

    def person_card(self, person: Person) -> Card:
        roles = sorted(person.roles, key=ROLE_ORDER.index) or [Role.unknown]
        links = sorted(self.coverage[person.id], key=lambda c: (-(self.strength_of(c) or 0), c.contact_id))
        chips = tuple(
            Chip(
                initial=_initial(self.contacts[link.contact_id]),
                colour=style.STATUS_COLOURS[link.status],
                strength=self.strength_of(link),
                weak=(link.contact_id, person.id) in self.weak,
            )
            for link in links[:MAX_CHIPS]
        )
        return Card(
            name=self.name_of(person.id),
            title=person.title or "",
            badges=tuple((style.ROLE_BADGES[r], style.ROLE_COLOURS[r]) for r in roles),
            chips=chips,
            more_chips=max(0, len(links) - MAX_CHIPS),
            gap=person.id in self.uncovered_dm,
            left=person.status is PersonStatus.left,
        )

    def contact_card(self, contact: Contact) -> Card:
        team = contact.team.zh if contact.team else "我方 / ours"
        return Card(
            name=self.name_of(contact.id),
            title=" · ".join(t for t in (contact.title or "", team) if t),
            ours=True,
            symbol=style.TEAM_SYMBOLS[contact.team],
        )

    def department_card(self, department: Department) -> DepartmentCard:
        people = self.member_ids[department.id]
        dm = sum(1 for p in people if p in self.uncovered_dm)
        uncovered = sum(1 for p in people if p in self.uncovered)
        weak = sum(1 for p in people if p in self.weak_people)
        facts = [f"{len(people)} 人 / people"]
        if dm:
            facts.append(f"⚠ 决策者未覆盖 uncovered DM {dm}")
        if weak:
            facts.append(f"薄弱 weak {weak}")
        covered = len(people) - uncovered
        summary = (  # short enough to read from afar (docs/pages.md says what each line means)
            f"{len(people)} 人 people",
            f"覆盖 covered {covered}/{len(people)}",
            f"⚠ 决策者未覆盖 DM {dm}" if dm else "决策者 DM ok",
            f"薄弱 weak {weak}",
        )
        return DepartmentCard(department.name, " · ".join(facts), summary, self.uncovered_department(department.id))

    # Tooltips and the side panel

    def department_data(self, department: Department) -> dict[str, Any]:
        card = self.department_card(department)
        lines = [
            department.name,
            f"部门层级 / level: {both(department.level)}",
            f"关键人 / stakeholders: {self.members[department.id]}",
        ]
        if card.uncovered:
            lines.append("⚠ 无有效覆盖 / no strong link to anyone here")
        return {
            "kind": "department",
            "department": department.id,
            "ancestors": self.ancestors(department.id),
            "details": "\n".join(lines),
            "uncovered": card.uncovered,
            "name": card.name,
            "facts": card.facts,
            "summary": list(card.summary),
        }

    def person_data(self, person: Person) -> dict[str, Any]:
        department = self.departments.get(person.department_id)
        department_name = department.name if department else ""
        roles = [r.value for r in person.roles] or [Role.unknown.value]
        last = self.last_contact.get(person.id)
        next_action = person.next_action or "—"
        if person.next_action_due:
            next_action += f" ({person.next_action_due.isoformat()})"
        links = [
            [
                titled(self.contacts[c.contact_id].title, self.name_of(c.contact_id)),
                both(c.status),
                self.strength_text(c),
            ]
            for c in self.coverage[person.id]
        ]
        gap = "dm" if person.id in self.uncovered_dm else ("other" if person.id in self.uncovered else "")
        details = [
            self.name_of(person.id),
            f"职位 / title: {person.title or '—'}",
            f"部门 / department: {department_name}",
            f"角色 / roles: {both_list(person.roles) or '—'}",
            f"状态 / status: {both(person.status)}",
            f"我方对接 / our contacts: {'; '.join(f'{w} ({s})' for w, s, _ in links) or '无 / none'}",
            f"最近互动 / last interaction: {last.isoformat() if last else '—'}",
            f"下一步 / next action: {next_action}",
        ]
        if gap == "dm":
            details.insert(1, "⚠ 未覆盖的决策者 / uncovered decision-maker")
        return {
            "kind": "person",
            "name": self.name_of(person.id),
            "title": person.title or "",
            "department": person.department_id,
            "department_name": department_name,
            "ancestors": self.ancestors(person.department_id),
            "roles": roles,
            "roles_label": both_list(person.roles) or "—",
            "status": both(person.status),
            "left": person.status is PersonStatus.left,
            "gap": gap,
            "weak": person.id in self.weak_people,
            "search": " ".join([self.name_of(person.id), person.title or "", department_name]).lower(),
            "details": "\n".join(details),
            "links": links,
            "plan": [
                f"{titled(t.contact_title, t.contact_name)} · "
                f"{plan_words(t.status, t.band, t.due, t.status_now, t.band_now)} · {both(t.state)}"
                for t in self.plan[person.id]
            ],
            "tasks": self.tasks[person.id],
            "comments": self.comments[person.id],
            "history": self.history[person.id],
            "next_action": next_action,
            "suggestions": [[a.action_zh, a.action_en, a.contact_id] for a in self.actions[person.id]],
            "card": self.person_card(person).as_json(),
        }

    def contact_data(self, contact: Contact) -> dict[str, Any]:
        team = both(contact.team) if contact.team else "—"
        return {
            "kind": "contact",
            "name": self.name_of(contact.id),
            "title": contact.title or "",
            "team": contact.team.value if contact.team else "",
            "search": " ".join([self.name_of(contact.id), contact.title or ""]).lower(),
            "details": "\n".join(
                [
                    f"我方对接人 / our contact: {titled(contact.title, self.name_of(contact.id))}",
                    f"团队 / team: {team}",
                    f"对接关键人 / covers: {self.covers[contact.id]}",
                ]
            ),
            "card": self.contact_card(contact).as_json(),
        }

    def heading_facts(self) -> list[tuple[str, str]]:
        account = self.network.account
        return [
            ("行业 / industry", account.industry or "—"),
            ("映射目标 / mapping goal", account.mapping_goal or "—"),
            ("更新日期 / updated", account.updated_on.isoformat() if account.updated_on else "—"),
            ("关键人 / stakeholders", str(len(self.network.people))),
            ("未覆盖的决策者 / uncovered decision-makers", str(len(self.uncovered_dm))),
            ("薄弱关系 / weak links", str(len(self.weak))),
        ]

    def ancestors(self, department_id: str) -> list[str]:
        return ancestry(department_id, self.parents)


def both(term: Vocabulary) -> str:
    return f"{term.zh} / {term.en}"


def both_list(terms: Sequence[Vocabulary]) -> str:
    if not terms:
        return ""
    return "、".join(t.zh for t in terms) + " / " + ", ".join(t.en for t in terms)


def _initial(contact: Contact) -> str:
    """The first character of a colleague's name, or of their title when the templates give no name
    (销售经理*某: 销, not 某)."""
    name = contact.name.strip("*＊ ")
    if name.strip("某") == "" and contact.title:
        return contact.title[0]
    return name[:1] or "?"
