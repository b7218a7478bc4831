"""Reading spreadsheet-shaped files (CSV or XLSX) as rows of text, each with its line number."""

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graphmap.errors import InvalidFile, Problem


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as an editor or spreadsheet shows it
    cells: tuple[str, ...]

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)


@dataclass(frozen=True)
class Sheet:
    """A table read from a file: a CSV file, or one sheet of a workbook."""

    path: Path
    name: str | None  # the worksheet's name; None for CSV
    lines: list[Line]

    def problem(self, line: int, column: str, value: str, message: str) -> Problem:
        return Problem(str(self.path), line, column, value, message, sheet=self.name)


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidFile([Problem(str(path), 0, "", "", "no such file")])
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_sheet(path, sheet)
    if suffix in {".csv", ".txt", ".tsv"}:
        if sheet:
            raise InvalidFile([Problem(str(path), 0, "", sheet, "a CSV file has no sheets")])
        encoding, lines = _scan_text(path)
        return Sheet(path, None, list(_csv_stream(SheetRef(path, None, encoding, lines))))
    raise InvalidFile([Problem(str(path), 0, "", path.suffix, "unsupported file type; expected .csv or .xlsx")])


@dataclass(frozen=True)
class SheetRef:
    """Where a streamed table is: a CSV file, or one sheet of a workbook (for locating problems)."""

    path: Path
    name: str | None
    encoding: str = "utf-8-sig"  # CSV only
    rows: int = 0  # an estimate of its lines, for progress

    def problem(self, line: int, column: str, value: str, message: str) -> Problem:
        return Problem(str(self.path), line, column, value, message, sheet=self.name)


def sheets_of(path: Path, sheet: str | None = None) -> list[SheetRef]:
    """The tables a file holds, without reading them whole: a CSV file is one, a workbook one per sheet
    (or only `sheet`). Each knows its line count (estimated) and, for CSV, its text encoding."""
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
            return [SheetRef(path, name, rows=workbook[name].max_row or 0) for name in names]
        finally:
            workbook.close()
    if suffix in {".csv", ".txt", ".tsv"}:
        if sheet:
            raise InvalidFile([Problem(str(path), 0, "", sheet, "a CSV file has no sheets")])
        encoding, lines = _scan_text(path)
        return [SheetRef(path, None, encoding, lines)]
    raise InvalidFile([Problem(str(path), 0, "", path.suffix, "unsupported file type; expected .csv or .xlsx")])


def iter_lines(ref: SheetRef) -> Iterator[Line]:
    """A table's lines one at a time: memory stays flat however long the file. (Merged cells are not
    seen this way; flat templates have none, mapping tables are read whole by read_sheet.)"""
    if ref.name is None:
        yield from _csv_stream(ref)
        return
    from openpyxl import load_workbook

    workbook = load_workbook(ref.path, read_only=True, data_only=True)
    try:
        for number, values in enumerate(workbook[ref.name].iter_rows(values_only=True), start=1):
            yield Line(number, tuple(_cell_text(v) for v in values))
    finally:
        workbook.close()


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
                yield Line(start, tuple(c.strip() for c in cells))
                start = reader.line_num + 1
        except csv.Error as error:
            raise InvalidFile([Problem(str(ref.path), start, "", "", f"not valid CSV: {error}")]) from None


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _xlsx_sheet(path: Path, sheet: str | None) -> Sheet:
    from openpyxl import load_workbook

    try:
        # Not read-only: merged cells (a department spanning its people's rows) are only visible this way.
        workbook = load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InvalidFile([Problem(str(path), 0, "", "", f"not a readable XLSX file: {error}")]) from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            accepted = ", ".join(workbook.sheetnames)
            raise InvalidFile([Problem(str(path), 0, "", sheet, f"no such sheet; the file has: {accepted}")])
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        merged = {}
        for cell_range in worksheet.merged_cells.ranges:
            value = worksheet.cell(cell_range.min_row, cell_range.min_col).value
            for row in range(cell_range.min_row, cell_range.max_row + 1):
                for column in range(cell_range.min_col, cell_range.max_col + 1):
                    merged[(row, column)] = value
        lines = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = tuple(_cell_text(merged.get((number, i), v)) for i, v in enumerate(values, start=1))
            lines.append(Line(number, cells))
        return Sheet(path, worksheet.title, lines)
    finally:
        workbook.close()


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
