"""Reading spreadsheet-shaped files (CSV or XLSX) as rows of text, each with its line number."""

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphmap.errors import InvalidFile, Problem, TooLarge


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as an editor or spreadsheet shows it
    cells: tuple[str, ...]

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)


@dataclass(frozen=True)
class Bounds:
    """How much work one file may ask for, checked before anything is expanded: a few kilobytes of
    spreadsheet can declare a million rows, a merged range over every cell of a sheet or half a gigabyte
    of compressed XML. What is over a bound is refused whole, with the bound named."""

    unzipped_bytes: int = 1 << 30  # a workbook's parts uncompressed (sheet XML, shared strings)
    shared_strings_bytes: int = 256 << 20  # the part openpyxl holds whole in memory, uncompressed
    rows: int = 1_048_576  # per table, Excel's own limit
    columns: int = 256  # per row; the widest template has under 40
    merged_ranges: int = 100_000  # per sheet
    cells: int = 50_000_000  # per file, up to each row's last filled cell
    hint: str = ""  # what to do instead, added to the refusal (the API points to the CLI)


DEFAULT_BOUNDS = Bounds()


@dataclass(frozen=True)
class SheetRef:
    """Where a streamed table is: a CSV file, or one sheet of a workbook (for locating problems)."""

    path: Path
    name: str | None
    encoding: str = "utf-8-sig"  # CSV only
    rows: int = 0  # an estimate of its lines, for progress
    book: Any = field(default=None, compare=False, repr=False)  # the workbook, when kept open for its sheets
    bounds: Bounds = DEFAULT_BOUNDS

    def problem(self, line: int, column: str, value: str, message: str) -> Problem:
        return Problem(str(self.path), line, column, value, message, sheet=self.name)

    def refuse(self, line: int, message: str) -> InvalidFile:
        return InvalidFile([self.problem(line, "", "", message)])

    def too_large(self, line: int, what: str, found: str, bound: int) -> TooLarge:
        return TooLarge([self.problem(line, "", "", _over(what, found, bound))], self.bounds.hint)


def sheets_of(
    path: Path, sheet: str | None = None, keep_open: ExitStack | None = None, bounds: Bounds = DEFAULT_BOUNDS
) -> list[SheetRef]:
    """The tables a file holds, without reading them whole: a CSV file is one, a workbook one per sheet
    (or only `sheet`). Each knows its line count (estimated) and, for CSV, its text encoding. With
    `keep_open`, a workbook stays open until that stack closes, and its sheets are read from it: opening
    a workbook reads all its shared strings, too slow to repeat for each of a thousand sheets."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidFile([Problem(str(path), 0, "", "", "no such file / 文件不存在")])
    if suffix in {".xlsx", ".xlsm", ".csv", ".txt", ".tsv"}:
        _check_contents(path, suffix)
    if suffix in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        _check_unzipped_size(path, bounds)
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged file; its sentences name its internals
            message = (
                "not a readable Excel workbook: damaged, or a zip archive of something else; open it in "
                "Excel and save it as .xlsx again / 无法读取的 Excel 工作簿：文件已损坏或并非工作簿，"
                "请用 Excel 打开后另存为 .xlsx"
            )
            raise InvalidFile([Problem(str(path), 0, "", "", message)]) from None
        try:
            if sheet is not None and sheet not in workbook.sheetnames:
                accepted = ", ".join(workbook.sheetnames)
                message = f"no such sheet / 没有该工作表; the file has / 文件中有: {accepted}"
                raise InvalidFile([Problem(str(path), 0, "", sheet, message)])
            names = [sheet] if sheet else workbook.sheetnames
            book = workbook if keep_open is not None else None
            refs = [SheetRef(path, name, rows=workbook[name].max_row or 0, book=book, bounds=bounds) for name in names]
            for ref in refs:
                if ref.rows > bounds.rows:
                    raise ref.too_large(0, "rows", f"the sheet declares {ref.rows:,}", bounds.rows)
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
            raise InvalidFile([Problem(str(path), 0, "", sheet, "a CSV file has no sheets / CSV 文件没有工作表")])
        encoding, lines = _scan_text(path)
        return [SheetRef(path, None, encoding, lines, bounds=bounds)]
    message = "unsupported file type; expected .csv or .xlsx / 不支持的文件类型，应为 .csv 或 .xlsx"
    raise InvalidFile([Problem(str(path), 0, "", path.suffix, message)])


# What a file that is no table may really be, by the name puremagic gives its bytes: (English, Chinese).
_LOOKS_LIKE = (
    ("png", "a PNG image", "PNG 图片"),
    ("jpeg", "a JPEG image", "JPEG 图片"),
    ("jfif", "a JPEG image", "JPEG 图片"),
    ("gif", "a GIF image", "GIF 图片"),
    ("bitmap", "a BMP image", "BMP 图片"),
    ("webp", "a WebP image", "WebP 图片"),
    ("portable document", "a PDF document", "PDF 文档"),
    ("microsoft office", "an Excel 97-2003 (.xls) or other old Office file: save it as .xlsx",
     "Excel 97-2003 (.xls) 或其他旧版 Office 文件，请另存为 .xlsx"),
    ("rar", "a RAR archive", "RAR 压缩包"),
    ("7-zip", "a 7-Zip archive", "7-Zip 压缩包"),
    ("gzip", "a gzip archive", "gzip 压缩包"),
    ("zip", "a zip archive", "zip 压缩包"),
)  # fmt: skip


def _check_contents(path: Path, suffix: str) -> None:
    """Refuses, in words a user knows, a file that is empty or is not what its name says: a PNG renamed
    .xlsx, a workbook renamed .csv. (Read a spreadsheet library's own error instead and the user is told
    "File is not a zip file" or that line 0 has a strange header.)"""
    import zipfile

    def refuse(english: str, chinese: str) -> InvalidFile:
        return InvalidFile([Problem(str(path), 0, "", "", f"{english} / {chinese}")])

    with path.open("rb") as raw:
        head = raw.read(8192)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):  # nothing, or only blanks and a byte-order mark
        raise refuse("the file is empty", "文件是空的")
    is_zip = zipfile.is_zipfile(path)
    if suffix in {".xlsx", ".xlsm"}:
        if not is_zip:
            found = looks_like(head, signature=2)
            raise refuse(
                f"not an Excel workbook (it looks like {found[0]})" if found else "not an Excel workbook (.xlsx)",
                f"不是 Excel 工作簿（看起来是{found[1]}）" if found else "不是 Excel 工作簿 (.xlsx)",
            )
        return
    if is_zip and head.startswith(b"PK"):
        raise refuse("this is an Excel workbook (or another zip archive), not CSV text: name it .xlsx",
                     "这是 Excel 工作簿（或其他 zip 压缩包），不是 CSV 文本：请把扩展名改为 .xlsx")  # fmt: skip
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse("UTF-16 text (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\" instead",
                     "UTF-16 文本（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8”")  # fmt: skip
    if b"\x00" in head:
        found = looks_like(head)
        raise refuse(
            f"not CSV text (it looks like {found[0]})" if found else "not CSV text: the file holds binary data",
            f"不是 CSV 文本（看起来是{found[1]}）" if found else "不是 CSV 文本：文件包含二进制数据",
        )
    found = looks_like(head)
    if found:
        raise refuse(f"not CSV text (it looks like {found[0]})", f"不是 CSV 文本（看起来是{found[1]}）")


def looks_like(head: bytes, signature: int = 4) -> tuple[str, str] | None:
    """What these first bytes are, when puremagic knows their signature (an image, a PDF, an archive)."""
    import puremagic

    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    for match in matches:
        if match.offset != 0 or len(match.byte_match) < signature:  # a text may well start with "ID3" or "BM"
            continue
        name = f"{match.name} {match.extension}".lower()
        for key, english, chinese in _LOOKS_LIKE:
            if key in name:
                return english, chinese
    return None


_OVER_ZH = {
    "rows": "行数", "columns": "列数", "cells": "单元格数", "merged ranges": "合并区域数", "bytes": "解压后字节数"
}  # fmt: skip


def _over(what: str, found: str, bound: int) -> str:
    return f"too many {what}: {found}, at most {bound:,}; nothing was read from it / {_OVER_ZH[what]}超出上限 {bound:,}"


def _check_unzipped_size(path: Path, bounds: Bounds) -> None:
    """A workbook is a zip: its declared sizes bound what reading it inflates (zipfile stops at the
    declared size and checks the CRC), so they are checked before openpyxl opens anything."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl says what is wrong with it
    unzipped = sum(part.file_size for part in parts)
    shared = sum(part.file_size for part in parts if part.filename.lower().endswith("sharedstrings.xml"))
    for size, bound, what in (
        (unzipped, bounds.unzipped_bytes, "of XML"),
        (shared, bounds.shared_strings_bytes, "of shared strings"),
    ):
        if size > bound:
            found = f"{size:,} bytes {what} in {path.stat().st_size:,} bytes of file"
            raise TooLarge([Problem(str(path), 0, "", "", _over("bytes", found, bound))], bounds.hint)


def iter_lines(ref: SheetRef, merged: bool = False) -> Iterator[Line]:
    """A table's lines one at a time: memory stays flat however long the file, and each line, the table
    and the file keep within ref.bounds. With `merged`, a cell inside a merged range reads as the range's
    value (a department spanning its people's rows), at the cost of one more pass over the sheet; flat
    templates have no merged cells."""
    lines = _csv_stream(ref) if ref.name is None else _sheet_stream(ref, merged)
    bounds, cells = ref.bounds, 0
    for line in lines:
        if line.number > bounds.rows:
            raise ref.too_large(line.number, "rows", f"line {line.number:,}", bounds.rows)
        width = len(line.cells)
        while width and not line.cells[width - 1]:
            width -= 1
        if width > bounds.columns:
            raise ref.too_large(line.number, "columns", f"{width:,} on this line", bounds.columns)
        cells += width
        if cells > bounds.cells:
            raise ref.too_large(line.number, "cells", f"{cells:,} by this line", bounds.cells)
        yield line if width == len(line.cells) else Line(line.number, line.cells[:width])


def _sheet_stream(ref: SheetRef, merged: bool) -> Iterator[Line]:
    from openpyxl import load_workbook

    workbook = ref.book if ref.book is not None else load_workbook(ref.path, read_only=True, data_only=True)
    try:
        worksheet = workbook[ref.name]
        ranges = _merged_ranges(ref, worksheet) if merged else []
        worksheet.reset_dimensions()  # rows as long as their cells, not as wide as the sheet says it is
        active: list[_Merged] = []
        waiting = iter(ranges)
        upcoming = next(waiting, None)
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [restored(_cell_text(v)) for v in values]
            if upcoming is not None or active:
                while upcoming is not None and upcoming.first_row <= number:
                    active.append(upcoming)
                    upcoming = next(waiting, None)
                active = [r for r in active if r.last_row >= number]
                for merged_range in active:
                    merged_range.fill(number, cells)
            yield Line(number, tuple(cells))
    finally:
        if ref.book is None:
            workbook.close()


@dataclass
class _Merged:
    """A merged range: its cells read as its top-left cell's value (0-based columns)."""

    first_row: int
    last_row: int
    first_column: int
    last_column: int
    value: str = ""

    def fill(self, number: int, cells: list[str]) -> None:
        if number == self.first_row and self.first_column < len(cells):
            self.value = cells[self.first_column]
        for column in range(self.first_column, min(self.last_column + 1, len(cells))):
            cells[column] = self.value


def _merged_ranges(ref: SheetRef, worksheet: Any) -> list[_Merged]:
    """The sheet's merged ranges by first row, kept as ranges (never a cell each: one range may declare
    every cell of the sheet). A read-only worksheet does not parse them, and the file keeps them after
    the rows, so they are read first here, streaming the sheet's XML (openpyxl's own source handle: it
    knows where the sheet sits in the file)."""
    from defusedxml.ElementTree import iterparse
    from openpyxl.utils.cell import range_boundaries

    ranges: list[_Merged] = []
    with worksheet._get_source() as source:
        for _, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                if len(ranges) >= ref.bounds.merged_ranges:
                    found = f"more than {ref.bounds.merged_ranges:,}"
                    raise ref.too_large(0, "merged ranges", found, ref.bounds.merged_ranges)
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref") or "")
                except (TypeError, ValueError):
                    message = f"a merged range that is no range / 无效的合并区域: {element.get('ref')!r}"
                    raise ref.refuse(0, message) from None
                if max_row > ref.bounds.rows or max_col > ref.bounds.columns:
                    what, bound = (
                        ("rows", ref.bounds.rows) if max_row > ref.bounds.rows else ("columns", ref.bounds.columns)
                    )
                    found = f"the merged range {element.get('ref')} reaches row {max_row:,}, column {max_col:,}"
                    raise ref.too_large(0, what, found, bound)
                ranges.append(_Merged(min_row, max_row, min_col - 1, max_col - 1))
            element.clear()
    return sorted(ranges, key=lambda r: r.first_row)


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
            for row in reader:
                cells = tuple(map(str.strip, row))
                if "'" in "".join(cells):  # rarely: a cell may be an exported formula-like value
                    cells = tuple(map(restored, cells))
                yield Line(start, cells)
                start = reader.line_num + 1
        except csv.Error as error:
            raise ref.refuse(start, f"not valid CSV / CSV 格式错误: {error}") from None


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
