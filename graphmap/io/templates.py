"""Flat templates: a header row, then one record per row (the archive's tables, later segmentation and
process cards). Read with Chinese or English headers and their aliases, in any order; each cell parsed by
its column, every problem located by file, sheet, line and column; written back with either language's
headers, so that import -> export -> import changes nothing.
"""

import csv
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from graphmap.errors import Problem
from graphmap.io.cells import CellError
from graphmap.io.private import open_private
from graphmap.io.tables import Line, column_letter, neutralised
from graphmap.model import fold

PROBLEMS_HEADER = "问题 / problems"  # the column an error file adds; ignored when the file is read again


@dataclass(frozen=True)
class Column:
    field: str
    zh: str
    en: str
    parse: Callable[[str], Any]  # text -> value; raises CellError
    show: Callable[[Any, str], str]  # (value, "zh" | "en") -> text that parse reads back
    aliases: tuple[str, ...] = ()
    required: bool = False
    personal: bool = False  # a phone or e-mail: its text never appears in a problem or a log
    computed: bool = False  # written on export for the reader (a computed tier), ignored on import

    def spellings(self) -> set[str]:
        return {fold(s) for s in (self.field, self.zh, self.en, *self.aliases)}

    @property
    def label(self) -> str:
        return f"{self.zh}/{self.en}"


@dataclass(frozen=True)
class Template:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]

    def headers(self, language: str) -> list[str]:
        return [column.zh if language == "zh" else column.en for column in self.columns]

    @cached_property
    def spellings(self) -> dict[str, str]:
        """Every folded spelling of every column, to its field (a workbook's every sheet asks for them)."""
        return {spelling: c.field for c in self.columns for spelling in c.spellings()}

    def matches(self, line: Line) -> int:
        """How many of this template's columns a header row names."""
        return len(match_header(line.cells, self.spellings).index)

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


@dataclass
class HeaderMatch:
    index: dict[str, int]  # field -> position
    unknown: list[tuple[int, str]]  # (position, cell) of cells that name no field
    repeated: list[tuple[int, str]]  # (position, cell) of a field's second column


# A header's note in brackets, as the templates print them: 客户名称(全称), 近12个月交易金额(万元),
# 联系方式（电话/邮箱）. A header is matched as written first, then without its note.
HEADER_NOTE = re.compile(r"\s*[(（\[【][^)）\]】]*[)）\]】]\s*$")


def header_field(cell: str, spellings: Mapping[str, str]) -> str | None:
    return spellings.get(fold(cell)) or spellings.get(fold(HEADER_NOTE.sub("", cell)))


def match_header(cells: Sequence[str], spellings: Mapping[str, str]) -> HeaderMatch:
    """Which column holds which field: `spellings` maps every folded spelling to its field. The one header
    matcher of every table; empty cells and an error file's own problems column are passed over."""
    found = HeaderMatch({}, [], [])
    for position, cell in enumerate(cells):
        if not cell or fold(cell) == fold(PROBLEMS_HEADER):
            continue
        field = header_field(cell, spellings)
        if field is None:
            found.unknown.append((position, cell))
        elif field in found.index:
            found.repeated.append((position, cell))
        else:
            found.index[field] = position
    return found


def _nearest(cell: str, template: Template) -> str:
    """'; did you mean Revenue 12 months (10k CNY)? / 是否应为「近12个月营收(万元)」?' for the closest spelling."""
    import difflib

    spellings = template.spellings
    key = fold(HEADER_NOTE.sub("", cell))
    close = difflib.get_close_matches(key, list(spellings), n=1, cutoff=0.5)
    if not close:
        return ""
    column = template.column(spellings[close[0]])
    return f"; did you mean {column.en}? / 是否应为「{column.zh}」?"


class Located(Protocol):
    def problem(self, line: int, column: str, value: str, message: str) -> Problem: ...


# What the templates write for "nothing here" (首次合作时间: 如未合作，填"-"; a segmentation row's 联系人 "/").
PLACEHOLDERS = frozenset({"-", "--", "—", "——", "－", "/", "／", "N/A", "n/a"})
MEMO_LIMIT = 4096  # distinct texts remembered per column: vocabularies, dates and amounts repeat a lot


class RowReader:
    """Reads a template's rows under one header row: each cell parsed by its column, every problem
    located by file, sheet, line and column. A row with a problem is rejected whole."""

    def __init__(self, where: Located, header: Line, template: Template) -> None:
        self.where = where
        self.file_name = Path(str(getattr(where, "path", ""))).name
        self.header = header
        self.template = template
        self.problems: list[Problem] = []  # the header's own
        found = match_header(header.cells, template.spellings)
        for position, cell in found.unknown:
            message = f"unknown column for {template.en} / {template.zh}中没有此列" + _nearest(cell, template)
            self.problems.append(where.problem(header.number, column_letter(position), cell, message))
        if found.unknown:  # the accepted names once per table, not once per unknown column
            expected = ", ".join(c.label for c in template.columns if not c.computed)
            read_as = f"the file was read as {template.en} / 按「{template.zh}」读取"
            message = f"{read_as}, whose columns are / 可用的列: {expected}"
            self.problems.append(where.problem(header.number, "", "", message))
        for position, cell in found.repeated:
            column = template.column(header_field(cell, template.spellings) or "")
            message = f"{column.zh} / {column.en} appears twice"
            self.problems.append(where.problem(header.number, column_letter(position), cell, message))
        self.index = {f: p for f, p in found.index.items() if not template.column(f).computed}
        for column in template.columns:
            if column.required and column.field not in self.index:
                message = f"missing required column {column.zh} / {column.en}"
                self.problems.append(where.problem(header.number, "", "", message))
        self._columns: list[tuple[Column, int, dict[str, Any]]] = [
            (c, self.index[c.field], {}) for c in template.columns if c.field in self.index
        ]

    def has(self, field: str) -> bool:
        return field in self.index

    def read(self, line: Line) -> tuple[dict[str, Any], list[Problem]]:
        """The row's values by field (an empty cell is None), and its problems."""
        record: dict[str, Any] = {}
        problems: list[Problem] = []
        cells = line.cells
        for column, position, memo in self._columns:
            text = cells[position] if position < len(cells) else ""
            if not text or text in PLACEHOLDERS:
                if column.required:
                    label = f"{column_letter(position)} ({column.label})"
                    problems.append(self.where.problem(line.number, label, "", "required: may not be empty"))
                record[column.field] = None
                continue
            value = memo.get(text, _UNSEEN)
            if value is _UNSEEN:
                try:
                    value = column.parse(text)
                except CellError as error:
                    value = error
                if len(memo) < MEMO_LIMIT:
                    memo[text] = value
            if isinstance(value, CellError):
                label = f"{column_letter(position)} ({column.label})"
                shown = "" if column.personal else text  # a phone or e-mail is never echoed
                problems.append(self.where.problem(line.number, label, shown, str(value)))
            else:
                record[column.field] = value
        return record, problems

    def problem(self, line: Line, field: str, value: str, message: str) -> Problem:
        """A problem found after the cells were read (an unknown reference, a rule across columns)."""
        position = self.index.get(field)
        column = self.template.column(field)
        label = f"{column_letter(position)} ({column.label})" if position is not None else column.label
        return self.where.problem(line.number, label, "" if column.personal else value, message)

    def cleaned(self, line: Line) -> list[str]:
        """The line's cells as an error file shows them: personal cells reduced where they can be."""
        cells = [*line.cells[: len(self.header.cells)], *[""] * (len(self.header.cells) - len(line.cells))]
        for column, position, memo in self._columns:
            if column.personal and cells[position]:
                value = memo.get(cells[position])
                if value is None:
                    try:
                        value = column.parse(cells[position])
                    except CellError:
                        continue
                if not isinstance(value, CellError):
                    cells[position] = column.show(value, "zh")
        return cells


_UNSEEN = object()


class ErrorFile:
    """The rejected rows of a table as they were (personal cells reduced), each with its problems in a
    last column: fix them there and import this file. Written as the rows are found; replaces the file
    only when complete."""

    def __init__(
        self, path: Path, header: Sequence[str], sheet: str | None, preamble: Sequence[Sequence[str]] = ()
    ) -> None:
        self.path = path
        self.rows = 0
        self._writer = RowWriter(path, [*header, PROBLEMS_HEADER], sheet, preamble)

    def add(self, cells: Sequence[str], problems: Sequence[Problem]) -> None:
        self._writer.add([*cells, "; ".join(f"{p.column}: {p.message}" for p in problems)])
        self.rows += 1

    def commit(self) -> None:
        self._writer.commit()

    def discard(self) -> None:
        self._writer.discard()


def write_template(path: Path, template: Template, records: Iterable[Mapping[str, Any]], language: str) -> int:
    """Writes records under the template's headers in one language, as CSV or XLSX by the file's suffix."""
    writer = RowWriter(path, template.headers(language), template.zh if language == "zh" else template.en)
    try:
        for record in records:
            writer.add([column.show(record.get(column.field), language) for column in template.columns])
    except BaseException:
        writer.discard()
        raise
    writer.commit()
    return writer.rows


XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # as openpyxl's ILLEGAL_CHARACTERS_RE


def _xml_safe(value: Any) -> Any:
    """XLSX is XML, which cannot hold most control characters (a form feed pasted into a name): they are
    left out of the cell, where CSV keeps them."""
    return XML_ILLEGAL.sub("", value) if isinstance(value, str) else value


def _text_cell(sheet: Any, value: Any) -> Any:
    """A workbook cell that holds `value` as text, never as a formula or an error code: openpyxl makes
    "=..." a formula and "#N/A" an error unless the cell says it is a string."""
    if not isinstance(value, str):
        return value
    value = neutralised(_xml_safe(value))
    if not value.startswith(("=", "#")):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


class RowWriter:
    """Rows to a CSV (UTF-8 with a BOM: Excel on Chinese Windows opens it without garbling the headers)
    or XLSX file, streamed to FILE.partial (its owner's alone) and renamed when complete."""

    def __init__(
        self, path: Path, header: Sequence[str], sheet: str | None = None, preamble: Sequence[Sequence[str]] = ()
    ) -> None:
        """`preamble`: lines before the header row (a mapping table's header block)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.rows = 0
        self._partial = path.with_name(path.name + ".partial")
        self._book: Any = None
        if path.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet(title=_xml_safe(sheet or "Sheet1")[:31])
        else:
            self._out = open_private(self._partial, encoding="utf-8-sig", newline="")
            self._csv = csv.writer(self._out)
        for line in [*preamble, header]:
            self.add(line)
        self.rows = 0

    def add_sheet(self, title: str) -> None:
        """Further rows go to a new sheet (XLSX only): a workbook of mapping tables, one per account."""
        self._sheet = self._book.create_sheet(title=_xml_safe(title))

    def add(self, row: Sequence[str]) -> None:
        if self._book is not None:
            self._sheet.append([_text_cell(self._sheet, value) for value in row])
        else:
            self._csv.writerow([neutralised(value) if isinstance(value, str) else value for value in row])
        self.rows += 1

    def commit(self) -> None:
        if self._book is not None:
            with open_private(self._partial, "wb") as out:
                self._book.save(out)
        else:
            self._out.close()
        self._partial.replace(self.path)

    def discard(self) -> None:
        if self._book is None:
            self._out.close()
        else:  # end each sheet's row stream now, not when it is collected after its file has closed
            for sheet in self._book.worksheets:
                if not sheet.closed:
                    sheet.close()
        self._partial.unlink(missing_ok=True)
