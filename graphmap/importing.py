"""Importing customer tables: tell what each file (or workbook sheet) is, check every row, then write.

Validation first, writing second. The first pass streams every table, checks each row and spools what the
valid rows add to the graph to a temporary file, a batch at a time; memory holds one batch, the problems
and the ids rows may refer to, never the file. Only then, if no table had a problem (or --partial asked for
the valid rows), the second pass writes the spooled batches. A batch is one transaction (store.atomic),
and everything is merged on ids: an import cut short (Ctrl-C, a crash, kill -9 of the importer or of the
engine) leaves whole batches only, and running it again finishes the job without doing anything twice.
"""

import dataclasses
import gc
import itertools
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

from pydantic import BaseModel, Field

from graphmap.audit import audit_entry, write_audit
from graphmap.changelog import ChangeKind
from graphmap.collector import collector_paused
from graphmap.errors import Invalid, InvalidFile, Problem, TooLarge
from graphmap.graph import portfolio_step
from graphmap.io.archive import ACCOUNTS_KIND, CONTACT_LOG_KIND, contacts_kind
from graphmap.io.cards import CARDS_KIND
from graphmap.io.mapping_table import MAPPING_TITLE, check_mapping_table
from graphmap.io.references import READ_AHEAD_LINES, Kind, Known, Piece, department_paths
from graphmap.io.segmentation import SEGMENTATION_KIND
from graphmap.io.tables import DEFAULT_BOUNDS, Bounds, Line, SheetRef, iter_lines, sheets_of
from graphmap.io.templates import ErrorFile, RowReader
from graphmap.model import (
    Account,
    Card,
    Contact,
    Coverage,
    Department,
    Interaction,
    Person,
    Portfolio,
    RoleGrant,
    combine,
    fold,
)
from graphmap.store import GraphStore, WriteBehind

# A mapping table's first row labels its header block (客户名称, 客户所属行业, 映射目标, 更新日期).
MAPPING_GOAL = {fold(s) for s in ("映射目标", "Mapping goal", "goal", "目标")}
BATCH_ROWS = 2000  # rows per spooled batch: each is written as a handful of statements
PROBLEMS_KEPT = 1000  # per table, for the report; every rejected row still goes to its error file
M = TypeVar("M", bound=BaseModel)
MODELS: dict[str, type[BaseModel]] = {
    "accounts": Account,
    "departments": Department,
    "people": Person,
    "contacts": Contact,
    "coverage": Coverage,
    "cards": Card,
    "role_grants": RoleGrant,
    "interactions": Interaction,
}


class Progress(Protocol):
    """What an import reports as it goes (the CLI draws a bar with rows/s and the time left)."""

    def start(self, description: str, total: int) -> None: ...

    def advance(self, rows: int) -> None: ...


class Silent:
    def start(self, description: str, total: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass


def kinds(keep_contact_details: bool = False, address_secret: bytes | None = None) -> tuple[Kind, ...]:
    """Every flat table graphmap imports, in the order they are written."""
    contacts = contacts_kind(keep_contact_details, address_secret)
    return (ACCOUNTS_KIND, contacts, SEGMENTATION_KIND, CARDS_KIND, CONTACT_LOG_KIND)


@dataclass
class TableCheck:
    """One table as the first pass found it: a flat table of some kind, or a mapping table (no kind)."""

    ref: SheetRef
    kind: Kind | None
    rows: int = 0  # data rows read
    accepted: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first PROBLEMS_KEPT of them
    problem_count: int = 0
    header_broken: bool = False
    error_file: ErrorFile | None = None
    summary: str = ""  # what a mapping table describes: its account, people, contacts, ...

    def __post_init__(self) -> None:
        self.problem_count = len(self.problems)
        del self.problems[PROBLEMS_KEPT:]

    def add_problems(self, problems: list[Problem]) -> None:
        """Every problem is counted, and goes to the error file with its row; memory keeps the first
        PROBLEMS_KEPT, so a million bad rows cost what a thousand do."""
        self.problem_count += len(problems)
        self.problems.extend(problems[: max(0, PROBLEMS_KEPT - len(self.problems))])

    @property
    def rejected(self) -> int:
        return self.rows - self.accepted

    @property
    def title(self) -> tuple[str, str]:
        return (self.kind.template.zh, self.kind.template.en) if self.kind else MAPPING_TITLE


@dataclass
class ImportPlan:
    """What the first pass found: every table, every problem, and the spooled batches ready to write."""

    tables: list[TableCheck]
    skipped: list[str]  # workbook sheets that are no template (a notes sheet), each with why
    problems: list[Problem]  # a file that cannot be read, a mapping table's, a broken header
    spool: IO[bytes]
    open_files: ExitStack = field(default_factory=ExitStack)  # workbooks read sheet by sheet
    batches: int = 0
    rows: int = 0  # valid rows, spooled
    written: int = 0  # rows written so far: whole batches

    def all_problems(self) -> list[Problem]:
        """The problems kept: all of the files', the first PROBLEMS_KEPT of each table's."""
        return [*self.problems, *(p for t in self.tables for p in t.problems)]

    def problem_count(self) -> int:
        return len(self.problems) + sum(t.problem_count for t in self.tables)

    def can_write(self, partial: bool) -> bool:
        """Whole files only, unless --partial: then whatever rows passed, if every header and file did."""
        if self.problems or any(t.header_broken for t in self.tables):
            return False
        return partial or not any(t.problem_count for t in self.tables)

    def write(self, store: GraphStore, progress: Progress | None = None) -> int:
        """Writes the spooled batches in order (mapping tables first); returns the rows written.

        One transaction per batch: a kill leaves whole batches. The engine writes each batch while the
        next one is read from the spool and prepared (WriteBehind); Ctrl-C lets the batch being written
        finish, and `written` counts the batches the engine has taken."""
        progress = progress or Silent()
        progress.start("writing / 写入", self.rows)
        sizes: list[int] = []
        behind = WriteBehind(store)
        try:
            with behind:
                for rows, portfolio in self.batches_to_write():
                    sizes.append(rows)
                    behind.submit(portfolio_step(store, portfolio))
                    self._advance(sizes, behind.written, progress)
        finally:
            self._advance(sizes, behind.written, progress)
        return self.written

    def _advance(self, sizes: list[int], batches_written: int, progress: Progress) -> None:
        written = sum(sizes[:batches_written])
        if written > self.written:
            progress.advance(written - self.written)
            self.written = written

    def batches_to_write(self) -> Iterator[tuple[int, Portfolio]]:
        """The spooled batches in order, each as (rows, what they add)."""
        self.spool.seek(0)
        for _ in range(self.batches):
            rows, pieces = pickle.load(self.spool)
            with collector_paused():
                portfolio = Portfolio.model_construct(
                    **{  # type: ignore[arg-type]
                        kind: tuple(_rebuilt(MODELS[kind], values, fields) for values, fields in items)
                        for kind, items in pieces.items()
                    }
                )  # checked in the first pass, row by row and against the store
            yield rows, portfolio

    def keep_error_files(self) -> list[TableCheck]:
        kept = []
        for table in self.tables:
            if table.error_file is not None:
                table.error_file.commit()
                kept.append(table)
        return kept

    def close(self) -> None:
        self.open_files.close()
        for table in self.tables:
            if table.error_file is not None:
                table.error_file.discard()
                table.error_file = None
        self.spool.close()


class TableReport(BaseModel):
    file: str
    sheet: str | None
    kind_zh: str
    kind_en: str
    rows: int = Field(description="data rows read")
    accepted: int
    rejected: int
    summary: str = Field(description="what a mapping table describes: its account, people, contacts")
    error_file: str | None = Field(default=None, description="where the rejected rows were written (CLI, partial)")


class ImportReport(BaseModel):
    files: list[str]
    tables: list[TableReport]
    problems: list[str] = Field(description="each with file, sheet, line and column; the first 1,000 of a table")
    problem_count: int = Field(description="every problem found, kept or not")
    skipped: list[str] = Field(description="workbook sheets that are no template, each with why")
    written: int = Field(description="rows written; 0 for a dry run")
    dry_run: bool


class ImportRefused(Invalid):
    """The files had problems and nothing was written; the report says which."""

    def __init__(self, report: ImportReport, hint: str) -> None:
        shown = "; ".join(report.problems[:20])
        super().__init__(f"{report.problem_count} problem(s); nothing was written{hint}: {shown}")
        self.report, self.hint = report, hint


class ImportInterrupted(Exception):
    """Ctrl-C: while checking nothing was written; while writing, whole batches only."""

    def __init__(self, written: int, rows: int, checking: bool) -> None:
        super().__init__(f"interrupted after {written:,} of {rows:,} rows")
        self.written, self.rows, self.checking = written, rows, checking


def run_import(
    paths: Sequence[Path],
    store: GraphStore,
    actor: str,
    source: str,
    sheet: str | None = None,
    partial: bool = False,
    dry_run: bool = False,
    error_files: bool = False,
    keep_contact_details: bool = False,
    bounds: Bounds = DEFAULT_BOUNDS,
    progress: Progress | None = None,
    shown: Callable[[Path], str] = str,
    address_secret: bytes | None = None,
    partial_hint: str = " (--partial writes the valid rows)",
) -> ImportReport:
    """The import every face runs: check every file, write if allowed, and record who imported what in
    the audit trail (as every change is). `shown` names a file in the report (the API shows the upload's
    name, not where the server kept it). With `error_files` (and partial), each table's rejected rows stay
    in NAME.errors.csv|xlsx beside it. ImportRefused when a problem stops it, ImportInterrupted on Ctrl-C."""
    try:
        plan = check_files(paths, store, sheet, error_files and partial and not dry_run, keep_contact_details,
                           progress, bounds, address_secret)  # fmt: skip
    except KeyboardInterrupt:
        raise ImportInterrupted(0, 0, checking=True) from None
    except InvalidFile as error:  # a file that cannot be read at all, in the caller's names
        raise type(error)([_named(problem, shown) for problem in error.problems], error.hint) from None
    try:
        writable = plan.can_write(partial)
        if writable:  # the error files asked for (partial, not a dry run) stay beside their tables
            plan.keep_error_files()
        report = _import_report(plan, paths, dry_run, shown, writable)
        if not writable:
            broken = plan.problems or any(t.header_broken for t in plan.tables)
            raise ImportRefused(report, "" if partial or broken else partial_hint)
        if dry_run:
            return report
        try:
            report.written = plan.write(store, progress)
        except KeyboardInterrupt:
            raise ImportInterrupted(plan.written, plan.rows, checking=False) from None
        # The audit keeps the first problems only: a partial import may list thousands.
        noted = report.model_copy(update={"problems": report.problems[:20]})
        write_audit(store, [audit_entry(actor, ChangeKind.tables_imported, "import", "tables", ", ".join(report.files),
                                        after=noted, source=source)])  # fmt: skip
        return report
    finally:
        plan.close()


def _named(problem: Problem, shown: Callable[[Path], str]) -> Problem:
    return dataclasses.replace(problem, file=shown(Path(problem.file)))


def _import_report(
    plan: ImportPlan, paths: Sequence[Path], dry_run: bool, shown: Callable[[Path], str], kept_error_files: bool
) -> ImportReport:
    tables = [
        TableReport(file=shown(check.ref.path), sheet=check.ref.name, kind_zh=check.title[0], kind_en=check.title[1],
                    rows=check.rows, accepted=check.accepted, rejected=check.rejected, summary=check.summary,
                    error_file=str(check.error_file.path) if kept_error_files and check.error_file else None)
        for check in plan.tables
    ]  # fmt: skip
    problems = [str(_named(problem, shown)) for problem in plan.all_problems()]
    return ImportReport(files=[shown(path) for path in paths], tables=tables, problems=problems, written=0,
                        problem_count=plan.problem_count(), skipped=plan.skipped, dry_run=dry_run)  # fmt: skip


def check_files(
    paths: Sequence[Path],
    store: GraphStore | None,
    sheet: str | None = None,
    error_files: bool = False,
    keep_contact_details: bool = False,
    progress: Progress | None = None,
    bounds: Bounds = DEFAULT_BOUNDS,
    address_secret: bytes | None = None,
) -> ImportPlan:
    """The first pass: every table read and every row checked (against the store too, when given).
    With error_files, each table's rejected rows go to NAME.errors.csv|xlsx beside it (kept only when
    the caller calls keep_error_files)."""
    progress = progress or Silent()
    plan = ImportPlan([], [], [], tempfile.TemporaryFile(prefix="graphmap-import-"))
    known: Known | None = None
    try:
        found = _classify(paths, sheet, kinds(keep_contact_details, address_secret), plan, bounds)
        known = Known(store)
        progress.start("checking / 校验", sum(ref.rows for ref, _ in found))
        # Mapping tables first, then accounts before the tables that refer to them.
        mapping = _MappingBatch()
        for ref in [ref for ref, kind in found if kind is None]:
            plan.tables.append(_check_mapping_table(ref, known, plan, mapping, error_files, progress))
        mapping.spool(plan)
        for ref, kind in sorted(((r, k) for r, k in found if k is not None), key=lambda pair: pair[1].order):
            plan.tables.append(_check_table(ref, kind, known, plan, error_files, progress))
        plan.open_files.close()  # the write pass reads the spool, not the files
    except BaseException:
        plan.close()
        raise
    finally:
        if known is not None:
            known.close()
    return plan


def _classify(
    paths: Sequence[Path], sheet: str | None, table_kinds: Sequence[Kind], plan: ImportPlan, bounds: Bounds
) -> list[tuple[SheetRef, Kind | None]]:
    """Which template each table is, by its first row (None: a mapping table, which opens with its header
    block). A workbook's first sheet with anything in it that is no flat table is read as a mapping table,
    to say what is wrong with it; a later one is skipped with a note (a notes sheet), and so is a blank one."""
    found: list[tuple[SheetRef, Kind | None]] = []
    for path in paths:
        try:
            refs = sheets_of(path, sheet, plan.open_files, bounds)
        except TooLarge:
            raise
        except InvalidFile as error:
            plan.problems.extend(error.problems)
            continue
        firsts = [next((line for line in iter_lines(ref) if not line.is_blank), None) for ref in refs]
        if not any(firsts):  # a blank sheet is passed over; a file with nothing in it is refused
            empty = _EMPTY[(refs[0].name is not None, len(refs) > 1)]
            plan.problems.append(
                dataclasses.replace(refs[0].problem(0, "", "", empty), sheet=refs[0].name if len(refs) == 1 else None)
            )
            continue
        blank = 0
        for position, (ref, first) in enumerate(zip(refs, firsts, strict=True)):
            if first is None:
                blank += 1
                plan.skipped.append(f"{path}[{ref.name}]: empty; skipped")
                continue
            is_mapping = any(fold(cell) in MAPPING_GOAL for cell in first.cells)
            kind = None if is_mapping else _kind_of(first, table_kinds)
            if kind is not None or is_mapping or position == blank or sheet is not None:
                found.append((ref, kind))
            else:
                plan.skipped.append(f"{path}[{ref.name}]: not a table graphmap knows; skipped")
    return found


_EMPTY = {  # (a workbook, of several sheets)
    (False, False): "the file is empty / 文件是空的",
    (True, False): "the sheet is empty / 工作表是空的",
    (True, True): "every sheet is empty / 所有工作表都是空的",
}


def _kind_of(first: Line, table_kinds: Sequence[Kind]) -> Kind | None:
    scores = [(kind.template.matches(first), -kind.order, kind) for kind in table_kinds]
    best = max(scores, key=lambda s: (s[0], s[1]))
    return best[2] if best[0] >= 2 else None


class _MappingBatch:
    """Checked mapping tables waiting to be spooled: whole tables, up to BATCH_ROWS rows together, so
    that many small accounts are written in few statements and no table is split across batches."""

    def __init__(self) -> None:
        self.portfolios: list[Portfolio] = []
        self.rows = 0

    def add(self, portfolio: Portfolio, rows: int, plan: ImportPlan) -> None:
        self.portfolios.append(portfolio)
        self.rows += rows
        if self.rows >= BATCH_ROWS:
            self.spool(plan)

    def spool(self, plan: ImportPlan) -> None:
        if self.portfolios:
            portfolio = combine(self.portfolios)
            pieces = {
                kind: [(record.__dict__, record.model_fields_set) for record in getattr(portfolio, kind)]
                for kind in MODELS
                if getattr(portfolio, kind)
            }
            _spool_pieces(self.rows, pieces, plan)
        self.portfolios, self.rows = [], 0


def _check_mapping_table(
    ref: SheetRef, known: Known, plan: ImportPlan, batch: _MappingBatch, error_files: bool, progress: Progress
) -> TableCheck:
    table = check_mapping_table(ref)
    progress.advance(ref.rows)
    check = TableCheck(ref, None, rows=table.rows, accepted=table.accepted, problems=table.problems)
    portfolio = table.portfolio
    if portfolio is None:
        check.header_broken = True
        return check
    if error_files and table.rejected:
        labels, values, header = table.preamble
        check.error_file = ErrorFile(_error_path(ref), header.cells, ref.name, preamble=[labels.cells, values.cells])
        for line, problems in table.rejected:
            check.error_file.add(line.cells, problems)
    paths = department_paths(portfolio.departments)
    for account in portfolio.accounts:
        known.add_account(account)
    for person in portfolio.people:
        known.add_person(person, paths[person.department_id])
    known.contacts.update(c.id for c in portfolio.contacts)
    account = portfolio.accounts[0]
    check.summary = (
        f"{account.name} ({account.id}): {len(portfolio.people)} people, {len(portfolio.contacts)} contacts, "
        f"{len(portfolio.coverage)} links, {len(portfolio.interactions)} interactions"
    )
    batch.add(portfolio, table.accepted, plan)
    return check


def _check_table(
    ref: SheetRef, kind: Kind, known: Known, plan: ImportPlan, error_files: bool, progress: Progress
) -> TableCheck:
    check = TableCheck(ref, kind)
    lines = iter_lines(ref)
    header = next(line for line in lines if not line.is_blank)
    reader = RowReader(ref, header, kind.template)
    if reader.problems:
        check.add_problems(reader.problems)
        check.header_broken = True
        progress.advance(ref.rows)
        return check
    batch = _Batch()
    seen_lines = collected_at = header.number
    # Rows build many small objects and hardly a cycle: the collector's own passes scanned each batch again
    # and again as it grew (a tenth of the check, gc.callbacks). Paused for the table, it collects the
    # young objects once per batch's worth of lines instead, which also frees any cycle a bad cell made.
    with collector_paused():
        for window in _read_ahead(lines, reader, kind, known):
            for line, (record, problems) in window:
                if line.is_blank:
                    continue
                check.rows += 1
                if not problems:
                    built = kind.build(record, line, reader, known)
                    if isinstance(built, Piece):
                        batch.add(built)
                        check.accepted += 1
                        if batch.rows >= BATCH_ROWS:
                            _spool(batch, plan)
                            batch = _Batch()
                        continue
                    problems = built
                check.add_problems(problems)
                if error_files:
                    if check.error_file is None:
                        check.error_file = ErrorFile(_error_path(ref), header.cells, ref.name)
                    check.error_file.add(reader.cleaned(line), problems)
            seen_lines, last = window[-1][0].number, seen_lines
            progress.advance(seen_lines - last)
            if seen_lines - collected_at >= BATCH_ROWS:
                gc.collect(0)
                collected_at = seen_lines
    if batch.rows:
        _spool(batch, plan)
    return check


def _read_ahead(
    lines: Iterator[Line], reader: RowReader, kind: Kind, known: Known
) -> Iterator[list[tuple[Line, tuple[dict[str, Any], list[Problem]]]]]:
    """The lines READ_AHEAD_LINES at a time, each with its cells read: the accounts a window's rows name
    are read in a few queries before its first row is checked (blank lines come with no cells)."""
    while window := list(itertools.islice(lines, READ_AHEAD_LINES)):
        cells = [reader.read(line) if not line.is_blank else ({}, []) for line in window]
        if kind.names_people:
            known.read_ahead(known.account_id(record) for record, problems in cells if record and not problems)
        yield list(zip(window, cells, strict=True))


def _error_path(ref: SheetRef) -> Path:
    sheet = f".{ref.name}" if ref.name is not None else ""
    return ref.path.with_name(f"{ref.path.stem}{sheet}.errors{ref.path.suffix}")


class _Batch:
    """Pieces of up to BATCH_ROWS rows, each record once (a department many rows name, say)."""

    def __init__(self) -> None:
        self.rows = 0
        self.items: dict[str, dict[str, BaseModel]] = {kind: {} for kind in MODELS}

    def add(self, piece: Piece) -> None:
        self.rows += 1
        for kind, records in vars(piece).items():
            into = self.items[kind]
            for record in records:
                into[getattr(record, "id")] = record  # noqa: B009 - every spooled model has an id


def _spool(batch: _Batch, plan: ImportPlan) -> None:
    pieces: dict[str, Any] = {
        kind: [(record.__dict__, record.model_fields_set) for record in records.values()]
        for kind, records in batch.items.items()
        if records
    }
    _spool_pieces(batch.rows, pieces, plan)


def _rebuilt(model: type[M], values: dict[str, Any], fields: set[str]) -> M:
    """A spooled model as it was, without checks: what unpickling a model does (pydantic's own
    __setstate__), a third of the time model_construct takes to fill in each field again. The spooled
    models have no private attributes and no extra fields (a test holds both)."""
    record = model.__new__(model)
    state = {"__dict__": values, "__pydantic_fields_set__": fields}
    record.__setstate__(state | {"__pydantic_extra__": None, "__pydantic_private__": None})
    return record


def _spool_pieces(rows: int, pieces: dict[str, Any], plan: ImportPlan) -> None:
    """One batch to the spool: each model as its field values (rebuilt without checks when written)."""
    pickle.dump((rows, pieces), plan.spool, protocol=pickle.HIGHEST_PROTOCOL)
    plan.batches += 1
    plan.rows += rows
