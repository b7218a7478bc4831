"""Issue 31.1: no header or value spelling the seeds print is refused. The spellings below are copied from
../shared/seeds (the five templates' own tables and worked examples); hypothesis draws headers in any
order and subset, and values with the spaces and case people add."""

import string

from hypothesis import given
from hypothesis import strategies as st

from graphmap.importing import _kind_of, kinds
from graphmap.io.archive import ACCOUNTS, CONTACT_LOG, CONTACTS
from graphmap.io.cards import CARDS
from graphmap.io.segmentation import SEGMENTATION
from graphmap.io.tables import Line, SheetRef
from graphmap.io.templates import RowReader
from graphmap.model import ALIASES, Vocabulary, fold

HEADERS = {  # template -> the headers its seed prints, as printed
    SEGMENTATION: (
        "客户编号", "客户名称", "所属行业", "联系人及职务", "近12个月交易金额(万元)", "近6个月互动频次(次)",
        "合作时长(月)", "核心需求类型", "客户关系划分", "划分依据摘要", "后续策略建议", "备注",
    ),
    CARDS: (
        "客户编号", "客户名称(全称)", "所属行业", "联系人及职务", "联系方式(电话/邮箱)", "客户来源",
        "初步需求关键词", "需求分析日期", "意向等级", "主责人", "核心痛点(按优先级排序)", "明确需求", "潜在需求",
        "决策链", "预算范围", "跟进记录(日期+沟通方式+内容摘要+客户反馈+下一步行动)", "满意度调查结果",
        "合作状态", "二次合作/转介绍意向", "备注",
    ),
    ACCOUNTS: (
        "客户编号", "客户名称(全称)", "客户类型", "所属行业", "企业规模", "成立时间", "企业地址", "初次接触时间",
        "首次合作时间", "当前合作阶段", "主要合作项目/产品", "累计合作金额(万元)", "最近一次合作时间", "合作期限",
        "客户等级", "满意度评分(1-5分)", "潜在风险", "机会点",
    ),
    CONTACTS: ("客户编号", "姓名", "职位", "联系方式", "电子邮箱"),
    CONTACT_LOG: ("客户编号", "沟通时间", "参与人员", "沟通方式", "核心内容", "后续行动", "负责人"),
}  # fmt: skip

VALUES = {  # (template, field) -> values the seeds write in that column
    (ACCOUNTS, "customer_type"): ("新客户", "老客户", "潜在客户", "流失客户", "现有客户", "重要客户"),
    (ACCOUNTS, "size_band"): ("50人以下", "50-200人", "200-500人", "500人以上", "100-500人"),
    (ACCOUNTS, "founded_on"): ("2015年", "2015"),
    (ACCOUNTS, "first_contact_on"): ("2023-03-15",),
    (ACCOUNTS, "first_deal_on"): ("2023-06-01", "-"),
    (ACCOUNTS, "stage"): ("接洽中", "合作中", "暂停合作", "终止合作"),
    (ACCOUNTS, "total_amount"): ("50万元", "50"),
    (ACCOUNTS, "term"): ("2024.01-2025.01",),
    (ACCOUNTS, "grade"): ("VIP客户", "潜力客户"),
    (ACCOUNTS, "satisfaction"): ("1", "5", "4分"),
    (ACCOUNTS, "lifecycle"): ("意识阶段", "考虑阶段", "购买阶段", "使用阶段", "忠诚阶段", "流失阶段", "意识"),
    (ACCOUNTS, "owner_team"): ("销售团队", "客户服务团队", "客户成功团队", "市场营销团队"),
    (ACCOUNTS, "intent"): ("高意向", "中意向", "低意向", "高", "中", "低"),
    (CONTACT_LOG, "channel"): ("电话", "会议", "拜访", "电话沟通", "邮件"),
    (CONTACT_LOG, "on"): ("2024-01-10", "2024-05-21"),
    (SEGMENTATION, "revenue_12m"): ("65", "28", "12", "3"),
    (SEGMENTATION, "recorded_interactions_6m"): ("12", "5", "3", "0"),
    (SEGMENTATION, "tier"): ("核心客户", "潜力客户", "普通客户", "低价值客户"),
    (SEGMENTATION, "key_contact"): ("*总监", "*经理", "*主管", "/"),
    (CARDS, "id"): ("CRM-20240521-1", "CRM20240521001"),
    (CARDS, "source"): ("官网留言", "行业展会", "老客户转介绍", "官网", "展会", "转介绍", "其他"),
    (CARDS, "intent"): ("高意向", "中意向", "低意向"),
    (CARDS, "analysed_on"): ("2024-05-20",),
    (CARDS, "decision_chain"): ("决策人:(CTO)影响者:(采购经理)使用者:运维团队",),
    (CARDS, "budget"): ("30万-50万(含3年服务费)", "50万-80万", "可协商"),
}


@given(st.sampled_from(list(HEADERS)), st.data())
def test_a_seeds_headers_in_any_order_and_subset_are_its_template(template, data):
    printed = HEADERS[template]
    chosen = data.draw(st.lists(st.sampled_from(printed), min_size=min(4, len(printed)), unique=True))
    header = Line(1, tuple(chosen))
    reader = RowReader(SheetRef(__file__, None), header, template)  # type: ignore[arg-type]
    refused = [p.message for p in reader.problems if not p.message.startswith("missing required column")]
    assert refused == []
    if len(chosen) >= 6:  # enough to tell one template from another
        assert _kind_of(header, kinds()).template.name == template.name


def padded(text: str) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(["", " ", "  "]), st.sampled_from(["", " "])).map(lambda p: p[0] + text + p[1])


@given(st.sampled_from(list(VALUES)), st.data())
def test_a_value_the_seeds_write_is_accepted(where, data):
    template, field = where
    value = data.draw(st.sampled_from(VALUES[where]).flatmap(padded))
    headers = ("客户名称", template.column(field).zh) if field != "account_name" else ("客户名称",)
    reader = RowReader(SheetRef(__file__, None), Line(1, headers), template)  # type: ignore[arg-type]
    record, problems = reader.read(Line(2, ("某公司", value.strip())))
    assert problems == [], [p.message for p in problems]


@given(st.text(alphabet=string.ascii_letters, min_size=1, max_size=3))
def test_an_unknown_header_names_the_template_and_its_columns_once(noise):
    header = Line(1, ("客户编号", "客户名称", "近12个月交易金额(万元)", "客户关系划分", f"近12个月交易金{noise}"))
    reader = RowReader(SheetRef(__file__, None), header, SEGMENTATION)  # type: ignore[arg-type]
    unknown, summary = reader.problems
    assert unknown.message.startswith("unknown column for Segmentation / 客户关系划分中没有此列")
    assert unknown.message.endswith("did you mean Revenue 12 months (10k CNY)? / 是否应为「近12个月营收(万元)」?")
    assert summary.message.startswith("the file was read as Segmentation / 按「客户关系划分」读取, whose columns")


def test_no_alias_is_another_terms_spelling():
    for vocabulary, aliases in ALIASES.items():
        own = {fold(s): m for m in vocabulary for s in (m.value, m.zh, m.en)}
        for member, spellings in aliases.items():
            assert isinstance(member, Vocabulary)
            for spelling in spellings:
                assert own.get(fold(spelling), member) is member, (vocabulary.__name__, spelling)
                assert vocabulary.parse(spelling) is member


def test_docs_list_every_accepted_spelling():
    from pathlib import Path

    from graphmap.importing import kinds

    docs = (Path(__file__).parents[2] / "docs" / "tables.md").read_text(encoding="utf-8")
    spellings = [a for kind in kinds() for c in kind.template.columns for a in c.aliases]
    spellings += [a for members in ALIASES.values() for aliases in members.values() for a in aliases]
    assert [s for s in spellings if s not in docs] == []
