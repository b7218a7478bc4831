"""Flat templates: a header row, then one record per row (the archive's tables, later segmentation and
process cards). Read with Chinese or English headers and their aliases, in any order; each cell parsed by
its column, every problem located by file, sheet, line and column; written back with either language's
headers, so that import -> export -> import changes nothing.
"""

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from graphmap.errors import Problem
from graphmap.io.dates import BadDate, parse_date
from graphmap.io.tables import Line, Sheet, column_letter
from graphmap.model import Vocabulary, fold

PROBLEMS_HEADER = "问题 / problems"  # the column an error file adds; ignored when the file is read again


class CellError(ValueError):
    """A cell that does not hold what its column expects; the message says what would."""


@dataclass(frozen=True)
class Column:
    field: str
    zh: str
    en: str
    parse: Callable[[str], Any]  # text -> value; raises CellError
    show: Callable[[Any, str], str]  # (value, "zh" | "en") -> text that parse reads back
    aliases: tuple[str, ...] = ()
    required: bool = False

    def spellings(self) -> set[str]:
        return {fold(s) for s in (self.field, self.zh, self.en, *self.aliases)}


@dataclass(frozen=True)
class Template:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]

    def headers(self, language: str) -> list[str]:
        return [column.zh if language == "zh" else column.en for column in self.columns]

    def matches(self, line: Line) -> int:
        """How many of this template's columns a header row names."""
        spellings = [c.spellings() for c in self.columns]
        return sum(1 for cell in line.cells if any(fold(cell) in s for s in spellings))


@dataclass
class TemplateRows:
    """What a file held: the valid records (with their lines), every problem, the rejected lines."""

    sheet: Sheet
    header: Line
    records: list[tuple[Line, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: list[tuple[Line, list[Problem]]] = field(default_factory=list)


def template_rows(table: Sheet, template: Template) -> TemplateRows:
    """Every row of a sheet read; a row with a problem is rejected whole (its problems listed), the others kept."""
    lines = [line for line in table.lines if not line.is_blank]
    if not lines:
        problem = table.problem(0, "", "", f"empty: expected a header row of the {template.zh} / {template.en}")
        return TemplateRows(table, Line(0, ()), problems=[problem])
    header = lines[0]
    result = TemplateRows(table, header)
    index: dict[str, int] = {}
    for position, cell in enumerate(header.cells):
        if fold(cell) == fold(PROBLEMS_HEADER):
            continue
        column = next((c for c in template.columns if fold(cell) in c.spellings()), None)
        if column is None:
            if cell:
                expected = ", ".join(f"{c.zh}/{c.en}" for c in template.columns)
                result.problems.append(
                    table.problem(header.number, column_letter(position), cell, f"unknown column; expected {expected}")
                )
            continue
        if column.field in index:
            message = f"{column.zh} / {column.en} appears twice"
            result.problems.append(table.problem(header.number, column_letter(position), cell, message))
            continue
        index[column.field] = position
    for column in template.columns:
        if column.required and column.field not in index:
            message = f"missing required column {column.zh} / {column.en}"
            result.problems.append(table.problem(header.number, "", "", message))
    if result.problems:
        return result
    for line in lines[1:]:
        record: dict[str, Any] = {}
        problems = []
        for column in template.columns:
            if column.field not in index:
                continue
            position = index[column.field]
            text = line.cells[position] if position < len(line.cells) else ""
            if not text:
                if column.required:
                    label = f"{column_letter(position)} ({column.zh}/{column.en})"
                    problems.append(table.problem(line.number, label, "", "required: may not be empty"))
                record[column.field] = None
                continue
            try:
                record[column.field] = column.parse(text)
            except CellError as error:
                label = f"{column_letter(position)} ({column.zh}/{column.en})"
                problems.append(table.problem(line.number, label, text, str(error)))
        if problems:
            result.problems += problems
            result.rejected.append((line, problems))
        else:
            result.records.append((line, record))
    return result


def write_template(path: Path, template: Template, records: Iterable[Mapping[str, Any]], language: str) -> int:
    """Writes records under the template's headers in one language, as CSV or XLSX by the file's suffix."""
    rows = [[column.show(record.get(column.field), language) for column in template.columns] for record in records]
    write_rows(path, template.headers(language), rows, sheet=template.zh if language == "zh" else template.en)
    return len(rows)


def write_error_file(path: Path, read: TemplateRows) -> int:
    """The rejected lines as they were, each with its problems in a last column: fix them, import this file."""
    header = [*read.header.cells, PROBLEMS_HEADER]
    width = len(read.header.cells)
    rows = [
        [*line.cells[:width], *[""] * (width - len(line.cells)), "; ".join(f"{p.column}: {p.message}" for p in found)]
        for line, found in read.rejected
    ]
    write_rows(path, header, rows, sheet=read.sheet.name)
    return len(rows)


def write_rows(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], sheet: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        worksheet = book.create_sheet(title=(sheet or "Sheet1")[:31])
        worksheet.append(list(header))
        for row in rows:
            worksheet.append(list(row))
        book.save(partial)
    else:
        # UTF-8 with a BOM: Excel on Chinese Windows opens it without garbling the headers.
        with partial.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
    partial.replace(path)


# Cell types shared by the templates


def text(value: str) -> str:
    if len(value) > 2000:
        raise CellError("too long: at most 2,000 characters")
    return value


def show_text(value: Any, language: str = "zh") -> str:
    return "" if value is None else str(value)


def day(value: str) -> date:
    """A day in the usual forms (2024-05-21, 2024/5/21, 2024年5月21日); a month alone (2024-06) is its first day."""
    try:
        span = parse_date(value)
    except BadDate:
        raise CellError("expected a date: 2024-05-21, 2024/5/21, 2024年5月21日, or a month 2024-06") from None
    return span.first


def show_day(value: date | None, language: str = "zh") -> str:
    return value.isoformat() if value else ""


def amount(value: str) -> float:
    """万元: 65, 65.5, 1,234.5, 65万; negative amounts are refused."""
    cleaned = value.replace(",", "").replace("，", "").removesuffix("万元").removesuffix("万").strip()
    try:
        number = float(cleaned)
    except ValueError:
        raise CellError("expected an amount in 万元, e.g. 65 or 12.5") from None
    if number < 0 or number != number or number in (float("inf"), float("-inf")):
        raise CellError("expected an amount of 0 or more")
    return round(number, 4)


def show_amount(value: float | None, language: str = "zh") -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:g}"


def whole(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = float(value)
        except ValueError:
            raise CellError(f"expected a whole number from {low} to {high}") from None
        if number != int(number) or not low <= number <= high:
            raise CellError(f"expected a whole number from {low} to {high}")
        return int(number)

    return parse


YES = {"是", "有", "yes", "y", "true", "1", "√", "✓"}
NO = {"否", "无", "no", "n", "false", "0", "×"}


def yes_no(value: str) -> bool:
    folded = fold(value)
    if folded in {fold(v) for v in YES}:
        return True
    if folded in {fold(v) for v in NO}:
        return False
    raise CellError("expected 是/否 or yes/no")


def show_yes_no(value: bool | None, language: str = "zh") -> str:
    if value is None:
        return ""
    return ("是" if value else "否") if language == "zh" else ("yes" if value else "no")


def term(vocabulary: type[Vocabulary]) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        try:
            return vocabulary.parse(value)
        except ValueError:
            raise CellError(f"accepted: {vocabulary.accepted()}") from None

    return parse


def show_term(value: Vocabulary | None, language: str = "zh") -> str:
    return getattr(value, language) if value is not None else ""
