"""Hostile spreadsheets, made in seconds: each is small on disk and asks for far more work than it holds.

`streamed_workbook` writes a real XLSX (the parts Excel and openpyxl read) with its sheet XML streamed into
the zip, so a workbook of millions of rows costs a few seconds and no memory to make.
"""

import random
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils.cell import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def streamed_workbook(
    path: Path, rows: Iterable[Sequence[str]], merged: Sequence[str] = (), dimension: str | None = None
) -> Path:
    """An XLSX of one sheet: `rows` as inline strings, then `merged` ranges (A12:XFD1048576)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
            if dimension:
                head += f'<dimension ref="{dimension}"/>'
            sheet.write((head + "<sheetData>").encode())
            buffer: list[str] = []
            for number, row in enumerate(rows, start=1):
                cells = "".join(
                    f'<c r="{get_column_letter(column)}{number}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
                    for column, value in enumerate(row, start=1)
                    if value
                )
                buffer.append(f'<row r="{number}">{cells}</row>')
                if len(buffer) >= 2_000:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
            sheet.write("".join(buffer).encode() + b"</sheetData>")
            if merged:
                ranges = "".join(f'<mergeCell ref="{ref}"/>' for ref in merged)
                sheet.write(f'<mergeCells count="{len(merged)}">{ranges}</mergeCells>'.encode())
            sheet.write(b"</worksheet>")
    return path


MAPPING_HEADER = [
    ["客户名称", "客户所属行业", "映射目标", "更新日期"],
    ["XX科技有限公司", "智能制造", "识别决策链", "2024-06-30"],
    ["部门", "角色姓名", "职位", "角色类型", "关系状态", "我方对接人", "关键互动记录", "下一步行动"],
]
MAPPING_ROW = ["采购部", "*某某", "采购总监", "决策者", "长期合作信任", "销售经理*某", "2024-06-15 签约", "9月底回访"]


def merged_range_bomb(path: Path) -> Path:
    """A few kilobytes: a mapping table whose sheet merges every cell from A12 to the sheet's last."""
    rows = [*MAPPING_HEADER, *([f"部门{n}", f"*某{n}", *MAPPING_ROW[2:]] for n in range(8))]
    return streamed_workbook(path, rows, merged=["A12:XFD1048576"])


CONTACTS_HEADER = ["客户编号", "部门", "姓名", "职位", "角色类型", "电话", "邮箱"]


def contact_rows(count: int, seed: int = 29) -> Iterable[list[str]]:
    """The archive's contacts table: `count` people, a hundred to an account."""
    rng = random.Random(seed)
    yield CONTACTS_HEADER
    for n in range(count):
        account = f"2024-IT-{n // 100:06d}"
        yield [account, "总部/采购部", f"*某{n}", rng.choice(("采购总监", "工程师")), "影响者", "", ""]


def inflated_workbook(path: Path, rows: int) -> Path:
    """The issue's 34.6 MB workbook of 3 million rows (500 MB of XML), at any number of rows."""
    return streamed_workbook(path, contact_rows(rows))


def wide_csv(path: Path, columns: int) -> Path:
    """A header row of `columns` names (a million make 9.9 MB): every cell a column to look up."""
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(["客户编号", *(f"列{n}" for n in range(columns - 1))]) + "\n")
        out.write("2024-IT-000001\n")
    return path
