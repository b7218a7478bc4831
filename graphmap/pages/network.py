"""An account's interactive network page: pyvis draws it, graphmap makes it an org chart, safe and offline.

pyvis 0.3.2 (frozen upstream) falls short in ways handled here without touching its code:
- its template links Bootstrap from a CDN even in in_line mode: the links are removed, and
  assert_offline refuses any page that would still fetch something;
- it prints `heading` unescaped: we pass none and write our own header, escaped;
- it switches every tooltip to innerHTML when any title contains "href": pyvis gets no titles at all;
  page.js sets them afterwards from a JSON block as strings, which vis-network renders as plain text;
- add_node and add_edge look for duplicates in lists (quadratic: minutes at 10,000 people): the node
  and edge dicts go into Network.nodes / Network.edges directly, ids being unique by construction;
- each Network makes a jinja Environment of its own, so its template is compiled again for every page
  (40 ms, most of a small account's page): every page shares one Environment, which keeps it compiled.
Positions come from pages/layout.py (physics off), so a page draws at once and the same every time.
Everything the browser needs beyond vis-network's DataSets goes in one JSON block read by page.js,
which writes only through textContent.
"""

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from importlib.resources import files
from typing import Any

from pyvis.network import Network

from graphmap.analysis.actions import NextAction
from graphmap.analysis.gaps import GapReport
from graphmap.analysis.paths import WarmPath
from graphmap.analysis.strength import LinkStrength
from graphmap.graph import AccountNetwork
from graphmap.model import (
    Contact,
    Coverage,
    Department,
    Person,
    PersonStatus,
    RelationshipStatus,
    Role,
    Team,
    Vocabulary,
    ancestry,
    titled,
)
from graphmap.pages import style
from graphmap.pages.html import assert_offline, script_json, text
from graphmap.pages.layout import layout

COLLAPSE_ABOVE = 3000  # people: larger accounts open with departments collapsed, a click expands one

_PYVIS_CDN_TAGS = re.compile(
    r"<link\b[^>]*cdn\.jsdelivr\.net[^>]*>|<script\b[^>]*cdn\.jsdelivr\.net[^>]*>\s*</script>", re.IGNORECASE
)
_PYVIS_EMPTY_HEADINGS = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)
_PYVIS_TEMPLATES = Network().templateEnv  # thread-safe: jinja's template cache takes a lock

OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "hideEdgesOnDrag": True},
    "edges": {"smooth": False, "font": {"size": 16, "strokeWidth": 0}},
    "nodes": {"font": {"size": 14, "face": "sans-serif"}, "physics": False},
}
ROLE_ORDER = [
    Role.decision_maker,
    Role.influencer,
    Role.purchaser,
    Role.champion,
    Role.user,
    Role.blocker,
    Role.unknown,
]


def account_page(
    network: AccountNetwork,
    gaps: GapReport,
    strengths: Sequence[LinkStrength] = (),
    actions: Sequence[NextAction] = (),
    path: WarmPath | None = None,
) -> str:
    """The page for one account: who is who, how they connect, where we are, and where the gaps are.

    `strengths` size the COVERS edges, `actions` fill the side panel's next step, `path` is highlighted.
    A viewer's page is drawn from a masked network (graphmap.privacy): the page masks nothing itself."""
    view = _View(network, gaps, strengths, actions)
    positions = layout(network).positions
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.templateEnv = _PYVIS_TEMPLATES
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    data: dict[str, Any] = {"nodes": {}, "edges": {}, "departments": {}}
    collapsed = len(network.people) > COLLAPSE_ABOVE

    for department in network.departments:
        node_id = f"dept:{department.id}"
        nodes.append(view.department_node(department, node_id) | _at(positions, node_id))
        data["nodes"][node_id] = view.department_data(department)
        data["departments"][department.id] = {"name": department.name, "people": view.members[department.id]}
        if department.parent_id:
            edges.append(_edge(len(edges), node_id, f"dept:{department.parent_id}", "part_of", style.DEPARTMENT_EDGE))
    for person in network.people:
        node_id = f"person:{person.id}"
        nodes.append(view.person_node(person, hidden=collapsed) | _at(positions, node_id))
        data["nodes"][node_id] = view.person_data(person)
        edges.append(_edge(len(edges), node_id, f"dept:{person.department_id}", "works_in", style.DEPARTMENT_EDGE))
    for contact in network.contacts:
        node_id = f"contact:{contact.id}"
        nodes.append(view.contact_node(contact) | _at(positions, node_id))
        data["nodes"][node_id] = view.contact_data(contact)
    for line in network.reporting_lines:
        edge = _edge(len(edges), f"person:{line.person_id}", f"person:{line.manager_id}", "reports_to")
        edges.append(edge | {"arrows": "to", "color": style.REPORTS_TO_COLOUR, "width": 1.5})
    for influence in network.influences:
        colour = style.OPPOSITION_COLOUR if influence.sign < 0 else style.INFLUENCE_COLOUR
        edge = _edge(len(edges), f"person:{influence.person_id}", f"person:{influence.target_id}", "influences")
        edges.append(edge | {"arrows": "to", "dashes": True, "color": colour, "width": 1 + influence.strength / 50})
    for link in network.coverage:
        edge = view.covers_edge(len(edges), link)
        edges.append(edge)
        data["edges"][edge["id"]] = {"kind": "covers", "status": link.status.value}
    if path is not None:
        edges += _path_edges(len(edges), path)
        data["path"] = [f"contact:{path.contact_id}", *(f"person:{step.to_id}" for step in path.steps)]

    net.nodes, net.edges = nodes, edges
    net.set_options(script_json(OPTIONS))
    page = net.generate_html()
    page = _PYVIS_CDN_TAGS.sub("", page)
    page = _PYVIS_EMPTY_HEADINGS.sub("", page)
    data |= {"collapsed": collapsed, "labels": view.node_labels}
    page = page.replace("<body>", f"<body>\n{_header(view, path)}{_controls(view)}", 1)
    page = page.replace('<div class="card"', f'{_side_panel()}<div class="card"', 1)
    page = page.replace(
        "</head>",
        f"<title>{text(network.account.name)} · graphmap</title>\n<style>{_asset('page.css')}</style>\n</head>",
        1,
    )
    block = f'<script type="application/json" id="graphmap-data">{script_json(data)}</script>\n'
    page = page.replace("</body>", f"{block}<script>{_asset('page.js')}</script>\n</body>", 1)
    return assert_offline(page, f"the page of account {network.account.id}")


class _View:
    """What the page shows of each record: labels, tooltips, side-panel facts, in zh and en."""

    def __init__(
        self,
        network: AccountNetwork,
        gaps: GapReport,
        strengths: Sequence[LinkStrength],
        actions: Sequence[NextAction],
    ) -> None:
        account_id = network.account.id
        self.network = network
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
        self.links: dict[str, list[tuple[Contact, RelationshipStatus, str]]] = defaultdict(list)
        self.covers: dict[str, int] = defaultdict(int)
        for link in network.coverage:
            self.covers[link.contact_id] += 1
            self.links[link.person_id].append((self.contacts[link.contact_id], link.status, self.strength_text(link)))
        self.history: dict[str, list[list[str]]] = defaultdict(list)
        self.last_contact: dict[str, date] = {}
        for interaction in sorted(network.interactions, key=lambda i: (i.on or date.min, i.id), reverse=True):
            who = "、".join(self.name_of(c) for c in interaction.contact_ids)
            when = interaction.on_text or (interaction.on.isoformat() if interaction.on else "—")
            channel = _both(interaction.channel) if interaction.channel else "—"
            for person_id in interaction.person_ids:
                self.history[person_id].append([when, channel, interaction.summary, who])
                if interaction.on and person_id not in self.last_contact:
                    self.last_contact[person_id] = interaction.on
        self.members: dict[str, int] = defaultdict(int)
        for person in network.people:
            self.members[person.department_id] += 1
        active = [p for p in network.people if p.status is PersonStatus.active]
        self.active_departments = {p.department_id for p in active}
        self.covered_departments = {p.department_id for p in active if p.id not in self.uncovered}
        self.node_labels: dict[str, str] = {}

    def name_of(self, record_id: str) -> str:
        return self.names.get(record_id, record_id)

    def uncovered_department(self, department_id: str) -> bool:
        """Someone active works there and nobody there has a strong link from our side."""
        return department_id in self.active_departments and department_id not in self.covered_departments

    def department_node(self, department: Department, node_id: str) -> dict[str, Any]:
        uncovered = self.uncovered_department(department.id)
        colours = style.UNCOVERED_DEPARTMENT if uncovered else style.DEPARTMENT
        label = f"{department.name}\n({self.members[department.id]} 人 / people)"
        self.node_labels[node_id] = label
        return {
            "id": node_id,
            "label": label,
            "shape": "box",
            "color": {"background": colours[0], "border": colours[1]},
            "borderWidth": 2 if uncovered else 1,
            "font": {"color": "#37474f"},
        }

    def department_data(self, department: Department) -> dict[str, Any]:
        uncovered = self.uncovered_department(department.id)
        lines = [
            department.name,
            f"部门层级 / level: {_both(department.level)}",
            f"关键人 / stakeholders: {self.members[department.id]}",
        ]
        if uncovered:
            lines.append("⚠ 无有效覆盖 / no strong link to anyone here")
        return {
            "kind": "department",
            "department": department.id,
            "ancestors": self._ancestors(department.id),
            "details": "\n".join(lines),
            "uncovered": uncovered,
        }

    def person_node(self, person: Person, hidden: bool) -> dict[str, Any]:
        roles = sorted(person.roles, key=ROLE_ORDER.index) or [Role.unknown]
        left = person.status is PersonStatus.left
        gap_dm = person.id in self.uncovered_dm
        fill = style.LEFT_COLOUR if left else style.ROLE_COLOURS[roles[0]]
        border = style.GAP_COLOUR if gap_dm else (style.ROLE_COLOURS[roles[1]] if len(roles) > 1 else fill)
        label = self.name_of(person.id) + (f"\n{person.title}" if person.title else "")
        label = f"⚠ {label}" if gap_dm else label
        node_id = f"person:{person.id}"
        self.node_labels[node_id] = label
        return {
            "id": node_id,
            "label": label,
            "shape": "dot",
            "size": 24 if Role.decision_maker in roles else 16,
            "color": {"background": fill, "border": border, "highlight": {"background": fill, "border": border}},
            "borderWidth": 6 if gap_dm else (3 if len(roles) > 1 else 1),
            "font": {"color": "#9e9e9e" if left else "#212121"},
            "hidden": hidden,
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
            [titled(c.title, self.name_of(c.id)), _both(status), score] for c, status, score in self.links[person.id]
        ]
        gap = "dm" if person.id in self.uncovered_dm else ("other" if person.id in self.uncovered else "")
        details = [
            self.name_of(person.id),
            f"职位 / title: {person.title or '—'}",
            f"部门 / department: {department_name}",
            f"角色 / roles: {_both_list(person.roles) or '—'}",
            f"状态 / status: {_both(person.status)}",
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
            "ancestors": self._ancestors(person.department_id),
            "roles": roles,
            "roles_label": _both_list(person.roles) or "—",
            "status": _both(person.status),
            "left": person.status is PersonStatus.left,
            "gap": gap,
            "weak": person.id in self.weak_people,
            "search": " ".join([self.name_of(person.id), person.title or "", department_name]).lower(),
            "details": "\n".join(details),
            "links": links,
            "history": self.history[person.id],
            "next_action": next_action,
            "suggestions": [[a.action_zh, a.action_en] for a in self.actions[person.id]],
        }

    def contact_node(self, contact: Contact) -> dict[str, Any]:
        label = titled(contact.title, self.name_of(contact.id))
        node_id = f"contact:{contact.id}"
        self.node_labels[node_id] = label
        return {
            "id": node_id,
            "label": label,
            "shape": style.TEAM_SHAPES[contact.team],
            "size": 18,
            "color": style.TEAM_COLOURS[contact.team],
        }

    def contact_data(self, contact: Contact) -> dict[str, Any]:
        team = _both(contact.team) if contact.team else "—"
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
        }

    def strength_text(self, link: Coverage) -> str:
        scored = self.scores.get((link.contact_id, link.person_id))
        if scored is None or scored.strength is None or scored.strength_source is None:
            return "—" if link.strength is None else str(link.strength)
        return f"{scored.strength} ({_both(scored.strength_source)})"

    def covers_edge(self, number: int, link: Coverage) -> dict[str, Any]:
        contact_id, person_id = link.contact_id, link.person_id
        scored = self.scores.get((contact_id, person_id))
        score = scored.strength if scored is not None else link.strength
        weak = (contact_id, person_id) in self.weak
        return _edge(number, f"contact:{contact_id}", f"person:{person_id}", "covers") | {
            "arrows": "to",
            "color": style.STATUS_COLOURS[link.status],
            "width": 1 + (score if score is not None else 20) / 25,
            "dashes": weak,
            "label": "⚠" if weak else "",
        }

    def _ancestors(self, department_id: str) -> list[str]:
        return ancestry(department_id, self.parents)


def _edge(number: int, source: str, target: str, kind: str, colour: str | None = None) -> dict[str, Any]:
    edge: dict[str, Any] = {"id": f"e{number}", "from": source, "to": target, "kind": kind}
    if colour:
        edge |= {"color": colour, "arrows": "", "width": 1}
    return edge


def _path_edges(start: int, path: WarmPath) -> list[dict[str, Any]]:
    hops = [f"contact:{path.contact_id}", *(f"person:{step.to_id}" for step in path.steps)]
    return [
        _edge(start + i, a, b, "path")
        | {"arrows": "to", "color": style.PATH_COLOUR, "width": 7, "label": str(i + 1), "smooth": {"type": "curvedCW"}}
        for i, (a, b) in enumerate(zip(hops, hops[1:], strict=False))
    ]


def _at(positions: dict[str, tuple[int, int]], node_id: str) -> dict[str, Any]:
    x, y = positions[node_id]
    return {"x": x, "y": y}


def _both(term: Vocabulary) -> str:
    return f"{term.zh} / {term.en}"


def _both_list(terms: Sequence[Vocabulary]) -> str:
    if not terms:
        return ""
    return "、".join(t.zh for t in terms) + " / " + ", ".join(t.en for t in terms)


def _asset(name: str) -> str:
    return files("graphmap.pages").joinpath(name).read_text(encoding="utf-8")


def _header(view: _View, path: WarmPath | None) -> str:
    network, account = view.network, view.network.account
    facts = [
        ("行业 / industry", account.industry or "—"),
        ("映射目标 / mapping goal", account.mapping_goal or "—"),
        ("更新日期 / updated", account.updated_on.isoformat() if account.updated_on else "—"),
        ("关键人 / stakeholders", str(len(network.people))),
        ("未覆盖的决策者 / uncovered decision-makers", str(len(view.uncovered_dm))),
        ("薄弱关系 / weak links", str(len(view.weak))),
    ]
    fact_items = "".join(f"<div><dt>{text(k)}</dt><dd>{text(v)}</dd></div>" for k, v in facts)
    route = ""
    if path is not None:
        explanation = path.explanation_zh + " · " + path.explanation_en
        route = f'<p class="gm-path" id="gm-path">引荐路径 / warm path: {text(explanation)}</p>'
    return f"""<header class="gm-header">
  <h1 id="account-name">{text(account.name)}</h1>
  <dl class="gm-facts">{fact_items}</dl>{route}
  <details class="gm-legend"><summary>图例 / Legend</summary>{_legend()}</details>
</header>"""


def _legend() -> str:
    roles = "".join(
        f'<li><span class="dot" style="background:{style.ROLE_COLOURS[r]}"></span>{text(_both(r))}</li>'
        for r in ROLE_ORDER
    )
    statuses = "".join(
        f'<li><span class="line" style="background:{c}"></span>{text(_both(s))}</li>'
        for s, c in style.STATUS_COLOURS.items()
    )
    teams = "".join(f'<li><span class="shape">{style.TEAM_SYMBOLS[t]}</span>{text(_both(t))}</li>' for t in Team)
    initial = style.STATUS_COLOURS[RelationshipStatus.initial]
    return f"""<div class="gm-legend-grid">
  <section><h2>角色（填充 = 主要角色，外圈 = 第二角色）/ role (fill = main, ring = second)</h2>
    <ul>{roles}</ul></section>
  <section><h2>关系状态（我方对接，线宽 = 关系强度）/ relationship status (width = strength)</h2>
    <ul>{statuses}</ul></section>
  <section><h2>我方团队（形状）/ our team (shape)</h2><ul>{teams}</ul></section>
  <section><h2>其他 / other</h2><ul>
    <li><span class="ring"></span>⚠ 未覆盖的决策者 / uncovered decision-maker</li>
    <li><span class="line dashed" style="border-color:{initial}"></span>⚠ 薄弱关系 / weak link</li>
    <li><span class="box uncovered"></span>无有效覆盖的部门 / department nobody really covers</li>
    <li><span class="line" style="background:{style.REPORTS_TO_COLOUR}"></span>汇报给 / reports to (→)</li>
    <li><span class="line dashed" style="border-color:{style.INFLUENCE_COLOUR}"></span>影响 / influences</li>
    <li><span class="line dashed" style="border-color:{style.OPPOSITION_COLOUR}"></span>反对 / opposes</li>
    <li><span class="dot" style="background:{style.LEFT_COLOUR}"></span>已离职 / left</li>
    <li><span class="line" style="background:{style.PATH_COLOUR}"></span>引荐路径 / warm path</li>
  </ul></section>
</div>"""


def _controls(view: _View) -> str:
    def boxes(name: str, terms: Sequence[Vocabulary]) -> str:
        return "".join(
            f'<label><input type="checkbox" name="{name}" value="{text(t.value)}" checked> {text(_both(t))}</label>'
            for t in terms
        )

    departments = "".join(
        f'<option value="{text(d.id)}">{text(d.name)}</option>'
        for d in sorted(view.network.departments, key=lambda d: (len(view._ancestors(d.id)), d.name, d.id))
    )
    return f"""<form class="gm-controls" id="gm-controls" onsubmit="return false">
  <input type="search" id="gm-search" placeholder="搜索姓名、职位、部门 / search name, title, department">
  <label><input type="checkbox" id="gm-gaps-only"> 只看缺口 / gaps only</label>
  <select id="gm-department"><option value="">全部部门 / all departments</option>{departments}</select>
  <details><summary>角色 / roles</summary>{boxes("role", ROLE_ORDER)}</details>
  <details><summary>关系状态 / status</summary>{boxes("status", list(RelationshipStatus))}</details>
  <details><summary>我方团队 / our team</summary>{boxes("team", list(Team))}</details>
  <span id="gm-count" class="gm-count"></span>
</form>"""


def _side_panel() -> str:
    return """<aside class="gm-panel" id="gm-panel" hidden>
  <button type="button" id="gm-panel-close" aria-label="关闭 / close">×</button>
  <h2 id="gm-panel-name"></h2>
  <p id="gm-panel-facts"></p>
  <h3>我方对接 / our links</h3><ul id="gm-panel-links"></ul>
  <h3>建议的下一步 / suggested next step</h3><ul id="gm-panel-next"></ul>
  <h3>互动记录 / interaction history</h3><ol id="gm-panel-history"></ol>
</aside>
"""
