"""The command line: a thin face over the library (every command is a function a notebook can call too)."""

import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress
from rich.table import Table
from rich.text import Text

from graphmap.access import (
    DEFAULT_TOKEN_DAYS,
    AccessRole,
    add_user,
    create_token,
    grant,
    list_tokens,
    list_users,
    parse_grantee,
    revoke_token,
    withdraw_grant,
)
from graphmap.analysis.actions import next_actions
from graphmap.analysis.coverage import coverage
from graphmap.analysis.followups import follow_ups
from graphmap.analysis.gaps import GapReport, GapThresholds, find_gaps
from graphmap.analysis.influence import hidden_influencers
from graphmap.analysis.lifecycle import changes_since, lifecycle_stages
from graphmap.analysis.paths import MAX_HOPS, warm_paths
from graphmap.analysis.segments import DEFAULT_SEGMENTS, segments
from graphmap.analysis.spof import Dependency, coverage_lost_if_leaves, single_points
from graphmap.analysis.strength import relationship_strength
from graphmap.backup import backup, restore
from graphmap.config import Settings, get_settings
from graphmap.errors import GraphmapError
from graphmap.exporting import TITLES, export_template
from graphmap.graph import count_graph, list_accounts, write_portfolio
from graphmap.importing import ImportInterrupted, ImportRefused, ImportReport, Progress, run_import
from graphmap.io.dates import BadDate, parse_date
from graphmap.io.mapping_table import read_mapping_table
from graphmap.model import EARLIEST_DAY, LATEST_DAY, DatePrecision, Portfolio, RelationshipStatus, Vocabulary, titled
from graphmap.sample import SAMPLE_AS_OF, portfolio_path, worked_example_path
from graphmap.store import GraphStore, open_store

if TYPE_CHECKING:
    from graphmap.rendering import Rendered

app = typer.Typer(
    help="graphmap: who is who at our customers, and how we are connected to them (客户关系映射).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# Piped output (files, CI logs) is not limited to 80 columns: the report's tables are wide.
out = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 200)

DEFAULT_PAGES = Path("graphmap-pages")
DEFAULT_THRESHOLDS = GapThresholds()
AccountOption = Annotated[str | None, typer.Option("--account", help="one account's id (default: all)")]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="the day to judge staleness on, YYYY-MM-DD (default: GRAPHMAP_AS_OF, else today)"),
]
OutOption = Annotated[Path, typer.Option("--out", help="folder for the pages")]


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def _store(settings: Settings | None = None) -> Iterator[GraphStore]:
    try:
        store = open_store(settings or _settings())
    except GraphmapError as error:
        _fail(error.message)
    try:
        yield store
    except GraphmapError as error:
        _fail(error.message)
    finally:
        store.close()


def _settings() -> Settings:
    try:
        return get_settings()
    except GraphmapError as error:
        _fail(error.message)


def _as_of(text: str | None, option: str = "--as-of") -> date:
    if text is None:
        return _settings().as_of or date.today()
    try:
        span = parse_date(text)
    except BadDate as error:
        _fail(f"{option}: {error}", 2)
    if span.precision is not DatePrecision.day:
        _fail(f"{option}: give a day, e.g. {span.last.isoformat()}", 2)
    if not EARLIEST_DAY <= span.first <= LATEST_DAY:
        _fail(f"{option}: {text} is outside {EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}", 2)
    return span.first


def _thresholds(cadence_days: int, min_strength: int, weak_status: list[str] | None) -> GapThresholds:
    statuses = DEFAULT_THRESHOLDS.weak_statuses
    if weak_status:
        try:
            statuses = frozenset(RelationshipStatus.parse(s) for s in weak_status)
        except ValueError as error:
            _fail(f"--weak-status: {error}", 2)
    return GapThresholds(weak_statuses=statuses, min_strength=min_strength, cadence_days=cadence_days)


CadenceOption = Annotated[
    int, typer.Option("--cadence-days", min=1, help="a link with no interaction for longer is stale")
]
StrengthOption = Annotated[int, typer.Option("--min-strength", min=0, max=100, help="a known strength below is low")]
WeakStatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--weak-status", help="a status that makes a link weak (repeatable; default initial, competitor, none)"
    ),
]


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="mapping tables and the other customer tables (.csv or .xlsx)")],
    sheet: Annotated[str | None, typer.Option(help="the XLSX sheet to read (default: every sheet)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check everything; write nothing")] = False,
    partial: Annotated[
        bool,
        typer.Option("--partial", help="write the valid rows; the others go to an error file beside each table"),
    ] = False,
) -> None:
    """Import relationship-mapping tables (客户关系映射表), the archive (客户档案: accounts, contacts, contact
    log), segmentation tables (客户关系划分) and process cards (流程卡牌), each told by its header row.
    Every row is checked before anything is written; nothing is written if any is wrong, unless --partial.
    Ctrl-C leaves whole batches only: run the same command again to finish."""
    settings = _settings()
    with _store(settings) as store, _progress() as progress:
        try:
            report = run_import(files, store, actor=_actor(), source="cli", sheet=sheet,
                                partial=partial, dry_run=dry_run, error_files=True,
                                keep_contact_details=settings.keep_contact_details, progress=progress)  # fmt: skip
        except ImportInterrupted as stop:
            if stop.checking:
                _fail("interrupted while checking: nothing was written / 已中断，未写入任何数据", 130)
            _fail(
                f"interrupted after {stop.written:,} of {stop.rows:,} rows: whole batches only were written; "
                "run the same command again to finish / 已中断：已写入的批次完整，重新运行即可完成",
                130,
            )
        except ImportRefused as refused:
            _print_problems(refused.report)
            count = refused.report.problem_count
            _fail(f"{count} problem(s); nothing was written / 文件有误，未写入任何数据{refused.hint}")
    _print_problems(report)
    for table in report.tables:
        where = table.file + (f"[{table.sheet}]" if table.sheet else "")
        described = f" -> {table.summary}" if table.summary else ""
        rejected = ""
        if table.error_file is not None:
            rejected = f"; {table.rejected} rejected -> {table.error_file} (fix them there and import that file)"
        line = f"{where}: {table.accepted:,} rows ({table.kind_zh} / {table.kind_en}){described}{rejected}"
        out.print(line, highlight=False, markup=False)
    if dry_run:
        out.print("dry run: nothing written / 校验完成，未写入")
    else:
        out.print(f"imported {len(report.tables)} table(s), {report.written:,} row(s) / 导入完成", highlight=False)


def _print_problems(report: ImportReport) -> None:
    """The sheets skipped and the problems found (the first of each table's), with a count of the rest."""
    for note in report.skipped:
        err.print(note, highlight=False, markup=False, soft_wrap=True)
    for problem in report.problems:
        err.print(problem, highlight=False, markup=False, soft_wrap=True)
    if report.problem_count > len(report.problems):
        more = report.problem_count - len(report.problems)
        note = "--partial writes every rejected row to an error file / --partial 会把所有被拒绝的行写入错误文件"
        err.print(f"... and {more:,} more / 另有 {more:,} 个问题 ({note})", highlight=False, markup=False)


@contextmanager
def _progress() -> Iterator[Progress]:
    """A progress bar with rows/s and the time left, on a terminal; nothing in a pipe or a log."""
    bar = RichProgress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} rows/s"),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    )
    with bar:
        yield _Bar(bar)


class _Bar:
    def __init__(self, bar: RichProgress) -> None:
        self.bar = bar
        self.task: TaskID | None = None

    def start(self, description: str, total: int) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(description, total=total, rate="-")

    def advance(self, rows: int) -> None:
        assert self.task is not None
        self.bar.advance(self.task, rows)
        speed = self.bar.tasks[-1].speed
        if speed:
            self.bar.update(self.task, rate=f"{speed:,.0f}")


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="the file to write: .csv or .xlsx")],
    template: Annotated[
        str, typer.Option(help=f"which template: {', '.join(f'{k} ({zh})' for k, (zh, _) in TITLES.items())}")
    ] = "archive",
    account: AccountOption = None,
    language: Annotated[str, typer.Option(help="headers and labels in zh or en")] = "zh",
    as_of: AsOfOption = None,
) -> None:
    """Write accounts back into a customer table, ready to edit and import again."""
    if template not in TITLES:
        _fail(f"--template: {template!r}; give one of {', '.join(TITLES)}", 2)
    if language not in ("zh", "en"):
        _fail(f"--language: {language!r}; give zh or en", 2)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        _fail(f"{path}: give a .csv or .xlsx file name", 2)
    day = _as_of(as_of)
    with _store() as store:
        written = export_template(store, path, template, account, language, day)
    zh, en = TITLES[template]
    out.print(f"wrote {written:,} row(s) of {zh} / {en} to {path} / 已导出", highlight=False, markup=False)


@app.command()
def gaps(
    account: AccountOption = None,
    as_of: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    cadence_days: CadenceOption = DEFAULT_THRESHOLDS.cadence_days,
    min_strength: StrengthOption = DEFAULT_THRESHOLDS.min_strength,
    weak_status: WeakStatusOption = None,
) -> None:
    """Uncovered decision-makers and weak links (未覆盖的决策者与薄弱关系), per account."""
    thresholds = _thresholds(cadence_days, min_strength, weak_status)
    with _store() as store:
        report = find_gaps(store, account, _as_of(as_of), thresholds)
    if as_json:
        _print_json(report)
    else:
        print_gap_report(report)


def print_gap_report(report: GapReport) -> None:
    names = {u.account_id: u.account_name for u in report.uncovered}
    names |= {w.account_id: w.account_name for w in report.weak_links}
    # Cut per account in one pass: looking each account's gaps up in the whole report made printing a
    # portfolio of 10,000 accounts quadratic (10,000 scans of half a million gaps).
    per_account = report.per_account(names)
    t = report.thresholds
    out.print(
        f"缺口报告 / Gap report — 分析日期 / as of {report.as_of.isoformat()} · "
        f"跟进周期 / cadence {t.cadence_days} d · "
        f"最低强度 / min strength {t.min_strength} · 薄弱状态 / weak statuses "
        + ", ".join(f"{s.zh}/{s.value}" for s in sorted(t.weak_statuses)),
        highlight=False,
        markup=False,
    )
    if not names:
        out.print("没有缺口 / no gaps")
    for account_id, account_name in sorted(names.items(), key=lambda kv: (kv[1], kv[0])):
        out.rule(Text(f"{account_name} ({account_id})", style="bold"))
        people_columns = ("部门 / department", "职位 / title", "姓名 / name", "角色 / roles", "原因 / reason", "id")
        gaps = per_account[account_id]
        for title, items in (
            ("未覆盖的决策者 / Uncovered decision-makers", gaps.uncovered_decision_makers),
            ("其他未覆盖的关键人 / Other uncovered stakeholders", gaps.uncovered_stakeholders),
        ):
            people = [
                (u.department, u.title or "—", u.name, "、".join(r.zh for r in u.roles),
                 f"{u.reason.zh} / {u.reason.en}", u.person_id)
                for u in items
            ]  # fmt: skip
            if people:
                out.print(_table(title, people_columns, people))
        weak = [
            (w.department, w.title or "—", w.name, titled(w.contact_title, w.contact_name),
             f"{w.status.zh} / {w.status.value}", "—" if w.strength is None else str(w.strength),
             "—" if w.days_since_contact is None else str(w.days_since_contact),
             "; ".join(f"{r.zh} / {r.en}" for r in w.reasons))
            for w in gaps.weak_links
        ]  # fmt: skip
        if weak:
            columns = ("部门 / department", "职位 / title", "姓名 / name", "我方对接人 / our contact",
                       "关系状态 / status", "强度 / strength", "距上次互动 / days since", "原因 / reasons")  # fmt: skip
            out.print(_table("薄弱关系 / Weak links", columns, weak))


def _table(title: str | None, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> Table:
    """A table whose cells are plain text: names from customers' files are never read as rich markup."""
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _print_json(items: Sequence[BaseModel] | BaseModel) -> None:
    data = items.model_dump(mode="json") if isinstance(items, BaseModel) else [i.model_dump(mode="json") for i in items]
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _dash(value: object) -> str:
    return "—" if value is None else str(value)


def _vocab(value: Vocabulary | None) -> str:
    return "—" if value is None else f"{value.zh} / {value.en}"


JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


@app.command()
def strength(account: AccountOption = None, as_of: AsOfOption = None, as_json: JsonOption = False) -> None:
    """Relationship strength of every link, from the dated interactions (关系强度), weakest first."""
    with _store() as store:
        links = relationship_strength(store, account, _as_of(as_of))
    if as_json:
        return _print_json(links)
    columns = ("客户 / account", "我方对接人 / our contact", "关键人 / stakeholder", "关系状态 / status",
               "互动 / interactions", "上次互动 / last", "强度 / score", "等级 / band", "趋势 / trend")  # fmt: skip
    rows = [
        (link.account_id, _label(link.contact_title, link.contact_name), _label(link.person_title, link.person_name),
         _vocab(link.status), str(link.interactions), _dash(link.last_contact_on),
         _dash(link.score) if link.score is not None else "无互动 / never", _vocab(link.band), _vocab(link.trend))
        for link in links
    ]  # fmt: skip
    out.print(_table("关系强度 / Relationship strength", columns, rows))


@app.command("coverage")
def coverage_(
    account: AccountOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    departments: Annotated[bool, typer.Option("--departments", help="also show every department")] = False,
) -> None:
    """Buying-committee completeness and weighted coverage per account (覆盖度), per department on request."""
    with _store() as store:
        reports = coverage(store, account, _as_of(as_of))
    if as_json:
        return _print_json(reports)
    columns = ("客户 / account", "完整度 / completeness", "覆盖分 / score", "强覆盖 / covered", "弱覆盖 / weak",
               "未覆盖 / none", "缺少角色 / missing roles")  # fmt: skip
    rows = [
        (f"{c.account_name} ({c.account_id})", f"{c.completeness}%", _dash(c.score), str(c.covered),
         str(c.weakly_covered), str(c.uncovered), "、".join(f"{r.zh}/{r.value}" for r in c.missing_roles) or "—")
        for c in reports
    ]  # fmt: skip
    out.print(_table("覆盖度 / Coverage", columns, rows))
    if departments:
        for c in reports:
            columns = ("部门 / department", "层级 / level", "人数 / people", "强覆盖 / covered", "覆盖分 / score",
                       "含下级人数 / subtree people", "含下级覆盖分 / subtree score")  # fmt: skip
            rows = [
                (d.name, _vocab(d.level), str(d.people), str(d.covered), _dash(d.score), str(d.subtree_people),
                 _dash(d.subtree_score))
                for d in c.departments
            ]  # fmt: skip
            out.print(_table(f"{c.account_name} — 部门覆盖 / departments", columns, rows))


@app.command()
def paths(
    person: Annotated[str, typer.Argument(help="the stakeholder's id (see graphmap gaps or the pages)")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="how many paths")] = 3,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=6, help="longest path, in ties")] = MAX_HOPS,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Warm-introduction paths to a stakeholder (引荐路径), best first: who can introduce us, through whom."""
    with _store() as store:
        found = warm_paths(store, person, k, max_hops, _as_of(as_of))
    if as_json:
        return _print_json(found)
    if not found:
        out.print(f"没有找到引荐路径 / no warm path within {max_hops} ties", highlight=False, markup=False)
    for rank, path in enumerate(found, start=1):
        out.print(Text(f"{rank}. 最弱环节 / weakest tie {path.weakest} · {path.hops} 步 / ties"))
        out.print(Text(f"   {path.explanation_zh}"))
        out.print(Text(f"   {path.explanation_en}"))


@app.command()
def spof(
    account: AccountOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    contact: Annotated[
        str | None, typer.Option("--contact", help="one of our contacts: who loses all coverage if they leave")
    ] = None,
) -> None:
    """Single points of failure (单点依赖): accounts that hang on one person, ours or theirs."""
    with _store() as store:
        if contact is not None:
            lost = coverage_lost_if_leaves(store, contact)
            if as_json:
                return _print_json(lost)
            rows = [(p.account_id, _label(p.title, p.name), p.id) for p in lost]
            return out.print(_table(f"{contact} 离开后失去覆盖 / lose all coverage if {contact} leaves",
                                    ("客户 / account", "关键人 / stakeholder", "id"), rows))  # fmt: skip
        risks = single_points(store, account, _as_of(as_of))
    if as_json:
        return _print_json(risks)
    columns = (
        "客户 / account", "互动 / interactions", "最依赖的对接人 / top contact", "最依赖的关键人 / top stakeholder",
        "唯一强覆盖 / sole covered", "关键节点 / critical people",
    )  # fmt: skip
    risk_rows = [
        (f"{r.account_name} ({r.account_id})", str(r.interactions), _dependency(r.top_contact, r.depends_on_contact),
         _dependency(r.top_stakeholder, r.depends_on_stakeholder),
         _label(r.sole_covered_stakeholder.title, r.sole_covered_stakeholder.name) if r.sole_covered_stakeholder
         else "—",
         "; ".join(f"{_label(c.person.title, c.person.name)} → {len(c.decision_makers_cut)} 决策者/DM"
                   for c in r.critical_people) or "—")
        for r in risks
    ]  # fmt: skip
    out.print(_table("单点依赖 / Single points of failure", columns, risk_rows))


def _dependency(dependency: Dependency | None, too_much: bool) -> str:
    if dependency is None:
        return "—"
    flag = " ⚠ 过度依赖 / depends" if too_much else ""
    return f"{_label(dependency.person.title, dependency.person.name)} {dependency.share:.0%}{flag}"


@app.command()
def influencers(
    account: AccountOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    top: Annotated[int, typer.Option("--top", min=1, help="people per account")] = 10,
) -> None:
    """The most influential stakeholders per account (影响力排名), flagged when we do not reach them."""
    with _store() as store:
        ranked = hidden_influencers(store, account, _as_of(as_of), top)
    if as_json:
        return _print_json(ranked)
    columns = ("客户 / account", "排名 / rank", "关键人 / stakeholder", "部门 / department", "角色 / roles",
               "影响力 / centrality", "强覆盖 / covered", "隐性影响者 / hidden")  # fmt: skip
    rows = [
        (h.account_id, str(h.rank), _label(h.title, h.name), h.department, "、".join(r.zh for r in h.roles),
         f"{h.centrality:.2f}", "是 / yes" if h.covered else "否 / no", "⚠ 是 / yes" if h.hidden else "")
        for h in ranked
    ]  # fmt: skip
    out.print(_table("影响力 / Influence", columns, rows))


@app.command("segments")
def segments_(
    account: AccountOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    core_revenue: Annotated[float, typer.Option(help="万元 over 12 months for core")] = DEFAULT_SEGMENTS.core_revenue,
    core_interactions: Annotated[int, typer.Option(help="interactions in 6 months for core")] = (
        DEFAULT_SEGMENTS.core_interactions
    ),
    potential_revenue: Annotated[float, typer.Option(help="万元 for potential")] = DEFAULT_SEGMENTS.potential_revenue,
    ordinary_revenue: Annotated[float, typer.Option(help="万元 for ordinary")] = DEFAULT_SEGMENTS.ordinary_revenue,
) -> None:
    """Tier per account (客户分层) with the rule that decided it and a borderline flag for review."""
    thresholds = DEFAULT_SEGMENTS.model_copy(
        update={"core_revenue": core_revenue, "core_interactions": core_interactions,
                "potential_revenue": potential_revenue, "ordinary_revenue": ordinary_revenue}
    )  # fmt: skip
    with _store() as store:
        tiers = segments(store, account, _as_of(as_of), thresholds)
    if as_json:
        return _print_json(tiers)
    columns = ("客户 / account", "分层 / tier", "依据 / rule", "需复核 / review", "策略 / strategy")
    rows = [
        (f"{t.account_name} ({t.account_id})", _vocab(t.tier), f"{t.rule_zh} / {t.rule_en}",
         "⚠ 是 / yes" if t.borderline else "", f"{t.strategy_zh} / {t.strategy_en}" if t.strategy_zh else "—")
        for t in tiers
    ]  # fmt: skip
    out.print(_table("客户分层 / Segments", columns, rows))


@app.command()
def followups(
    account: AccountOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    owner: Annotated[str | None, typer.Option("--owner", help="one of our contacts' id")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="only those past due")] = False,
) -> None:
    """Follow-ups due by intent level (跟进计划), grouped by owner; --overdue for the overdue list."""
    with _store() as store:
        items = follow_ups(store, account, _as_of(as_of), owner, overdue)
    if as_json:
        return _print_json(items)
    columns = ("负责人 / owner", "客户 / account", "关键人 / stakeholder", "意向 / intent", "上次互动 / last",
               "应跟进 / due", "逾期天数 / overdue", "依据 / basis", "下一步 / next action")  # fmt: skip
    rows = [
        (_label(f.owner_title, f.owner_name), f.account_name,
         _label(f.person_title, f.person_name) if f.person_id else "（整体 / account）", _vocab(f.intent),
         _dash(f.last_contact_on), f.due_on.isoformat(), str(f.overdue_days) if f.overdue_days else "",
         _vocab(f.basis), _dash(f.next_action))
        for f in items
    ]  # fmt: skip
    out.print(_table("跟进计划 / Follow-ups", columns, rows))


@app.command()
def lifecycle(account: AccountOption = None, as_of: AsOfOption = None, as_json: JsonOption = False) -> None:
    """Lifecycle stage and owner team per account (生命周期与负责团队)."""
    with _store() as store:
        stages = lifecycle_stages(store, account, _as_of(as_of))
    if as_json:
        return _print_json(stages)
    columns = ("客户 / account", "阶段 / stage", "依据 / rule", "负责团队 / owner team")
    rows = [
        (f"{s.account_name} ({s.account_id})", _vocab(s.lifecycle), f"{s.rule_zh} / {s.rule_en}",
         _vocab(s.owner_team) + ("" if s.owner_team_recorded else " (推断 / inferred)"))
        for s in stages
    ]  # fmt: skip
    out.print(_table("生命周期 / Lifecycle", columns, rows))


@app.command()
def changes(
    since: Annotated[str, typer.Option("--since", help="YYYY-MM-DD: changes on or after this day")],
    account: AccountOption = None,
    as_json: JsonOption = False,
) -> None:
    """What changed since a day (变化): people who joined or left, status changes, coverage gained or lost."""
    with _store() as store:
        summaries = changes_since(store, _as_of(since, "--since"), account)
    if as_json:
        return _print_json(summaries)
    if not summaries:
        out.print("没有变化 / no changes")
    for s in summaries:
        out.rule(Text(s.account_id, style="bold"))
        out.print(
            f"加入 / joined {s.joined} · 离开 / left {s.left} · 状态变化 / status changes {s.status_changes} · "
            f"覆盖增加 / coverage gained {s.coverage_gained} · 覆盖减少 / coverage lost {s.coverage_lost}",
            highlight=False,
            markup=False,
        )
        rows = [
            (c.on.isoformat(), _vocab(c.kind), c.subject_name, _dash(c.contact_id), _dash(c.before), _dash(c.after))
            for c in s.changes
        ]
        columns = ("日期 / on", "变化 / change", "对象 / subject", "我方 / contact", "之前 / before", "之后 / after")
        out.print(_table(None, columns, rows))


@app.command()
def actions(account: AccountOption = None, as_of: AsOfOption = None, as_json: JsonOption = False) -> None:
    """Suggested next actions for every gap (下一步行动建议), most important first."""
    with _store() as store:
        suggested = next_actions(store, account, _as_of(as_of))
    if as_json:
        return _print_json(suggested)
    columns = ("优先级 / priority", "客户 / account", "缺口 / gap", "关键人 / person", "建议 / action")
    rows = [
        (str(a.priority), a.account_id, _vocab(a.gap), _label(a.person_title, a.person_name),
         f"{a.action_zh}\n{a.action_en}")
        for a in suggested
    ]  # fmt: skip
    out.print(_table("下一步行动 / Next actions", columns, rows))


def _label(title: str | None, name: str | None) -> str:
    return titled(title, name) if name else "—"


@app.command()
def render(
    account: AccountOption = None,
    out_dir: OutOption = DEFAULT_PAGES,
    as_of: AsOfOption = None,
    path_to: Annotated[
        str | None, typer.Option("--path-to", help="a stakeholder's id: their account's page, best warm path shown")
    ] = None,
    masked: Annotated[
        bool, typer.Option("--masked", help="mask every name (*某某); the network stays the same")
    ] = False,
) -> None:
    """Write the interactive network pages (one per account) and an index page."""
    with _store() as store:
        from graphmap.rendering import render_portfolio  # pyvis and its imports: a quarter of a second

        rendered = render_portfolio(store, out_dir, _as_of(as_of), account, path_to, masked)
    written = rendered.written
    if written:
        first = written[-1] if account is None and path_to is None else written[0]
        out.print(
            f"wrote {len(written)} page(s) to {out_dir.resolve()} / 页面已生成: {first.resolve()}",
            highlight=False,
            markup=False,
        )
    _fail_for_pages_not_written(rendered)


def _fail_for_pages_not_written(rendered: "Rendered") -> None:
    for account_id, why in rendered.failed.items():
        err.print(f"{account_id}: page not written / 页面未生成: {why}", highlight=False, markup=False)
    if rendered.failed:
        _fail(f"{len(rendered.failed)} page(s) not written; the others were / {len(rendered.failed)} 个页面未生成")


@app.command("backup")
def backup_(
    path: Annotated[Path, typer.Argument(help="the JSON Lines file to write (replaced when complete)")],
) -> None:
    """Write the whole graph, change log included, to one JSON Lines file (docs/backup.md)."""
    with _store() as store:
        counts = backup(store, path)
    out.print(
        f"backed up / 已备份 {sum(counts.nodes.values())} nodes, {sum(counts.relationships.values())} relationships"
        f" to {path}",
        highlight=False,
        markup=False,
    )


@app.command("restore")
def restore_(path: Annotated[Path, typer.Argument(help="a file written by graphmap backup")]) -> None:
    """Load a backup: checked whole first (nothing is written from a bad file), then merged on ids."""
    with _store() as store:
        counts = restore(store, path)
    out.print(
        f"restored / 已恢复 {sum(counts.nodes.values())} nodes, {sum(counts.relationships.values())} relationships"
        f" from {path}",
        highlight=False,
        markup=False,
    )


user_app = typer.Typer(help="Users of graphmap and their teams (用户).", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (令牌): created, listed, revoked.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


def _actor() -> str:
    """Who runs a command that changes the graph, for the audit trail: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no USER variable and no password entry (a bare container)
        return f"cli:{os.getuid()}"


@user_app.command("add")
def user_add(
    user_id: Annotated[str, typer.Argument(help="a login-like id: wang.fang")],
    name: Annotated[str, typer.Option("--name", help="the name people know them by")],
    team: Annotated[str, typer.Option("--team", help="their team: they see the accounts granted to it")],
) -> None:
    """Add a user (or change the name and team of one)."""
    with _store() as store:
        user, _ = add_user(store, user_id, name, team, _actor())
    out.print(f"user / 用户 {user.id} ({user.name}), team / 团队 {user.team}", highlight=False, markup=False)


@user_app.command("list")
def user_list() -> None:
    """List the users."""
    with _store() as store:
        users = list_users(store)
    out.print(_table(None, ("id", "姓名 / name", "团队 / team"), [(u.id, u.name, u.team) for u in users]))


@token_app.command("create")
def token_create(
    user_id: Annotated[str, typer.Argument(help="the user the token acts for")],
    role: Annotated[str, typer.Option("--role", help="viewer, editor or admin")] = "viewer",
    days: Annotated[int, typer.Option("--days", min=1, max=3650, help="days until it expires")] = DEFAULT_TOKEN_DAYS,
) -> None:
    """Create an API token; it is printed once and stored only hashed."""
    try:
        access_role = AccessRole.parse(role)
    except ValueError as error:
        _fail(f"--role: {error}", 2)
    with _store() as store:
        token, secret = create_token(store, user_id, access_role, _actor(), days)
    err.print(
        f"token / 令牌 {token.id} for {token.user_id}, role {token.role.label}, expires {token.expires_at:%Y-%m-%d};"
        " keep it now, it is not shown again / 请立即保存，之后不再显示",
        highlight=False,
        markup=False,
    )
    sys.stdout.write(secret + "\n")


@token_app.command("list")
def token_list(user: Annotated[str | None, typer.Option("--user", help="one user's tokens")] = None) -> None:
    """List tokens: id, user, role, expiry, revocation (never the secret)."""
    with _store() as store:
        tokens = list_tokens(store, user)
    rows = [(t.id, t.user_id, t.role.label, f"{t.expires_at:%Y-%m-%d}", _dash(t.revoked_at)) for t in tokens]
    columns = ("id", "用户 / user", "角色 / role", "到期 / expires", "撤销 / revoked")
    out.print(_table(None, columns, rows))


@token_app.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="the token's id (see graphmap token list)")]) -> None:
    """Revoke a token: it stops working at once."""
    with _store() as store:
        token = revoke_token(store, token_id, _actor())
    out.print(f"revoked / 已撤销 {token.id} ({token.user_id})", highlight=False, markup=False)


@app.command("grant")
def grant_(
    account: Annotated[str, typer.Argument(help="the account's id")],
    team: Annotated[str | None, typer.Option("--team", help="grant to a team")] = None,
    user: Annotated[str | None, typer.Option("--user", help="grant to one user")] = None,
    withdraw: Annotated[bool, typer.Option("--withdraw", help="take the grant back")] = False,
) -> None:
    """Grant an account to a team or a user (授权), or withdraw the grant."""
    with _store() as store:
        grantee = parse_grantee(team, user)
        if withdraw:
            withdraw_grant(store, account, grantee, _actor())
        else:
            grant(store, account, grantee, _actor())
    out.print(f"{'withdrawn / 已撤销' if withdraw else 'granted / 已授权'}: {account} -> {grantee}", highlight=False,
              markup=False)  # fmt: skip


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="the address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="processes, each with its own thread pool (default: one per core)")
    ] = os.cpu_count() or 1,
) -> None:
    """Run the HTTP API (uvicorn) on the configured store; OpenAPI docs at /docs."""
    import uvicorn

    _settings()
    uvicorn.run("graphmap.api:create_app", factory=True, host=host, port=port, workers=workers, access_log=False)


@app.command()
def accounts(as_json: JsonOption = False) -> None:
    """List the accounts (客户) with their ids."""
    with _store() as store:
        rows = list_accounts(store)
    if as_json:
        return _print_json(rows)
    columns = ("id", "客户 / account", "行业 / industry", "关键人 / stakeholders", "我方对接人 / our contacts")
    out.print(_table(None, columns, [(a.id, a.name, a.industry or "—", str(a.people), str(a.contacts)) for a in rows]))


@app.command()
def demo(out_dir: OutOption = DEFAULT_PAGES) -> None:
    """Load the sample portfolio into the configured store, print its gap report and write its pages."""
    settings = _settings()
    where = settings.neo4j_uri if settings.neo4j_uri else f"embedded FalkorDB in {settings.data_dir}"
    out.print(f"store / 存储: {where}", highlight=False, markup=False)
    with _store(settings) as store:
        example = read_mapping_table(worked_example_path())
        portfolio = Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))
        write_portfolio(store, example)
        write_portfolio(store, portfolio)
        counts = count_graph(store)
        out.print("graph / 图: " + ", ".join(f"{k} {v}" for k, v in counts.items()), highlight=False, markup=False)
        report = find_gaps(store, as_of=SAMPLE_AS_OF)
        print_gap_report(report)
        from graphmap.rendering import render_portfolio

        rendered = render_portfolio(store, out_dir, SAMPLE_AS_OF)
    out.print(
        f"\nwrote {len(rendered.written)} pages to {out_dir.resolve()}; open {(out_dir / 'index.html').resolve()}",
        highlight=False,
        markup=False,
    )
    _fail_for_pages_not_written(rendered)


@app.command()
def status() -> None:
    """Which engine is configured, whether it runs, and what the graph holds."""
    settings = _settings()
    if settings.neo4j_uri:
        out.print(f"engine: Neo4j at {settings.neo4j_uri} (database {settings.neo4j_database or 'default'})")
    else:
        from graphmap.store.embedded import EmbeddedServer

        server = EmbeddedServer(settings.data_dir, settings.idle_timeout)
        state = f"running (pid {server.pid()})" if server.is_ready() else "stopped (starts on first use)"
        out.print(
            f"engine: embedded FalkorDB, data {server.data_dir}, socket {server.socket}: {state}",
            highlight=False,
            markup=False,
        )
        if not server.is_ready():
            return
    with _store(settings) as store:
        for key, value in count_graph(store).items():
            out.print(f"  {key}: {value}", highlight=False, markup=False)


@app.command()
def stop() -> None:
    """Stop the embedded server of this data directory (it also stops by itself when idle)."""
    settings = _settings()
    if settings.neo4j_uri:
        _fail("stop applies to the embedded engine; Neo4j is managed on its own")
    from graphmap.store.embedded import EmbeddedServer

    try:
        stopped = EmbeddedServer(settings.data_dir, settings.idle_timeout).stop()
    except GraphmapError as error:
        _fail(error.message)
    out.print("stopped / 已停止" if stopped else "not running / 未运行")


if __name__ == "__main__":  # pragma: no cover
    app()
