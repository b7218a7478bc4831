"""The notebook face on each engine: the same numbers as the CLI, built chunk by chunk, from the CLI's settings."""

import json
from datetime import timedelta

import pandas as pd
import pytest
from typer.testing import CliRunner

from graphmap import graph
from graphmap.cli import app
from graphmap.errors import NotFound
from graphmap.sample import SAMPLE_AS_OF
from graphmap.workbench import Workbench

pytestmark = pytest.mark.integration


@pytest.fixture
def cli(cli_env, tmp_path):
    """Runs graphmap on the engine of cli_env, loaded with the demo portfolio; returns its stdout."""
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    run("demo", "--out", str(tmp_path / "pages"))
    return run


@pytest.fixture
def wb(cli, monkeypatch):
    from graphmap.config import get_settings

    monkeypatch.setenv("GRAPHMAP_AS_OF", SAMPLE_AS_OF.isoformat())
    get_settings.cache_clear()
    with Workbench.connect() as workbench:
        yield workbench
    get_settings.cache_clear()


def missing_as_none(value: object) -> object:
    return None if pd.isna(value) else value


def test_frames_hold_the_numbers_the_cli_prints(cli, wb):
    assert wb.as_of == SAMPLE_AS_OF  # from GRAPHMAP_AS_OF, like the CLI's default --as-of

    coverage = {r["account_id"]: r for r in json.loads(cli("coverage", "--json"))}
    frame = wb.coverage().set_index("account_id")
    assert set(frame.index) == set(coverage)
    for account_id, row in frame.iterrows():
        expected = coverage[account_id]
        assert (row["completeness"], row["people"], row["covered"]) == (
            expected["completeness"],
            expected["people"],
            expected["covered"],
        )
        assert missing_as_none(row["score"]) == expected["score"]

    gaps = json.loads(cli("gaps", "--json"))
    assert gaps["as_of"] == SAMPLE_AS_OF.isoformat()  # the CLI's default --as-of is GRAPHMAP_AS_OF too
    uncovered = gaps["uncovered_decision_makers"] + gaps["uncovered_stakeholders"]
    assert list(wb.gaps()["person_id"]) == [u["person_id"] for u in uncovered]
    assert len(wb.weak_links()) == len(gaps["weak_links"])

    strength = {(s["contact_id"], s["person_id"]): s["score"] for s in json.loads(cli("strength", "--json"))}
    links = wb.strength()
    assert {
        (c, p): missing_as_none(s)
        for c, p, s in zip(links["contact_id"], links["person_id"], links["score"], strict=True)
    } == strength

    tiers = {s["account_id"]: s["tier"] for s in json.loads(cli("segments", "--json"))}
    segments = wb.segments()
    assert {a: missing_as_none(t) for a, t in zip(segments["account_id"], segments["tier"], strict=True)} == tiers

    due = [(f["account_id"], f["person_id"], f["due_on"]) for f in json.loads(cli("followups", "--json"))]
    plan = wb.follow_ups()
    assert [
        (a, missing_as_none(p), d.date().isoformat())
        for a, p, d in zip(plan["account_id"], plan["person_id"], plan["due_on"], strict=True)
    ] == due


def test_portfolio_frames_are_the_same_whatever_the_chunk(wb, monkeypatch):
    whole = wb.stakeholders(), wb.interactions()
    monkeypatch.setattr(graph, "READ_CHUNK", 2)  # 7 accounts: four chunks
    chunked = wb.stakeholders(), wb.interactions()
    for one, other in zip(whole, chunked, strict=True):
        pd.testing.assert_frame_equal(one, other)
    assert isinstance(chunked[0]["status"].dtype, pd.CategoricalDtype)
    people = chunked[0]
    assert people["account_id"].nunique() == len(wb.accounts())
    assert len(people) == wb.accounts()["people"].sum()


def test_networkx_and_the_page_of_one_account(wb):
    account_id = wb.accounts()["account_id"].iloc[0]
    network = wb.network(account_id)
    g = wb.to_networkx(account_id)
    records = 1 + len(network.departments) + len(network.people) + len(network.contacts) + len(network.interactions)
    assert g.number_of_nodes() == records
    assert sum(1 for *_, key in g.edges(keys=True) if key == "COVERS") == len(network.coverage)
    portfolio = wb.to_networkx()
    assert set(g.nodes) <= set(portfolio.nodes)
    assert sum(1 for _, data in portfolio.nodes(data=True) if data["label"] == "Account") == len(wb.accounts())
    assert wb.page(account_id).startswith("<!DOCTYPE html>") or "<html" in wb.page(account_id)[:200]


def test_contacts_and_changes(wb):
    contacts = wb.contacts()
    assert contacts["contact_id"].is_unique
    assert contacts["people"].sum() == len(wb.strength())  # strength scores every COVERS link once
    changes = wb.changes(SAMPLE_AS_OF.replace(year=2000))
    assert set(changes["kind"].astype(str)) >= {"account_added"}
    with pytest.raises(NotFound):
        wb.changes(SAMPLE_AS_OF, "no-such-account")


def test_the_analyses_the_workbench_lacked_give_the_cli_numbers(cli, wb):
    as_of = ("--as-of", SAMPLE_AS_OF.isoformat())
    risks = {r["account_id"]: r for r in json.loads(cli("single-points", "--json", *as_of))}
    frame = wb.single_points().set_index("account_id")
    assert set(frame.index) == set(risks)
    for account_id, row in frame.iterrows():
        top = risks[account_id]["top_contact"]
        assert missing_as_none(row["top_contact_id"]) == (top["person"]["id"] if top else None)
        assert row["critical_people"] == len(risks[account_id]["critical_people"])
    influencers = json.loads(cli("influencers", "--json", "--top", "3", *as_of))
    assert wb.influencers(top=3)[["person_id", "rank"]].values.tolist() == [
        [i["person_id"], i["rank"]] for i in influencers
    ]
    actions = json.loads(cli("actions", "--json", *as_of))
    assert wb.actions()[["person_id", "priority"]].values.tolist() == [[a["person_id"], a["priority"]] for a in actions]


def test_plans_tasks_and_introductions_give_the_cli_numbers(cli, wb):
    as_of = ("--as-of", SAMPLE_AS_OF.isoformat())
    plan = json.loads(cli("plan", "--json", *as_of))
    frame = wb.plan()
    assert frame[["person_id", "contact_id", "state"]].values.tolist() == [
        [p["person_id"], p["contact_id"], p["state"]] for p in plan
    ]
    assert {"met", "overdue", "open"} <= set(frame["state"]) and frame["state_zh"].notna().all()
    tasks = json.loads(cli("tasks", "--json", *as_of))
    assert wb.tasks()[["task_id", "overdue_days"]].values.tolist() == [[t["task_id"], t["overdue_days"]] for t in tasks]
    assert str(wb.tasks()["due"].dtype) == "datetime64[ns]" and len(tasks) == 6  # the sample's visits
    assert wb.introductions().empty and list(wb.introductions().columns) == list(wb.tasks().columns)


def test_the_review_of_every_gap_gives_the_cli_s_movements(cli, wb):
    since = SAMPLE_AS_OF - timedelta(days=60)
    answer = json.loads(cli("review", "--json", "--every-gap", "--since", since.isoformat(), "--as-of",
                            SAMPLE_AS_OF.isoformat()))  # fmt: skip
    expected = sorted((a["standing"]["account_id"], m["kind"], m["person_id"] or "")
                      for a in answer["accounts"] for m in a["movements"])  # fmt: skip
    frame = wb.review(since=since, every_gap=True)
    kinds = [str(getattr(kind, "value", kind)) for kind in frame["kind"]]
    assert sorted(zip(frame["account_id"], kinds, frame["person_id"].fillna(""), strict=True)) == expected
    assert "stakeholder_covered" in kinds  # every stakeholder's gaps, not the decision-makers' alone
    assert "stakeholder_covered" not in {str(getattr(k, "value", k)) for k in wb.review(since=since)["kind"]}
