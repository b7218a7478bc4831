"""Malformed rows, generated (hypothesis): an import with --partial never ends in a traceback and never
writes part of a row. Every row is either in the graph with every one of its cells as the template reads
it, or in the error file; nothing else is written. Runs on the embedded engine (the rule is the importer's,
not the engine's)."""

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from graphmap.cli import app
from graphmap.config import get_settings
from graphmap.graph import list_accounts
from graphmap.io.archive import ACCOUNTS
from graphmap.io.cells import Written
from graphmap.io.ids import account_id_for
from graphmap.io.tables import Line, SheetRef
from graphmap.io.templates import RowReader
from graphmap.store import open_store

pytestmark = pytest.mark.integration

GOOD = {
    "id": st.sampled_from(["2024-IT-001", "2024-IT-002", "A-3", ""]),
    "name": st.sampled_from(["华东智能科技有限公司", "XX科技有限公司", "*某某公司"]),
    "customer_type": st.sampled_from(["老客户", "new", "流失客户", ""]),
    "founded_on": st.sampled_from(["2008年3月", "2024/5/21", "2024-06", ""]),
    "total_amount": st.sampled_from(["65", "1,234.5", "28万", "0", ""]),
    "satisfaction": st.sampled_from(["1", "5", ""]),
    "renewal_intent": st.sampled_from(["是", "no", ""]),
    "size_band": st.sampled_from(["200-500人", "over 500", ""]),
}
BAD = st.one_of(
    st.text(max_size=30),  # anything, control characters and quotes included
    st.sampled_from(
        [
            "2024-13-01",
            "-5",
            "nan",
            "inf",
            "9",
            "1e309",
            "bad id!",
            "x" * 2500,
            "也许",
            "' OR 1=1 --",
            '"}) MATCH (n) DETACH DELETE n //',
        ]
    ),
)
FIELDS = list(GOOD)


def cell(field: str) -> st.SearchStrategy[str]:
    return st.one_of(GOOD[field], GOOD[field], BAD)  # two in three cells plausible, one anything


ROWS = st.lists(st.tuples(*(cell(field) for field in FIELDS)), min_size=1, max_size=8)


@pytest.fixture
def embedded_cli(cli_env):
    if cli_env != "falkordb":
        pytest.skip("the importer's rule; run on the embedded engine")
    return cli_env


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_malformed_rows_are_rejected_whole_and_never_crash(embedded_cli, tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "archive.csv"
    headers = [ACCOUNTS.column(field).zh for field in FIELDS]
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([headers, *rows])
    store = open_store(get_settings())
    try:
        store.clear()
        result = CliRunner().invoke(app, ["import", str(path), "--partial"])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert "Traceback" not in result.output
        stored = {a.id: a for a in list_accounts(store)}
    finally:
        store.close()
    reader = RowReader(SheetRef(path, None), Line(1, tuple(headers)), ACCOUNTS)
    expected: dict[str, dict] = {}
    for number, row in enumerate(rows, start=2):
        stripped = tuple(c.strip() for c in row)
        if not any(stripped) or "\n" in "".join(row) or "\r" in "".join(row):
            continue  # blank, or a cell spanning lines: located by the CSV reader, checked below as a whole
        record, problems = reader.read(Line(number, stripped))
        if problems:
            continue
        account_id = record["id"] or account_id_for(record["name"])
        expected.setdefault(account_id, record)  # a repeated account: the first row counts
    for account_id, account in stored.items():
        record = expected.get(account_id)
        if record is None:
            continue  # a row whose cells span lines: only accepted if it read whole (checked by count)
        for field in FIELDS[1:]:
            if isinstance(record[field], Written):  # 企业规模: its band, and its text when that says more
                assert (account.size_band, account.size_text) == (record[field].term, record[field].text)
                continue
            assert getattr(account, field) == record[field], (field, account_id)
    if result.exit_code == 0:
        errors = path.with_name("archive.errors.csv")
        rejected = len(list(csv.reader(errors.open(encoding="utf-8-sig")))) - 1 if errors.exists() else 0
        non_blank = sum(1 for row in rows if any(c.strip() for c in row))
        assert len(stored) + rejected <= non_blank  # every row is stored once, or rejected, never half
    else:
        assert stored == {}  # refused: nothing at all was written
