"""Pages are offline, escaped and carry the encoding; built from models alone (no store)."""

import json
import re
from datetime import date

import pytest

from graphmap.analysis.gaps import GapReport, GapThresholds, UncoveredReason, UncoveredStakeholder, WeakLink, WeakReason
from graphmap.errors import GraphmapError
from graphmap.graph import AccountNetwork, AccountSummary
from graphmap.model import (
    Account,
    Contact,
    Coverage,
    Department,
    Influence,
    Interaction,
    Person,
    RelationshipStatus,
    ReportingLine,
    Role,
)
from graphmap.pages.html import assert_offline
from graphmap.pages.index import index_page
from graphmap.pages.network import account_page

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
    """The nodes and edges the page hands to vis-network, read back from the page."""
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", page).group(1))
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((.*?)\);\n", page).group(1))
    return {n["id"]: n for n in nodes}, edges


def test_account_page_is_offline_and_draws_everyone():
    page = account_page(network(), gaps())
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    nodes, edges = drawn(page)
    assert set(nodes) == {"dept:d1", "person:p1", "person:p2", "contact:c1"}
    assert nodes["person:p1"]["label"].startswith("⚠ 王普通")  # the uncovered decision-maker is ringed
    assert nodes["person:p1"]["borderWidth"] > nodes["person:p2"]["borderWidth"]
    assert nodes["contact:c1"]["shape"] == "diamond"
    assert all("title" not in n for n in nodes.values())  # tooltips come from our JSON block only
    by_pair = {(e["from"], e["to"]): e for e in edges}
    assert by_pair[("person:p2", "person:p1")]["arrows"] == "to"  # reports to
    covers = by_pair[("contact:c1", "person:p2")]
    assert covers["dashes"] is True and covers["label"] == "⚠"  # a weak link
    assert any(e.get("dashes") is True and e["from"] == "person:p2" and e["to"] == "person:p1" for e in edges)
    details = json.loads(re.search(r'id="graphmap-details">(.*?)</script>', page).group(1))
    assert "未覆盖的决策者 / uncovered decision-maker" in details["person:p1"]
    assert "图例 / Legend" in page and "决策者 / decision-maker" in page


def test_account_page_never_lets_a_payload_through():
    page = account_page(network(XSS), gaps(XSS))
    nodes, _ = drawn(page)
    assert XSS in nodes["person:p2"]["label"]  # drawn as text on the canvas
    assert "<img src=x" not in page
    assert "<script>alert(2)" not in page
    assert "alert(1)" in page  # it is there, as inert text
    # pyvis switches tooltips to innerHTML when a title has "href"; we give it none.
    assert "popup.innerHTML" not in page
    heading = re.search(r'<h1 id="account-name">(.*?)</h1>', page, re.S)
    assert heading and heading.group(1).startswith("账户&lt;img")


def test_index_escapes_and_links_every_account():
    accounts = [AccountSummary(id="a1", name=f"账户{XSS}", industry=XSS, people=2, contacts=1)]
    page = index_page(accounts, gaps(XSS))
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
