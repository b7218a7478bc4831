"""The command line: a thin face over the library (every command is a function a notebook can call too)."""

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from graphmap.analysis.gaps import GapReport, GapThresholds, find_gaps
from graphmap.config import Settings, get_settings
from graphmap.errors import GraphmapError, InvalidFile
from graphmap.graph import count_graph, list_accounts, read_account_network, write_portfolio
from graphmap.io.dates import BadDate, parse_date
from graphmap.io.mapping_table import read_mapping_table
from graphmap.model import DatePrecision, Portfolio, RelationshipStatus, combine
from graphmap.pages.index import index_page, page_name
from graphmap.pages.network import account_page
from graphmap.sample import SAMPLE_AS_OF, portfolio_path, worked_example_path
from graphmap.store import GraphStore, open_store

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
    str | None, typer.Option("--as-of", help="the day to judge staleness on, YYYY-MM-DD (default: today)")
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


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        span = parse_date(text)
    except BadDate as error:
        _fail(f"--as-of: {error}", 2)
    if span.precision is not DatePrecision.day:
        _fail(f"--as-of: give a day, e.g. {span.last.isoformat()}", 2)
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
    files: Annotated[list[Path], typer.Argument(help="relationship-mapping tables (.csv or .xlsx)")],
    sheet: Annotated[str | None, typer.Option(help="the XLSX sheet to read (default: the first)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="validate only; write nothing")] = False,
) -> None:
    """Import relationship-mapping tables (客户关系映射表). Nothing is written unless every file is valid."""
    tables = []
    problems = []
    for file in files:
        try:
            tables.append(read_mapping_table(file, sheet))
        except InvalidFile as error:
            problems.extend(error.problems)
    if problems:
        for problem in problems:
            err.print(str(problem), highlight=False, markup=False, soft_wrap=True)
        _fail(f"{len(problems)} problem(s); nothing was written / 文件有误，未写入任何数据")
    for table in tables:
        p = table.portfolio
        out.print(
            f"{table.path}: {table.rows} rows -> {p.accounts[0].name} ({p.accounts[0].id}): "
            f"{len(p.people)} people, {len(p.contacts)} contacts, {len(p.coverage)} links, "
            f"{len(p.interactions)} interactions",
            highlight=False,
            markup=False,
        )
    if dry_run:
        out.print("dry run: valid, nothing written / 校验通过，未写入")
        return
    with _store() as store:
        write_portfolio(store, combine([t.portfolio for t in tables]))
    out.print(f"imported {len(tables)} file(s) / 导入完成")


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
        sys.stdout.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    else:
        print_gap_report(report)


def print_gap_report(report: GapReport) -> None:
    names = {u.account_id: u.account_name for u in report.uncovered_decision_makers + report.uncovered_stakeholders}
    names |= {w.account_id: w.account_name for w in report.weak_links}
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
        for title, items in (
            ("未覆盖的决策者 / Uncovered decision-makers", report.uncovered_decision_makers),
            ("其他未覆盖的关键人 / Other uncovered stakeholders", report.uncovered_stakeholders),
        ):
            people = [
                (u.department, u.title or "—", u.name, "、".join(r.zh for r in u.roles),
                 f"{u.reason.zh} / {u.reason.en}", u.person_id)
                for u in items
                if u.account_id == account_id
            ]  # fmt: skip
            if people:
                out.print(_table(title, people_columns, people))
        weak = [
            (w.department, w.title or "—", w.name, f"{w.contact_title or ''}{w.contact_name}",
             f"{w.status.zh} / {w.status.value}", "—" if w.strength is None else str(w.strength),
             "—" if w.days_since_contact is None else str(w.days_since_contact),
             "; ".join(f"{r.zh} / {r.en}" for r in w.reasons))
            for w in report.weak_links
            if w.account_id == account_id
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


@app.command()
def render(
    account: AccountOption = None,
    out_dir: OutOption = DEFAULT_PAGES,
    as_of: AsOfOption = None,
) -> None:
    """Write the interactive network pages (one per account) and an index page."""
    with _store() as store:
        written = render_pages(store, out_dir, _as_of(as_of), account)
    out.print(
        f"wrote {len(written)} page(s) to {out_dir.resolve()} / 页面已生成: {(out_dir / 'index.html').resolve()}",
        highlight=False,
        markup=False,
    )


def render_pages(store: GraphStore, out_dir: Path, as_of: date, account_id: str | None = None) -> list[Path]:
    report = find_gaps(store, account_id, as_of)  # first: it refuses an unknown account
    accounts = list_accounts(store, account_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for summary in accounts:
        path = out_dir / page_name(summary.id)
        path.write_text(account_page(read_account_network(store, summary.id), report), encoding="utf-8")
        written.append(path)
    if not account_id:
        index = out_dir / "index.html"
        index.write_text(index_page(accounts, report), encoding="utf-8")
        written.append(index)
    return written


@app.command()
def accounts() -> None:
    """List the accounts (客户) with their ids."""
    with _store() as store:
        rows = list_accounts(store)
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
        write_portfolio(store, example.portfolio)
        write_portfolio(store, portfolio)
        counts = count_graph(store)
        out.print("graph / 图: " + ", ".join(f"{k} {v}" for k, v in counts.items()), highlight=False, markup=False)
        report = find_gaps(store, as_of=SAMPLE_AS_OF)
        print_gap_report(report)
        written = render_pages(store, out_dir, SAMPLE_AS_OF)
    out.print(
        f"\nwrote {len(written)} pages to {out_dir.resolve()}; open {(out_dir / 'index.html').resolve()}",
        highlight=False,
        markup=False,
    )


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
