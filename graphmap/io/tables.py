"""Reading spreadsheet-shaped files (CSV or XLSX) as rows of text, each with its line number."""

import csv
import datetime as dt
import io
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
        return Sheet(path, None, _csv_lines(path, "\t" if suffix == ".tsv" else ","))
    raise InvalidFile([Problem(str(path), 0, "", path.suffix, "unsupported file type; expected .csv or .xlsx")])


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _csv_lines(path: Path, delimiter: str) -> list[Line]:
    raw = path.read_bytes()
    # Excel on Chinese Windows saves CSV as GB18030 (GBK); everything else is UTF-8, often with a BOM.
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    start = 1
    try:
        for cells in reader:
            lines.append(Line(start, tuple(c.strip() for c in cells)))
            start = reader.line_num + 1
    except csv.Error as error:
        raise InvalidFile([Problem(str(path), start, "", "", f"not valid CSV: {error}")]) from None
    return lines


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
