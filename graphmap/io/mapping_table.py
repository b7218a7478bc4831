"""The relationship-mapping table (客户关系映射表) -> a validated Portfolio for one account.

Layout (shared/DOMAIN.md): a header block (labels 客户名称, 客户所属行业, 映射目标, 更新日期 and a row of
values), then the table's header row and one row per stakeholder. Headers may be Chinese or English.
Every problem in the file is collected and reported with file, line, column and what is accepted;
the caller writes nothing unless there is none.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graphmap.errors import InvalidFile, Problem
from graphmap.io.dates import BadDate, DateSpan, leading_date, parse_date
from graphmap.io.tables import Line, column_letter, read_sheet
from graphmap.model import (
    Account,
    Contact,
    Coverage,
    Department,
    DepartmentLevel,
    Interaction,
    Person,
    Portfolio,
    RelationshipStatus,
    Role,
    Team,
)

# field -> (Chinese header, English header, other accepted spellings)
ACCOUNT_FIELDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "account": ("客户名称", "Account name", ("account", "customer", "customer name", "客户")),
    "industry": ("客户所属行业", "Industry", ("所属行业", "行业")),
    "goal": ("映射目标", "Mapping goal", ("goal", "目标")),
    "updated": ("更新日期", "Updated on", ("updated", "update date", "date")),
    # Optional: ties the table to an account known by its CRM id (2024-IT-001) instead of its name.
    "account_id": ("客户编号", "Account id", ("客户ID", "客户id", "account no", "customer id", "id")),
}
ACCOUNT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,199}$")
ROW_FIELDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "department": ("部门", "Department", ("dept",)),
    "name": ("角色姓名", "Name", ("姓名", "person", "stakeholder", "stakeholder name")),
    "title": ("职位", "Title", ("job title", "position", "职务")),
    "roles": ("角色类型", "Role type", ("role", "roles", "角色")),
    "status": ("关系状态", "Relationship status", ("status", "relationship")),
    "contact": ("我方对接人", "Our contact", ("contact", "our contacts", "对接人")),
    "interactions": ("关键互动记录", "Key interactions", ("key interaction", "interactions", "互动记录")),
    "next_action": ("下一步行动", "Next action", ("next step", "next steps", "下一步")),
}
REQUIRED_ROW_FIELDS = ("department", "name", "roles")
NO_CONTACT = {"", "-", "--", "—", "–", "无", "none", "n/a", "/"}
LIST_SEPARATORS = re.compile(r"[、,，;；]")
DEPARTMENT_PATH = re.compile(r"\s*[/>＞]\s*")
INTERACTION_SPLIT = re.compile(r"\s*(?:\n|;|；)\s*(?=\d{4}\s*[-/.年])")
TEAM_KEYWORDS = (  # our contact's team, from the title they are written with
    ("客户成功", Team.success),
    ("成功经理", Team.success),
    ("市场", Team.marketing),
    ("营销", Team.marketing),
    ("销售", Team.sales),
    ("客户经理", Team.sales),
    ("服务", Team.service),
    ("技术", Team.service),
    ("工程师", Team.service),
    ("支持", Team.service),
)


@dataclass
class MappingTable:
    path: Path
    rows: int
    portfolio: Portfolio


@dataclass
class _Builder:
    """Collects what the rows describe; duplicates of one person or contact are merged."""

    account: Account
    departments: dict[str, Department] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    coverage: dict[tuple[str, str], tuple[Coverage, int]] = field(default_factory=dict)
    interactions: dict[str, Interaction] = field(default_factory=dict)


def read_mapping_table(path: Path | str, sheet: str | None = None) -> MappingTable:
    path = Path(path)
    problems: list[Problem] = []
    table = read_sheet(path, sheet)
    lines = [line for line in table.lines if not line.is_blank]

    def problem(line: int, column: str, value: str, message: str) -> None:
        problems.append(table.problem(line, column, value, message))

    if len(lines) < 3:
        problem(lines[0].number if lines else 1, "", "", _layout_message())
        raise InvalidFile(problems)
    labels, values, header = lines[0], lines[1], lines[2]
    account_columns = _match_headers(labels, ACCOUNT_FIELDS, problem)
    row_columns = _match_headers(header, ROW_FIELDS, problem)
    if problems:
        raise InvalidFile(problems)
    if "account" not in account_columns:
        problem(labels.number, "", "", f"the header block has no 客户名称/Account name; {_layout_message()}")
    for required in REQUIRED_ROW_FIELDS:
        if required not in row_columns:
            zh, en, _ = ROW_FIELDS[required]
            problem(header.number, "", "", f"the table has no {zh}/{en} column; {_layout_message()}")
    if problems:
        raise InvalidFile(problems)

    def cell(line: Line, columns: dict[str, int], name: str) -> str:
        index = columns.get(name)
        return line.cells[index].strip() if index is not None and index < len(line.cells) else ""

    def column(columns: dict[str, int], name: str, table: dict[str, tuple[str, str, tuple[str, ...]]]) -> str:
        return f"{column_letter(columns[name])} ({table[name][0]}/{table[name][1]})"

    account_name = cell(values, account_columns, "account")
    if not account_name:
        problem(values.number, column(account_columns, "account", ACCOUNT_FIELDS), "", "客户名称/Account name is empty")
        raise InvalidFile(problems)
    updated_on: date | None = None
    if updated_text := cell(values, account_columns, "updated"):
        try:
            updated_on = parse_date(updated_text).last
        except BadDate as error:
            problem(values.number, column(account_columns, "updated", ACCOUNT_FIELDS), updated_text, str(error))
    account_id = cell(values, account_columns, "account_id") or _id("a", account_name)
    if not ACCOUNT_ID.match(account_id):
        problem(
            values.number,
            column(account_columns, "account_id", ACCOUNT_FIELDS),
            account_id,
            "an account id is letters, digits and . _ : - (e.g. 2024-IT-001)",
        )
        raise InvalidFile(problems)
    year = updated_on.year if updated_on else None
    account = Account(
        id=account_id,
        name=account_name,
        industry=cell(values, account_columns, "industry") or None,
        mapping_goal=cell(values, account_columns, "goal") or None,
        updated_on=updated_on,
    )
    built = _Builder(account)

    for line in lines[3:]:
        row_problems = len(problems)

        def bad(name: str, value: str, message: str, line: Line = line) -> None:
            problem(line.number, column(row_columns, name, ROW_FIELDS), value, message)

        department_text = cell(line, row_columns, "department")
        name = cell(line, row_columns, "name")
        title = cell(line, row_columns, "title") or None
        if not department_text:
            bad("department", "", "部门/Department is empty")
        if not name:
            bad("name", "", "角色姓名/Name is empty")
        roles: list[Role] = []
        roles_text = cell(line, row_columns, "roles")
        if not roles_text:
            bad("roles", "", f"角色类型/Role type is empty; accepted: {Role.accepted()}")
        for part in filter(None, (p.strip() for p in LIST_SEPARATORS.split(roles_text.replace("/", "、")))):
            try:
                roles.append(Role.parse(part))
            except ValueError:
                bad("roles", part, f"is not a role type; accepted: {Role.accepted()}")
        contact_texts = [
            c
            for c in (p.strip() for p in LIST_SEPARATORS.split(cell(line, row_columns, "contact")))
            if c.lower() not in NO_CONTACT
        ]
        status_text = cell(line, row_columns, "status")
        status = RelationshipStatus.none
        if status_text:
            try:
                status = RelationshipStatus.parse(status_text)
            except ValueError:
                bad("status", status_text, f"is not a relationship status; accepted: {RelationshipStatus.accepted()}")
        elif contact_texts:
            bad("status", "", f"关系状态/Relationship status is empty; accepted: {RelationshipStatus.accepted()}")
        if not contact_texts and status_text and status is not RelationshipStatus.none:
            bad(
                "status",
                status_text,
                "a relationship needs 我方对接人/Our contact; use 无直接接触/none or name the contact",
            )
        interaction_parts: list[tuple[DateSpan | None, str, str]] = []
        interactions_text = cell(line, row_columns, "interactions")
        for part in filter(None, INTERACTION_SPLIT.split(interactions_text)):
            try:
                span, rest = leading_date(part)
            except BadDate as error:
                bad("interactions", part, str(error))
                continue
            interaction_parts.append((span, rest, part))
        next_action = cell(line, row_columns, "next_action") or None
        next_due: date | None = None
        if next_action:
            try:
                span, _ = leading_date(next_action, year)
                next_due = span.due if span else None
            except BadDate as error:
                bad("next_action", next_action, str(error))
        if len(problems) > row_problems:
            continue

        department = _department(built, department_text)
        person_id = _id("p", account.id, department.id, title or "", name)
        previous = built.people.get(person_id)
        if previous is not None:  # the same person on another row: one person, all their roles
            roles = list(dict.fromkeys([*previous.roles, *roles]))
            next_action = previous.next_action or next_action
            next_due = previous.next_action_due or next_due
        built.people[person_id] = Person(
            id=person_id,
            account_id=account.id,
            department_id=department.id,
            name=name,
            title=title,
            roles=tuple(dict.fromkeys(roles)),
            next_action=next_action,
            next_action_due=next_due,
        )
        contact_ids = []
        for text in contact_texts:
            contact = _contact(text)
            built.contacts.setdefault(contact.id, contact)
            contact_ids.append(contact.id)
            key = (contact.id, person_id)
            link = Coverage(contact_id=contact.id, person_id=person_id, status=status)
            if key in built.coverage and built.coverage[key][0].status is not status:
                first_line = built.coverage[key][1]
                bad(
                    "status",
                    status_text,
                    f"contradicts line {first_line}, which gives the same contact and person "
                    f"status {built.coverage[key][0].status.zh}/{built.coverage[key][0].status}",
                )
                continue
            built.coverage.setdefault(key, (link, line.number))
        for span, rest, raw in interaction_parts:
            on = None
            if span is not None:
                # A month-only date counts from the latest day it allows (never later than the table's own
                # date), so a month-only record never makes a relationship look colder than it is.
                on = span.last if updated_on is None else max(span.first, min(span.last, updated_on))
            interaction_id = _id("i", account.id, person_id, raw)
            built.interactions[interaction_id] = Interaction(
                id=interaction_id,
                account_id=account.id,
                on=on,
                on_precision=span.precision if span else "day",
                on_text=span.text if span else None,
                summary=rest if span else raw,
                person_ids=(person_id,),
                contact_ids=tuple(contact_ids),
            )
    if problems:
        raise InvalidFile(problems)
    portfolio = Portfolio(
        accounts=(account,),
        departments=tuple(built.departments.values()),
        people=tuple(built.people.values()),
        contacts=tuple(built.contacts.values()),
        coverage=tuple(link for link, _ in built.coverage.values()),
        interactions=tuple(built.interactions.values()),
    )
    return MappingTable(path=path, rows=len(lines) - 3, portfolio=portfolio)


def _match_headers(
    line: Line, fields: dict[str, tuple[str, str, tuple[str, ...]]], problem: Callable[[int, str, str, str], None]
) -> dict[str, int]:
    lookup = {}
    for key, (zh, en, aliases) in fields.items():
        for spelling in (zh, en, key, *aliases):
            lookup[_fold(spelling)] = key
    columns: dict[str, int] = {}
    for index, text in enumerate(line.cells):
        if not text:
            continue
        field_name = lookup.get(_fold(text))
        if field_name is None:
            accepted = ", ".join(f"{zh}/{en}" for zh, en, _ in fields.values())
            problem(line.number, column_letter(index), text, f"unknown header; accepted: {accepted}")
        elif field_name in columns:
            problem(line.number, column_letter(index), text, "this column appears twice")
        else:
            columns[field_name] = index
    return columns


def _fold(text: str) -> str:
    return "".join(ch for ch in text.strip().lower() if ch not in " _-/")


def _layout_message() -> str:
    block = ",".join(zh for key, (zh, _, _) in ACCOUNT_FIELDS.items() if key != "account_id") + "[,客户编号]"
    table = ",".join(zh for zh, _, _ in ROW_FIELDS.values())
    return f"expected a header block ({block}), a row of its values, then the table ({table})"


def _department(built: _Builder, text: str) -> Department:
    """'总部/华东分公司/采购部' nests departments; the top one sits directly under the account."""
    names = [n for n in DEPARTMENT_PATH.split(text) if n]
    parent: Department | None = None
    for depth, name in enumerate(names):
        path = "/".join(names[: depth + 1])
        department_id = _id("d", built.account.id, path)
        if department_id not in built.departments:
            level = DepartmentLevel.department
            if len(names) > 1 and depth == 0:
                level = DepartmentLevel.hq
            elif depth < len(names) - 1:
                level = DepartmentLevel.branch
            built.departments[department_id] = Department(
                id=department_id,
                account_id=built.account.id,
                name=name,
                level=level,
                parent_id=parent.id if parent else None,
            )
        parent = built.departments[department_id]
    assert parent is not None  # the caller checked the text is not empty
    return parent


def _contact(text: str) -> Contact:
    """'销售经理*某' is title + masked name; 'Alice Wang (Sales)' or a bare name has no title."""
    title: str | None = None
    name = text
    if "*" in text and not text.startswith("*"):
        split = text.index("*")
        title, name = text[:split].strip(), text[split:].strip()
    elif match := re.fullmatch(r"(.+?)\s*[(（](.+)[)）]", text):
        name, title = match.group(1).strip(), match.group(2).strip()
    team = next((team for keyword, team in TEAM_KEYWORDS if title and keyword in title), None)
    return Contact(id=_id("c", title or "", name), name=name, title=title, team=team)


def _id(prefix: str, *parts: str) -> str:
    """Stable ids from what identifies a thing in the table (masked names repeat, so never the name alone)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]
    return f"{prefix}-{digest}"
