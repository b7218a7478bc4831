"""The archive's account table (客户档案 · 客户信息): one row per account, several accounts per file.

Columns and accepted values: docs/tables.md. A column the file does not have leaves that field of the
account as it is in the graph; an empty cell empties it. The id (客户编号, e.g. 2024-IT-001) ties a row
to an account; without one, the id is derived from the name exactly as the mapping table derives it, so
both templates describe the same account.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graphmap.errors import Problem
from graphmap.graph import AccountSummary
from graphmap.io.mapping_table import account_id_for
from graphmap.io.tables import Line, Sheet, read_sheet
from graphmap.io.templates import (
    CellError,
    Column,
    Template,
    TemplateRows,
    amount,
    day,
    show_amount,
    show_day,
    show_term,
    show_text,
    show_yes_no,
    template_rows,
    term,
    text,
    whole,
    yes_no,
)
from graphmap.model import ID_PATTERN, Account, CustomerType, Intent, Lifecycle, SizeBand, Stage, Team, fold

MAPPING_GOAL = {fold(s) for s in ("映射目标", "Mapping goal", "goal", "目标")}


def account_id(value: str) -> str:
    if not re.match(ID_PATTERN, value):
        raise CellError("an account id is letters, digits and . _ : - (e.g. 2024-IT-001)")
    return value


def name(value: str) -> str:
    if len(value) > 200:
        raise CellError("too long: at most 200 characters")
    return value


ACCOUNTS = Template(
    "archive_accounts",
    "客户档案",
    "Account archive",
    (
        Column("id", "客户编号", "Account id", account_id, show_text, ("客户ID", "account no", "customer id", "id")),
        Column("name", "客户名称", "Account name", name, show_text, ("客户全称", "全称", "customer", "name"), True),
        Column("customer_type", "客户类型", "Customer type", term(CustomerType), show_term, ("type", "类型")),
        Column("industry", "所属行业", "Industry", text, show_text, ("行业", "客户所属行业")),
        Column("size_band", "企业规模", "Size band", term(SizeBand), show_term, ("规模", "size", "headcount")),
        Column("founded_on", "成立时间", "Founded on", day, show_day, ("成立日期", "founded")),
        Column("address", "地址", "Address", text, show_text, ("公司地址",)),
        Column("first_contact_on", "首次接触日期", "First contact on", day, show_day, ("首次接触", "first contact")),
        Column("first_deal_on", "首次成交日期", "First deal on", day, show_day, ("首次成交", "first deal")),
        Column("stage", "合作阶段", "Stage", term(Stage), show_term, ("阶段",)),
        Column("products", "主要项目/产品", "Main projects and products", text, show_text, ("主要产品", "products")),
        Column(
            "total_amount",
            "累计金额(万元)",
            "Total amount (10k CNY)",
            amount,
            show_amount,
            ("累计金额", "累计合作金额(万元)", "total amount"),
        ),  # fmt: skip
        Column("last_deal_on", "最近成交日期", "Last deal on", day, show_day, ("最近成交", "last deal")),
        Column("term", "合作期限", "Term", text, show_text, ("期限",)),
        Column(
            "revenue_12m",
            "近12个月营收(万元)",
            "Revenue 12 months (10k CNY)",
            amount,
            show_amount,
            ("近12个月营收", "年营收(万元)", "revenue_12m", "revenue"),
        ),  # fmt: skip
        Column("grade", "客户等级", "Grade", text, show_text, ("等级", "tier")),
        Column("satisfaction", "满意度", "Satisfaction (1-5)", whole(1, 5), show_text, ("satisfaction",)),
        Column("risks", "风险", "Risks", text, show_text, ("风险点", "risk")),
        Column("opportunities", "机会", "Opportunities", text, show_text, ("机会点", "opportunity")),
        Column("owner_team", "负责团队", "Owner team", term(Team), show_term, ("团队", "team")),
        Column("lifecycle", "生命周期", "Lifecycle", term(Lifecycle), show_term, ("生命周期阶段",)),
        Column("intent", "意向等级", "Intent", term(Intent), show_term, ("意向",)),
        Column("last_inquiry_on", "最近询价日期", "Last inquiry on", day, show_day, ("最近询价", "last inquiry")),
        Column("renewal_intent", "续约意向", "Renewal intent", yes_no, show_yes_no, ("renewal",)),
    ),
)


@dataclass
class ArchiveAccounts:
    read: TemplateRows
    accounts: list[Account]

    @property
    def problems(self) -> list[Problem]:
        return self.read.problems


def read_archive_accounts(path: Path, sheet: str | None = None) -> ArchiveAccounts:
    return archive_accounts(read_sheet(path, sheet))


def archive_accounts(table: Sheet) -> ArchiveAccounts:
    """Every valid row as an Account carrying only the template's columns present in the file; every
    problem located. Two rows for one account are a problem on the second."""
    read = template_rows(table, ACCOUNTS)
    accounts: list[Account] = []
    first_line: dict[str, int] = {}
    kept = []
    for line, record in read.records:
        values = dict(record)
        values["id"] = values.get("id") or account_id_for(values["name"])
        label = f"{ACCOUNTS.columns[0].zh}/{ACCOUNTS.columns[0].en}"
        if values["id"] in first_line:
            problem = read.sheet.problem(
                line.number, label, values["id"], f"the same account as line {first_line[values['id']]}"
            )
            _reject(read, line, [problem])
            continue
        try:
            account = Account(**values)
        except ValidationError as error:  # a rule across columns or of the model: located by its field
            problems = [
                read.sheet.problem(line.number, str(e["loc"][0]) if e["loc"] else "", "", e["msg"])
                for e in error.errors()
            ]
            _reject(read, line, problems)
            continue
        first_line[account.id] = line.number
        accounts.append(account)
        kept.append((line, record))
    read.records = kept
    return ArchiveAccounts(read, accounts)


def is_archive_accounts(table: Sheet) -> bool:
    """Whether a file starts like the archive's account table rather than a mapping table (whose first row
    holds 客户名称, 客户所属行业, 映射目标, 更新日期 as labels of its header block)."""
    lines = [line for line in table.lines if not line.is_blank]
    if not lines:
        return False
    first = lines[0]
    if any(fold(cell) in MAPPING_GOAL for cell in first.cells):
        return False
    return ACCOUNTS.matches(first) >= 2


def archive_records(accounts: Sequence[AccountSummary]) -> list[dict[str, Any]]:
    """The accounts as the archive table's rows, for write_template."""
    fields = {column.field for column in ACCOUNTS.columns}
    return [account.model_dump(include=fields) for account in accounts]


def _reject(read: TemplateRows, line: Line, problems: list[Problem]) -> None:
    read.problems += problems
    read.rejected.append((line, problems))
