"""Hostile files (issue 29): a few kilobytes that declare a merged range over every cell of a sheet, a
workbook that inflates to more XML than the bound, a CSV of a million columns, a million bad rows. Each is
refused with the bound it broke, named in both languages, before it is expanded, in a process whose peak
memory stays small; over HTTP the same files get a 413 that points to the CLI, and nothing is written.
"""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graphmap.api import create_app
from graphmap.api.routes.tables import ONE_IMPORT_AT_A_TIME
from graphmap.config import Settings
from graphmap.graph import count_graph
from graphmap.importing import PROBLEMS_KEPT, check_files
from graphmap.model import Portfolio
from graphmap.sample import portfolio_path
from graphmap.store import GraphStore
from tests.api.conftest import Api, seed
from tests.reliability.hostile_files import contact_rows, inflated_workbook, merged_range_bomb, wide_csv

CHECK = """
import json, sys
from pathlib import Path
from graphmap.errors import GraphmapError
from graphmap.importing import check_files
from graphmap.io.tables import Bounds
try:
    check_files([Path(sys.argv[1])], None, bounds=Bounds(rows=int(sys.argv[2]))).close()
    message = "accepted"
except GraphmapError as error:
    message = error.message
# VmHWM, not ru_maxrss: the latter keeps the forking parent's size across exec (a big pytest process)
status = Path("/proc/self/status").read_text()
peak = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) * 1024
print(json.dumps({"message": message, "peak": peak}, ensure_ascii=False))
"""
PEAK_BYTES = 300 << 20  # the interpreter with graphmap loaded is about 60 MB of it


def check_in_a_process(path: Path, rows: int = 1_048_576) -> tuple[str, int]:
    """The first pass of `graphmap import` on `path` in a fresh process: what it said, its peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", CHECK, str(path), str(rows)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    return result["message"], result["peak"]


def test_a_merged_range_over_the_whole_sheet_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    bomb = merged_range_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 6_000  # the was 5.7 KB and took 3 GB in 13 s
    message, peak = check_in_a_process(bomb)
    assert "A12:XFD1048576" in message and "too many columns" in message and "列数超出上限" in message
    assert peak < PEAK_BYTES


def test_a_million_columns_are_refused_at_the_first_line(tmp_path: Path) -> None:
    wide = wide_csv(tmp_path / "wide.csv", 1_000_000)
    message, peak = check_in_a_process(wide)
    assert "wide.csv:1" in message and "1,000,000 on this line, at most 256" in message
    assert peak < PEAK_BYTES


def test_rows_past_the_bound_are_refused_and_memory_stays_flat_while_they_stream(tmp_path: Path) -> None:
    workbook = inflated_workbook(tmp_path / "rows.xlsx", 60_000)
    message, peak = check_in_a_process(workbook, rows=50_000)
    assert "rows.xlsx[Sheet1]:50001" in message and "too many rows" in message and "行数超出上限" in message
    assert peak < PEAK_BYTES


def test_a_million_bad_rows_keep_a_thousand_problems_and_count_the_rest(tmp_path: Path) -> None:
    table = tmp_path / "contacts.csv"
    table.write_text("\n".join(",".join(row) for row in contact_rows(PROBLEMS_KEPT + 500)), encoding="utf-8")
    plan = check_files([table], None)  # no store: every row names an account nobody imported
    try:
        assert plan.problem_count() == PROBLEMS_KEPT + 500 and len(plan.all_problems()) == PROBLEMS_KEPT
        assert not plan.can_write(partial=False)
    finally:
        plan.close()


def test_a_table_of_bad_cells_keeps_memory_flat_while_the_collector_is_paused(tmp_path: Path) -> None:
    """The check pauses Python's collector for a table and collects every batch's worth of lines: each bad
    cell leaves a cycle (its error and the frame that raised it), 300,000 of them 880 MB without that."""
    table = tmp_path / "contacts.csv"
    rows = (f"客户{n % 50}有限公司,*某{n},电话x{n}y" for n in range(300_000))  # no phone, each its own text
    table.write_text("\n".join(["客户名称,姓名,电话", *rows]), encoding="utf-8")
    message, peak = check_in_a_process(table)
    assert message == "accepted"  # checked: every row refused, which the plan reports and nothing raises
    assert peak < PEAK_BYTES


@pytest.fixture
def api(store: GraphStore) -> Iterator[Api]:
    """The API with a bound of a million bytes of workbook XML (200 MB by default)."""
    tokens = seed(store, Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8")))
    settings = Settings(api_import_unzipped_limit=1_000_000)
    with TestClient(create_app(settings, store), raise_server_exceptions=False) as client:
        yield Api(client, store, tokens)


@pytest.mark.integration
def test_over_http_a_hostile_file_gets_413_pointing_to_the_cli_and_nothing_is_written(api: Api, tmp_path: Path) -> None:
    graph = count_graph(api.store)
    files = {
        "bomb.xlsx": merged_range_bomb(tmp_path / "bomb.xlsx"),
        "inflated.xlsx": inflated_workbook(tmp_path / "inflated.xlsx", 20_000),
        "wide.csv": wide_csv(tmp_path / "wide.csv", 100_000),
    }
    for name, path in files.items():
        parts = [("files", (name, path.read_bytes(), "application/octet-stream"))]
        reply = api.call("admin", "POST", "/imports", files=parts)
        assert reply.status_code == 413, (name, reply.text)
        detail = reply.json()["detail"]
        assert detail.startswith(name) and "graphmap import" in detail, detail
        assert str(tmp_path) not in detail and "graphmap-upload" not in detail
    assert count_graph(api.store) == graph


@pytest.mark.integration
def test_over_http_one_import_runs_at_a_time(api: Api) -> None:
    with ONE_IMPORT_AT_A_TIME:  # as if another import were running
        reply = api.call("admin", "POST", "/imports", files=[("files", ("t.csv", b"a,b\n", "text/csv"))])
    assert reply.status_code == 429 and reply.headers["Retry-After"] and "另一个导入" in reply.json()["detail"]


def _workbook(path: Path, sheets: int = 1) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for number in range(1, sheets):
        book.create_sheet(f"s{number}")
    book.save(path)
    return path


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOT_TABLES = {  # file name, contents (or a writer), what the refusal says
    "png renamed": ("photo.xlsx", PNG, "not an Excel workbook (it looks like a PNG image) / 不是 Excel 工作簿"),
    "png as csv": ("photo.csv", PNG, "not CSV text (it looks like a PNG image) / 不是 CSV 文本"),
    "pdf as csv": ("scan.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not CSV text (it looks like a PDF document)"),
    "old excel": ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Excel 97-2003 (.xls)"),
    "empty xlsx": ("empty.xlsx", b"", "the file is empty / 文件是空的"),
    "empty csv": ("empty.csv", b"", "the file is empty / 文件是空的"),
    "blank csv": ("blank.csv", b"\xef\xbb\xbf\r\n,,\r\n", "the file is empty / 文件是空的"),
    "utf-16 csv": ("unicode.csv", "客户编号\t客户名称\n".encode("utf-16"), "UTF-16 text"),
    "blank workbook": ("blank.xlsx", _workbook, "the sheet is empty / 工作表是空的"),
    "blank sheets": ("blank3.xlsx", lambda p: _workbook(p, 3), "every sheet is empty / 所有工作表都是空的"),
    "workbook as csv": ("book.csv", lambda p: _workbook(p.with_suffix(".xlsx")).rename(p), "not CSV text"),
}  # fmt: skip


@pytest.mark.parametrize("case", NOT_TABLES, ids=list(NOT_TABLES))
def test_a_file_that_is_no_table_is_named_for_what_it_is(tmp_path: Path, case: str) -> None:
    """Issue 31.5: never "line 0", "File is not a zip file" or a header of garbage."""
    name, contents, expected = NOT_TABLES[case]
    path = tmp_path / name
    if isinstance(contents, bytes):
        path.write_bytes(contents)
    else:
        contents(path)
    plan = check_files([path], None)
    try:
        [problem] = plan.problems
    finally:
        plan.close()
    shown = str(problem)
    assert shown.startswith(f"{path}:") or shown.startswith(f"{path}["), shown
    assert expected.split(" / ")[0].replace(": name it .xlsx", "") in shown
    assert ":0" not in shown and "zip file" not in shown.lower() and "Error" not in shown
    assert problem.line == 0 and not plan.tables
