"""Pages are offline, escaped and carry the encoding; built from models alone (no store)."""

import json
import re
from datetime import date

import jinja2
import pytest

from graphmap.analysis.gaps import GapReport, GapThresholds, UncoveredReason, UncoveredStakeholder, WeakLink, WeakReason
from graphmap.analysis.paths import PathStep, WarmPath
from graphmap.analysis.ties import TieKind
from graphmap.errors import GraphmapError
from graphmap.graph import AccountNetwork, AccountSummary
from graphmap.model import (
    Account,
    Contact,
    Coverage,
    Department,
    DepartmentLevel,
    Influence,
    Interaction,
    Person,
    RelationshipStatus,
    ReportingLine,
    Role,
    Team,
)
from graphmap.pages import network as network_module
from graphmap.pages.html import assert_offline
from graphmap.pages.index import gap_counts, index_page
from graphmap.pages.layout import layout, reporting_depth
from graphmap.pages.network import account_page
from graphmap.privacy import masked_network
from tests.geometry import badly_nested, inside, overlapping, segments_through

XSS = "<img src=x onerror=alert(1)>\"'</script><script>alert(2)</script> href=javascript:alert(3)"


def network(text: str = "普通") -> AccountNetwork:
    return AccountNetwork(
        account=Account(id="a1", name=f"账户{text}", industry=f"行业{text}", mapping_goal=f"目标{text}"),
        departments=(Department(id="d1", account_id="a1", name=f"部门{text}"),),
        people=(
            Person(
                id="p1",
                account_id="a1",
                department_id="d1",
                name=f"王{text}",
                title=f"总监 href {text}",
                roles=(Role.decision_maker,),
                next_action=f"回访{text}",
            ),
            Person(
                id="p2",
                account_id="a1",
                department_id="d1",
                name=f"李{text}",
                title=f"工程师{text}",
                roles=(Role.influencer,),
            ),
        ),
        contacts=(Contact(id="c1", name=f"*某{text}", title=f"销售经理{text}"),),
        coverage=(Coverage(contact_id="c1", person_id="p2", status=RelationshipStatus.initial, strength=30),),
        reporting_lines=(ReportingLine(person_id="p2", manager_id="p1"),),
        influences=(Influence(person_id="p2", target_id="p1", strength=70, sign=-1),),
        interactions=(
            Interaction(
                id="i1",
                account_id="a1",
                on=date(2024, 7, 1),
                summary=f"拜访{text}",
                person_ids=("p2",),
                contact_ids=("c1",),
            ),
        ),
    )


def gaps(text: str = "普通") -> GapReport:
    common = {"account_id": "a1", "account_name": f"账户{text}", "department": f"部门{text}"}
    return GapReport(
        as_of=date(2024, 8, 31),
        thresholds=GapThresholds(),
        uncovered_decision_makers=[
            UncoveredStakeholder(
                **common,
                person_id="p1",
                name=f"王{text}",
                title=None,
                roles=[Role.decision_maker],
                links=0,
                reason=UncoveredReason.no_contact,
            )
        ],
        uncovered_stakeholders=[],
        weak_links=[
            WeakLink(
                **common,
                person_id="p2",
                name=f"李{text}",
                title=None,
                roles=[Role.influencer],
                contact_id="c1",
                contact_name="*某",
                contact_title=None,
                status=RelationshipStatus.initial,
                strength=30,
                last_contact_on=date(2024, 7, 1),
                days_since_contact=61,
                reasons=[WeakReason.weak_status, WeakReason.low_strength],
            )
        ],
    )


def drawn(page: str) -> tuple[dict[str, dict], list[dict]]:
    """The nodes the page hands to vis-network at once and the lines page.js hands it when they show."""
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", page).group(1))
    assert json.loads(re.search(r"edges = new vis\.DataSet\((.*?)\);\n", page).group(1)) == []  # handed on demand
    return {n["id"]: n for n in nodes}, page_data(page)["lines"]


def page_data(page: str) -> dict:
    return json.loads(re.search(r'id="graphmap-data">(.*?)</script>', page).group(1))


def test_pages_share_the_compiled_template(monkeypatch):
    account_page(network(), gaps())
    compiled = []
    compile_template = jinja2.Environment.compile

    def counted(*args: object, **kwargs: object) -> object:
        compiled.append(args)
        return compile_template(*args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    assert account_page(network("二"), gaps("二"))
    assert compiled == []  # pyvis would compile it again for every page: 40 ms of a small account's


def test_account_page_is_offline_and_draws_everyone():
    page = account_page(network(), gaps())
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    nodes, edges = drawn(page)
    assert set(nodes) == {"dept:d1", "person:p1", "person:p2", "contact:c1"}
    data = page_data(page)["nodes"]
    name, title, badges, chips, more, gap, left, ours, symbol = data["person:p1"]["card"]
    assert (name, gap, ours) == ("王普通", True, False)  # the uncovered decision-maker: red frame and ⚠
    assert badges == [["决策", "#7b2cbf"]] and chips == []
    _, _, _, chips, _, gap, _, _, _ = data["person:p2"]["card"]
    assert [chip[1:] for chip in chips] == [["#f9a825", 30, True]]  # status colour, strength, weak
    assert gap is False
    contact = data["contact:c1"]["card"]
    assert contact[7] is True and contact[8] == "●"  # ours: a dark card, the symbol of no team
    assert all("title" not in n for n in nodes.values())  # tooltips come from our JSON block only
    by_pair = {(e["from"], e["to"]): e for e in edges}
    assert by_pair[("person:p2", "person:p1")]["arrows"] == "to"  # reports to
    covers = by_pair[("contact:c1", "person:p2")]
    assert covers["dashes"] is True and covers["label"] == "⚠"  # a weak link
    assert any(e.get("dashes") is True and e["from"] == "person:p2" and e["to"] == "person:p1" for e in edges)
    assert not any(e["kind"] in ("works_in", "part_of") for e in edges)  # departments are boxes now
    assert "未覆盖的决策者 / uncovered decision-maker" in page_data(page)["nodes"]["person:p1"]["details"]
    assert "图例 / Legend" in page and "决策者 / decision-maker" in page


def test_account_page_never_lets_a_payload_through():
    page = account_page(network(XSS), gaps(XSS))
    assert XSS in page_data(page)["nodes"]["person:p2"]["card"][0]  # drawn as text on the canvas
    assert "<img src=x" not in page
    assert "<script>alert(2)" not in page
    assert "alert(1)" in page  # it is there, as inert text
    # pyvis switches tooltips to innerHTML when a title has "href"; we give it none.
    assert "popup.innerHTML" not in page
    heading = re.search(r'<h1 id="account-name">(.*?)</h1>', page, re.S)
    assert heading and heading.group(1).startswith("账户&lt;img")


def test_index_escapes_and_links_every_account():
    accounts = [AccountSummary(id="a1", name=f"账户{XSS}", industry=XSS, people=2, contacts=1)]
    page = index_page(accounts, [], gap_counts(gaps(XSS)), date(2024, 8, 31))
    assert 'href="a1.html"' in page
    assert "<img src=x" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)


@pytest.mark.parametrize(
    "html",
    [
        '<script src="https://cdn.example/x.js"></script>',
        "<link href=//cdn.example/x.css>",
        "<style>@import 'https://x/y.css'</style>",
        '<div style="background:url(http://x/y.png)">',
    ],
)
def test_the_offline_guard_refuses_external_references(html):
    with pytest.raises(GraphmapError, match="external request"):
        assert_offline(html, "test page")


@pytest.mark.parametrize(
    "html",
    [
        "<td>IT lead (site: src=//intranet/it)</td>",  # a title typed by an editor, escaped text
        "<p>see url(http://x/y.png) and @import 'https://x'</p>",
        '<script>var nodes = [{"title": "href=//intranet"}];</script>',
        '<a href="a1.html">ok</a><img src="data:image/png;base64,AAAA">',
    ],
)
def test_the_offline_guard_leaves_text_that_only_reads_like_a_reference(html):
    assert assert_offline(html, "test page") == html


def test_the_offline_guard_names_the_markup_not_the_value():
    with pytest.raises(GraphmapError) as raised:
        assert_offline('<img src="//x/王芳.png">', "test page")
    assert "<img src=...>" in raised.value.message and "王芳" not in raised.value.message


def org() -> AccountNetwork:
    """HQ with two branches, a department under one; a CEO, managers and staff reporting up."""
    departments = (
        Department(id="hq", account_id="a1", name="总部", level=DepartmentLevel.hq),
        Department(id="b1", account_id="a1", name="华东分公司", level=DepartmentLevel.branch, parent_id="hq"),
        Department(id="b2", account_id="a1", name="华南分公司", level=DepartmentLevel.branch, parent_id="hq"),
        Department(id="d1", account_id="a1", name="采购部", parent_id="b1"),
    )
    people = (
        Person(id="ceo", account_id="a1", department_id="hq", name="赵总", roles=(Role.decision_maker,)),
        Person(id="m1", account_id="a1", department_id="b1", name="钱经理"),
        Person(id="s1", account_id="a1", department_id="b1", name="孙员工"),
        Person(id="s2", account_id="a1", department_id="d1", name="李采购", roles=(Role.purchaser, Role.user)),
        Person(id="m2", account_id="a1", department_id="b2", name="周经理"),
    )
    lines = (
        ReportingLine(person_id="m1", manager_id="ceo"),
        ReportingLine(person_id="m2", manager_id="ceo"),
        ReportingLine(person_id="s1", manager_id="m1"),
        ReportingLine(person_id="s2", manager_id="m1"),
    )
    contacts = (Contact(id="c1", name="吴销售", team=Team.sales), Contact(id="c2", name="郑服务", team=Team.service))
    coverage = (
        Coverage(contact_id="c1", person_id="m1", status=RelationshipStatus.trusted),
        Coverage(contact_id="c2", person_id="s2", status=RelationshipStatus.initial),
    )
    return AccountNetwork(
        account=Account(id="a1", name="某集团"),
        departments=departments,
        people=people,
        contacts=contacts,
        coverage=coverage,
        reporting_lines=lines,
        influences=(),
        interactions=(),
    )


def test_the_layout_reads_like_an_org_chart_and_is_the_same_every_time():
    chart = layout(org())
    assert chart.positions == layout(org()).positions
    positions = chart.positions
    x, y = {k: v[0] for k, v in positions.items()}, {k: v[1] for k, v in positions.items()}
    assert (
        y["dept:hq"] < y["person:ceo"] < y["dept:b1"] < y["person:m1"] < y["person:s1"] < y["dept:d1"] < y["person:s2"]
    )
    assert y["dept:b1"] == y["dept:b2"] and x["dept:b1"] < x["dept:b2"]  # branches side by side, by id
    assert x["dept:b1"] < x["dept:hq"] < x["dept:b2"]  # the parent centred over its children
    assert all(y[f"contact:{c}"] < y["dept:hq"] for c in ("c1", "c2"))  # our team's box above the organisation
    assert x["contact:c1"] < x["contact:c2"]  # sales before service
    for child, parent in (("b1", "hq"), ("b2", "hq"), ("d1", "b1")):  # departments contain their children
        assert inside(_r(chart.departments[child]), _r(chart.departments[parent]))
    assert inside(_r(chart.cards["person:s2"]), _r(chart.departments["d1"]))
    m1, s1 = chart.cards["person:m1"], chart.cards["person:s1"]
    assert ((m1.x + m1.w / 2, m1.y + m1.h, m1.x + m1.w / 2, m1.y + m1.h + 20.0)) in chart.segments  # a drop below m1
    assert s1.y > m1.y  # s1 reports to m1 in the same department: below, joined by a connector


def _r(box) -> tuple[float, float, float, float]:
    return (box.x, box.y, box.w, box.h)


def _shapes() -> list[AccountNetwork]:
    """Organisations of every shape a layout can meet: the sample sizes, a flat department of 300, one
    manager with 120 reports, a deep chain, a cycle, reports across departments."""
    from bench.generate import Shape, generate_portfolio

    shapes = []
    for people in (10, 50, 300, 2000):
        p = generate_portfolio(seed=people, shapes=[Shape("智能制造", people=people, branches=max(2, people // 400))])
        shapes.append(AccountNetwork(account=p.accounts[0], departments=p.departments, people=p.people,
                                     contacts=p.contacts, coverage=p.coverage, reporting_lines=p.reporting_lines,
                                     influences=p.influences, interactions=p.interactions))  # fmt: skip
    base = org()
    many = tuple(Person(id=f"x{i:03}", account_id="a1", department_id="b2", name=f"员工{i}") for i in range(300))
    shapes.append(base.model_copy(update={"people": base.people + many}))
    fan = tuple(ReportingLine(person_id=f"x{i:03}", manager_id="m2") for i in range(120))
    chain = tuple(ReportingLine(person_id=f"x{i:03}", manager_id=f"x{i - 1:03}") for i in range(200, 260))
    cycle = (ReportingLine(person_id="x150", manager_id="x151"), ReportingLine(person_id="x151", manager_id="x150"))
    across = (ReportingLine(person_id="x299", manager_id="s2"),)
    shapes.append(
        base.model_copy(
            update={
                "people": base.people + many,
                "reporting_lines": base.reporting_lines + fan + chain + cycle + across,
            }
        )
    )
    return shapes


@pytest.mark.parametrize("shape", range(6))
def test_no_card_overlaps_another_or_a_header_and_no_connector_runs_through_a_card(shape):
    network = _shapes()[shape]
    chart = layout(network)
    cards = {k: _r(b) for k, b in chart.cards.items()}
    assert len(cards) == len(network.people) + len(network.contacts)
    solid = cards | {f"header:{k}": _r(b) for k, b in chart.headers.items()}
    assert overlapping(solid) == []
    boxes = {k: _r(b) for k, b in chart.departments.items()} | {"team": _r(chart.team_box)}
    assert badly_nested(boxes) == []
    home = {f"person:{p.id}": p.department_id for p in network.people}
    assert all(inside(cards[k], boxes[d]) for k, d in home.items())
    assert segments_through(cards, chart.segments) == []
    assert all(inside(cards[f"contact:{c.id}"], boxes["team"]) for c in network.contacts)
    overview = layout(network, collapsed=True)  # a large account's first view: summaries, not people
    summaries = {f"area:{k}": _r(b) for k, b in overview.people_areas.items()}
    assert set(summaries) == {f"area:{p.department_id}" for p in network.people}
    headers = {f"header:{k}": _r(b) for k, b in overview.headers.items()}
    assert overlapping(summaries | headers | {k: _r(b) for k, b in overview.cards.items()}) == []
    assert badly_nested({k: _r(b) for k, b in overview.departments.items()}) == []
    assert overview.segments == []
    if len(network.people) >= 300:  # where it is used, it is much smaller than the full chart
        assert overview.width * overview.height < chart.width * chart.height / 3


def test_a_reporting_cycle_does_not_hang_the_layout():
    cyclic = org().model_copy(
        update={"reporting_lines": (ReportingLine(person_id="ceo", manager_id="s1"), *org().reporting_lines)}
    )
    depth = reporting_depth(cyclic)
    assert set(depth) == {"ceo", "m1", "m2", "s1", "s2"}


def test_the_masked_view_hides_stakeholders_names_shows_our_staff_and_keeps_the_network():
    plain, masked = account_page(org(), gaps()), account_page(masked_network(org()), gaps())
    for name in (p.name for p in org().people):
        assert name in plain and name not in masked
    for name in (c.name for c in org().contacts):  # colleagues' names (graphmap/privacy.py)
        assert name in masked
    assert "*某" in masked
    plain_nodes, plain_edges = drawn(plain)
    masked_nodes, masked_edges = drawn(masked)
    assert set(plain_nodes) == set(masked_nodes)
    assert [(e["from"], e["to"]) for e in plain_edges] == [(e["from"], e["to"]) for e in masked_edges]


def test_a_warm_path_is_drawn_over_the_network():
    steps = [
        PathStep(from_id="c1", to_id="m1", to_name="钱经理", to_title=None, kind=TieKind.covers, strength=70),
        PathStep(from_id="m1", to_id="ceo", to_name="赵总", to_title=None, kind=TieKind.reports_to, strength=60),
    ]
    path = WarmPath(
        account_id="a1",
        target_id="ceo",
        contact_id="c1",
        contact_name="吴销售",
        contact_title=None,
        steps=steps,
        weakest=60,
        hops=2,
        explanation_zh="吴销售 → 钱经理 → 汇报给 → 赵总",
        explanation_en="吴销售 -> 钱经理 -> reports to -> 赵总",
    )
    page = account_page(org(), gaps(), path=path)
    _, edges = drawn(page)
    assert [(e["from"], e["to"]) for e in edges if e["kind"] == "path"] == [
        ("contact:c1", "person:m1"),
        ("person:m1", "person:ceo"),
    ]
    assert page_data(page)["path"] == ["contact:c1", "person:m1", "person:ceo"]
    assert "引荐路径 / warm path: 吴销售 → 钱经理" in page


def test_a_large_account_opens_with_departments_collapsed(monkeypatch):
    monkeypatch.setattr(network_module, "COLLAPSE_ABOVE", 3)
    page = account_page(org(), gaps())
    nodes, _ = drawn(page)
    data = page_data(page)
    assert data["collapsed"] is True
    overview = data["overview"]["departments"]
    assert set(overview) == set(data["departments"])
    assert all((nodes[f"dept:{d}"]["x"], nodes[f"dept:{d}"]["y"]) == tuple(o["at"]) for d, o in overview.items())
    assert not [k for k in nodes if k.startswith("person:")]  # handed to vis-network when first shown
    assert set(data["pending"]) == {f"person:{p.id}" for p in org().people}
    assert not any(n.get("hidden") for k, n in nodes.items() if not k.startswith("person:"))


def test_the_page_and_the_files_name_one_cjk_font_stack():
    from importlib.resources import files

    from graphmap.pages import style

    css = files("graphmap.pages").joinpath("page.css").read_text(encoding="utf-8")
    assert f"font-family: {style.FONT_STACK};" in css
    assert page_data(account_page(network(), gaps()))["font"] == style.FONT_STACK  # the canvas' text
    for family in (
        "Microsoft YaHei",
        "PingFang SC",
        "Noto Sans CJK SC",
        "WenQuanYi Micro Hei",
    ):  # Windows, macOS, Linux
        assert family in style.FONT_STACK
