"""The segmentation table (客户关系划分): per account, the dimensions the tiers are decided on.

Importing it records the team's figures on the account (revenue, activity, potential, stability and the
tier they assigned); exporting it adds, for the reader, the tier graphmap computes from them and the
strategy that tier calls for (those columns are ignored when the file is imported again).
"""

from collections.abc import Iterable, Iterator
from typing import Any

from graphmap.analysis.segments import STRATEGIES, Segment
from graphmap.errors import Problem
from graphmap.io.archive import ACCOUNT_REFERENCE, account_or_new, validated, where
from graphmap.io.cells import (
    amount,
    day,
    percent,
    show_amount,
    show_day,
    show_term,
    show_text,
    show_yes_no,
    term,
    text,
    whole,
    yes_no,
)
from graphmap.io.references import Kind, Known, Piece
from graphmap.io.tables import Line
from graphmap.io.templates import Column, RowReader, Template
from graphmap.model import Account, Tier

COUNT = whole(0, 1_000_000)

SEGMENTATION = Template(
    "segmentation",
    "客户关系划分",
    "Segmentation",
    (
        *ACCOUNT_REFERENCE,
        Column("industry", "所属行业", "Industry", text, show_text, ("行业", "industry")),
        Column("key_contact", "联系人及职务", "Contact and title", text, show_text, ("联系人", "key contact")),
        Column("revenue_12m", "近12个月营收(万元)", "Revenue 12 months (10k CNY)", amount, show_amount,
               ("近12个月营收", "近12个月交易金额", "年交易额", "年营收(万元)", "revenue")),
        Column("profit_share", "利润贡献占比(%)", "Profit share (%)", percent, show_amount,
               ("利润占比", "利润贡献率", "profit share")),
        Column("average_order", "平均订单金额(万元)", "Average order (10k CNY)", amount, show_amount,
               ("订单规模", "平均订单", "单笔订单规模", "average order")),
        Column("transactions_6m", "近6个月交易次数", "Transactions in 6 months", COUNT, show_text,
               ("交易次数", "近6个月交易频次")),
        Column("recorded_interactions_6m", "近6个月互动次数", "Interactions in 6 months", COUNT, show_text,
               ("互动次数", "近6个月互动频次", "互动频次", "interactions")),
        Column("last_inquiry_on", "最近询价日期", "Last inquiry on", day, show_day, ("新询价日期", "last inquiry")),
        Column("growth_notes", "增长潜力", "Growth potential", text, show_text, ("潜力", "扩张计划", "potential")),
        Column("tenure_months", "合作时长(月)", "Tenure (months)", COUNT, show_text, ("合作时长", "tenure")),
        Column("renewal_intent", "续约意向", "Renewal intent", yes_no, show_yes_no, ("renewal",)),
        Column("complaints_12m", "近12个月投诉次数", "Complaints in 12 months", COUNT, show_text,
               ("投诉次数", "complaints")),
        Column("core_needs", "核心需求类型", "Core needs", text, show_text, ("核心需求", "core needs")),
        Column("tier", "客户关系划分", "Tier", term(Tier), show_term, ("客户分层", "分层", "客户层级", "tier")),
        Column("tier_basis", "划分依据摘要", "Basis of the tier", text, show_text, ("划分依据", "tier basis")),
        Column("strategy", "后续策略建议", "Strategy", text, show_text, ("策略建议", "后续策略", "strategy")),
        Column("notes", "备注", "Notes", text, show_text, ("notes", "remarks")),
        Column("computed_tier", "系统分层", "Computed tier", text, show_text, computed=True),
        Column("rule", "系统分层依据", "Rule", text, show_text, ("分层依据",), computed=True),
        Column("suggested_strategy", "建议策略", "Suggested strategy", text, show_text, computed=True),
    ),
)  # fmt: skip

FIGURES = [c.field for c in SEGMENTATION.columns if c not in ACCOUNT_REFERENCE and not c.computed]


def build_segment(record: dict[str, Any], line: Line, reader: RowReader, known: Known) -> Piece | list[Problem]:
    piece = Piece()  # the table as seed 002 prints it stands alone: its accounts may be new (C001)
    account = account_or_new(record, line, reader, known, piece)
    if isinstance(account, list):
        return account
    if earlier := known.first("segment", account, where(reader, line)):
        return [reader.problem(line, "account_id", account, f"the same account as {earlier}")]
    values = {"id": account, "name": known.accounts[account]}
    values |= {field: record[field] for field in FIGURES if reader.has(field)}
    result = validated(Account, values, line, reader)
    if isinstance(result, list):
        return result
    piece.accounts.append(result)
    return piece


def segmentation_records(
    accounts: Iterable[Account], computed: Iterable[Segment], language: str
) -> Iterator[dict[str, Any]]:
    tiers = {segment.account_id: segment for segment in computed}
    for account in accounts:
        record: dict[str, Any] = {"account_id": account.id, "account_name": account.name}
        record |= {field: getattr(account, field) for field in FIGURES}
        segment = tiers.get(account.id)
        if segment is not None and segment.tier is not None:
            record["computed_tier"] = getattr(segment.tier, language)
            strategy = STRATEGIES[segment.tier]
            record["suggested_strategy"] = strategy[0] if language == "zh" else strategy[1]
        if segment is not None:
            record["rule"] = segment.rule_zh if language == "zh" else segment.rule_en
        yield record


SEGMENTATION_KIND = Kind(SEGMENTATION, 3, build_segment)
