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
from collections.abc import Sequence
from typing import Any

from pyvis.network import Network

from graphmap.analysis.actions import NextAction
from graphmap.analysis.gaps import GapReport
from graphmap.analysis.paths import WarmPath
from graphmap.analysis.strength import LinkStrength
from graphmap.graph import AccountNetwork
from graphmap.model import Coverage, RelationshipStatus, Team, Vocabulary
from graphmap.pages import style
from graphmap.pages.assets import PYVIS_TEMPLATES, linked, own_asset
from graphmap.pages.html import assert_offline, script_json, text
from graphmap.pages.layout import Box, layout
from graphmap.pages.legend import LEGEND, LegendItem
from graphmap.pages.view import ROLE_ORDER, MapView, both
from graphmap.pages.workspace import workspace_controls, workspace_data, workspace_panel

COLLAPSE_ABOVE = 400  # people: larger accounts open with departments collapsed to summaries, a click expands one

_PYVIS_CDN_TAGS = re.compile(
    r"<link\b[^>]*cdn\.jsdelivr\.net[^>]*>|<script\b[^>]*cdn\.jsdelivr\.net[^>]*>\s*</script>", re.IGNORECASE
)
_PYVIS_EMPTY_HEADINGS = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)

OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "hideEdgesOnDrag": True},
    "edges": {"smooth": False, "font": {"size": 16, "strokeWidth": 0}},
    "nodes": {"physics": False},
}


def account_page(
    network: AccountNetwork,
    gaps: GapReport,
    strengths: Sequence[LinkStrength] = (),
    actions: Sequence[NextAction] = (),
    path: WarmPath | None = None,
    files: bool = False,
    workspace: bool = False,
    editable: bool = False,
) -> str:
    """The page for one account: who is who, how they connect, where we are, and where the gaps are.

    `strengths` fill the coverage chips, `actions` the side panel's next step, `path` is highlighted;
    `files`: served by the API, the page links the map's SVG, PNG and PDF beside it (page.svg, ...);
    `workspace`: served by the API to a browser, the page carries the workspace (pages/workspace.js):
    what-if, two dates and, when `editable` (editors), edits through the API. A viewer's page is drawn
    from a masked network (graphmap.privacy): the page masks nothing itself."""
    view = MapView(network, gaps, strengths, actions)
    nodes, data = page_parts(view, path)
    if workspace:
        data["workspace"] = workspace_data(network, editable)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.templateEnv = PYVIS_TEMPLATES
    net.nodes, net.edges = nodes, []
    net.set_options(script_json(OPTIONS))
    page = net.generate_html()
    page = _PYVIS_CDN_TAGS.sub("", page)
    page = _PYVIS_EMPTY_HEADINGS.sub("", page)
    tools = workspace_controls() if workspace else ""
    page = page.replace("<body>", f"<body>\n{_header(view, path)}{_controls(view, files, tools)}", 1)
    panel = _side_panel(workspace_panel() if workspace else "")
    page = page.replace('<div class="card"', f'{panel}<div class="card"', 1)
    page = page.replace(
        "</head>",
        f"<title>{text(network.account.name)} · graphmap</title>\n{own_asset('page.css').inline}\n</head>",
        1,
    )
    block = f'<script type="application/json" id="graphmap-data">{script_json(data)}</script>\n'
    scripts = f"{own_asset('page.js').inline}\n"
    if workspace:
        scripts += f"{own_asset('workspace.js').inline}\n"
    page = page.replace("</body>", f"{block}{scripts}</body>", 1)
    page = assert_offline(page, f"the page of account {network.account.id}")
    return linked(page) if files else page  # served: the browser keeps the scripts (pages/assets.py)


def page_parts(view: MapView, path: WarmPath | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What page.js draws: the nodes handed to vis-network first, and the JSON block with everything else.
    The workspace asks for them again after each edit (GET /accounts/{id}/page/data) and redraws."""
    network = view.network
    chart = layout(network)
    positions = chart.positions
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    data: dict[str, Any] = {"nodes": {}, "departments": {}}
    collapsed = len(network.people) > COLLAPSE_ABOVE

    # A large account opens on an overview (each department's people as a summary box); a click on a
    # department shows it, and the departments inside it, in the full chart.
    overview = layout(network, collapsed=True) if collapsed else None
    opening = overview.positions if overview else positions
    if overview:
        data["overview"] = {
            "departments": {
                d: {
                    "box": _rect(box),
                    "area": _rect(overview.people_areas.get(d)),
                    "at": overview.positions[f"dept:{d}"],
                    "header": _rect(overview.headers[d]),
                }
                for d, box in overview.departments.items()
            },
        }
    for department in network.departments:
        node_id = f"dept:{department.id}"
        nodes.append(_custom(node_id, opening, (overview or chart).headers[department.id]))
        data["nodes"][node_id] = view.department_data(department)
        data["departments"][department.id] = {
            "name": department.name,
            "people": view.members[department.id],
            "box": _rect(chart.departments[department.id]),
            "area": _rect(chart.people_areas.get(department.id)),
            "at": positions[node_id],
            "header": _rect(chart.headers[department.id]),
            "depth": len(view.ancestors(department.id)),
        }
    pending: dict[str, dict[str, Any]] = {}  # an overview's people: handed to vis-network when first shown
    for person in network.people:
        node_id = f"person:{person.id}"
        node = _custom(node_id, positions, chart.cards[node_id])
        if collapsed:
            pending[node_id] = node
        else:
            nodes.append(node)
        data["nodes"][node_id] = view.person_data(person)
    for contact in network.contacts:
        node_id = f"contact:{contact.id}"
        nodes.append(_custom(node_id, positions, chart.cards[node_id]))
        data["nodes"][node_id] = view.contact_data(contact)
    # Lines between cards are drawn on demand (the selected card's, a kind the user turns on, a warm path),
    # so page.js hands each to vis-network when it is first shown: a large page opens without thousands of
    # edges to build. The reporting tree inside departments is drawn from the layout's connectors.
    for line in network.reporting_lines:
        edge = _edge(len(edges), f"person:{line.person_id}", f"person:{line.manager_id}", "reports_to")
        edges.append(edge | {"arrows": "to", "color": style.REPORTS_TO_COLOUR, "width": 1.5})
    for influence in network.influences:
        colour = style.OPPOSITION_COLOUR if influence.sign < 0 else style.INFLUENCE_COLOUR
        edge = _edge(len(edges), f"person:{influence.person_id}", f"person:{influence.target_id}", "influences")
        edges.append(edge | {"arrows": "to", "dashes": True, "color": colour, "width": 1 + influence.strength / 50})
    for link in network.coverage:
        edges.append(_covers_edge(view, len(edges), link) | {"status": link.status.value})
    if path is not None:
        edges += _path_edges(len(edges), path)
        data["path"] = [f"contact:{path.contact_id}", *(f"person:{step.to_id}" for step in path.steps)]
    data |= {
        "collapsed": collapsed,
        "lines": edges,
        "pending": pending,
        "connectors": {d: [[round(v, 1) for v in s] for s in segments] for d, segments in chart.connectors.items()},
        "team_box": _rect(chart.team_box),
        "font": style.FONT_STACK,
        "colours": _colours(),
        "heading": view.heading_facts(),
        "as_of": view.as_of.isoformat(),
    }
    return nodes, data


def _custom(node_id: str, positions: dict[str, tuple[int, int]], box: Box) -> dict[str, Any]:
    """A node page.js draws itself (a card or a department's header), as large as its box for clicks. It
    turns the shape to "custom" when it first shows the node: vis-network may draw before page.js runs,
    and a custom shape has no renderer until then."""
    x, y = positions[node_id]
    return {"id": node_id, "x": x, "y": y, "shape": "dot", "size": 1, "w": box.w, "h": box.h}


def _rect(box: Box | None) -> list[float] | None:
    return None if box is None else [round(box.x, 1), round(box.y, 1), round(box.w, 1), round(box.h, 1)]


def _colours() -> dict[str, Any]:
    return {
        "card": style.CARD,
        "left": style.LEFT_CARD,
        "ours": style.OUR_CARD,
        "gap": style.GAP_COLOUR,
        "department": style.DEPARTMENT,
        "uncovered": style.UNCOVERED_DEPARTMENT,
        "connector": style.CONNECTOR_COLOUR,
    }


def _covers_edge(view: MapView, number: int, link: Coverage) -> dict[str, Any]:
    score = view.strength_of(link)
    weak = (link.contact_id, link.person_id) in view.weak
    return _edge(number, f"contact:{link.contact_id}", f"person:{link.person_id}", "covers") | {
        "arrows": "to",
        "color": style.STATUS_COLOURS[link.status],
        "width": 1 + (score if score is not None else 20) / 25,
        "dashes": weak,
        "label": "⚠" if weak else "",
    }


def _edge(number: int, source: str, target: str, kind: str) -> dict[str, Any]:
    return {"id": f"e{number}", "from": source, "to": target, "kind": kind}


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


def _header(view: MapView, path: WarmPath | None) -> str:
    fact_items = "".join(f"<div><dt>{text(k)}</dt><dd>{text(v)}</dd></div>" for k, v in view.heading_facts())
    route = ""
    if path is not None:
        explanation = path.explanation_zh + " · " + path.explanation_en
        route = f'<p class="gm-path" id="gm-path">引荐路径 / warm path: {text(explanation)}</p>'
    return f"""<header class="gm-header">
  <h1 id="account-name">{text(view.network.account.name)}</h1>
  <dl class="gm-facts" id="gm-facts">{fact_items}</dl>{route}
  <details class="gm-legend" open><summary>图例 / Legend</summary>{legend_html()}</details>
</header>"""


def legend_html() -> str:
    """The legend, in the words of graphmap.pages.legend (the files carry the same)."""
    sections = "".join(
        f"<section><h2>{text(section.title)}</h2><ul>"
        + "".join(f"<li>{_swatch(item)}{text(item.label)}</li>" for item in section.items)
        + "</ul></section>"
        for section in LEGEND
    )
    return f'<div class="gm-legend-grid">{sections}</div>'


def _swatch(item: LegendItem) -> str:
    kind, colour = item.swatch, item.colour
    if kind == "badge":
        return f'<span class="badge" style="background:{colour}">{text(item.mark)}</span>'
    if kind == "chip":
        return f'<span class="chip" style="border-color:{colour}">{text(item.mark)}</span>'
    if kind == "ours":
        return f'<span class="ours">{text(item.mark)}</span>'
    if kind == "line":
        return f'<span class="line" style="background:{colour}"></span>'
    if kind == "dashed":
        return f'<span class="line dashed" style="border-color:{colour}"></span>'
    if kind == "box":
        return f'<span class="box" style="background:{item.fill};border-color:{colour}"></span>'
    return f'<span class="cardmark" style="border-color:{colour};color:{colour}">{text(item.mark)}</span>'


def _controls(view: MapView, files: bool, tools: str = "") -> str:
    def boxes(name: str, terms: Sequence[Vocabulary]) -> str:
        return "".join(
            f'<label><input type="checkbox" name="{name}" value="{text(t.value)}" checked> {text(both(t))}</label>'
            for t in terms
        )

    departments = "".join(
        f'<option value="{text(d.id)}">{text(d.name)}</option>'
        for d in sorted(view.network.departments, key=lambda d: (len(view.ancestors(d.id)), d.name, d.id))
    )
    return f"""<form class="gm-controls" id="gm-controls" onsubmit="return false">
  <input type="search" id="gm-search" placeholder="搜索姓名、职位、部门 / search name, title, department">
  <label><input type="checkbox" id="gm-gaps-only"> 只看缺口 / gaps only</label>
  <select id="gm-department"><option value="">全部部门 / all departments</option>{departments}</select>
  <details><summary>角色 / roles</summary>{boxes("role", ROLE_ORDER)}</details>
  <details><summary>关系状态 / status</summary>{boxes("status", list(RelationshipStatus))}</details>
  <details><summary>我方团队 / our team</summary>{boxes("team", list(Team))}</details>
  <details><summary>连线 / lines</summary>
    <label><input type="checkbox" name="lines" value="covers"> 我方对接 / our links</label>
    <label><input type="checkbox" name="lines" value="influences"> 影响 / influence</label>
    <label><input type="checkbox" name="lines" value="reports_to"> 汇报（跨部门）/ reporting, across departments</label>
  </details>
  <button type="button" id="gm-overview" hidden>◂ 总览 / overview</button>
  <button type="button" id="gm-expand" hidden>全部展开 / expand all</button>
  <button type="button" id="gm-print">打印 / print</button>{_file_links() if files else ""}{tools}
  <span id="gm-count" class="gm-count"></span>
</form>"""


def _file_links() -> str:
    """Relative to /accounts/{id}/page, so they reach /accounts/{id}/page.pdf; page.js adds the page's query."""
    return "".join(
        f'<a class="gm-file" href="page.{format}" download>{label}</a>'
        for format, label in (("pdf", "PDF"), ("png", "PNG"), ("svg", "SVG"))
    )


def _side_panel(tools: str = "") -> str:
    return f"""<aside class="gm-panel" id="gm-panel" hidden>
  <button type="button" id="gm-panel-close" aria-label="关闭 / close">×</button>
  <h2 id="gm-panel-name"></h2>
  <p id="gm-panel-facts"></p>
  <div id="gm-panel-card">
  <h3>我方对接 / our links</h3><ul id="gm-panel-links"></ul>
  <h3>计划 / plan</h3><ul id="gm-panel-plan"></ul>
  <h3>任务 / tasks</h3><ul id="gm-panel-tasks"></ul>
  <h3>评论 / comments</h3><ul id="gm-panel-comments"></ul>
  <h3>建议的下一步 / suggested next step</h3><ul id="gm-panel-next"></ul>
  <h3>互动记录 / interaction history</h3><ol id="gm-panel-history"></ol>
  </div>{tools}
</aside>
"""
