"""Flat templates without an engine: headers in either language, cells parsed or located problems,
error files that import once fixed, and export -> import giving back the same records."""

from datetime import date

import pytest
from openpyxl import Workbook

from graphmap.io.archive import ACCOUNTS, is_archive_accounts, read_archive_accounts
from graphmap.io.tables import read_sheet
from graphmap.io.templates import template_rows, write_error_file, write_template
from graphmap.model import CustomerType, SizeBand, Stage, Team

ZH = (
    "客户编号,客户名称,客户类型,企业规模,成立时间,首次成交日期,合作阶段,累计金额(万元),满意度,续约意向,负责团队\n"
    '2024-IT-001,华东智能科技有限公司,老客户,200-500人,2008年3月,2021/5/21,合作中,"1,234.5",5,是,销售团队\n'
    "2024-FI-002,天津锦程金融服务有限公司,potential,over 500,2010-06,,negotiating,28万,4,no,customer success\n"
)


def test_chinese_headers_and_every_usual_form_of_value(tmp_path):
    file = tmp_path / "archive.csv"
    file.write_text(ZH, encoding="utf-8")
    assert is_archive_accounts(read_sheet(file))
    read = read_archive_accounts(file)
    assert read.problems == []
    first, second = read.accounts
    assert (first.id, first.customer_type, first.size_band) == ("2024-IT-001", CustomerType.existing, SizeBand.from_200)
    assert (first.founded_on, first.first_deal_on, first.total_amount) == (date(2008, 3, 1), date(2021, 5, 21), 1234.5)
    assert (first.satisfaction, first.renewal_intent, first.owner_team, first.stage) == (
        5,
        True,
        Team.sales,
        Stage.active,
    )
    assert (second.customer_type, second.size_band, second.total_amount, second.renewal_intent) == (
        CustomerType.potential,
        SizeBand.over_500,
        28.0,
        False,
    )
    assert second.owner_team is Team.success and second.first_deal_on is None
    assert "first_deal_on" in second.model_fields_set  # an empty cell empties the field
    assert "address" not in first.model_fields_set  # a column the file lacks leaves the field alone


def test_english_headers_aliases_any_order_and_a_missing_id(tmp_path):
    file = tmp_path / "archive.csv"
    file.write_text("Stage,Account name,customer type\nactive,XX科技有限公司,new\n", encoding="utf-8")
    (account,) = read_archive_accounts(file).accounts
    assert account.id.startswith("a-") and account.stage is Stage.active  # the id the mapping table derives


def test_every_problem_names_file_line_column_value_and_what_is_expected(tmp_path):
    file = tmp_path / "archive.csv"
    file.write_text(
        "客户编号,客户名称,客户类型,满意度,成立时间\n"
        "ok-1,好,新客户,5,2020-01-01\n"
        "bad id!,坏,未知,9,2024-13-01\n"
        "ok-2,,新客户,1,\n"
        "ok-1,重复,新客户,2,\n",
        encoding="utf-8",
    )
    read = read_archive_accounts(file)
    shown = [str(p) for p in read.problems]
    assert f"{file}:3: column A (客户编号/Account id): 'bad id!' an account id is letters" in shown[0]
    assert any("column C (客户类型/Customer type): '未知' accepted: 新客户/new" in s for s in shown)
    assert any("column D (满意度/Satisfaction (1-5)): '9' expected a whole number from 1 to 5" in s for s in shown)
    assert any("column E (成立时间/Founded on): '2024-13-01' expected a date" in s for s in shown)
    assert any(s.startswith(f"{file}:4: column B (客户名称/Account name)") and "required" in s for s in shown)
    assert any(s.startswith(f"{file}:5:") and "the same account as line 2" in s for s in shown)
    assert [a.id for a in read.accounts] == ["ok-1"]
    assert [line.number for line, _ in read.read.rejected] == [3, 4, 5]


def test_an_unknown_or_doubled_column_stops_the_whole_file(tmp_path):
    file = tmp_path / "archive.csv"
    file.write_text("客户名称,客户类型,颜色,Customer type\nA,新客户,红,new\n", encoding="utf-8")
    read = read_archive_accounts(file)
    assert read.accounts == [] and read.read.rejected == []
    assert [p.column for p in read.problems] == ["C", "D"]
    assert "unknown column" in read.problems[0].message and "appears twice" in read.problems[1].message


def test_the_error_file_imports_once_fixed(tmp_path):
    file = tmp_path / "archive.csv"
    file.write_text("客户编号,客户名称,满意度\nok-1,好,5\nok-2,差,9\n", encoding="utf-8")
    read = read_archive_accounts(file)
    errors = tmp_path / "archive.errors.csv"
    assert write_error_file(errors, read.read) == 1
    text = errors.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "客户编号,客户名称,满意度,问题 / problems"
    assert "ok-2,差,9," in text and "expected a whole number from 1 to 5" in text
    errors.write_text(text.replace("ok-2,差,9,", "ok-2,差,3,"), encoding="utf-8-sig")
    fixed = read_archive_accounts(errors)
    assert fixed.problems == [] and [(a.id, a.satisfaction) for a in fixed.accounts] == [("ok-2", 3)]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_export_then_import_gives_back_the_same_records(tmp_path, suffix, language):
    source = tmp_path / "archive.csv"
    source.write_text(ZH, encoding="utf-8")
    records = [r for _, r in template_rows(read_sheet(source), ACCOUNTS).records]
    out = tmp_path / f"out{suffix}"
    write_template(out, ACCOUNTS, records, language)
    again = template_rows(read_sheet(out), ACCOUNTS)
    assert again.problems == []
    full = [{c.field: r.get(c.field) for c in ACCOUNTS.columns} for r in records]
    assert [r for _, r in again.records] == full
    out2 = tmp_path / f"out2{suffix}"
    write_template(out2, ACCOUNTS, [r for _, r in again.records], language)
    assert [r for _, r in template_rows(read_sheet(out2), ACCOUNTS).records] == full


def test_an_xlsx_problem_names_its_sheet(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "客户档案"
    sheet.append(["客户名称", "满意度"])
    sheet.append(["A", "很好"])
    file = tmp_path / "archive.xlsx"
    book.save(file)
    (problem,) = read_archive_accounts(file).problems
    assert str(problem).startswith(f"{file}[客户档案]:2: column B")
