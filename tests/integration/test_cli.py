"""The command line end to end, on every engine: import, gaps, render, demo."""

import csv
import json
import re
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphmap import rendering
from graphmap.cli import app
from graphmap.errors import GraphmapError, Unauthorized
from graphmap.sample import SAMPLE_AS_OF
from tests.conftest import WORKED_EXAMPLE

pytestmark = pytest.mark.integration
runner = CliRunner()


def run(*args: str, ok: bool = True):
    result = runner.invoke(app, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


def report_json() -> dict:
    return json.loads(run("gaps", "--json", "--as-of", "2024-08-31").stdout)


def test_import_then_gaps_as_json(cli_env):
    assert "4 rows" in run("import", str(WORKED_EXAMPLE)).stdout
    report = report_json()
    assert set(report) >= {"uncovered_decision_makers", "weak_links"}
    # The 副总经理, met once (computed strength 28, weak): docs/gaps.md, tests/integration/test_gaps.py
    assert [u["title"] for u in report["uncovered_decision_makers"]] == ["副总经理"]
    weak = next(w for w in report["weak_links"] if w["title"] == "技术经理")
    assert weak["status"] == "initial" and weak["days_since_contact"] == 31
    assert (weak["strength"], weak["strength_source"]) == (21, "computed")
    for key in ("account_id", "person_id", "name", "title", "department", "contact_id", "reasons"):
        assert key in weak
    user = next(u for u in report["uncovered_stakeholders"] if u["title"] == "生产线组长")
    assert user["reason"] == "no_contact"


def test_importing_the_same_file_twice_changes_nothing(cli_env):
    run("import", str(WORKED_EXAMPLE))
    first = run("status").stdout
    run("import", str(WORKED_EXAMPLE))
    again = run("status").stdout
    assert "Person: 4" in first
    # Nothing changes but the audit trail: each import records who ran it (one more change-log entry).
    assert re.sub(r"Change: \d+", "", again) == re.sub(r"Change: \d+", "", first)
    assert int(re.search(r"Change: (\d+)", again)[1]) == int(re.search(r"Change: (\d+)", first)[1]) + 1


def test_dry_run_writes_nothing(cli_env):
    assert "nothing written" in run("import", "--dry-run", str(WORKED_EXAMPLE)).stdout
    assert "no gaps" in run("gaps", "--as-of", "2024-08-31").stdout


def test_a_bad_file_stops_the_whole_import(cli_env, tmp_path):
    rows = list(csv.reader(WORKED_EXAMPLE.read_text(encoding="utf-8").splitlines()))
    rows[5][3] = "决策王"  # line 6: an unknown role type
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    result = run("import", str(WORKED_EXAMPLE), str(bad), ok=False)
    assert result.exit_code == 1
    assert re.search(
        r"bad\.csv:6: column D \(角色类型/Role type\): '决策王' is not a role type; accepted: 决策者/decision_maker",
        result.stderr.replace("\n", ""),
    )
    assert "nothing was written" in result.stderr
    assert "no gaps" in run("gaps", "--as-of", "2024-08-31").stdout  # not even the good file


def test_gaps_for_one_account_and_bad_arguments(cli_env):
    run("import", str(WORKED_EXAMPLE))
    report = report_json()
    account_id = report["weak_links"][0]["account_id"]
    one = json.loads(
        run("gaps", "--json", "--account", account_id, "--as-of", "2024-08-31", "--cadence-days", "45").stdout
    )
    assert [u["title"] for u in one["uncovered_decision_makers"]] == ["副总经理", "采购总监"]
    assert run("gaps", "--account", "nope", ok=False).exit_code == 1
    assert "no account with id 'nope'" in run("gaps", "--account", "nope", ok=False).stderr
    assert run("gaps", "--as-of", "2024-02-30", ok=False).exit_code == 2
    assert "--weak-status" in run("gaps", "--weak-status", "friendly", ok=False).stderr
    human = run("gaps", "--as-of", "2024-08-31").stdout
    assert "薄弱关系 / Weak links" in human and "XX科技有限公司" in human and "技术经理" in human


def test_render_writes_offline_pages(cli_env, tmp_path):
    run("import", str(WORKED_EXAMPLE))
    out = tmp_path / "pages"
    run("render", "--out", str(out), "--as-of", "2024-08-31")
    pages = sorted(p.name for p in out.iterdir())
    assert "index.html" in pages and len(pages) == 2
    for page in out.iterdir():
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "XX科技有限公司" in (out / "index.html").read_text(encoding="utf-8")


def test_render_draws_one_account_as_svg_png_or_pdf_for_a_meeting(cli_env, tmp_path):
    run("import", str(WORKED_EXAMPLE))
    account = run("accounts", "--json").stdout
    account_id = json.loads(account)[0]["id"]
    for format, magic in (("svg", b"<svg"), ("png", b"\x89PNG"), ("pdf", b"%PDF")):
        out = tmp_path / f"map.{format}"
        result = run("render", "--account", account_id, "--format", format, "--out", str(out), "--as-of", "2024-08-31")
        assert out.read_bytes().startswith(magic) and str(out.resolve()) in result.stdout.replace("\n", "")
    assert "XX科技有限公司" in (tmp_path / "map.svg").read_text(encoding="utf-8")
    refused = run("render", "--format", "pdf", ok=False)  # which account?
    assert refused.exit_code == 2 and "--account" in refused.output
    refused = run("render", "--account", account_id, "--format", "docx", ok=False)
    assert refused.exit_code == 1 and "svg, png or pdf / 不支持的格式" in refused.output


def test_demo_loads_reports_and_renders(cli_env, tmp_path):
    out = tmp_path / "demo"
    result = run("demo", "--out", str(out))
    assert "未覆盖的决策者 / Uncovered decision-makers" in result.stdout
    assert "XX科技有限公司" in result.stdout
    pages = list(Path(out).glob("*.html"))
    assert len(pages) == 8  # seven accounts and the index
    assert "Person 168" in result.stdout


def test_error_messages_keep_brackets_from_user_input(cli_env):
    result = run("gaps", "--account", "[bold]x[/bold]", ok=False)
    assert "no account with id '[bold]x[/bold]'" in result.stderr.replace("\n", "")


def test_names_in_the_report_are_never_read_as_markup(cli_env, tmp_path):
    rows = list(csv.reader(WORKED_EXAMPLE.read_text(encoding="utf-8").splitlines()))
    rows[6][1] = "[red]*某某[/red]"  # the 生产线组长, uncovered
    path = tmp_path / "markup.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    run("import", str(path))
    assert "[red]*某某[/red]" in run("gaps", "--as-of", "2024-08-31").stdout


def test_users_tokens_and_grants_from_the_command_line(run: Callable[..., str]) -> None:
    from graphmap.access import authenticate, list_tokens, visible_account_ids
    from graphmap.config import get_settings
    from graphmap.store import open_store

    run("demo", "--out", str(Path(tempfile.mkdtemp()) / "pages"))
    run("user", "add", "wang.fang", "--name", "王芳", "--team", "east")
    secret = run("token", "create", "wang.fang", "--role", "editor").strip().splitlines()[-1]
    run("grant", "2024-EN-00001", "--team", "east")
    run("token", "create", "wang.fang", "--role", "boss", code=2)
    store = open_store(get_settings())
    try:
        principal = authenticate(store, secret)
        assert principal.user.id == "wang.fang" and principal.may_edit and not principal.is_admin
        assert visible_account_ids(store, principal) == {"2024-EN-00001"}
        token_id = list_tokens(store, "wang.fang")[0].id
    finally:
        store.close()
    assert "wang.fang" in run("token", "list")
    run("token", "revoke", token_id)
    run("grant", "2024-EN-00001", "--team", "east", "--withdraw")
    store = open_store(get_settings())
    try:
        with pytest.raises(Unauthorized):
            authenticate(store, secret)
    finally:
        store.close()


def test_the_printed_report_puts_each_gap_under_its_own_account(cli_env, tmp_path):
    run("demo", "--out", str(tmp_path))
    report = json.loads(run("gaps", "--json", "--as-of", SAMPLE_AS_OF.isoformat()).stdout)
    printed = run("gaps", "--all", "--as-of", SAMPLE_AS_OF.isoformat()).stdout
    sections = re.split(r"^(\d+)\. (\S+) ─+$", printed, flags=re.MULTILINE)
    summary, by_rank = sections[0], {int(r): (name, text) for r, name, text in zip(*[iter(sections[1:])] * 3,
                                                                                   strict=True)}  # fmt: skip
    standing = {s["account_id"]: s for s in report["accounts"]}
    gaps = report["uncovered_decision_makers"] + report["uncovered_stakeholders"] + report["weak_links"]
    for gap in gaps:
        name, text = by_rank[standing[gap["account_id"]]["risk"]]
        assert name == gap["account_name"]
        assert f"{gap['title'] or ''}{gap['name']}" in text and gap["department_path"] in text
    assert len(by_rank) > 1 and list(by_rank) == sorted(by_rank)
    for s in report["accounts"]:  # the summary first: a line per account, most exposed first
        assert re.search(
            rf"│ {s['risk']} +│ {re.escape(s['account_name'])} .*│ +{s['uncovered_decision_makers']} │", summary
        )
    assert not [g["person_id"] for g in gaps if g["person_id"] in printed]  # ids are for --json only
    assert "/" in report["uncovered_decision_makers"][0]["department_path"]  # 总部/华南分公司/采购部
    assert max(len(line) for line in summary.splitlines()[1:]) <= 120  # the summary table fits a terminal
    capped = run("gaps", "--as-of", SAMPLE_AS_OF.isoformat()).stdout
    assert len(capped.splitlines()) < len(printed.splitlines()) and "more (--all)" in capped


def test_the_weekly_review_in_every_format_and_the_demo_s_remembered_day(cli_env, tmp_path):
    run("demo", "--out", str(tmp_path))
    remembered = run("review")  # no --as-of: the sample's day, said on stderr
    assert f"{(SAMPLE_AS_OF - timedelta(days=7)).isoformat()} – {SAMPLE_AS_OF.isoformat()}" in remembered.stdout
    assert "the day this store remembers" in remembered.stderr
    assert "关系转弱 / link went cold" in remembered.stdout and "下一步行动 / Next actions" in remembered.stdout
    as_json = json.loads(run("review", "--format", "json").stdout)
    assert as_json["as_of"] == SAMPLE_AS_OF.isoformat() and len(as_json["accounts"]) == 7
    markdown = run("review", "--format", "md", "--account", "a-3a7dce62b876").stdout
    assert markdown.startswith("# 周报 / Weekly review") and "\\*某" in markdown  # *某 escaped, not italics
    html = run("review", "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "周报" in html
    quiet = run("review", "--as-of", "2026-01-08", "--since", "2026-01-07").stdout
    assert "本周没有变化 / nothing moved" in quiet
    assert run("review", "--team", "nobody", ok=False).exit_code == 1
    assert "--since" in run("review", "--since", "2024-13-01", ok=False).stderr
    run("as-of", "--forget")
    assert "today" in run("as-of").stdout
    today = run("review", "--account", "2024-LG-00005")
    assert "the day this store remembers" not in today.stderr and date.today().isoformat() in today.stdout


def test_a_title_that_reads_like_a_reference_renders(cli_env, tmp_path):
    table = tmp_path / "map.csv"
    table.write_text(
        WORKED_EXAMPLE.read_text(encoding="utf-8").replace("技术经理", "IT lead (site: src=//intranet/it)")
    )
    run("import", str(table))
    out = tmp_path / "pages"
    run("render", "--out", str(out), "--as-of", "2024-08-31")
    assert sorted(p.name for p in out.iterdir())[-1] == "index.html" and len(list(out.iterdir())) == 2


def test_one_account_that_cannot_be_drawn_does_not_stop_the_others(cli_env, tmp_path, monkeypatch):
    run("demo", "--out", str(tmp_path / "demo"))
    draw = rendering.account_page

    def broken_for_one(network, *args, **kwargs):
        if network.account.id == "2024-EN-00001":
            raise GraphmapError("the page of account 2024-EN-00001 would make an external request: <img src=...>")
        return draw(network, *args, **kwargs)

    monkeypatch.setattr(rendering, "account_page", broken_for_one)
    out = tmp_path / "pages"
    result = run("render", "--out", str(out), "--as-of", "2024-08-31", ok=False)
    assert result.exit_code == 1 and "2024-EN-00001: page not written / 页面未生成" in result.output
    assert len(list(out.glob("*.html"))) == 7  # six accounts and the index
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "(page not written / 页面未生成)" in index and "2024-EN-00001.html" not in index


def test_an_import_from_the_command_line_leaves_its_audit_entry(cli_env):
    import getpass

    from graphmap.audit import read_audit
    from graphmap.config import get_settings
    from graphmap.store import open_store

    run("import", str(WORKED_EXAMPLE))
    run("import", "--dry-run", str(WORKED_EXAMPLE))  # writes nothing, so records nothing
    store = open_store(get_settings())
    try:
        entries = [e for e in read_audit(store, SAMPLE_AS_OF.replace(year=2000)) if e.kind == "tables_imported"]
    finally:
        store.close()
    assert len(entries) == 1
    assert entries[0].actor == f"cli:{getpass.getuser()}" and entries[0].source == "cli"
    assert WORKED_EXAMPLE.name in (entries[0].subject_name or "")


def test_accounts_as_json(cli_env):
    run("import", str(WORKED_EXAMPLE))
    listed = json.loads(run("accounts", "--json").stdout)
    assert [(a["name"], a["people"]) for a in listed] == [("XX科技有限公司", 4)]


def test_status_and_stop_tell_and_end_the_engine(run, cli_env, tmp_path, monkeypatch):
    if cli_env == "neo4j":
        assert "engine: Neo4j at" in run("status")
        assert "Neo4j is managed on its own" in run("stop", code=1)
        return
    from graphmap.config import get_settings

    monkeypatch.setenv("GRAPHMAP_DATA_DIR", str(tmp_path / "own"))  # a server of its own: the suite's stays up
    get_settings.cache_clear()
    try:
        assert "stopped (starts on first use)" in run("status")
        run("accounts")
        assert re.search(r"running \(pid \d+\)", run("status"))
        assert "stopped / 已停止" in run("stop")
        assert "not running / 未运行" in run("stop")
    finally:
        run("stop")


def test_capture_from_the_command_line(cli_env, tmp_path, monkeypatch):
    from graphmap.config import get_settings

    monkeypatch.setenv("GRAPHMAP_OUR_MAIL_DOMAINS", "ourco.com")
    monkeypatch.setenv("GRAPHMAP_DEV", "true")
    get_settings.cache_clear()
    run("demo", "--out", str(tmp_path / "pages"))
    fixtures = Path(__file__).parent.parent / "fixtures" / "capture"
    files = [str(fixtures / name) for name in ("outlook-week.ics", "google-week.ics", "inbox.mbox", "sent.mbox")]
    run("address", "give", "dujuanli@hengxin-scm.com", "--person", "2024-LG-00005-p0000")
    first = run("capture", *files, "--until", "2024-09-30").stdout
    assert "new / 新增 4" in first and "2 address(es) matched nobody" in first
    queue = run("address", "queue").stdout
    assert "hengxin-scm.com" in queue and "黄涛" in queue and "@" not in queue
    run("address", "give", "huangtao@hengxin-scm.com", "--person", "2024-LG-00005-p0002")
    assert "new / 新增 2" in run("capture", *files, "--until", "2024-09-30").stdout
    assert "new / 新增 0" in run("capture", *files, "--until", "2024-09-30").stdout
    changes = run("changes", "--since", date.today().isoformat(), "--account", "2024-LG-00005").stdout
    assert "从日历和邮件采集互动 / interactions captured" in changes
    bad = run("address", "give", "not-an-address", "--person", "2024-LG-00005-p0000", ok=False)
    assert bad.exit_code == 1 and "not an e-mail address" in bad.stderr
    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:x\nEND:VCALENDAR\n")
    refused = run("capture", str(broken), ok=False)
    assert refused.exit_code == 1 and "broken.ics" in refused.stderr and "Traceback" not in refused.output
    monkeypatch.delenv("GRAPHMAP_DEV")
    get_settings.cache_clear()
    assert "GRAPHMAP_CAPTURE_SECRET" in run("capture", *files, ok=False).stderr
