"""The mapping table as users keep it: the worked example, English headers, XLSX, and every kind of bad row."""

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from graphmap.errors import InvalidFile
from graphmap.io.dates import leading_date
from graphmap.io.mapping_table import check_mapping_table, key_interaction_text, read_mapping_table
from graphmap.io.tables import sheets_of
from graphmap.model import DatePrecision, DepartmentLevel, RelationshipStatus, Role, Team
from tests.conftest import WORKED_EXAMPLE

HEADER_BLOCK = [
    ["客户名称", "客户所属行业", "映射目标", "更新日期"],
    ["测试有限公司", "零售", "扩大合作", "2024-08-15"],
]
TABLE_HEADER = ["部门", "角色姓名", "职位", "角色类型", "关系状态", "我方对接人", "关键互动记录", "下一步行动"]
GOOD_ROW = ["采购部", "*某某", "采购总监", "决策者", "长期合作信任", "销售经理*某", "2024-06-15 签约", "9月底回访"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_worked_example_reads_as_the_template_means_it():
    p = read_mapping_table(WORKED_EXAMPLE)
    assert len(p.people) == 4
    (account,) = p.accounts
    assert (account.name, account.industry, account.updated_on) == ("XX科技有限公司", "智能制造", date(2024, 8, 15))
    by_title = {person.title: person for person in p.people}
    assert set(by_title) == {"采购总监", "技术经理", "副总经理", "生产线组长"}
    assert by_title["采购总监"].roles == (Role.decision_maker,)
    assert by_title["生产线组长"].roles == (Role.user,)
    assert by_title["技术经理"].next_action_due == date(2024, 8, 31)  # 8月底 in the table's year
    contacts = {c.id: c for c in p.contacts}
    links = {(contacts[c.contact_id].title, by_title_of(p, c.person_id)): c.status for c in p.coverage}
    assert links == {
        ("销售经理", "采购总监"): RelationshipStatus.trusted,
        ("技术工程师", "技术经理"): RelationshipStatus.initial,
        ("销售总监", "副总经理"): RelationshipStatus.referred,
    }  # 生产线组长 has "-": nobody covers them
    assert {c.team for c in p.contacts} == {Team.sales, Team.service}
    interactions = {by_title_of(p, i.person_ids[0]): i for i in p.interactions}
    june = interactions["采购总监"]
    assert (june.on, june.on_precision, june.on_text, june.summary) == (
        date(2024, 6, 30),
        DatePrecision.month,
        "2024-6月",
        "签订年度框架合同",
    )
    assert interactions["副总经理"].on == date(2024, 8, 15)  # August, but not after the table's own date
    assert interactions["生产线组长"].contact_ids == ()


def by_title_of(portfolio, person_id):
    return next(p.title for p in portfolio.people if p.id == person_id)


def test_ids_are_stable_across_reads():
    assert read_mapping_table(WORKED_EXAMPLE) == read_mapping_table(WORKED_EXAMPLE)


def test_english_headers_and_labels(tmp_path):
    rows = [
        ["Account name", "Industry", "Mapping goal", "Updated on"],
        ["Acme Ltd", "Retail", "Grow", "2024/8/15"],
        [
            "Department",
            "Name",
            "Title",
            "Role type",
            "Relationship status",
            "Our contact",
            "Key interactions",
            "Next action",
        ],
        ["IT", "Alice", "CTO", "decision-maker, influencer", "trusted", "Bob (Sales manager)", "2024-07 demo", ""],
    ]
    p = read_mapping_table(write_csv(tmp_path / "en.csv", rows))
    assert p.people[0].roles == (Role.decision_maker, Role.influencer)
    assert (p.contacts[0].name, p.contacts[0].title, p.contacts[0].team) == ("Bob", "Sales manager", None)


def test_xlsx_with_nested_departments(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for row in [*HEADER_BLOCK, TABLE_HEADER, ["总部/华东分公司/采购部", *GOOD_ROW[1:]]]:
        sheet.append(row)
    sheet["D2"] = date(2024, 8, 15)  # a real date cell, as Excel stores it
    path = tmp_path / "map.xlsx"
    workbook.save(path)
    p = read_mapping_table(path)
    names = {d.name: d for d in p.departments}
    assert set(names) == {"总部", "华东分公司", "采购部"}
    assert names["采购部"].parent_id == names["华东分公司"].id
    assert names["华东分公司"].parent_id == names["总部"].id
    assert names["总部"].parent_id is None
    assert p.people[0].department_id == names["采购部"].id


def test_a_person_on_two_rows_is_one_person_with_both_contacts(tmp_path):
    second = [*GOOD_ROW]
    second[3], second[5] = "采购者", "客户成功经理*某"
    p = read_mapping_table(write_csv(tmp_path / "t.csv", [*HEADER_BLOCK, TABLE_HEADER, GOOD_ROW, second]))
    assert len(p.people) == 1
    assert p.people[0].roles == (Role.decision_maker, Role.purchaser)
    assert len(p.coverage) == 2


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (
            3,
            "决策王",
            r"t.csv:4: column D \(角色类型/Role type\): '决策王' is not a role type; accepted: 决策者/decision_maker",
        ),
        (1, "", r"t.csv:4: column B \(角色姓名/Name\): 角色姓名/Name is empty"),
        (
            6,
            "2024-02-30 拜访",
            r"t.csv:4: column G \(关键互动记录/Key interactions\): '2024-02-30 拜访' '2024-02-30' is not a valid date",
        ),
        (
            4,
            "很好",
            r"column E \(关系状态/Relationship status\): '很好' is not a relationship status; "
            r"accepted: 长期合作信任/trusted",
        ),
        (0, "", r"column A \(部门/Department\): 部门/Department is empty"),
    ],
)
def test_a_bad_row_is_named_by_file_line_column_and_accepted_values(tmp_path, column, value, expected):
    bad = [*GOOD_ROW]
    bad[column] = value
    with pytest.raises(InvalidFile) as caught:
        read_mapping_table(write_csv(tmp_path / "t.csv", [*HEADER_BLOCK, TABLE_HEADER, bad]))
    assert any(__import__("re").search(expected, str(problem)) for problem in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]


def test_every_bad_row_is_reported_not_just_the_first(tmp_path):
    rows = [
        *HEADER_BLOCK,
        TABLE_HEADER,
        GOOD_ROW,
        [*GOOD_ROW[:3], "boss", *GOOD_ROW[4:]],
        GOOD_ROW,
        ["技术部", "", "工程师", "影响者", "初步接触陌生", "技术工程师*某", "", ""],
    ]
    with pytest.raises(InvalidFile) as caught:
        read_mapping_table(write_csv(tmp_path / "t.csv", rows))
    assert [p.line for p in caught.value.problems] == [5, 7]


def test_multi_line_cells_keep_line_numbers_right(tmp_path):
    multi = [*GOOD_ROW]
    multi[6] = "2024-06-15 签约\n2024-07-01 回访"
    rows = [*HEADER_BLOCK, TABLE_HEADER, multi, ["技术部", "", "工程师", "影响者", "无直接接触", "-", "", ""]]
    with pytest.raises(InvalidFile) as caught:
        read_mapping_table(write_csv(tmp_path / "t.csv", rows))
    assert caught.value.problems[0].line == 6  # the quoted cell spans lines 4 and 5


def test_a_multi_line_cell_holds_several_dated_interactions(tmp_path):
    multi = [*GOOD_ROW]
    multi[6] = "2024-06-15 签约；2024-07-01 回访"
    p = read_mapping_table(write_csv(tmp_path / "t.csv", [*HEADER_BLOCK, TABLE_HEADER, multi]))
    assert sorted((i.on, i.summary) for i in p.interactions) == [
        (date(2024, 6, 15), "签约"),
        (date(2024, 7, 1), "回访"),
    ]


def test_a_relationship_without_our_contact_is_refused(tmp_path):
    row = [*GOOD_ROW]
    row[5] = "-"
    with pytest.raises(InvalidFile, match="needs 我方对接人"):
        read_mapping_table(write_csv(tmp_path / "t.csv", [*HEADER_BLOCK, TABLE_HEADER, row]))


def test_unknown_headers_and_missing_header_block_are_explained(tmp_path):
    with pytest.raises(InvalidFile, match="column C: 'Salary' unknown header"):
        read_mapping_table(write_csv(tmp_path / "t.csv", [*HEADER_BLOCK, ["部门", "角色姓名", "Salary"], GOOD_ROW]))
    with pytest.raises(InvalidFile, match="expected a header block"):
        read_mapping_table(write_csv(tmp_path / "t.csv", [TABLE_HEADER]))


def test_gbk_csv_from_excel_on_chinese_windows(tmp_path):
    path = tmp_path / "gbk.csv"
    text = "\n".join(",".join(r) for r in [*HEADER_BLOCK, TABLE_HEADER, GOOD_ROW])
    path.write_bytes(text.encode("gb18030"))
    assert read_mapping_table(path).accounts[0].name == "测试有限公司"


def test_unsupported_and_missing_files(tmp_path):
    with pytest.raises(InvalidFile, match="no such file"):
        read_mapping_table(tmp_path / "nope.csv")
    (tmp_path / "x.pdf").write_text("x")
    with pytest.raises(InvalidFile, match="unsupported file type"):
        read_mapping_table(tmp_path / "x.pdf")


def test_an_account_id_in_the_header_block_ties_the_table_to_that_account(tmp_path):
    block = [[*HEADER_BLOCK[0], "客户编号"], [*HEADER_BLOCK[1], "2024-RT-001"]]
    p = read_mapping_table(write_csv(tmp_path / "t.csv", [*block, TABLE_HEADER, GOOD_ROW]))
    assert p.accounts[0].id == "2024-RT-001"
    assert p.people[0].account_id == "2024-RT-001"
    bad = [[*HEADER_BLOCK[0], "客户编号"], [*HEADER_BLOCK[1], "2024 RT/001"]]
    with pytest.raises(InvalidFile, match=r"t.csv:2: column E \(客户编号/Account id\): '2024 RT/001' an account id"):
        read_mapping_table(write_csv(tmp_path / "t.csv", [*bad, TABLE_HEADER, GOOD_ROW]))


def test_merged_department_cells_apply_to_every_row_they_span(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "关系映射"
    second = ["", "*某", "采购经理", "采购者", "长期合作信任", "销售经理*某", "", ""]
    for row in [*HEADER_BLOCK, TABLE_HEADER, GOOD_ROW, second]:
        sheet.append(row)
    sheet.merge_cells("A4:A5")  # 采购部 spans both people, as planners lay tables out
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    p = read_mapping_table(path)
    assert len(p.departments) == 1 and len(p.people) == 2


def test_problems_in_a_workbook_name_the_sheet(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "关系映射"
    for row in [*HEADER_BLOCK, TABLE_HEADER, [*GOOD_ROW[:3], "boss", *GOOD_ROW[4:]]]:
        sheet.append(row)
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    with pytest.raises(InvalidFile, match=r"book.xlsx\[关系映射\]:4: column D"):
        read_mapping_table(path)
    with pytest.raises(InvalidFile, match="no such sheet / 没有该工作表; the file has / 文件中有: 关系映射"):
        read_mapping_table(path, sheet="Sheet2")


def test_department_levels_come_from_their_names_where_they_say(tmp_path):
    rows = [*HEADER_BLOCK, TABLE_HEADER, ["华东分公司/采购部", *GOOD_ROW[1:]], ["集团/技术部", *GOOD_ROW[1:]]]
    p = read_mapping_table(write_csv(tmp_path / "t.csv", rows))
    levels = {d.name: d.level for d in p.departments}
    assert levels == {
        "华东分公司": DepartmentLevel.branch,
        "采购部": DepartmentLevel.department,
        "集团": DepartmentLevel.hq,
        "技术部": DepartmentLevel.department,
    }


@settings(max_examples=300, deadline=None)
@given(
    on_text=st.sampled_from(["2024-06-03", "2024/6/3", "2024年6月3日", "2024-06", "2024-6月", "2024年6月"]),
    summary=st.text(alphabet="0123456789月日号年-/. ，,:：、abc拜访", min_size=1, max_size=12),
)
def test_a_key_interaction_is_written_so_that_it_reads_back_the_same(on_text, summary):
    summary = summary.strip().lstrip(" ,，:：、;；")  # as the import leaves the text after a date
    assume(summary)
    span, rest = leading_date(key_interaction_text(on_text, summary))
    assert span is not None and (span.text, rest) == (on_text, summary)


def test_rows_with_a_problem_are_rejected_alone_and_the_others_kept(tmp_path):
    contradicting = [*GOOD_ROW[:4], "初步接触陌生", *GOOD_ROW[5:]]  # same contact and person, another status
    rows = [*HEADER_BLOCK, TABLE_HEADER, GOOD_ROW, ["技术部", "*某", "工程师", "boss", "", "-", "", ""], contradicting]
    path = write_csv(tmp_path / "t.csv", rows)
    table = check_mapping_table(sheets_of(path)[0])
    assert (table.rows, table.accepted) == (3, 1)
    assert [line.number for line, _ in table.rejected] == [5, 6]
    assert "contradicts line 4" in str(table.rejected[1][1][0])
    assert table.portfolio is not None and len(table.portfolio.people) == 1


def test_a_bidi_override_in_a_mapping_table_is_a_located_problem(tmp_path):
    path = tmp_path / "map.csv"
    rows = [*HEADER_BLOCK, TABLE_HEADER, [GOOD_ROW[0], "\u202e某某", *GOOD_ROW[2:]]]
    path.write_text("\n".join(",".join(row) for row in rows), encoding="utf-8")
    with pytest.raises(InvalidFile, match=r"map.csv:4: column B .*双向控制字符"):
        read_mapping_table(path)
