"""The command line: a thin face over the library (every command is a function a notebook can call too)."""

import getpass
import inspect
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, get_origin

import typer
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress
from typer import _click as click
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.models import CommandFunctionType

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
from graphmap.addresses import configured_secret
from graphmap.analysis.registry import ANALYSES, Analysis, find_analysis
from graphmap.analysis.review import gap_report
from graphmap.asof import DaySource, analysis_day, remember_day, remembered_day
from graphmap.backup import backup, restore
from graphmap.config import Settings, get_settings
from graphmap.errors import GraphmapError
from graphmap.exporting import TITLES, export_template
from graphmap.graph import Scope, count_graph, list_accounts, write_portfolio
from graphmap.importing import ImportInterrupted, ImportRefused, ImportReport, Progress, run_import
from graphmap.io.dates import BadDate, parse_date
from graphmap.io.mapping_table import read_mapping_table
from graphmap.model import EARLIEST_DAY, LATEST_DAY, DatePrecision, Portfolio, unwrapped
from graphmap.sample import SAMPLE_AS_OF, portfolio_path, worked_example_path
from graphmap.store import GraphStore, engine_status, open_store, stop_engine
from graphmap.terminal import SHOW, SHOWN_PER_LIST, dash, err, out, print_json, say, show_gaps, table

if TYPE_CHECKING:
    from graphmap.rendering import Rendered


class _ClassicHelp(click.Command):
    """--help as click has always shown it (--k INTEGER, nothing after a flag): typer 0.29 writes Python's
    type names instead (--k <int>, --json <bool>), which mean nothing to a sales lead."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        for param in params:
            if isinstance(param, TyperOption) and param.metavar is None:
                shown = param.display_type(ctx).strip("<>").removeprefix("list[").removesuffix("]")
                param.metavar = "" if param.is_flag else _CLASSIC_TYPES.get(shown, shown.upper())
            elif isinstance(param, TyperArgument):  # its name says what it is; the usage line shows it
                param.display_type_rich = _no_type  # type: ignore[method-assign]
        return params


_CLASSIC_TYPES = {"str": "TEXT", "int": "INTEGER", "int range": "INTEGER", "float": "NUMBER",
                  "float range": "NUMBER", "Path": "PATH"}  # fmt: skip


def _no_type(ctx: click.Context) -> None:
    return None


class _Command(_ClassicHelp, TyperCommand):
    pass


class _Group(_ClassicHelp, TyperGroup):
    pass


class _Typer(typer.Typer):
    def command(
        self, *args: Any, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(*args, cls=cls or _Command, **kwargs)


app = _Typer(
    cls=_Group,
    help="graphmap: who is who at our customers, and how we are connected to them (客户关系映射).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
DEFAULT_PAGES = Path("graphmap-pages")
AccountOption = Annotated[str | None, typer.Option("--account", help="one account's id (default: all)")]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="the day to judge staleness on, YYYY-MM-DD (default: GRAPHMAP_AS_OF, else today)"),
]
OutOption = Annotated[Path, typer.Option("--out", help="folder for the pages")]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


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


def _as_of(text: str, option: str = "--as-of") -> date:
    """A day typed on the command line (YYYY-MM-DD, or today)."""
    if text.strip().lower() in ("today", "今天"):
        return date.today()
    try:
        span = parse_date(text)
    except BadDate as error:
        _fail(f"{option}: {error}", 2)
    if span.precision is not DatePrecision.day:
        _fail(f"{option}: give a day, e.g. {span.last.isoformat()}", 2)
    if not EARLIEST_DAY <= span.first <= LATEST_DAY:
        _fail(f"{option}: {text} is outside {EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}", 2)
    return span.first


def _day(store: GraphStore, text: str | None) -> date:
    """The day to judge on (graphmap.asof): --as-of, GRAPHMAP_AS_OF, the store's remembered day, today. A
    remembered day is said on stderr, so that nobody reads a report of 2024 believing it is today's."""
    given = None if text is None else _as_of(text)
    day, source = analysis_day(store, given, _settings().as_of)
    if source is DaySource.remembered:
        err.print(
            f"as of {day.isoformat()}, the day this store remembers (graphmap as-of; --as-of or GRAPHMAP_AS_OF "
            f"for another day) / 分析日期 {day.isoformat()}：本存储记录的日期",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    return day


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
                                keep_contact_details=settings.keep_contact_details, progress=progress,
                                address_secret=configured_secret(settings))  # fmt: skip
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
    for read in report.tables:
        where = read.file + (f"[{read.sheet}]" if read.sheet else "")
        described = f" -> {read.summary}" if read.summary else ""
        rejected = ""
        if read.error_file is not None:
            rejected = f"; {read.rejected} rejected -> {read.error_file} (fix them there and import that file)"
        line = f"{where}: {read.accepted:,} rows ({read.kind_zh} / {read.kind_en}){described}{rejected}"
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


BAR_SECONDS = 0.1


class _Bar:
    """Rows counted as they come, drawn at most every BAR_SECONDS: rich's bar costs about 100 µs a call
    (its rate is computed over its last thousand samples), which a row-by-row import paid on every row,
    doubling its check pass on a terminal."""

    def __init__(self, bar: RichProgress) -> None:
        self.bar = bar
        self.task: TaskID | None = None
        self.pending = 0
        self.drawn_at = 0.0

    def start(self, description: str, total: int) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(description, total=total, rate="-")
        self.pending = 0

    def advance(self, rows: int) -> None:
        self.pending += rows
        if time.monotonic() - self.drawn_at >= BAR_SECONDS:
            self.draw()

    def draw(self) -> None:
        assert self.task is not None
        self.bar.advance(self.task, self.pending)
        self.pending, self.drawn_at = 0, time.monotonic()
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
    with _store() as store:
        written = export_template(store, path, template, account, language, _day(store, as_of))
    zh, en = TITLES[template]
    out.print(f"wrote {written:,} row(s) of {zh} / {en} to {path} / 已导出", highlight=False, markup=False)


def _analysis_command(analysis: Analysis, *extras: inspect.Parameter, instead: dict[str, str] | None = None) -> None:
    """The command of one analysis of the registry: --account, --as-of and --json, then its options as flags
    (from its options model, so they are the API's query parameters too), shown by terminal.SHOW.

    `extras` are flags of this face only, passed to the show function; `instead` maps one of them to another
    analysis run when the flag is given (spof --contact: the coverage lost if that contact leaves)."""
    fields = analysis.options.model_fields
    parameters = [_option_parameter(name, field) for name, field in fields.items()]
    parameters.sort(key=lambda p: p.default is not inspect.Parameter.empty)  # arguments first
    parameters += [inspect.Parameter("account", KEYWORD, default=None, annotation=AccountOption)]
    if analysis.dated:
        parameters += [inspect.Parameter("as_of", KEYWORD, default=None, annotation=AsOfOption)]
    parameters += [inspect.Parameter("as_json", KEYWORD, default=False, annotation=JsonOption), *extras]

    def command(**values: Any) -> None:
        chosen, options = analysis, {name: values.pop(name) for name in fields}
        shown = {p.name: values.pop(p.name) for p in extras}
        for flag, other in (instead or {}).items():
            given = shown.pop(flag)
            if given is not None:
                chosen = find_analysis(other)
                options = {next(iter(chosen.options.model_fields)): given}
        checked = _options(chosen, options)
        with _store() as store:
            as_of = _day(store, values.get("as_of")) if analysis.dated else date.today()
            answer = chosen.run(store, Scope.of(values["account"]), as_of, checked)
        if values["as_json"]:
            return print_json(answer)
        SHOW[chosen.name](answer, **(shown if chosen is analysis else {}))

    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__doc__ = f"{analysis.summary} ({analysis.title_zh})"
    app.command(analysis.name)(command)
    for alias in analysis.aliases:
        if "_" not in alias:  # the API's spelling; a command line has always used dashes
            app.command(alias, hidden=True)(command)


KEYWORD = inspect.Parameter.KEYWORD_ONLY


class ReviewFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    json = "json"


def _option_parameter(name: str, field: FieldInfo) -> inspect.Parameter:
    """A typer parameter for one option: dates and vocabularies come in as text and are checked by the
    options model, so the CLI accepts what the API accepts (Chinese labels included)."""
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    flags = [str(f) for f in extra.get("cli", [])] or ["--" + name.replace("_", "-")]  # type: ignore[union-attr]
    kind, _ = unwrapped(field.annotation)
    text: Any = list[str] if get_origin(kind) is list else (kind if kind in (int, float, bool) else str)
    annotation: Any
    if "cli_argument" in extra:
        annotation = Annotated[text, typer.Argument(help=field.description, metavar=str(extra["cli_argument"]))]
    else:
        annotation = Annotated[text | None if field.default is None else text,
                               typer.Option(*flags, help=field.description)]  # fmt: skip
    default = inspect.Parameter.empty if field.is_required() else field.default
    return inspect.Parameter(name, KEYWORD, default=default, annotation=annotation)


def _options(analysis: Analysis, values: dict[str, Any]) -> Any:
    """The options model of these flags; a bad value exits 2 naming its flag."""
    fields = analysis.options.model_fields
    for name, value in values.items():
        if isinstance(value, str) and unwrapped(fields[name].annotation)[0] is date:
            values[name] = _as_of(value, "--" + name.replace("_", "-"))
    try:
        return analysis.options(**{k: v for k, v in values.items() if v is not None})
    except ValidationError as error:
        problem = error.errors()[0]
        flag = "--" + str(problem["loc"][0]).replace("_", "-") if problem["loc"] else analysis.name
        _fail(f"{flag}: {problem['msg'].removeprefix('Value error, ')}", 2)


for _analysis in ANALYSES:
    if _analysis.name == "coverage":
        departments = Annotated[bool, typer.Option("--departments", help="also show every department")]
        _analysis_command(_analysis, inspect.Parameter("departments", KEYWORD, default=False, annotation=departments))
    elif _analysis.name == "gaps":
        every = Annotated[bool, typer.Option("--all", help=f"every gap (default: the first {SHOWN_PER_LIST} of each "
                                             "kind per account)")]  # fmt: skip
        _analysis_command(_analysis, inspect.Parameter("all", KEYWORD, default=False, annotation=every))
    elif _analysis.name == "review":
        shape = Annotated[ReviewFormat, typer.Option("--format", help="text (the terminal), md, html (an e-mail "
                                                     "body) or json")]  # fmt: skip
        _analysis_command(_analysis, inspect.Parameter("format", KEYWORD, default=ReviewFormat.text, annotation=shape))
    elif _analysis.name == "single-points":
        contact = Annotated[str | None, typer.Option("--contact", help="one of our contacts: who loses all "
                                                     "coverage if they leave (graphmap coverage-lost)")]  # fmt: skip
        _analysis_command(_analysis, inspect.Parameter("contact", KEYWORD, default=None, annotation=contact),
                          instead={"contact": "coverage-lost"})  # fmt: skip
    else:
        _analysis_command(_analysis)


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
    format: Annotated[
        str | None,
        typer.Option("--format", help="svg, png or pdf: one account's whole map as a file (--out names it)"),
    ] = None,
    paper: Annotated[str, typer.Option("--paper", help="the PDF's paper, landscape: a4 or a3")] = "a4",
) -> None:
    """Write the interactive network pages (one per account) and an index page, or one account's map as
    an SVG, PNG or PDF for a meeting (--format)."""
    if format is not None:
        _render_file(account, out_dir, as_of, format.lower(), masked, paper.lower())
        return
    with _store() as store:
        from graphmap.rendering import render_portfolio  # pyvis and its imports: a quarter of a second

        with err.status("drawing / 绘制 …") as status:  # shown on a terminal only: a large account takes a while
            rendered = render_portfolio(
                store, out_dir, _day(store, as_of), account, path_to, masked, progress=lambda text: status.update(text)
            )
    written = rendered.written
    if written:
        first = written[-1] if account is None and path_to is None else written[0]
        out.print(
            f"wrote {len(written)} page(s) to {out_dir.resolve()} / 页面已生成: {first.resolve()}",
            highlight=False,
            markup=False,
        )
    _fail_for_pages_not_written(rendered)


def _render_file(account: str | None, out_file: Path, as_of: str | None, format: str, masked: bool, paper: str) -> None:
    if account is None:
        _fail("--format draws one account: give --account / --format 只绘制一个客户：请指定 --account", code=2)
    target = out_file if out_file != DEFAULT_PAGES else Path(f"{account}.{format}")
    with _store() as store:
        from graphmap.rendering import render_file

        with err.status(f"drawing {account} as {format} / 绘制 …") as status:
            drawn = render_file(store, account, _day(store, as_of), format, masked, paper,
                                progress=lambda text: status.update(text))  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(drawn)
    out.print(f"wrote {target.resolve()} ({len(drawn):,} bytes) / 已生成", highlight=False, markup=False)


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


@app.command("capture")
def capture_(
    files: Annotated[list[Path], typer.Argument(help="calendars (.ics) and mail (.eml, mbox) as clients export them")],
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="the last day to capture (default: today); recurring meetings expand over the window before it",
        ),
    ] = None,  # fmt: skip
) -> None:
    """Capture interactions from calendars and mailboxes (日历和邮件采集): meetings and mail threads between
    our contacts and stakeholders become dated interactions; nobody's address is stored (docs/capture.md).
    Every file is read first; nothing is written if one cannot be read. Running it again adds nothing."""
    from graphmap.capturing import capture

    settings = _settings()
    day = None if until is None else _as_of(until, "--until")
    with _store(settings) as store, err.status("capturing / 采集中 …"):
        report = capture(files, store, settings, actor=_actor(), as_of=day, parallel=True)
    x = report.excluded
    say(f"read {report.items:,} meeting(s) and mail thread-day(s) from {report.files} file(s) / 已读取")
    say(f"interactions / 互动: {report.interactions:,}, new / 新增 {report.new:,}"
        + "".join(f"; {account} +{count}" for account, count in report.by_account.items()))  # fmt: skip
    say(
        f"left out / 未计入: cancelled / 已取消 {x.cancelled}, newsletters and auto-replies / 群发与自动回复 "
        f"{x.automatic}, too large / 人数过多 {x.too_large}, internal or unknown / 内部或无法匹配 {x.internal}"
    )
    if report.unmatched:
        say(f"{report.unmatched} address(es) matched nobody: graphmap address queue / {report.unmatched} 个地址未匹配")


address_app = _Typer(cls=_Group, help="E-mail addresses for capture (邮箱匹配): kept as keyed hashes only.",
                     no_args_is_help=True)  # fmt: skip
app.add_typer(address_app, name="address")


@address_app.command("give")
def address_give(
    address: Annotated[str, typer.Argument(help="the e-mail address (only its keyed hash and domain are kept)")],
    person: Annotated[str | None, typer.Option("--person", help="a stakeholder's id")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="one of our contacts' id")] = None,
) -> None:
    """Give a stakeholder (or one of our contacts) an address, so that capture matches it to them."""
    from graphmap.capturing import give_address

    settings = _settings()
    with _store(settings) as store:
        give_address(store, settings, address, person, contact, actor=_actor(), source="cli")
    say(f"matched from now on / 已登记: {person or contact}")


@address_app.command("ignore")
def address_ignore(address: Annotated[str, typer.Argument(help="an address capture should pass over")]) -> None:
    """Capture passes over this address from now on (a supplier, a newsletter sender)."""
    from graphmap.capturing import ignore_address

    settings = _settings()
    with _store(settings) as store:
        ignore_address(store, settings, address)
    say("ignored from now on / 已忽略")


@address_app.command("queue")
def address_queue(as_json: JsonOption = False) -> None:
    """The addresses capture matched to nobody, most often seen first: give each to someone, or ignore it."""
    from graphmap.capturing import review_queue

    with _store() as store:
        queue = review_queue(store)
    if as_json:
        return print_json(queue)
    rows = [(u.domain, u.name or "—", str(u.seen), dash(u.first_on), dash(u.last_on)) for u in queue]
    out.print(table("未匹配的地址 / Addresses that matched nobody", ("域名 / domain", "署名 / name as written",
                    "出现次数 / seen", "首次 / first", "最近 / last"), rows))  # fmt: skip
    return None


user_app = _Typer(cls=_Group, help="Users of graphmap and their teams (用户).", no_args_is_help=True)
token_app = _Typer(cls=_Group, help="API tokens (令牌): created, listed, revoked.", no_args_is_help=True)
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
def user_list(as_json: JsonOption = False) -> None:
    """List the users."""
    with _store() as store:
        users = list_users(store)
    if as_json:
        return print_json(users)
    out.print(table(None, ("id", "姓名 / name", "团队 / team"), [(u.id, u.name, u.team) for u in users]))


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
def token_list(
    user: Annotated[str | None, typer.Option("--user", help="one user's tokens")] = None, as_json: JsonOption = False
) -> None:
    """List tokens: id, user, role, expiry, revocation (never the secret)."""
    with _store() as store:
        tokens = list_tokens(store, user)
    if as_json:
        return print_json(tokens)
    rows = [(t.id, t.user_id, t.role.label, "浏览器会话 / browser session" if t.session else "API",
             f"{t.expires_at:%Y-%m-%d %H:%M}", dash(t.revoked_at)) for t in tokens]  # fmt: skip
    columns = ("id", "用户 / user", "角色 / role", "类型 / kind", "到期 / expires (UTC)", "撤销 / revoked")
    out.print(table(None, columns, rows))


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
    port: Annotated[int, typer.Option(min=1, max=65535, help="the port to listen on")] = 8000,
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
        return print_json(rows)
    columns = ("id", "客户 / account", "行业 / industry", "关键人 / stakeholders", "我方对接人 / our contacts")
    out.print(table(None, columns, [(a.id, a.name, a.industry or "—", str(a.people), str(a.contacts)) for a in rows]))


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
        remember_day(store, SAMPLE_AS_OF, _actor())  # later commands judge the sample on its own day
        show_gaps(gap_report(store, as_of=SAMPLE_AS_OF))
        from graphmap.rendering import render_portfolio

        rendered = render_portfolio(store, out_dir, SAMPLE_AS_OF)
    out.print(
        f"\nwrote {len(rendered.written)} pages to {out_dir.resolve()}; open {(out_dir / 'index.html').resolve()}",
        highlight=False,
        markup=False,
    )
    say(f"this store is now as of {SAMPLE_AS_OF.isoformat()}, the sample's day: graphmap gaps, review and the other "
        f"commands judge on it (graphmap as-of --forget for today) / 本存储的分析日期已设为样例日期 "
        f"{SAMPLE_AS_OF.isoformat()}")  # fmt: skip
    _fail_for_pages_not_written(rendered)


@app.command("as-of")
def as_of_(
    day: Annotated[str | None, typer.Argument(help="the day to remember, YYYY-MM-DD (none: show the day)")] = None,
    forget: Annotated[bool, typer.Option("--forget", help="forget the day: judge on today again")] = False,
) -> None:
    """The day this store's analyses are judged on when no --as-of is given (graphmap demo sets the sample's).
    GRAPHMAP_AS_OF, when set, comes first."""
    if day is not None and forget:
        _fail("give a day or --forget, not both / 请指定日期或 --forget，不能同时使用", 2)
    chosen = None if day is None else _as_of(day, "DAY")
    with _store() as store:
        if chosen is not None or forget:
            remember_day(store, chosen, _actor())
        remembered = remembered_day(store)
    if remembered is None:
        say("this store remembers no day: analyses are judged on today / 本存储未记录日期：按今天分析")
    else:
        say(f"this store is as of {remembered.isoformat()} / 本存储的分析日期: {remembered.isoformat()}")


@app.command()
def status() -> None:
    """Which engine is configured, whether it runs, and what the graph holds."""
    settings = _settings()
    engine = engine_status(settings)
    if engine.engine == "neo4j":
        say(f"engine: Neo4j at {engine.where}")
    else:
        state = f"running (pid {engine.pid})" if engine.running else "stopped (starts on first use)"
        say(f"engine: embedded FalkorDB, {engine.where}: {state}")
        if not engine.running:
            return
    with _store(settings) as store:
        for key, value in count_graph(store).items():
            say(f"  {key}: {value}")


@app.command()
def stop() -> None:
    """Stop the embedded server of this data directory (it also stops by itself when idle)."""
    try:
        stopped = stop_engine(_settings())
    except GraphmapError as error:
        _fail(error.message)
    out.print("stopped / 已停止" if stopped else "not running / 未运行")


if __name__ == "__main__":  # pragma: no cover
    app()
