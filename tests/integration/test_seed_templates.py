"""Issue 31: the five templates as the seeds print them, each imported as typed (tests/seeds/), give the
seeds' own answers, connect into one customer record, and come back from an export unchanged; on each
engine, through the CLI."""

import json
from datetime import date
from pathlib import Path

import pytest

from graphmap.config import get_settings
from graphmap.exporting import TITLES
from graphmap.graph import count_graph, list_accounts, read_account_network, read_cards
from graphmap.store import open_store
from tests.conftest import WORKED_EXAMPLE, snapshot

pytestmark = pytest.mark.integration

SEEDS = Path(__file__).parents[1] / "seeds"
ARCHIVE = [SEEDS / name for name in ("archive_001.csv", "archive_contacts_001.csv", "contact_log_001.csv")]
SEGMENTATION, CARD = SEEDS / "segmentation_002.csv", SEEDS / "process_card_003.csv"


def stored(read):
    store = open_store(get_settings())
    try:
        return read(store)
    finally:
        store.close()


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.csv")), ids=lambda p: p.stem)
def test_each_seed_imports_as_printed(run, path):
    files = [*ARCHIVE[:2], path] if path.name == "contact_log_001.csv" else [path]  # a log names its people
    files = [ARCHIVE[0], path] if path.name == "archive_contacts_001.csv" else files
    output = run("import", *map(str, files))
    assert "problem" not in output and "imported" in output


def test_seed_002s_four_rows_give_its_four_tiers(run):
    run("import", str(SEGMENTATION))
    segments = {s["account_id"]: s for s in json.loads(run("segments", "--json", "--as-of", "2024-12-31"))}
    assert {a: segments[a]["tier"] for a in ("C001", "C002", "C003", "C004")} == {
        "C001": "core", "C002": "potential", "C003": "ordinary", "C004": "low_value",
    }  # fmt: skip
    accounts = {a.id: a for a in stored(list_accounts)}
    core = accounts["C001"]
    assert (core.name, core.industry, core.revenue_12m, core.recorded_interactions_6m, core.tenure_months) == (
        "*科技有限公司", "互联网", 65, 12, 24,
    )  # fmt: skip
    assert (core.tier.value, core.tier_basis, core.core_needs, core.key_contact) == (
        "core", "高金额+高频互动+长合作", "定制化软件开发", "*总监",
    )  # fmt: skip
    assert core.strategy == "客户成功经理月度跟进，优先响应需求" and core.notes == "近期有二期项目意向"
    assert accounts["C004"].key_contact is None and accounts["C004"].notes is None  # "/" and a short row


def test_the_cards_high_intent_plans_weekly_follow_ups_and_says_it_ruled(run, tmp_path):
    run("import", str(CARD))
    (account,) = [a for a in stored(list_accounts) if a.name == "××科技有限公司"]
    (card,) = stored(lambda s: list(read_cards(s, [account.id])))
    assert (card.id, card.intent.value, card.source.value, card.source_text) == (
        "CRM20240521001", "high", "website", "官网留言",
    )  # fmt: skip
    assert (card.analysed_on, card.decision_makers, card.influencers, card.users) == (
        date(2024, 5, 20), "(CTO)", "(采购经理)", "运维团队",
    )  # fmt: skip
    # The card names the CTO and the 采购经理: they are the account's people now, in their roles.
    people = {p.title: p for p in stored(lambda s: read_account_network(s, account.id)).people}
    assert {t: [r.value for r in p.roles] for t, p in people.items()} == {
        "CTO": ["decision_maker"], "采购经理": ["influencer"],
    }  # fmt: skip
    assert set(card.person_ids) == {p.id for p in people.values()}
    # A call logged against the card's 采购经理 makes the follow-up weekly from that call.
    log = tmp_path / "log.csv"
    log.write_text("客户名称,时间,参与人,沟通方式,沟通内容\n××科技有限公司,2024-05-21,销售经理*王、采购经理,电话,确认宕机频率\n",
                   encoding="utf-8")  # fmt: skip
    run("import", str(log))
    plan = json.loads(run("followups", "--json", "--as-of", "2024-05-25", "--account", account.id))
    whole = next(f for f in plan if f["person_id"] is None)
    assert (whole["intent"], whole["intent_source"], whole["intent_card_id"]) == ("high", "card", "CRM20240521001")
    assert whole["due_on"] == "2024-05-28"  # weekly: 7 days after the call
    buyer = next(f for f in plan if f["person_id"] == people["采购经理"].id)
    assert (buyer["intent_source"], buyer["due_on"], buyer["owner_name"]) == ("card", "2024-05-28", "*王")


def test_an_archive_intent_is_overruled_by_the_card_and_the_report_says_so(run, tmp_path):
    run("import", str(CARD))
    archive = tmp_path / "archive.csv"
    archive.write_text("客户名称,意向等级\n××科技有限公司,低意向\n", encoding="utf-8")
    run("import", str(archive))
    plan = json.loads(run("followups", "--json", "--as-of", "2024-05-25"))
    whole = next(f for f in plan if f["account_name"] == "××科技有限公司" and f["person_id"] is None)
    assert (whole["intent"], whole["intent_source"]) == ("high", "card")


def test_a_logged_call_covers_the_buyer_weakly_and_the_owner_resolves(run):
    run("import", *map(str, ARCHIVE))
    report = json.loads(run("gaps", "--json", "--as-of", "2024-02-01"))
    assert report["uncovered_decision_makers"] == []
    (buyer,) = [u for u in report["uncovered_stakeholders"] if u["title"] == "采购部经理"]
    assert buyer["reason"] == "weak_only"  # not "nobody on our side"
    weak = [w for w in report["weak_links"] if w["title"] == "采购部经理"]
    assert {(w["contact_title"], w["basis"], w["strength_source"]) for w in weak} == {
        ("销售", "interactions", "computed"), (None, "interactions", "computed"),
    }  # fmt: skip
    strength = json.loads(run("strength", "--json", "--as-of", "2024-02-01"))
    assert {(s["contact_id"], s["strength"]) for s in strength} == {(w["contact_id"], w["strength"]) for w in weak}
    plan = json.loads(run("followups", "--json", "--as-of", "2024-02-01", "--account", "2024-IT-001"))
    assert plan[0]["owner_name"] is not None
    assert stored(count_graph)["COVERS"] == 2  # the backup holds the links the call made


def test_a_card_names_people_the_mapping_table_already_has(run, tmp_path):
    run("import", str(WORKED_EXAMPLE))
    card = tmp_path / "card.csv"
    card.write_text("客户编号,客户名称,决策链,意向等级\nCRM-20240901-1,XX科技有限公司,决策人:副总经理*某某、(采购总监)影响者:技术经理,高意向\n",
                    encoding="utf-8")  # fmt: skip
    run("import", str(card))
    (account,) = stored(list_accounts)
    people = {p.title: p for p in stored(lambda s: read_account_network(s, account.id)).people}
    assert len(people) == 4  # nobody added: the card's people are the mapping table's
    assert [r.value for r in people["采购总监"].roles] == ["decision_maker"]
    assert [r.value for r in people["技术经理"].roles] == ["influencer"]  # held already, not doubled
    assert [r.value for r in people["副总经理"].roles] == ["decision_maker"]


def test_every_seed_comes_back_from_its_export_unchanged(run, tmp_path):
    run("import", str(WORKED_EXAMPLE), *map(str, [*ARCHIVE, SEGMENTATION, CARD]))
    first = snapshot(tmp_path, "first.jsonl")
    exported = []
    for template in TITLES:
        path = tmp_path / f"out-{template}.xlsx"
        run("export", str(path), "--template", template, "--as-of", "2024-09-30")
        exported.append(path)
    run("import", *map(str, exported))
    assert snapshot(tmp_path, "after.jsonl") == first
