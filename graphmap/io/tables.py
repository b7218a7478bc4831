"""Reading spreadsheet-shaped files (CSV or XLSX) as rows of text, each with its line number."""

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


def read_lines(path: Path, sheet: str | None = None) -> Iterator[Line]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidFile([Problem(str(path), 0, "", "", "no such file")])
    if suffix in {".xlsx", ".xlsm"}:
        yield from _xlsx_lines(path, sheet)
    elif suffix in {".csv", ".txt", ".tsv"}:
        if sheet:
            raise InvalidFile([Problem(str(path), 0, "", sheet, "a CSV file has no sheets")])
        yield from _csv_lines(path, "\t" if suffix == ".tsv" else ",")
    else:
        raise InvalidFile([Problem(str(path), 0, "", path.suffix, "unsupported file type; expected .csv or .xlsx")])


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _csv_lines(path: Path, delimiter: str) -> Iterator[Line]:
    raw = path.read_bytes()
    # Excel on Chinese Windows saves CSV as GB18030 (GBK); everything else is UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise InvalidFile([Problem(str(path), 0, "", "", "cannot decode; save it as UTF-8")])
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield Line(start, tuple(c.strip() for c in cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise InvalidFile([Problem(str(path), start, "", "", f"not valid CSV: {error}")]) from None


def _xlsx_lines(path: Path, sheet: str | None) -> Iterator[Line]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InvalidFile([Problem(str(path), 0, "", "", f"not a readable XLSX file: {error}")]) from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            accepted = ", ".join(workbook.sheetnames)
            raise InvalidFile([Problem(str(path), 0, "", sheet, f"no such sheet; the file has: {accepted}")])
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield Line(number, tuple(_cell_text(v) for v in values))
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
