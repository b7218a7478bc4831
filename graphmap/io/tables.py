"""Reading spreadsheet-shaped files (CSV or XLSX) as rows of text, each with its line number."""

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphmap.errors import InvalidFile, Problem


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as an editor or spreadsheet shows it
    cells: tuple[str, ...]

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)


@dataclass(frozen=True)
class SheetRef:
    """Where a streamed table is: a CSV file, or one sheet of a workbook (for locating problems)."""

    path: Path
    name: str | None
    encoding: str = "utf-8-sig"  # CSV only
    rows: int = 0  # an estimate of its lines, for progress
    book: Any = field(default=None, compare=False, repr=False)  # the workbook, when kept open for its sheets

    def problem(self, line: int, column: str, value: str, message: str) -> Problem:
        return Problem(str(self.path), line, column, value, message, sheet=self.name)


def sheets_of(path: Path, sheet: str | None = None, keep_open: ExitStack | None = None) -> list[SheetRef]:
    """The tables a file holds, without reading them whole: a CSV file is one, a workbook one per sheet
    (or only `sheet`). Each knows its line count (estimated) and, for CSV, its text encoding. With
    `keep_open`, a workbook stays open until that stack closes, and its sheets are read from it: opening
    a workbook reads all its shared strings, too slow to repeat for each of a thousand sheets."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidFile([Problem(str(path), 0, "", "", "no such file")])
    if suffix in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise InvalidFile([Problem(str(path), 0, "", "", f"not a readable XLSX file: {error}")]) from None
        try:
            if sheet is not None and sheet not in workbook.sheetnames:
                accepted = ", ".join(workbook.sheetnames)
                raise InvalidFile([Problem(str(path), 0, "", sheet, f"no such sheet; the file has: {accepted}")])
            names = [sheet] if sheet else workbook.sheetnames
            book = workbook if keep_open is not None else None
            refs = [SheetRef(path, name, rows=workbook[name].max_row or 0, book=book) for name in names]
        except BaseException:
            workbook.close()
            raise
        if keep_open is not None:
            keep_open.callback(workbook.close)
        else:
            workbook.close()
        return refs
    if suffix in {".csv", ".txt", ".tsv"}:
        if sheet:
            raise InvalidFile([Problem(str(path), 0, "", sheet, "a CSV file has no sheets")])
        encoding, lines = _scan_text(path)
        return [SheetRef(path, None, encoding, lines)]
    raise InvalidFile([Problem(str(path), 0, "", path.suffix, "unsupported file type; expected .csv or .xlsx")])


def iter_lines(ref: SheetRef, merged: bool = False) -> Iterator[Line]:
    """A table's lines one at a time: memory stays flat however long the file. With `merged`, a cell
    inside a merged range reads as the range's value (a department spanning its people's rows), at the
    cost of one more pass over the sheet; flat templates have no merged cells."""
    if ref.name is None:
        yield from _csv_stream(ref)
        return
    from openpyxl import load_workbook

    workbook = ref.book if ref.book is not None else load_workbook(ref.path, read_only=True, data_only=True)
    try:
        worksheet = workbook[ref.name]
        anchors = _merged_anchors(worksheet) if merged else {}
        values_at: dict[tuple[int, int], object] = {}  # the value of each range's top-left cell, once seen
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if anchors:
                cells = list(values)
                for column in range(len(cells)):
                    anchor = anchors.get((number, column))
                    if anchor == (number, column):
                        values_at[anchor] = cells[column]
                    elif anchor is not None:
                        cells[column] = values_at.get(anchor)
                values = tuple(cells)
            yield Line(number, tuple(restored(_cell_text(v)) for v in values))
    finally:
        if ref.book is None:
            workbook.close()


def _merged_anchors(worksheet: Any) -> dict[tuple[int, int], tuple[int, int]]:
    """Each merged cell (line, 0-based column) -> the top-left cell of its range. A read-only worksheet
    does not parse its merged ranges, which the file keeps after the rows, so they are read first here,
    streaming the sheet's XML (openpyxl's own source handle: it knows where the sheet sits in the file)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    with worksheet._get_source() as source:
        for _, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                for row in range(min_row, max_row + 1):
                    for column in range(min_col - 1, max_col):
                        anchors[(row, column)] = (min_row, min_col - 1)
            element.clear()
    return anchors


def _scan_text(path: Path) -> tuple[str, int]:
    """The file's encoding (UTF-8, else GB18030 as Excel on Chinese Windows saves CSV) and its line count,
    in one streaming pass."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    encoding = "utf-8-sig"
    with path.open("rb") as raw:
        while chunk := raw.read(1 << 20):
            lines += chunk.count(b"\n")
            if encoding == "utf-8-sig":
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    encoding = "gb18030"
    if encoding == "utf-8-sig":
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "gb18030"
    return encoding, lines


def _csv_stream(ref: SheetRef) -> Iterator[Line]:
    delimiter = "\t" if ref.path.suffix.lower() == ".tsv" else ","
    errors = "replace" if ref.encoding == "gb18030" else "strict"
    with ref.path.open(encoding=ref.encoding, errors=errors, newline="") as text:
        reader = csv.reader(text, delimiter=delimiter)
        start = 1
        try:
            for cells in reader:
                yield Line(start, tuple(restored(c.strip()) for c in cells))
                start = reader.line_num + 1
        except csv.Error as error:
            raise InvalidFile([Problem(str(ref.path), start, "", "", f"not valid CSV: {error}")]) from None


# Formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that starts with one of these as a
# formula. On the way out such a value gets a leading apostrophe, which spreadsheets show as text; on the way
# in exactly one apostrophe is taken off again, so import -> export -> import keeps every value. A value that
# already starts with apostrophes before such a character gets one more, so that it too comes back as it was.
# (defusedcsv, the maintained library for this, leaves tab and carriage return alone and rewrites "|" as "\|",
# which an import cannot tell from a typed "\|".)
FORMULA_LEADING = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: str) -> str:
    """The text a spreadsheet cell may hold without running it: formula-leading values behind an apostrophe."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_LEADING) else value


def restored(value: str) -> str:
    """`neutralised` undone: the stored value of a cell read from a file."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_LEADING):
        return value[1:]
    return value


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
