"""An account's interactive network page, drawn with pyvis and made safe and offline afterwards.

pyvis 0.3.2 falls short in three ways, handled here without touching its code: its template links
Bootstrap from a CDN even in in_line mode (the links are removed, and assert_offline guards the
result); it prints `heading` unescaped (we pass none and write our own, escaped); and it switches every
tooltip to innerHTML when any title contains "href" (we give pyvis no titles at all: the tooltips
are set afterwards from a JSON block, as strings, which vis-network renders as plain text).
"""

import re
from collections import defaultdict
from datetime import date
from typing import Any

from pyvis.network import Network

from graphmap.analysis.gaps import GapReport
from graphmap.graph import AccountNetwork
from graphmap.model import Person, PersonStatus, RelationshipStatus, Role, Team, titled
from graphmap.pages import style
from graphmap.pages.html import assert_offline, script_json, text

_PYVIS_CDN_TAGS = re.compile(
    r"<link\b[^>]*cdn\.jsdelivr\.net[^>]*>|<script\b[^>]*cdn\.jsdelivr\.net[^>]*>\s*</script>", re.IGNORECASE
)
_PYVIS_EMPTY_HEADINGS = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)

OPTIONS = {
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
        "stabilization": {"enabled": True, "iterations": 300, "fit": True},
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    "edges": {"smooth": False},
    "nodes": {"font": {"size": 14, "face": "sans-serif"}},
}


def account_page(network: AccountNetwork, gaps: GapReport) -> str:
    """The page for one account: who is who, how they connect, where we are, and where the gaps are."""
    account = network.account
    departments = {d.id: d for d in network.departments}
    uncovered_dm = {u.person_id for u in gaps.uncovered_decision_makers if u.account_id == account.id}
    uncovered_other = {u.person_id for u in gaps.uncovered_stakeholders if u.account_id == account.id}
    weak = {(w.contact_id, w.person_id): w for w in gaps.weak_links if w.account_id == account.id}
    last_contact: dict[str, date] = {}
    for interaction in network.interactions:
        for pid in interaction.person_ids:
            if interaction.on and (pid not in last_contact or last_contact[pid] < interaction.on):
                last_contact[pid] = interaction.on
    covered_by: dict[str, list[str]] = defaultdict(list)
    contacts = {c.id: c for c in network.contacts}
    for link in network.coverage:
        contact = contacts[link.contact_id]
        covered_by[link.person_id].append(
            f"{titled(contact.title, contact.name)} ({link.status.zh} / {link.status.en})"
        )

    # No vis "group" on any node: pyvis drops a node's colour when it has one.
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    details: dict[str, str] = {}
    for department in network.departments:
        node_id = f"dept:{department.id}"
        net.add_node(
            node_id, label=department.name, shape="box", color=style.DEPARTMENT_COLOUR, font={"color": "#37474f"}
        )
        details[node_id] = f"{department.name}\n部门层级 / level: {department.level.zh} / {department.level.en}"
        parent = f"dept:{department.parent_id}" if department.parent_id else None
        if parent:
            net.add_edge(node_id, parent, color=style.DEPARTMENT_COLOUR, width=2, arrows="")
    for person in network.people:
        node_id = f"person:{person.id}"
        is_gap = person.id in uncovered_dm
        net.add_node(node_id, **_person_style(person, is_gap, person.id in uncovered_other))
        details[node_id] = _person_details(
            person,
            departments[person.department_id].name if person.department_id in departments else "",
            covered_by.get(person.id, []),
            last_contact.get(person.id),
            is_gap,
        )
        net.add_edge(node_id, f"dept:{person.department_id}", color=style.DEPARTMENT_COLOUR, width=1, arrows="")
    for contact in network.contacts:
        node_id = f"contact:{contact.id}"
        net.add_node(
            node_id,
            label=titled(contact.title, contact.name),
            shape="diamond",
            size=18,
            color=style.TEAM_COLOURS[contact.team],
        )
        team = f"{contact.team.zh} / {contact.team.en}" if contact.team else "—"
        details[node_id] = f"我方对接人 / our contact: {titled(contact.title, contact.name)}\n团队 / team: {team}"
    for line in network.reporting_lines:
        net.add_edge(
            f"person:{line.person_id}",
            f"person:{line.manager_id}",
            color=style.REPORTS_TO_COLOUR,
            width=1.5,
            arrows="to",
        )
    for influence in network.influences:
        opposed = influence.sign < 0
        net.add_edge(
            f"person:{influence.person_id}",
            f"person:{influence.target_id}",
            dashes=True,
            arrows="to",
            color=style.OPPOSITION_COLOUR if opposed else style.INFLUENCE_COLOUR,
            width=1 + influence.strength / 50,
        )
    for link in network.coverage:
        weak_link = weak.get((link.contact_id, link.person_id))
        strength = link.strength if link.strength is not None else 50
        net.add_edge(
            f"contact:{link.contact_id}",
            f"person:{link.person_id}",
            arrows="to",
            color=style.STATUS_COLOURS[link.status],
            width=1 + strength / 20,
            dashes=weak_link is not None,
            label="⚠" if weak_link else "",
        )
    net.set_options(script_json(OPTIONS))
    page = net.generate_html()
    page = _PYVIS_CDN_TAGS.sub("", page)
    page = _PYVIS_EMPTY_HEADINGS.sub("", page)
    header = _header(network, gaps, len(uncovered_dm), len(weak))
    page = page.replace("<body>", f"<body>\n{header}", 1)
    page = page.replace("</head>", f"<title>{text(account.name)} · graphmap</title>\n<style>{_CSS}</style>\n</head>", 1)
    tooltips = f'<script type="application/json" id="graphmap-details">{script_json(details)}</script>\n'
    page = page.replace("</body>", f"{tooltips}<script>{_TOOLTIP_SCRIPT}</script>\n</body>", 1)
    return assert_offline(page, f"the page of account {account.id}")


def _person_style(person: Person, uncovered_decision_maker: bool, uncovered: bool) -> dict[str, Any]:
    role = person.roles[0] if person.roles else Role.unknown
    colour = style.LEFT_COLOUR if person.status is PersonStatus.left else style.ROLE_COLOURS[role]
    border = style.GAP_COLOUR if uncovered_decision_maker else colour
    label = f"{person.name}\n{person.title}" if person.title else person.name
    if uncovered_decision_maker:
        label = f"⚠ {label}"
    return {
        "label": label,
        "shape": "dot",
        "size": 26 if Role.decision_maker in person.roles else 18,
        "color": {"background": colour, "border": border, "highlight": {"background": colour, "border": border}},
        "borderWidth": 6 if uncovered_decision_maker else (3 if uncovered else 1),
        "shapeProperties": {"borderDashes": [6, 4] if uncovered and not uncovered_decision_maker else False},
    }


def _person_details(
    person: Person, department: str, covered_by: list[str], last: date | None, uncovered_decision_maker: bool
) -> str:
    roles = "、".join(r.zh for r in person.roles) + " / " + ", ".join(r.en for r in person.roles)
    lines = [
        person.name,
        f"职位 / title: {person.title or '—'}",
        f"部门 / department: {department}",
        f"角色 / roles: {roles if person.roles else '—'}",
        f"状态 / status: {person.status.zh} / {person.status.en}",
        f"我方对接 / our contacts: {'; '.join(covered_by) if covered_by else '无 / none'}",
        f"最近互动 / last interaction: {last.isoformat() if last else '—'}",
        f"下一步 / next action: {person.next_action or '—'}"
        + (f" ({person.next_action_due.isoformat()})" if person.next_action_due else ""),
    ]
    if uncovered_decision_maker:
        lines.insert(1, "⚠ 未覆盖的决策者 / uncovered decision-maker")
    return "\n".join(lines)


def _header(network: AccountNetwork, gaps: GapReport, uncovered_dm: int, weak_links: int) -> str:
    account = network.account
    role_items = "".join(
        f'<li><span class="dot" style="background:{c}"></span>{text(r.zh)} / {text(r.en)}</li>'
        for r, c in style.ROLE_COLOURS.items()
    )
    status_items = "".join(
        f'<li><span class="line" style="background:{c}"></span>{text(s.zh)} / {text(s.en)}</li>'
        for s, c in style.STATUS_COLOURS.items()
    )
    team_items = "".join(
        f'<li><span class="diamond" style="background:{c}"></span>{text(t.zh)} / {text(t.en)}</li>'
        for t, c in style.TEAM_COLOURS.items()
        if isinstance(t, Team)
    )
    facts = [
        ("行业 / industry", account.industry or "—"),
        ("映射目标 / mapping goal", account.mapping_goal or "—"),
        ("更新日期 / updated", account.updated_on.isoformat() if account.updated_on else "—"),
        ("分析日期 / as of", gaps.as_of.isoformat()),
        ("关键人 / stakeholders", str(len(network.people))),
        ("未覆盖的决策者 / uncovered decision-makers", str(uncovered_dm)),
        ("薄弱关系 / weak links", str(weak_links)),
    ]
    fact_items = "".join(f"<div><dt>{text(k)}</dt><dd>{text(v)}</dd></div>" for k, v in facts)
    return f"""<header class="gm-header">
  <h1 id="account-name">{text(account.name)}</h1>
  <dl class="gm-facts">{fact_items}</dl>
  <details class="gm-legend" open><summary>图例 / Legend</summary>
    <div class="gm-legend-grid">
      <section><h2>角色 / role</h2><ul>{role_items}</ul></section>
      <section><h2>关系状态 / relationship status (COVERS)</h2><ul>{status_items}</ul></section>
      <section><h2>我方团队 / our team</h2><ul>{team_items}</ul></section>
      <section><h2>其他 / other</h2><ul>
        <li><span class="ring"></span>⚠ 未覆盖的决策者 / uncovered decision-maker</li>
        <li><span class="line dashed" style="border-color:{style.STATUS_COLOURS[RelationshipStatus.initial]}"></span>
            ⚠ 薄弱关系 / weak link</li>
        <li><span class="line" style="background:{style.REPORTS_TO_COLOUR}"></span>汇报关系 / reports to (→)</li>
        <li><span class="line dashed" style="border-color:{style.INFLUENCE_COLOUR}"></span>影响 / influences</li>
        <li><span class="line dashed" style="border-color:{style.OPPOSITION_COLOUR}"></span>反对 / opposes</li>
        <li><span class="dot" style="background:{style.LEFT_COLOUR}"></span>已离职 / left</li>
      </ul></section>
    </div>
  </details>
</header>"""


_CSS = """
html, body { height: 100%; margin: 0; font-family: -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC",
  sans-serif; }
body { display: flex; flex-direction: column; }
.card { flex: 1; min-height: 480px; position: relative; }
#mynetwork { float: none !important; border: 0 !important; }
.gm-header { padding: 12px 20px; border-bottom: 1px solid #ddd; background: #fafafa; }
.gm-header h1 { margin: 0 0 6px; font-size: 22px; }
.gm-header h2 { font-size: 13px; margin: 6px 0; color: #555; }
.gm-facts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 6px; font-size: 13px; }
.gm-facts dt { color: #777; } .gm-facts dd { margin: 0; font-weight: 600; }
.gm-legend summary { cursor: pointer; font-size: 13px; color: #333; }
.gm-legend-grid { display: flex; flex-wrap: wrap; gap: 8px 32px; }
.gm-legend ul { list-style: none; padding: 0; margin: 0; font-size: 12px; }
.gm-legend li { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.dot { width: 12px; height: 12px; border-radius: 50%; display: inline-block; }
.diamond { width: 10px; height: 10px; transform: rotate(45deg); display: inline-block; }
.ring { width: 10px; height: 10px; border-radius: 50%; border: 3px solid #e53935; display: inline-block; }
.line { width: 22px; height: 3px; display: inline-block; }
.line.dashed { height: 0; border-top: 3px dashed; background: none; }
div.vis-tooltip { white-space: pre-line; font-size: 12px; max-width: 420px; }
"""

# Sets tooltips after pyvis has built the DataSet: string titles are rendered by vis-network as text.
_TOOLTIP_SCRIPT = """
(function () {
  var details = JSON.parse(document.getElementById("graphmap-details").textContent);
  var updates = Object.keys(details).map(function (id) { return {id: id, title: details[id]}; });
  nodes.update(updates);
  network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); });
})();
"""
