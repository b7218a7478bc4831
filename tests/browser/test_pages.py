"""The pages in a real browser: Debian's chromium, headless, driven by Playwright (no browser download).

Each page is opened from a file with every request recorded and anything not local refused. The tests
read what vis-network was given back from the page, work the filters and search, hover and click, and
try script payloads in every text field. The worked example's screenshot goes to test-artifacts/.
"""

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from graphmap.graph import read_account_network, write_portfolio
from graphmap.io.mapping_table import read_mapping_table
from graphmap.model import (
    Account,
    Channel,
    Contact,
    Coverage,
    Department,
    DepartmentLevel,
    Influence,
    Interaction,
    Person,
    Portfolio,
    RelationshipStatus,
    ReportingLine,
    Role,
    Team,
    ancestry,
)
from graphmap.pages import network as network_module
from graphmap.rendering import render_account, render_portfolio
from graphmap.sample import SAMPLE_AS_OF, portfolio_path
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer
from tests.browser.conftest import ARTIFACTS, CHROMIUM
from tests.conftest import WORKED_EXAMPLE
from tests.geometry import badly_nested, inside, overlapping, segments_through

sync_api = pytest.importorskip("playwright.sync_api")

WORKED_AS_OF = date(2024, 8, 31)
LOCAL = ("file://", "data:", "about:", "blob:")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (.ci/run installs Debian's chromium)"),
]


@pytest.fixture(scope="module")
def store(embedded_server: EmbeddedServer) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(embedded_server, f"browser-{uuid.uuid4().hex[:8]}")
    store.ensure_schema()
    write_portfolio(store, read_mapping_table(WORKED_EXAMPLE))
    write_portfolio(store, Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8")))
    yield store
    store.clear()
    store.close()


class Opened:
    """A page open in the browser, with every request it made and every dialog it raised."""

    def __init__(self, browser: object, html: str, folder: Path) -> None:
        self.requests: list[str] = []
        self.refused: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        file = folder / f"{uuid.uuid4().hex[:8]}.html"
        file.write_text(html, encoding="utf-8")
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(file.as_uri())
        self.page.wait_for_function("window.graphmapReady === true || document.getElementById('accounts')")

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        self.requests.append(url)
        if url.startswith(LOCAL):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.refused.append(url)
            route.abort()  # type: ignore[attr-defined]

    def js(self, expression: str) -> object:
        return self.page.evaluate(expression)

    def visible(self) -> set[str]:
        return set(self.js("graphmap.visibleNodes()"))  # type: ignore[arg-type]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser, tmp_path) -> Iterator:
    opened: list[Opened] = []

    def open_(html: str) -> Opened:
        page = Opened(browser, html, tmp_path)
        opened.append(page)
        return page

    yield open_
    for page in opened:
        assert page.errors == [], page.errors  # no script error on any page
        assert page.refused == [], f"requests that would leave the machine: {page.refused}"
        page.close()


def test_the_worked_example_draws_every_node_and_edge(store, open_page):
    account_id = read_mapping_table(WORKED_EXAMPLE).accounts[0].id
    network = read_account_network(store, account_id)
    page = open_page(render_account(store, account_id, WORKED_AS_OF))
    expected_nodes = (
        {f"dept:{d.id}" for d in network.departments}
        | {f"person:{p.id}" for p in network.people}
        | {f"contact:{c.id}" for c in network.contacts}
    )
    assert set(page.js("nodes.getIds()")) == expected_nodes  # type: ignore[arg-type]
    drawn = {tuple(e) for e in page.js("graphmap.lines().map(function (e) { return [e.from, e.to, e.kind]; })")}  # type: ignore[union-attr]
    expected_edges = (
        {(f"person:{r.person_id}", f"person:{r.manager_id}", "reports_to") for r in network.reporting_lines}
        | {(f"person:{i.person_id}", f"person:{i.target_id}", "influences") for i in network.influences}
        | {(f"contact:{c.contact_id}", f"person:{c.person_id}", "covers") for c in network.coverage}
    )
    assert drawn == expected_edges
    assert page.visible() == expected_nodes  # everything shown at first
    drawn_by_vis = set(page.js("Object.keys(network.body.nodes)"))  # type: ignore[arg-type]
    assert expected_nodes <= drawn_by_vis
    assert page.page.inner_text("#account-name") == network.account.name
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "worked_example.png"))


def test_filters_search_and_gaps_only_change_what_is_shown(store, open_page):
    account = "2024-EN-00001"
    network = read_account_network(store, account)
    page = open_page(render_account(store, account, SAMPLE_AS_OF))
    people = {f"person:{p.id}": p for p in network.people}
    everyone = page.visible()

    page.page.click("#gm-controls summary:has-text('角色 / roles')")  # open the menu, as a user would
    page.page.uncheck('input[name="role"][value="decision_maker"]')
    shown = page.visible()
    assert shown < everyone
    assert all(set(people[n].roles) - {Role.decision_maker} for n in shown if n in people)
    page.page.check('input[name="role"][value="decision_maker"]')
    assert page.visible() == everyone

    page.page.check("#gm-gaps-only")
    gaps = page.visible() & set(people)
    data = page.js("JSON.parse(document.getElementById('graphmap-data').textContent).nodes")
    assert gaps and all(data[n]["gap"] or data[n]["weak"] for n in gaps)  # type: ignore[index]
    assert len(gaps) < len(network.people)
    page.page.uncheck("#gm-gaps-only")

    target = next(p for p in network.people if p.title and "采购" in p.title)
    page.page.fill("#gm-search", "采购")
    found = page.visible() & set(people)
    assert f"person:{target.id}" in found
    assert all("采购" in data[n]["search"] for n in found)  # type: ignore[index]
    page.page.press("#gm-search", "Enter")
    assert page.page.is_visible("#gm-panel")
    page.page.click("#gm-panel-close")
    page.page.fill("#gm-search", "")

    department = next(d for d in network.departments if d.parent_id)
    page.page.select_option("#gm-department", department.id)
    inside = page.visible() & set(people)
    assert inside and all(department.id in data[n]["ancestors"] for n in inside)  # type: ignore[index]
    page.page.select_option("#gm-department", "")

    page.page.click("#gm-controls summary:has-text('关系状态 / status')")
    page.page.uncheck('input[name="status"][value="trusted"]')
    page.page.click("#gm-controls summary:has-text('连线 / lines')")
    page.page.check('input[name="lines"][value="covers"]')  # every link of ours drawn, as the user asked
    assert page.js("graphmap.visibleEdges().length") > 0
    trusted = {f"e{i}" for i in range(1000)} & set(
        page.js(
            "graphmap.lines().filter(function (e) { return e.status === 'trusted'; })"
            ".map(function (e) { return e.id; })"
        )  # type: ignore[arg-type]
    )
    assert trusted and not trusted & set(page.js("graphmap.visibleEdges()"))  # type: ignore[arg-type]
    assert page.page.inner_text("#gm-count").startswith("显示 / showing")


def test_lines_across_cards_are_drawn_for_the_selected_card_only(store, open_page):
    account = "2024-EN-00001"
    network = read_account_network(store, account)
    page = open_page(render_account(store, account, SAMPLE_AS_OF))
    assert page.js("graphmap.visibleEdges().length") == 0  # at first: cards, boxes and the reporting tree
    link = network.coverage[0]
    page.js(f"graphmap.select(['person:{link.person_id}'])")
    shown = page.js("graphmap.visibleEdges().map(function (id) { return edges.get(id); })")  # handed to vis-network
    assert shown and all(f"person:{link.person_id}" in (e["from"], e["to"]) for e in shown)  # type: ignore[union-attr]
    assert any(e["from"] == f"contact:{link.contact_id}" for e in shown)  # type: ignore[union-attr]
    page.js("graphmap.select([])")
    assert page.js("graphmap.visibleEdges().length") == 0


def test_clicking_a_person_opens_their_history_and_next_step(store, open_page):
    account = "2024-EN-00001"
    network = read_account_network(store, account)
    page = open_page(render_account(store, account, SAMPLE_AS_OF))
    person = next(p for p in network.people if any(p.id in i.person_ids for i in network.interactions))
    point = page.js(
        f"(function () {{ var p = network.getPositions(['person:{person.id}'])['person:{person.id}'];"
        " return network.canvasToDOM(p); })()"
    )
    page.js(f"network.focus('person:{person.id}', {{scale: 1.5, animation: false}})")
    point = page.js(
        f"(function () {{ var p = network.getPositions(['person:{person.id}'])['person:{person.id}'];"
        " return network.canvasToDOM(p); })()"
    )
    box = page.page.locator("#mynetwork").bounding_box()
    page.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])  # type: ignore[index]
    assert page.page.is_visible("#gm-panel")
    assert person.name in page.page.inner_text("#gm-panel-name")
    history = page.page.locator("#gm-panel-history li").all_inner_texts()
    dated = [i for i in network.interactions if person.id in i.person_ids]
    assert len(history) == len(dated)
    assert page.page.locator("#gm-panel-next li").count() >= 1


def _drawn_geometry(page: Opened, every_text: bool = True) -> dict:
    """What the browser drew of the whole map (fitted): with every text at full size, or as the fitted
    view shows it (names only, large enough to read)."""
    page.js("graphmap.fit()")
    return page.js(f"graphmap.geometry({'true' if every_text else 'false'})")  # type: ignore[return-value]


def _assert_nothing_overlaps(geometry: dict, people: int, names: bool = True) -> None:
    cards = geometry["cards"]
    assert len([k for k in cards if k.startswith("person:")]) == people
    solid = cards | {f"header:{k}": v for k, v in geometry["headers"].items()}
    assert overlapping(solid) == []
    assert badly_nested(geometry["boxes"]) == []
    assert segments_through(cards, geometry["segments"]) == []
    areas = {f"area:{k}": v for k, v in geometry["areas"].items()}
    owners = cards | geometry["headers"] | areas | {k: v for k, v in geometry["boxes"].items() if k == "team"}
    texts = geometry["texts"]
    if names:
        assert {owner for owner, *_, kind in texts if kind == "name" and owner.startswith("person:")} == {
            k for k in cards if k.startswith("person:")
        }
    assert all(inside(rect, owners[owner]) for owner, *rect, _ in texts)  # every text inside its card
    by_owner: dict[str, dict[str, list[float]]] = {}
    for i, (owner, *rect, _) in enumerate(texts):
        by_owner.setdefault(owner, {})[str(i)] = rect
    assert all(overlapping(rects) == [] for rects in by_owner.values())  # no two texts of a card meet


@pytest.mark.parametrize("people", [10, 50, 300, 2000])
def test_nothing_the_browser_draws_overlaps(embedded_server, open_page, people):
    """Cards, headers, texts and connectors as the browser drew them, read back from the page."""
    from bench.generate import Shape, generate_portfolio

    store = EmbeddedStore(embedded_server, f"geometry-{people}-{uuid.uuid4().hex[:6]}")
    store.ensure_schema()
    try:
        shape = Shape("智能制造", people=people, branches=max(2, people // 400))
        portfolio = generate_portfolio(seed=people, shapes=[shape])
        write_portfolio(store, portfolio)
        account = portfolio.accounts[0].id
        page = open_page(render_account(store, account, SAMPLE_AS_OF))
        if people > network_module.COLLAPSE_ABOVE:
            geometry = _drawn_geometry(page, every_text=False)
            assert not [k for k in geometry["cards"] if k.startswith("person:")]  # everyone inside a summary
            assert geometry["areas"] and not overlapping(geometry["areas"])  # the summaries
            solid = geometry["cards"] | geometry["headers"] | {f"area:{k}": v for k, v in geometry["areas"].items()}
            assert overlapping(solid) == [] and badly_nested(geometry["boxes"]) == []
            summary = [t for t in geometry["texts"] if t[5] == "summary"]
            assert min(t[4] for t in summary) * page.js("network.getScale()") >= 8  # type: ignore[operator]
            ARTIFACTS.mkdir(exist_ok=True)
            page.page.screenshot(path=str(ARTIFACTS / f"map_{people}_people_collapsed.png"))
            page.js("graphmap.expandAll()")
        _assert_nothing_overlaps(_drawn_geometry(page), people)
        # As fitted on screen: names alone (large), or far out the departments' names over their people.
        fitted = _drawn_geometry(page, every_text=False)
        far = page.js("network.getScale()") < 0.2  # type: ignore[operator]
        _assert_nothing_overlaps(fitted, people, names=not far)
        if far:
            staffed = {f"area:{k}" for k in fitted["areas"]}
            labelled = staffed & {owner for owner, *_, kind in fitted["texts"] if kind == "overview"}
            assert len(labelled) >= 0.9 * len(staffed)  # only a sliver too small for any text goes unnamed
        ARTIFACTS.mkdir(exist_ok=True)
        page.page.screenshot(path=str(ARTIFACTS / f"map_{people}_people.png"))
    finally:
        store.clear()
        store.close()


@pytest.mark.parametrize("which", ["worked_example", "2024-EN-00001"])
def test_the_sample_maps_read_at_a_glance(store, open_page, which):
    """The worked example (4 people) and the sample's 52-person account, opened as a planner would: fitted,
    every name drawn at a size that reads (at least 11 screen pixels), nothing overlapping."""
    account = read_mapping_table(WORKED_EXAMPLE).accounts[0].id if which == "worked_example" else which
    network = read_account_network(store, account)
    page = open_page(render_account(store, account, SAMPLE_AS_OF))
    geometry = _drawn_geometry(page, every_text=False)
    _assert_nothing_overlaps(geometry, len(network.people))
    scale = page.js("network.getScale()")
    names = [t for t in geometry["texts"] if t[0].startswith("person:") and t[5] == "name"]
    assert min(t[4] for t in names) * scale >= 11 * 1.1 - 0.01, scale  # type: ignore[operator]
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / f"map_sample_{which}.png"))


def test_a_large_account_opens_on_an_overview_and_a_department_opens_in_full(store, open_page, monkeypatch):
    monkeypatch.setattr(network_module, "COLLAPSE_ABOVE", 10)
    account = "2024-EN-00001"
    network = read_account_network(store, account)
    page = open_page(render_account(store, account, SAMPLE_AS_OF))
    assert page.js("graphmap.mode()") == "overview"
    assert not any(n.startswith("person:") for n in page.visible())
    summaries = _drawn_geometry(page, every_text=False)
    assert summaries["areas"] and overlapping(summaries["areas"]) == []
    assert {o for o, *_, kind in summaries["texts"] if kind == "summary"} == {f"area:{a}" for a in summaries["areas"]}
    parents = {d.id: d.parent_id for d in network.departments}
    branch = next(d for d in network.departments if d.id in parents.values() and d.parent_id)  # a branch
    box = page.page.locator("#mynetwork").bounding_box()
    point = page.js(f"network.canvasToDOM(network.getPositions(['dept:{branch.id}'])['dept:{branch.id}'])")
    page.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])  # type: ignore[index]  # as a user would
    assert page.js("graphmap.mode()") == "focus"
    inside_branch = {d for d in parents if branch.id in ancestry(d, parents)}
    shown = {n for n in page.visible() if n.startswith("person:")}
    assert shown == {f"person:{p.id}" for p in network.people if p.department_id in inside_branch}
    _assert_nothing_overlaps(_drawn_geometry(page), len(shown))
    page.page.click("#gm-overview")
    assert page.js("graphmap.mode()") == "overview"
    page.page.fill("#gm-search", network.people[0].name)
    page.page.press("#gm-search", "Enter")  # found inside a summary: its department opens, the person selected
    assert page.js("graphmap.mode()") == "focus" and f"person:{network.people[0].id}" in page.visible()
    assert page.page.is_visible("#gm-panel")


def test_the_browsers_own_print_shows_the_whole_map_without_the_controls(store, open_page, tmp_path):
    page = open_page(render_account(store, "2024-EN-00001", SAMPLE_AS_OF))
    page.page.emulate_media(media="print")
    page.js("window.dispatchEvent(new Event('beforeprint'))")
    display = "function (id) { return getComputedStyle(document.getElementById(id)).display; }"
    assert page.js(f"['gm-controls', 'gm-panel'].map({display})") == ["none", "none"]
    everyone = _drawn_geometry(page, every_text=False)["cards"]
    assert len([k for k in everyone if k.startswith("person:")]) == 52  # fitted: the whole map on the paper
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.pdf(path=str(ARTIFACTS / "map_printed_by_the_browser.pdf"), landscape=True, format="A4")


def test_the_warm_path_is_highlighted(store, open_page):
    from graphmap.analysis.gaps import find_gaps

    report = find_gaps(store, "2024-EN-00001", SAMPLE_AS_OF)
    target = report.uncovered_decision_makers[0].person_id
    page = open_page(render_account(store, "2024-EN-00001", SAMPLE_AS_OF, path_to=target))
    path_edges = page.js(
        "edges.get().filter(function (e) { return e.kind === 'path' && !e.hidden; }).map(function (e) { return e.to; })"
    )
    assert path_edges and path_edges[-1] == f"person:{target}"  # type: ignore[index]
    assert "引荐路径 / warm path" in page.page.inner_text("#gm-path")


def test_the_index_sorts_and_links(store, open_page, tmp_path):
    render_portfolio(store, tmp_path / "pages", SAMPLE_AS_OF)
    page = open_page((tmp_path / "pages" / "index.html").read_text(encoding="utf-8"))
    rows = page.page.locator("#accounts tbody tr")
    assert rows.count() == 7
    page.page.click("#accounts th:nth-child(6)")  # coverage score, ascending
    scores = [
        int(v)
        for v in page.page.locator("#accounts tbody td:nth-child(6)").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-sort'))"
        )
    ]
    assert scores == sorted(scores)
    page.page.click("#accounts th:nth-child(6)")
    scores = [
        int(v)
        for v in page.page.locator("#accounts tbody td:nth-child(6)").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-sort'))"
        )
    ]
    assert scores == sorted(scores, reverse=True)
    links = page.page.locator("#accounts a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(link.endswith(".html") and (tmp_path / "pages" / link).exists() for link in links)


PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload="window.__pwned=1">',
    "javascript:window.__pwned=1",
    '<a href="javascript:window.__pwned=1">href</a>',
    "';window.__pwned=1;'",
    "{{7*7}}${window.__pwned=1}",
    "</script><script>window.__pwned=1</script>",
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    "<details open ontoggle=window.__pwned=1>",
    "<input autofocus onfocus=window.__pwned=1>",
    "<body onload=window.__pwned=1>",
    '<math><mi xlink:href="javascript:window.__pwned=1">x</mi></math>',
    "`;window.__pwned=1;`",
    "\u003cimg src=x onerror=window.__pwned=1\u003e",
    "&lt;img src=x onerror=window.__pwned=1&gt;",
    "\u2028window.__pwned=1//",
]


def hostile_portfolio(payload: str) -> Portfolio:
    account = Account(id="x1", name=f"账户{payload}", industry=payload, mapping_goal=payload)
    hq = Department(id="x1-hq", account_id="x1", name=f"总部{payload}", level=DepartmentLevel.hq)
    branch = Department(id="x1-b", account_id="x1", name=f"分公司{payload}", parent_id="x1-hq")
    people = (
        Person(
            id="x1-p1",
            account_id="x1",
            department_id="x1-hq",
            name=f"王{payload}",
            title=f"总经理 href {payload}",
            roles=(Role.decision_maker,),
            next_action=f"回访{payload}",
        ),
        Person(id="x1-p2", account_id="x1", department_id="x1-b", name=f"李{payload}", title=payload),
    )
    return Portfolio(
        accounts=(account,),
        departments=(hq, branch),
        people=people,
        contacts=(Contact(id="x-c1", name=f"陈{payload}", title=f"销售经理{payload}", team=Team.sales),),
        coverage=(
            Coverage(contact_id="x-c1", person_id="x1-p2", status=RelationshipStatus.referred, referred_by=payload),
        ),
        reporting_lines=(ReportingLine(person_id="x1-p2", manager_id="x1-p1"),),
        influences=(Influence(person_id="x1-p2", target_id="x1-p1", strength=60, sign=-1),),
        interactions=(
            Interaction(
                id="x1-i1",
                account_id="x1",
                on=date(2024, 9, 1),
                on_text=payload,
                channel=Channel.visit,
                summary=f"拜访{payload}",
                person_ids=("x1-p2",),
                contact_ids=("x-c1",),
            ),
        ),
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_in_any_field_ever_runs(embedded_server, open_page, tmp_path, payload):
    store = EmbeddedStore(embedded_server, f"xss-{uuid.uuid4().hex[:8]}")
    store.ensure_schema()
    try:
        write_portfolio(store, hostile_portfolio(payload))
        for masked in (False, True):
            page = open_page(render_account(store, "x1", SAMPLE_AS_OF, path_to="x1-p1", masked=masked))
            for node in ("person:x1-p1", "person:x1-p2", "contact:x-c1", "dept:x1-hq"):
                point = page.js(f"network.canvasToDOM(network.getPositions(['{node}'])['{node}'])")
                box = page.page.locator("#mynetwork").bounding_box()
                page.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])  # type: ignore[index]
                page.page.wait_for_timeout(250)  # the tooltip shows
                page.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])  # type: ignore[index]
            page.js("graphmap.show('person:x1-p2')")
            page.page.fill("#gm-search", payload)
            page.page.press("#gm-search", "Enter")
            assert page.js("window.__pwned") is None
            assert page.dialogs == []
            if not masked:
                assert payload in page.page.inner_text("#account-name")  # shown, as text
                assert payload in page.page.inner_text("#gm-panel")
        render_portfolio(store, tmp_path / "pages", SAMPLE_AS_OF)
        index = open_page((tmp_path / "pages" / "index.html").read_text(encoding="utf-8"))
        index.page.click("#accounts th:nth-child(1)")
        assert index.js("window.__pwned") is None and index.dialogs == []
    finally:
        store.clear()
        store.close()
