"""The workspace in a real browser: `graphmap serve`'s app on a local port, Debian's chromium signed in
through /login, every edit made with the mouse and keyboard, then checked in the graph, in the audit
trail and on the redrawn page (without a reload). Two browsers play a conflict; a viewer finds no edit
control and its forged requests are refused; script typed into every field stays text."""

import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn

from bench.generate import Shape, generate_portfolio
from graphmap.analysis.gaps import network_gaps
from graphmap.analysis.review import MovementKind, weekly_review
from graphmap.analysis.whatif import what_if_leaves
from graphmap.api import create_app
from graphmap.audit import read_audit
from graphmap.config import Settings
from graphmap.graph import read_account_network, write_portfolio
from graphmap.model import PersonStatus, Portfolio, Role
from graphmap.pages.network import COLLAPSE_ABOVE
from graphmap.sample import SAMPLE_AS_OF, portfolio_path
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer
from tests.api.conftest import EAST, WEST, seed
from tests.browser.conftest import ARTIFACTS, CHROMIUM

if TYPE_CHECKING:
    from playwright.sync_api import Locator

sync_api = pytest.importorskip("playwright.sync_api")

EN = EAST[0]
XSS = '<img src=x onerror="window.hacked=1">'

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (.ci/run installs Debian's chromium)"),
]


@dataclass
class Served:
    url: str
    store: EmbeddedStore
    tokens: dict[str, str]


@pytest.fixture
def served(embedded_server: EmbeddedServer) -> Iterator[Served]:
    """The sample with east's and west's users, served by the API's app on a free local port."""
    store = EmbeddedStore(embedded_server, f"workspace-{uuid.uuid4().hex[:8]}")
    store.ensure_schema()
    tokens = seed(store, Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8")))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(as_of=SAMPLE_AS_OF)
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield Served(f"http://127.0.0.1:{port}", store, tokens)
    server.should_exit = True
    thread.join(10)
    store.clear()
    store.close()


class Browser:
    """One signed-in browser (its own cookies) on the account's page, with its dialogs and script errors."""

    def __init__(self, browser: object, served: Served, who: str, account_id: str = EN) -> None:
        self.served = served
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1500, "height": 950})  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.goto(f"{served.url}/accounts/{account_id}/page")  # not signed in: sent to /login
        assert "/login" in self.page.url
        self.page.fill("#token", served.tokens[who])
        self.page.keyboard.press("Enter")
        self.page.wait_for_function("window.graphmapReady === true")
        assert self.page.url.endswith(f"/accounts/{account_id}/page")

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]

    def js(self, expression: str) -> object:
        return self.page.evaluate(expression)

    def open_card(self, name: str) -> None:
        """Finds a person with the search box and opens their card, from the keyboard."""
        self.page.fill("#gm-search", name)
        self.page.press("#gm-search", "Enter")
        self.page.wait_for_selector("#gm-panel:not([hidden])")

    def saved(self, edits_before: int) -> None:
        """Waits for the redraw that follows a saved edit."""
        self.page.wait_for_function(f"Number(document.body.getAttribute('data-edits') || 0) > {edits_before}")

    def edits(self) -> int:
        return int(self.page.get_attribute("body", "data-edits") or 0)

    def close(self) -> None:
        assert self.errors == [], self.errors
        self.context.close()


@pytest.fixture
def open_browser(browser, served) -> Iterator:
    opened: list[Browser] = []

    def open_(who: str, account_id: str = EN) -> Browser:
        b = Browser(browser, served, who, account_id)
        opened.append(b)
        return b

    yield open_
    for b in opened:
        b.close()


def person_named(served: Served, predicate) -> object:
    network = read_account_network(served.store, EN)
    return next(p for p in sorted(network.people, key=lambda p: p.id) if predicate(p, network))


def test_an_editor_edits_the_card_and_the_map_redraws_without_a_reload(served, open_browser):
    person = person_named(served, lambda p, n: p.status is PersonStatus.active and Role.champion not in p.roles)
    b = open_browser("east_editor")
    b.js("window.notReloaded = true")
    b.open_card(person.name)
    b.page.wait_for_selector("#gm-ws-edit input[type=text]")
    before = b.edits()
    title = b.page.locator("#gm-ws-edit form").first.locator("input[type=text]")
    title.fill("首席客户官")
    b.page.locator("#gm-ws-edit .gm-ws-roles input[value=champion]").first.check()
    b.page.locator("#gm-ws-edit button:has-text('保存 / save')").first.click()
    b.saved(before)
    stored = next(p for p in read_account_network(served.store, EN).people if p.id == person.id)
    assert stored.title == "首席客户官" and Role.champion in stored.roles
    (entry,) = [c for c in read_audit(served.store, date(2000, 1, 1), actor="east.editor") if c.subject_id == person.id]
    assert entry.kind.value == "record_updated"
    assert b.js(f"graphmap.data().nodes['person:{person.id}'].title") == "首席客户官"
    assert b.js("window.notReloaded") is True  # the same page, redrawn in place
    assert b.page.inner_text("#gm-panel-name").endswith("首席客户官")  # the panel shows the new card
    ARTIFACTS.mkdir(exist_ok=True)
    b.page.screenshot(path=str(ARTIFACTS / "workspace_editor.png"))


def test_a_plan_target_is_changed_and_added_from_the_panel_and_measured_there(served, open_browser):
    network = read_account_network(served.store, EN)
    target = network.plan_targets[0]  # the sample's: trusted and strong, due before its day, now referred and fair
    person = next(p for p in network.people if p.id == target.person_id)
    b = open_browser("east_editor")
    b.open_card(person.name)
    assert "已逾期 / overdue" in b.page.inner_text("#gm-panel-plan")
    plan = "#gm-ws-edit form[aria-label='计划目标 / plan targets']"
    b.page.wait_for_selector(plan)
    row = b.page.locator(f"{plan} .gm-ws-row").first
    row.locator("select").nth(0).select_option("referred")
    row.locator("select").nth(1).select_option("fair")
    before = b.edits()
    row.locator("button:has-text('保存 / save')").click()
    b.saved(before)
    changed = next(t for t in read_account_network(served.store, EN).plan_targets if t.person_id == person.id)
    assert (changed.status.value, changed.band, changed.due) == ("referred", "fair", target.due)
    assert "已达成 / met" in b.page.inner_text("#gm-panel-plan")
    other = next(c for c in network.contacts if c.id != target.contact_id)
    fresh = b.page.locator(f"{plan} .gm-ws-row").last
    fresh.locator("select").nth(0).select_option(other.id)
    fresh.locator("input[type=date]").fill("2024-12-31")
    fresh.locator("input[type=text]").fill(XSS)
    before = b.edits()
    fresh.locator("button:has-text('添加 / add')").click()
    b.saved(before)
    added = next(t for t in read_account_network(served.store, EN).plan_targets
                 if (t.contact_id, t.person_id) == (other.id, person.id))  # fmt: skip
    assert (added.status.value, added.due, added.note) == ("trusted", date(2024, 12, 31), XSS)
    shown = b.page.inner_text("#gm-panel-plan")
    assert other.name in shown and "推进中 / open" in shown and not b.js("window.hacked")
    audit = read_audit(served.store, date(2000, 1, 1), actor="east.editor")
    assert {c.kind.value for c in audit if c.subject_id == f"{other.id}/{person.id}"} == {"record_created"}
    b.page.locator("#gm-panel-plan").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    b.page.screenshot(path=str(ARTIFACTS / "workspace_plan.png"))


def test_an_introduction_is_drafted_and_tracked_and_a_task_done_from_the_panel(served, open_browser):
    from graphmap.analysis.paths import warm_paths

    network = read_account_network(served.store, EN)
    covered = {c.person_id for c in network.coverage}
    active = sorted((p for p in network.people if p.status is PersonStatus.active), key=lambda p: p.id)
    target = next(p for p in active if p.id not in covered and warm_paths(served.store, p.id, 1, as_of=SAMPLE_AS_OF))
    b = open_browser("east_editor")
    b.open_card(target.name)
    tasks = "#gm-ws-edit form[aria-label='任务 / tasks']"
    b.page.wait_for_selector(tasks)
    before = b.edits()
    b.page.click(f"{tasks} button:has-text('起草引荐请求')")
    b.saved(before)
    (request,) = [t for t in read_account_network(served.store, EN).tasks if t.person_id == target.id]
    assert request.origin.value == "introduction" and target.name in (request.detail or "")
    assert request.title in b.page.inner_text("#gm-panel-tasks")
    row = b.page.locator(f"{tasks} .gm-ws-row").first
    row.locator("summary").click()
    assert "Would you introduce us" in row.inner_text()
    row.locator("select").select_option("introduced")
    before = b.edits()
    row.locator("button:has-text('保存 / save')").click()
    b.saved(before)
    links = read_account_network(served.store, EN).coverage
    link = next(c for c in links if (c.contact_id, c.person_id) == (request.owner_id, target.id))
    assert link.status.value == "referred" and link.referred_by
    assert "第三方引荐" in b.page.inner_text("#gm-panel-links")  # the link it made, on the card's panel
    fresh = b.page.locator(f"{tasks} .gm-ws-row").last
    fresh.locator("input[type=text]").fill("寄送行业白皮书")
    fresh.locator("input[type=date]").fill("2024-10-15")
    before = b.edits()
    fresh.locator("button:has-text('添加 / add')").click()
    b.saved(before)
    made = next(t for t in read_account_network(served.store, EN).tasks if t.title == "寄送行业白皮书")
    assert (made.person_id, made.due, made.state.value) == (target.id, date(2024, 10, 15), "open")
    before = b.edits()
    b.page.locator(f"{tasks} .gm-ws-row:has-text('寄送行业白皮书') button:has-text('完成 / done')").click()
    b.saved(before)
    assert next(t for t in read_account_network(served.store, EN).tasks if t.id == made.id).state.value == "done"
    b.page.locator("#gm-panel-tasks").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    b.page.screenshot(path=str(ARTIFACTS / "workspace_tasks.png"))


def test_a_comment_is_posted_mentioning_a_colleague_then_edited_by_its_author(served, open_browser):
    person = person_named(served, lambda p, n: p.status is PersonStatus.active and any(
        c.person_id == p.id for c in n.coverage))  # fmt: skip
    b = open_browser("east_editor")
    b.open_card(person.name)
    form = "#gm-ws-edit form[aria-label='评论 / comments']"
    b.page.wait_for_selector(form)
    b.page.locator(f"{form} textarea").last.fill("@east.viewer 他下周出差，拜访改到月底 " + XSS)
    b.page.locator(f"{form} select").last.select_option(index=1)  # on our first link to them
    before = b.edits()
    b.page.click(f"{form} button:has-text('发表 / post')")
    b.saved(before)
    (comment,) = read_account_network(served.store, EN).comments
    assert (comment.author, comment.mentions, comment.person_id) == ("east.editor", ("east.viewer",), person.id)
    assert comment.contact_id is not None and "拜访改到月底" in b.page.inner_text("#gm-panel-comments")
    assert not b.js("window.hacked")
    edit = b.page.locator(f"{form} .gm-ws-row").first
    edit.locator("textarea").fill("已改约到10月28日")
    before = b.edits()
    edit.locator("button:has-text('保存 / save')").click()
    b.saved(before)
    (changed,) = read_account_network(served.store, EN).comments
    assert changed.text == "已改约到10月28日" and changed.edited_at is not None
    b.page.locator(f"{form} .gm-ws-row").first.locator("button:has-text('作为任务 / as a task')").click()
    before = b.edits()
    b.page.locator("#gm-ws-edit form[aria-label='任务 / tasks'] button:has-text('添加 / add')").click()
    b.saved(before)
    (task,) = [t for t in read_account_network(served.store, EN).tasks if t.origin.value == "comment"]
    assert (task.title, task.owner_id, task.person_id) == ("已改约到10月28日", changed.contact_id, person.id)
    b.page.locator("#gm-panel-comments").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    b.page.screenshot(path=str(ARTIFACTS / "workspace_comments.png"))


def test_comments_on_the_account_are_read_by_viewers_and_written_by_editors(served, open_browser):
    b = open_browser("east_editor")
    b.page.click("#gm-account-comments")
    form = "#gm-ws-edit form[aria-label='客户评论 / comments on the account']"
    b.page.wait_for_selector(form)
    b.page.locator(f"{form} textarea").fill("@east.viewer 年度框架合同下月续签")
    before = b.edits()
    b.page.click(f"{form} button:has-text('发表 / post')")
    b.saved(before)
    (comment,) = read_account_network(served.store, EN).comments
    assert (comment.person_id, comment.mentions) == (None, ("east.viewer",))
    assert "年度框架合同下月续签" in b.page.inner_text(form)  # the panel shows the account's comments again
    viewer = open_browser("east_viewer")
    viewer.page.click("#gm-account-comments")
    viewer.page.wait_for_selector(form)
    assert "年度框架合同下月续签" in viewer.page.inner_text(form)
    assert viewer.page.locator(f"{form} textarea").count() == 0 and viewer.page.locator(f"{form} button").count() == 0


DRAWN = """(function () {  // what the whole map draws, every card and text, and each card's tooltip
  graphmap.fit();
  var g = graphmap.geometry(true);
  var tips = {};
  graphmap.network.body.data.nodes.forEach(function (n) { if (n.shape === "custom") { tips[n.id] = n.title; } });
  var texts = g.texts.map(function (t) { return t.join(" "); });
  return {cards: g.cards, texts: texts, shown: graphmap.visibleNodes().sort(), tips: tips};
})()"""


def test_a_map_redrawn_after_edits_is_the_map_a_fresh_page_draws(served, open_browser):
    # The redraw hands vis-network only the nodes that changed (page.js, handOver): after a title, a move
    # to another department and a new person, it must draw what the same map draws when opened afresh.
    network = read_account_network(served.store, EN)
    active = sorted((p for p in network.people if p.status is PersonStatus.active), key=lambda p: p.id)
    person = active[1]
    elsewhere = next(p.department_id for p in active if p.department_id != person.department_id)
    b = open_browser("east_editor")
    b.open_card(person.name)
    card = b.page.locator("#gm-ws-edit form").first
    card.locator("input[type=text]").fill("新的职位 / a new title")
    card.locator("select").nth(1).select_option(elsewhere)
    before = b.edits()
    card.locator("button:has-text('保存 / save')").click()
    b.saved(before)
    b.page.click("#gm-add-person")
    form = b.page.locator("#gm-ws-edit form[aria-label='新增关键人 / add a person']")
    form.locator("input[type=text]").first.fill("又一位新同事")
    form.locator("select").select_option(elsewhere)
    before = b.edits()
    form.locator("button:has-text('添加 / add')").click()
    b.saved(before)
    b.page.click("#gm-panel-close")
    b.page.fill("#gm-search", "")  # as the fresh page: nothing searched for, nothing selected
    b.js("graphmap.select([])")
    redrawn, fresh = b.js(DRAWN), open_browser("east_editor").js(DRAWN)
    assert "新的职位 / a new title" in redrawn["tips"][f"person:{person.id}"]  # the tooltip, set again
    for drawn in (redrawn, fresh):  # cards drawn again are drawn last: the same texts, in another order
        drawn["texts"].sort()
    assert redrawn == fresh


def test_a_map_that_stops_being_an_overview_is_redrawn_in_full(served, open_browser):
    # Above COLLAPSE_ABOVE people a map opens on an overview, its people handed to vis-network only when
    # first shown. Someone else deletes one (the API); this editor's next edit redraws the map in full.
    big = generate_portfolio(seed=3, shapes=[Shape("智能制造", people=COLLAPSE_ABOVE + 1, branches=2)])
    write_portfolio(served.store, big)
    account_id = big.accounts[0].id
    b = open_browser("admin", account_id)
    assert b.js("graphmap.mode()") == "overview"
    gone, editing = big.people[-1], big.people[0]
    reply = httpx.delete(f"{served.url}/accounts/{account_id}/people/{gone.id}",
                         headers={"Authorization": f"Bearer {served.tokens['admin']}"})  # fmt: skip
    assert reply.status_code == 204
    b.open_card(editing.name)  # its department in full; the others' people never shown
    b.page.wait_for_selector("#gm-ws-edit input[type=text]")
    card = b.page.locator("#gm-ws-edit form").first
    card.locator("input[type=text]").fill("新的职位 / a new title")
    before = b.edits()
    card.locator("button:has-text('保存 / save')").click()
    b.saved(before)
    assert b.js("graphmap.data().collapsed") is False and b.js("graphmap.mode()") == "all"
    b.page.fill("#gm-search", "")
    people = [n for n in b.js("graphmap.visibleNodes()") if n.startswith("person:")]  # type: ignore[attr-defined]
    assert len(people) == COLLAPSE_ABOVE  # every card drawn (page errors fail the test at its end)


def test_links_and_a_logged_meeting_recompute_the_gaps_as_the_library_does(served, open_browser):
    as_of = SAMPLE_AS_OF
    report = network_gaps(read_account_network(served.store, EN), as_of)
    target = report.uncovered_decision_makers[0]
    network = read_account_network(served.store, EN)
    contact = next(c for c in network.contacts if (c.id, target.person_id) not in
                   {(k.contact_id, k.person_id) for k in network.coverage})  # fmt: skip
    b = open_browser("east_editor")
    assert b.js(f"graphmap.data().nodes['person:{target.person_id}'].gap") == "dm"
    b.open_card(target.name)
    links = b.page.locator("#gm-ws-edit form[aria-label='我方对接 / our links']")
    links.locator("select").nth(-2).select_option(contact.id)
    links.locator("select").last.select_option("trusted")
    before = b.edits()
    links.locator("button:has-text('添加 / add')").click()
    b.saved(before)
    log = b.page.locator("#gm-ws-edit form[aria-label='记录互动 / log an interaction']")
    log.locator(f"input[type=checkbox][value='{contact.id}']").check()
    log.locator("textarea").fill("季度业务回顾 / quarterly business review")
    log.locator("input[type=text]").fill("发送方案 / send the proposal")
    log.locator("input[type=date]").last.fill("2024-10-15")
    before = b.edits()
    log.locator("button:has-text('记录 / log it')").click()
    b.saved(before)
    after = read_account_network(served.store, EN)
    (meeting,) = [i for i in after.interactions if i.summary == "季度业务回顾 / quarterly business review"]
    assert meeting.contact_ids == (contact.id,) and meeting.person_ids == (target.person_id,)
    assert meeting.on == as_of and meeting.due == date(2024, 10, 15)
    expected = network_gaps(after, as_of)
    gap = "dm" if target.person_id in {u.person_id for u in expected.uncovered_decision_makers} else (
        "other" if target.person_id in {u.person_id for u in expected.uncovered} else "")  # fmt: skip
    assert b.js(f"graphmap.data().nodes['person:{target.person_id}'].gap") == gap
    assert gap != "dm"  # a trusted link and a meeting today: covered
    shown = dict(b.js("graphmap.data().heading"))  # type: ignore[arg-type]
    assert shown["未覆盖的决策者 / uncovered decision-makers"] == str(len(expected.uncovered_decision_makers))


def on_screen(b: Browser, first: str, second: str) -> tuple[float, float, float, float]:
    """Where two cards are on the page (both brought into view, and drawn there: the page draws in the next
    frame, as a person sees it before reaching for the mouse), for the mouse."""
    where = f"""(function () {{
        var p = network.getPositions(['{first}', '{second}']);
        var a = network.canvasToDOM(p['{first}']), z = network.canvasToDOM(p['{second}']);
        var r = network.canvas.frame.canvas.getBoundingClientRect();
        return [a.x + r.left, a.y + r.top, z.x + r.left, z.y + r.top]; }})()"""
    b.js(f"network.focus('{first}', {{scale: 0.9, animation: false}})")
    x1, y1, x2, y2 = b.js(where)
    if not (0 < x2 < 1500 and 0 < y2 < 950):  # the second off screen: fit both in view
        b.js(f"network.fit({{nodes: ['{first}', '{second}'], animation: false}})")
        x1, y1, x2, y2 = b.js(where)
    b.js("new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    return x1, y1, x2, y2


def drag(b: Browser, x1: float, y1: float, x2: float, y2: float, shift: bool = False,
         halfway: Callable[[], object] | None = None) -> None:  # fmt: skip
    """The mouse drags from one point to the other in ten steps (`halfway` is called in the middle)."""
    if shift:
        b.page.keyboard.down("Shift")
    b.page.mouse.move(x1, y1)
    b.page.mouse.down()
    for step in range(1, 11):
        b.page.mouse.move(x1 + (x2 - x1) * step / 10, y1 + (y2 - y1) * step / 10)
        if step == 5 and halfway is not None:
            halfway()
    b.page.mouse.up()
    if shift:
        b.page.keyboard.up("Shift")


def test_dragging_a_card_onto_another_sets_who_they_report_to(served, open_browser):
    network = read_account_network(served.store, EN)
    managers = {line.person_id for line in network.reporting_lines}
    person = next(p for p in network.people if p.status is PersonStatus.active and p.id in managers)
    boss = next(p for p in network.people if p.status is PersonStatus.active and p.id != person.id
                and p.department_id != person.department_id)  # fmt: skip
    b = open_browser("east_editor")
    b.js(f"graphmap.select(['person:{person.id}', 'person:{boss.id}'])")
    before = b.edits()
    drag(b, *on_screen(b, f"person:{person.id}", f"person:{boss.id}"))
    b.saved(before)
    assert any(boss.name in d for d in b.dialogs)  # asked first
    lines = {(r.person_id, r.manager_id) for r in read_account_network(served.store, EN).reporting_lines}
    assert (person.id, boss.id) in lines and not any(p == person.id and m != boss.id for p, m in lines)


def add_influence(b: Browser, served: Served, form: "Locator", line: tuple[str, str], sign: int, strength: int) -> None:
    """The influence form's sign and strength given, the line added: then it is in the graph as given."""
    form.locator("select").nth(1).select_option(str(sign))
    form.locator("input[type=number]").last.fill(str(strength))
    before = b.edits()
    form.locator("button:has-text('添加 / add')").last.click()
    b.saved(before)
    stored = {(i.person_id, i.target_id): i for i in read_account_network(served.store, EN).influences}
    assert (stored[line].sign, stored[line].strength) == (sign, strength)


def test_a_shift_drag_draws_an_influence_line(served, open_browser):
    network = read_account_network(served.store, EN)
    known = {(i.person_id, i.target_id) for i in network.influences}
    active = sorted((p for p in network.people if p.status is PersonStatus.active), key=lambda p: p.id)
    person, other = next((a, z) for a in active for z in active
                         if a.department_id != z.department_id and (a.id, z.id) not in known)  # fmt: skip
    b = open_browser("east_editor")
    assert b.page.is_visible("#gm-drag-hint")
    b.js(f"graphmap.select(['person:{person.id}', 'person:{other.id}'])")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = lambda: b.page.screenshot(path=str(ARTIFACTS / "workspace_draw_influence.png"))  # noqa: E731
    drag(b, *on_screen(b, f"person:{person.id}", f"person:{other.id}"), shift=True, halfway=shot)
    # No reporting line and no question: the card's influence form, ending on the card dropped on.
    assert not b.dialogs
    influence = b.page.locator("#gm-ws-edit form[aria-label='影响 / influence']")
    influence.wait_for()
    assert influence.locator("select").first.input_value() == other.id
    assert b.js("document.activeElement === document.querySelectorAll(\"#gm-ws-edit form[aria-label='影响 / "
                "influence'] select\")[1]")  # fmt: skip
    add_influence(b, served, influence, (person.id, other.id), -1, 65)
    assert not {(r.person_id, r.manager_id) for r in read_account_network(served.store, EN).reporting_lines} - {
        (r.person_id, r.manager_id) for r in network.reporting_lines
    }


def test_influence_a_new_person_and_leaving_through_the_panel(served, open_browser):
    network = read_account_network(served.store, EN)
    person, other = [p for p in sorted(network.people, key=lambda p: p.id) if p.status is PersonStatus.active][:2]
    b = open_browser("east_editor")
    b.open_card(person.name)
    influence = b.page.locator("#gm-ws-edit form[aria-label='影响 / influence']")
    influence.locator("select").first.select_option(other.id)
    add_influence(b, served, influence, (person.id, other.id), -1, 70)

    before = b.edits()
    b.page.locator("#gm-ws-edit button:has-text('标记为已离开 / mark as left')").click()
    b.saved(before)
    assert (
        next(p for p in read_account_network(served.store, EN).people if p.id == person.id).status is PersonStatus.left
    )
    assert b.js(f"graphmap.data().nodes['person:{person.id}'].left") is True

    b.page.click("#gm-add-person")
    form = b.page.locator("#gm-ws-edit form[aria-label='新增关键人 / add a person']")
    form.locator("input[type=text]").first.fill("新来的总监")
    form.locator("input[type=text]").nth(1).fill("IT 总监")
    form.locator("select").select_option(person.department_id)
    form.locator("input[value=decision_maker]").check()
    before = b.edits()
    form.locator("button:has-text('添加 / add')").click()
    b.saved(before)
    (new,) = [p for p in read_account_network(served.store, EN).people if p.name == "新来的总监"]
    assert new.department_id == person.department_id and new.roles == (Role.decision_maker,)
    assert b.js(f"graphmap.data().nodes['person:{new.id}'].gap") == "dm"  # a new decision-maker nobody covers


def test_a_conflict_shows_their_version_and_mine_can_be_applied_again(served, open_browser):
    person = person_named(served, lambda p, n: p.status is PersonStatus.active)
    first, second = open_browser("east_editor"), open_browser("admin")
    for b in (first, second):
        b.open_card(person.name)
        b.page.wait_for_function("document.querySelectorAll('#gm-ws-edit input[type=text]').length > 0")
        b.page.wait_for_timeout(300)  # the version of the record shown is fetched with the panel
    first.page.locator("#gm-ws-edit form").first.locator("input[type=text]").fill("先到的职位")
    before = first.edits()
    first.page.locator("#gm-ws-edit button:has-text('保存 / save')").first.click()
    first.saved(before)
    second.page.locator("#gm-ws-edit form").first.locator("input[type=text]").fill("后到的职位")
    second.page.locator("#gm-ws-edit button:has-text('保存 / save')").first.click()
    second.page.wait_for_selector("#gm-ws-conflict:not([hidden])")
    conflict = second.page.inner_text("#gm-ws-conflict")
    assert "先到的职位" in conflict and "后到的职位" in conflict
    assert next(p for p in read_account_network(served.store, EN).people if p.id == person.id).title == "先到的职位"
    before = second.edits()
    second.page.click("#gm-ws-conflict button:has-text('再次应用我的修改 / apply mine again')")
    second.saved(before)
    assert next(p for p in read_account_network(served.store, EN).people if p.id == person.id).title == "后到的职位"


def test_a_viewer_has_no_controls_and_forged_changes_are_refused(served, open_browser):
    person = person_named(served, lambda p, n: p.status is PersonStatus.active)
    b = open_browser("east_viewer")
    b.js(f"graphmap.show('person:{person.id}')")
    assert b.page.is_hidden("#gm-add-person")
    assert b.page.locator("#gm-ws-edit *").count() == 0
    assert b.page.locator("#gm-ws-whatif button").count() == 1  # reading what-if is for everyone
    forged = b.js(f"""(async function () {{
        var csrf = document.cookie.match(/gm_csrf=([^;]+)/)[1];
        var mine = await fetch('/accounts/{EN}/people/{person.id}', {{method: 'PATCH',
            headers: {{'Content-Type': 'application/json', 'X-CSRF-Token': csrf}}, body: '{{"title": "x"}}'}});
        var theirs = await fetch('/accounts/{WEST[0]}/people', {{method: 'POST',
            headers: {{'Content-Type': 'application/json', 'X-CSRF-Token': csrf}}, body: '{{"name": "x"}}'}});
        var hidden = await fetch('/accounts/{WEST[0]}/people', {{headers: {{'Accept': 'application/json'}}}});
        return [mine.status, theirs.status, hidden.status]; }})()""")
    assert forged == [403, 403, 404]  # a viewer may not change; another team's account does not exist for them


def test_script_typed_into_every_field_stays_text(served, open_browser):
    person = person_named(served, lambda p, n: p.status is PersonStatus.active)
    b = open_browser("east_editor")
    b.open_card(person.name)
    card = b.page.locator("#gm-ws-edit form").first
    card.locator("input[type=text]").fill(XSS)
    before = b.edits()
    b.page.locator("#gm-ws-edit button:has-text('保存 / save')").first.click()
    b.saved(before)
    log = b.page.locator("#gm-ws-edit form[aria-label='记录互动 / log an interaction']")
    log.locator("textarea").fill(XSS)
    log.locator("input[type=text]").fill(XSS)
    before = b.edits()
    log.locator("button:has-text('记录 / log it')").click()
    b.saved(before)
    b.page.click("#gm-add-person")
    form = b.page.locator("#gm-ws-edit form[aria-label='新增关键人 / add a person']")
    form.locator("input[type=text]").first.fill(XSS)
    form.locator("input[type=text]").nth(1).fill(XSS)
    before = b.edits()
    form.locator("button:has-text('添加 / add')").click()
    b.saved(before)
    b.open_card(XSS)
    assert b.js("window.hacked") is None
    assert XSS in b.page.inner_text("#gm-panel")  # shown as the text it is
    assert b.page.locator("#gm-panel img").count() == 0


def review_of(served: Served, since: str) -> list:
    (account,) = weekly_review(served.store, EN, SAMPLE_AS_OF, date.fromisoformat(since), every_gap=True).accounts
    return account.movements


def test_what_if_and_two_dates_from_the_controls(served, open_browser):
    network = read_account_network(served.store, EN)
    busiest = max(network.contacts, key=lambda c: sum(1 for k in network.coverage if k.contact_id == c.id))
    b = open_browser("east_viewer")
    b.js(f"graphmap.show('contact:{busiest.id}')")
    b.page.click("#gm-ws-whatif button")
    b.page.wait_for_selector("#gm-ws-whatif .gm-ws-score")
    assert re.search(r"覆盖度 / coverage score: \d+ → \d+", b.page.inner_text("#gm-ws-whatif .gm-ws-score"))
    assert "失去全部覆盖 / lose all coverage" in b.page.inner_text("#gm-ws-whatif")
    b.page.wait_for_function(f"graphmap.marks()['contact:{busiest.id}'] !== undefined")  # the tags follow the answer
    tags = b.js("graphmap.marks()")
    assert tags[f"contact:{busiest.id}"][0].startswith("假如离开")  # type: ignore[index]
    lost = {
        f"person:{p.id}"
        for a in what_if_leaves(served.store, busiest.id, EN, SAMPLE_AS_OF)
        for p in a.loses_all_coverage
    }
    assert lost and lost <= set(tags)  # type: ignore[arg-type]
    b.page.screenshot(path=str(ARTIFACTS / "workspace_what_if.png"))

    b.page.fill("#gm-since", "2024-06-30")
    b.page.click("#gm-compare")
    b.page.wait_for_selector("#gm-ws-compare .gm-ws-answer")
    assert "2024-06-30 → 2024-09-30" in b.page.inner_text("#gm-panel-name")
    assert "变化 / what moved" in b.page.inner_text("#gm-ws-compare")
    moved = review_of(served, "2024-06-30")
    assert any(m.kind is MovementKind.stakeholder_covered for m in moved)  # every stakeholder's gaps, not DMs' only
    assert set(b.js("Object.keys(graphmap.marks())")) == {f"person:{m.person_id}" for m in moved if m.person_id}  # type: ignore[arg-type]
    b.page.locator("#gm-ws-compare button.gm-ws-show").first.click()  # a row shown on the map
    assert len(b.js("network.getSelectedNodes()")) == 1  # type: ignore[arg-type]
    ARTIFACTS.mkdir(exist_ok=True)
    b.page.screenshot(path=str(ARTIFACTS / "workspace_compare.png"))

    b.page.fill("#gm-asof", "2024-06-30")
    b.page.dispatch_event("#gm-asof", "change")
    b.page.wait_for_url(re.compile(r"as_of=2024-06-30"))
    b.page.wait_for_function("window.graphmapReady === true")
    assert b.js("graphmap.data().as_of") == "2024-06-30"


def test_every_control_is_reached_by_the_keyboard_with_a_visible_focus(served, open_browser):
    b = open_browser("east_editor")
    seen = set()
    for _ in range(60):
        b.page.keyboard.press("Tab")
        focused = b.js("document.activeElement.id || document.activeElement.tagName")
        outline = b.js("getComputedStyle(document.activeElement).outlineStyle")
        if focused in ("gm-asof", "gm-since", "gm-compare", "gm-add-person", "gm-signout"):
            assert outline != "none", focused
            seen.add(focused)
    assert seen == {"gm-asof", "gm-since", "gm-compare", "gm-add-person", "gm-signout"}
