"""The archive's account table through the CLI, on each engine: imported beside mapping tables without
either erasing the other, idempotent, a fixed point of export -> import, and partial imports that leave
an error file to fix."""

import pytest

from graphmap.config import get_settings
from graphmap.graph import list_accounts
from graphmap.model import CustomerType
from graphmap.store import open_store
from tests.conftest import WORKED_EXAMPLE, snapshot

pytestmark = pytest.mark.integration

ARCHIVE = (
    "客户编号,客户名称,客户类型,所属行业,成立时间,累计金额(万元),满意度,续约意向\n"
    "2024-IT-001,华东智能科技有限公司,老客户,智能制造,2008年3月,65,5,是\n"
    ",XX科技有限公司,新客户,智能制造,,3,,\n"
)


def accounts() -> dict:
    store = open_store(get_settings())
    try:
        return {a.id: a for a in list_accounts(store)}
    finally:
        store.close()


def test_archive_and_mapping_table_describe_one_account_without_erasing_each_other(run, tmp_path):
    run("import", str(WORKED_EXAMPLE))
    archive = tmp_path / "archive.csv"
    archive.write_text(ARCHIVE, encoding="utf-8")
    run("import", str(archive))
    found = accounts()
    worked = next(a for a in found.values() if a.name == "XX科技有限公司")
    assert worked.mapping_goal and worked.updated_on  # from the mapping table, still there
    assert worked.customer_type is CustomerType.new and worked.revenue_12m is None and worked.total_amount == 3
    run("import", str(WORKED_EXAMPLE))  # the mapping table again: the archive's fields stay
    assert accounts()[worked.id].customer_type is CustomerType.new
    assert found["2024-IT-001"].satisfaction == 5 and found["2024-IT-001"].renewal_intent is True


def test_importing_again_changes_nothing_and_export_import_is_a_fixed_point(run, tmp_path):
    archive = tmp_path / "archive.csv"
    archive.write_text(ARCHIVE, encoding="utf-8")
    run("import", str(archive))
    first = snapshot(tmp_path, "first.jsonl")
    run("import", str(archive))
    assert snapshot(tmp_path, "again.jsonl") == first
    for language, suffix in (("zh", ".csv"), ("en", ".xlsx")):
        exported = tmp_path / f"export-{language}{suffix}"
        run("export", str(exported), "--language", language)
        run("import", str(exported))
        assert snapshot(tmp_path, f"after-{language}.jsonl") == first
        again = tmp_path / f"export-again-{language}{suffix}"
        run("export", str(again), "--language", language)
        if suffix == ".csv":
            assert again.read_bytes() == exported.read_bytes()


def test_a_bad_row_stops_the_file_unless_partial_and_the_error_file_finishes_the_job(run, tmp_path):
    archive = tmp_path / "archive.csv"
    archive.write_text(ARCHIVE + "2024-RT-003,坏行,未知类型,零售,,abc,9,也许\n", encoding="utf-8")
    output = run("import", str(archive), code=1)
    assert "archive.csv:4: column C (客户类型/Customer type): '未知类型'" in output and "nothing was written" in output
    assert accounts() == {}
    output = run("import", str(archive), "--partial")
    assert set(accounts()) == {"2024-IT-001", next(a for a in accounts() if a.startswith("a-"))}
    errors = tmp_path / "archive.errors.csv"
    text = errors.read_text(encoding="utf-8-sig")
    assert "2024-RT-003" in text and "问题 / problems" in text
    errors.write_text(text.replace("未知类型,零售,,abc,9,也许", "老客户,零售,,12,4,否"), encoding="utf-8-sig")
    run("import", str(errors))
    assert accounts()["2024-RT-003"].total_amount == 12


def test_export_refuses_what_it_cannot_write(run, tmp_path):
    assert "give a .csv or .xlsx" in run("export", str(tmp_path / "x.pdf"), code=2)
    assert "give zh or en" in run("export", str(tmp_path / "x.csv"), "--language", "fr", code=2)
    assert "no account" in run("export", str(tmp_path / "x.csv"), "--account", "nope", code=1)
