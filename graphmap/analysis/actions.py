"""Suggested next actions (下一步行动建议) for every gap, in Chinese and English, each tied to the person
and, where one exists, the warm path or our contact that makes it possible.

- an uncovered stakeholder: the best warm path (analysis/paths.py) becomes an introduction; without one, the
  approach the templates give for their role (decision-maker: an executive visit; influencer: a technical
  exchange; purchaser: a product seminar; user: on-site training on their pain points);
- a weak link: by its first reason (stale or never contacted: a visit; competitor: a reference visit;
  first contact: a tailored proposal; low strength: more frequent contact);
- a single point of failure: a second contact for the account, or a second route to the decision-maker.
Priority: 1 decision-makers, 2 influencers and champions, 3 purchasers, 4 everyone else (the templates:
decision-makers and influencers first, without neglecting users).
"""

from datetime import date

from pydantic import BaseModel, Field

from graphmap.analysis.gaps import GapReport, GapThresholds, UncoveredStakeholder, WeakLink, WeakReason, gaps_of
from graphmap.analysis.paths import MAX_HOPS, WarmPath, find_paths
from graphmap.analysis.spof import DEFAULT_SPOF, account_risk
from graphmap.analysis.ties import TieGraph, build_tie_graph
from graphmap.graph import AccountNetwork, Scope, ScopeLike, scope_chunks
from graphmap.model import RelationshipStatus, Role, Vocabulary, titled
from graphmap.store import GraphStore


class GapKind(Vocabulary):
    uncovered_decision_maker = "uncovered_decision_maker", "未覆盖的决策者", "uncovered decision-maker"
    uncovered_stakeholder = "uncovered_stakeholder", "未覆盖的关键人", "uncovered stakeholder"
    weak_link = "weak_link", "薄弱关系", "weak link"
    single_point = "single_point", "单点依赖", "single point of failure"


class NextAction(BaseModel):
    account_id: str
    account_name: str
    gap: GapKind
    priority: int = Field(description="1 first: decision-makers, then influencers, purchasers, the rest")
    person_id: str
    person_name: str
    person_title: str | None
    contact_id: str | None = Field(description="who on our side acts")
    action_zh: str
    action_en: str
    path: WarmPath | None = None


ROLE_APPROACH: dict[Role, tuple[str, str]] = {
    Role.decision_maker: (
        "安排我方高层拜访{who}，了解其决策关注点",
        "arrange an executive visit to {who} to learn what drives the decision",
    ),
    Role.influencer: ("邀请{who}参加技术交流会", "invite {who} to a technical exchange"),
    Role.champion: ("与{who}建立定期沟通，争取内部支持", "set up regular contact with {who} to win internal support"),
    Role.purchaser: ("邀请{who}参加产品推介会", "invite {who} to a product seminar"),
    Role.user: ("为{who}安排现场培训，解决使用痛点", "arrange on-site training for {who} on their pain points"),
    Role.blocker: ("了解{who}的顾虑并准备应对方案", "learn {who}'s objections and prepare answers"),
}
FALLBACK_APPROACH = ("寻找能引荐{who}的人", "find someone who can introduce us to {who}")


def next_actions(
    store: GraphStore,
    scope: ScopeLike = None,
    as_of: date | None = None,
    thresholds: GapThresholds | None = None,
) -> list[NextAction]:
    as_of, scope = as_of or date.today(), Scope.of(scope)
    actions = []
    for networks in scope_chunks(store, scope):
        report = gaps_of(store, [n.account for n in networks], as_of, thresholds, scope.masked)
        gaps = report.per_account(n.account.id for n in networks)
        actions += [action for n in networks for action in account_actions(n, gaps[n.account.id], as_of)]
    return actions


def account_actions(network: AccountNetwork, report: GapReport, as_of: date) -> list[NextAction]:
    account_id = network.account.id
    graph = build_tie_graph(network, as_of)
    actions: list[NextAction] = []
    uncovered = [u for u in report.uncovered if u.account_id == account_id]
    for person in uncovered:
        actions.append(_for_uncovered(network, graph, person))
    for link in report.weak_links:
        if link.account_id == account_id:
            actions.append(_for_weak_link(network, link, as_of))
    actions.extend(_for_single_points(network, graph, {u.person_id for u in uncovered}, as_of))
    return sorted(actions, key=lambda a: (a.priority, a.gap != GapKind.single_point, a.person_id, a.contact_id or ""))


def _priority(roles: list[Role] | tuple[Role, ...]) -> int:
    if Role.decision_maker in roles:
        return 1
    if Role.influencer in roles or Role.champion in roles:
        return 2
    return 3 if Role.purchaser in roles else 4


def _for_uncovered(network: AccountNetwork, graph: TieGraph, person: UncoveredStakeholder) -> NextAction:
    gap = GapKind.uncovered_decision_maker if Role.decision_maker in person.roles else GapKind.uncovered_stakeholder
    who = titled(person.title, person.name)
    paths = find_paths(graph, person.person_id, k=1, max_hops=MAX_HOPS)
    path = paths[0] if paths and paths[0].hops > 1 else None
    if path is not None:
        first = path.steps[0]
        via = titled(first.to_title, first.to_name)
        ours = titled(path.contact_title, path.contact_name)
        zh = f"请{ours}通过{via}引荐认识{who}（路径：{path.explanation_zh}）"
        en = f"{ours}: ask {via} to introduce us to {who} (path: {path.explanation_en})"
        contact_id: str | None = path.contact_id
    else:
        role = next((r for r in person.roles if r in ROLE_APPROACH), None)
        zh_template, en_template = ROLE_APPROACH[role] if role else FALLBACK_APPROACH
        zh, en = zh_template.format(who=who), en_template.format(who=who)
        covers = sorted(graph.covered_by.get(person.person_id, []), key=lambda c: (-c.strength, c.contact_id))
        contact_id = covers[0].contact_id if covers else None
        if contact_id:
            ours = titled(graph.contacts[contact_id].title, graph.contacts[contact_id].name)
            zh, en = f"由{ours}{zh}", f"{ours}: {en}"
    return NextAction(
        account_id=network.account.id,
        account_name=network.account.name,
        gap=gap,
        priority=_priority(person.roles),
        person_id=person.person_id,
        person_name=person.name,
        person_title=person.title,
        contact_id=contact_id,
        action_zh=zh,
        action_en=en,
        path=path,
    )


def _for_weak_link(network: AccountNetwork, link: WeakLink, as_of: date) -> NextAction:
    who = titled(link.title, link.name)
    ours = titled(link.contact_title, link.contact_name)
    reasons = set(link.reasons)
    if WeakReason.never_contacted in reasons:
        zh, en = f"{ours}尽快与{who}首次会面", f"{ours}: meet {who} for the first time, soon"
    elif WeakReason.stale in reasons:
        zh = f"{ours}安排拜访{who}（已{link.days_since_contact}天未互动，上次{link.last_contact_on}）"
        en = f"{ours}: visit {who} ({link.days_since_contact} days since the last contact on {link.last_contact_on})"
    elif link.status is RelationshipStatus.competitor:
        zh = f"{ours}邀请{who}参观标杆客户，应对竞争对手"
        en = f"{ours}: invite {who} to a reference site visit to counter the competitor"
    elif link.status in (RelationshipStatus.initial, RelationshipStatus.none):
        zh, en = (
            f"{ours}向{who}发送定制方案，推动深入沟通",
            f"{ours}: send {who} a tailored proposal to deepen the contact",
        )
    else:
        zh, en = f"{ours}提高与{who}的互动频率", f"{ours}: meet {who} more often"
    return NextAction(
        account_id=network.account.id,
        account_name=network.account.name,
        gap=GapKind.weak_link,
        priority=_priority(link.roles),
        person_id=link.person_id,
        person_name=link.name,
        person_title=link.title,
        contact_id=link.contact_id,
        action_zh=zh,
        action_en=en,
    )


def _for_single_points(network: AccountNetwork, graph: TieGraph, uncovered: set[str], as_of: date) -> list[NextAction]:
    risk = account_risk(network, graph, uncovered, as_of, DEFAULT_SPOF)
    base = {"account_id": network.account.id, "account_name": network.account.name, "gap": GapKind.single_point}
    actions = []
    if risk.depends_on_contact and risk.top_contact:
        c = risk.top_contact.person
        ours, share = titled(c.title, c.name), f"{risk.top_contact.share:.0%}"
        actions.append(
            NextAction(
                **base, priority=1, person_id=c.id, person_name=c.name, person_title=c.title, contact_id=c.id,
                action_zh=f"引入第二位对接人，分担{ours}的客户关系（其参与{share}的互动）",
                action_en=f"bring in a second contact beside {ours}, who is in {share} of the interactions",
            )
        )  # fmt: skip
    for critical in risk.critical_people:
        p = critical.person
        via = titled(p.title, p.name)
        cut = [titled(d.title, d.name) for d in critical.decision_makers_cut]
        actions.append(
            NextAction(
                **base, priority=1, person_id=p.id, person_name=p.name, person_title=p.title,
                contact_id=p.id if critical.side == "ours" else None,
                action_zh=f"为{'、'.join(cut)}建立第二条联系路径（目前全部经过{via}）",
                action_en=f"build a second route to {', '.join(cut)} (today every route runs through {via})",
            )
        )  # fmt: skip
    return actions
