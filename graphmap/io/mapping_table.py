"""The relationship-mapping table (客户关系映射表) -> a validated Portfolio for one account.

Layout (shared/DOMAIN.md): a header block (labels 客户名称, 客户所属行业, 映射目标, 更新日期 and a row of
values), then the table's header row and one row per stakeholder. Headers may be Chinese or English.
Every problem in the file is collected and reported with file, line, column and what is accepted;
the caller writes nothing unless there is none.
"""

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from graphmap.errors import InvalidFile, Problem, TooLarge
from graphmap.io.cells import split_list
from graphmap.io.dates import BadDate, DateSpan, leading_date, parse_date
from graphmap.io.ids import account_id_for, contact_id_for, department_id_for, key_interaction_id, person_id_for
from graphmap.io.tables import Line, SheetRef, column_letter, iter_lines, sheets_of
from graphmap.io.templates import match_header
from graphmap.model import (
    ID_PATTERN,
    Account,
    Contact,
    Coverage,
    CoverageBasis,
    DatePrecision,
    Department,
    DepartmentLevel,
    Interaction,
    Person,
    Portfolio,
    RelationshipStatus,
    Role,
    Team,
    ancestry,
    fold,
)
from graphmap.personal import plain_text

MAPPING_TITLE = ("客户关系映射表", "relationship map")
Fields = dict[str, tuple[str, str, tuple[str, ...]]]  # field -> (Chinese header, English header, other spellings)
ACCOUNT_FIELDS: Fields = {
    "account": ("客户名称", "Account name", ("account", "customer", "customer name", "客户")),
    "industry": ("客户所属行业", "Industry", ("所属行业", "行业")),
    "goal": ("映射目标", "Mapping goal", ("goal", "目标")),
    "updated": ("更新日期", "Updated on", ("updated", "update date", "date")),
    # Optional: ties the table to an account known by its CRM id (2024-IT-001) instead of its name.
    "account_id": ("客户编号", "Account id", ("客户ID", "account no", "customer id", "id")),
}
ROW_FIELDS: Fields = {
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
DEPARTMENT_PATH = re.compile(r"\s*[/>＞]\s*")
INTERACTION_SPLIT = re.compile(r"\s*(?:\n|;|；)\s*(?=\d{4}\s*[-/.年])")
HQ_WORDS = ("总部", "集团", "总公司")
BRANCH_WORDS = ("分公司", "子公司", "分行", "分部", "办事处", "分院", "分厂")
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


# Our side's titles, for telling 销售某 (a salesperson, name masked) from 张某 (a masked name alone).
OUR_TITLES = (*(keyword for keyword, _ in TEAM_KEYWORDS), "经理", "总监", "主管", "专员", "顾问", "代表", "负责人")
OUR_TITLED = re.compile(r"(.+?)(某某|某)?")


@dataclass
class MappingTable:
    """One mapping table (a CSV file or a workbook sheet) as checked: what its valid rows describe, and
    each rejected row with its problems. A broken header block or header row leaves no portfolio."""

    ref: SheetRef
    portfolio: Portfolio | None = None
    rows: int = 0  # stakeholder rows read
    problems: list[Problem] = field(default_factory=list)
    preamble: list[Line] = field(default_factory=list)  # the header block and header row, for an error file
    rejected: list[tuple[Line, list[Problem]]] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.ref.path

    @property
    def accepted(self) -> int:
        return self.rows - len(self.rejected)


@dataclass(frozen=True)
class _Row:
    """One valid stakeholder row, parsed."""

    line: int
    department: str
    name: str
    title: str | None
    roles: tuple[Role, ...]
    status: RelationshipStatus
    contacts: tuple[str, ...]
    interactions: tuple[tuple[DateSpan | None, str], ...]  # (date, the text after it)
    next_action: str | None
    next_action_due: date | None


class _Problems:
    """Collects every problem of one sheet, each located by line and column."""

    def __init__(self, where: SheetRef) -> None:
        self.where = where
        self.found: list[Problem] = []

    def add(self, line: int, column: str, value: str, message: str) -> None:
        self.found.append(self.where.problem(line, column, value, message))

    def raise_any(self) -> None:
        if self.found:
            raise InvalidFile(self.found)


@dataclass
class _Columns:
    """Where each field sits in a header row."""

    fields: Fields
    index: dict[str, int]

    def cell(self, line: Line, name: str) -> str:
        i = self.index.get(name)
        return line.cells[i].strip() if i is not None and i < len(line.cells) else ""

    def label(self, name: str) -> str:
        zh, en, _ = self.fields[name]
        return f"{column_letter(self.index[name])} ({zh}/{en})"


def read_mapping_table(path: Path | str, sheet: str | None = None) -> Portfolio:
    """What the table (or the workbook's first sheet) describes, or InvalidFile with every problem in it."""
    table = check_mapping_table(sheets_of(Path(path), sheet)[0])
    if table.problems or table.portfolio is None:
        raise InvalidFile(table.problems)
    return table.portfolio


def check_mapping_table(ref: SheetRef) -> MappingTable:
    """Streams the table and checks every row; a row with a problem is rejected whole, the others kept.
    Memory holds the account the table describes, never more than one table."""
    table = MappingTable(ref)
    problems = _Problems(ref)
    lines = (line for line in iter_lines(ref, merged=True) if not line.is_blank)
    try:
        row_columns, account = _header_block(list(itertools.islice(lines, 3)), problems, table)
    except TooLarge:
        raise
    except InvalidFile:
        table.problems = problems.found
        return table
    built = _Builder(account)
    for line in lines:
        table.rows += 1
        before = len(problems.found)
        row = _row(line, row_columns, account, problems)
        if row is not None:
            built.add(row, row_columns, problems)
        if len(problems.found) > before:
            table.rejected.append((line, problems.found[before:]))
    table.problems = problems.found
    table.portfolio = built.portfolio()
    return table


def _header_block(lines: list[Line], problems: _Problems, table: MappingTable) -> tuple[_Columns, Account]:
    """The table's columns and its account, from the label row, the value row and the header row."""
    if len(lines) < 3:
        problems.add(lines[0].number if lines else 1, "", "", _layout_message())
        problems.raise_any()
    labels, values, header = table.preamble = lines
    account_columns = _match_headers(labels, ACCOUNT_FIELDS, problems)
    row_columns = _match_headers(header, ROW_FIELDS, problems)
    problems.raise_any()
    if "account" not in account_columns.index:
        problems.add(labels.number, "", "", f"the header block has no 客户名称/Account name; {_layout_message()}")
    for required in REQUIRED_ROW_FIELDS:
        if required not in row_columns.index:
            zh, en, _ = ROW_FIELDS[required]
            problems.add(header.number, "", "", f"the table has no {zh}/{en} column; {_layout_message()}")
    problems.raise_any()
    account = _account(values, account_columns, problems)
    problems.raise_any()
    return row_columns, account


def _account(values: Line, columns: _Columns, problems: _Problems) -> Account:
    _check_plain(values, columns, problems)
    problems.raise_any()
    name = columns.cell(values, "account")
    if not name:
        problems.add(values.number, columns.label("account"), "", "客户名称/Account name is empty")
        problems.raise_any()
    updated_on = None
    if updated_text := columns.cell(values, "updated"):
        try:
            updated_on = parse_date(updated_text).last
        except BadDate as error:
            problems.add(values.number, columns.label("updated"), updated_text, str(error))
    account_id = columns.cell(values, "account_id") or account_id_for(name)
    if not re.match(ID_PATTERN, account_id):
        message = "an account id is letters, digits and . _ : - (e.g. 2024-IT-001)"
        problems.add(values.number, columns.label("account_id"), account_id, message)
        problems.raise_any()
    return Account(
        id=account_id,
        name=name,
        industry=columns.cell(values, "industry") or None,
        mapping_goal=columns.cell(values, "goal") or None,
        updated_on=updated_on,
    )


def _check_plain(line: Line, columns: _Columns, problems: _Problems) -> None:
    """No cell may hold text that shows other than it reads (graphmap.personal)."""
    for column in columns.index:
        try:
            plain_text(columns.cell(line, column))
        except ValueError as error:
            problems.add(line.number, columns.label(column), "", str(error))


def _row(line: Line, columns: _Columns, account: Account, problems: _Problems) -> _Row | None:
    """The row parsed, or None after reporting everything wrong with it."""
    before = len(problems.found)

    def bad(name: str, value: str, message: str) -> None:
        problems.add(line.number, columns.label(name), value, message)

    _check_plain(line, columns, problems)
    department = columns.cell(line, "department")
    name = columns.cell(line, "name")
    if not department:
        bad("department", "", "部门/Department is empty")
    if not name:
        bad("name", "", "角色姓名/Name is empty")
    roles: list[Role] = []
    roles_text = columns.cell(line, "roles")
    if not roles_text:
        bad("roles", "", f"角色类型/Role type is empty; accepted: {Role.accepted()}")
    for part in split_list(roles_text.replace("/", "、")):
        try:
            roles.append(Role.parse(part))
        except ValueError:
            bad("roles", part, f"is not a role type; accepted: {Role.accepted()}")
    contacts = tuple(c for c in split_list(columns.cell(line, "contact")) if c.lower() not in NO_CONTACT)
    status_text = columns.cell(line, "status")
    status = RelationshipStatus.none
    if status_text:
        try:
            status = RelationshipStatus.parse(status_text)
        except ValueError:
            bad("status", status_text, f"is not a relationship status; accepted: {RelationshipStatus.accepted()}")
    elif contacts:
        bad("status", "", f"关系状态/Relationship status is empty; accepted: {RelationshipStatus.accepted()}")
    if not contacts and status is not RelationshipStatus.none:
        bad(
            "status",
            status_text,
            "a relationship needs 我方对接人/Our contact; use 无直接接触/none or name the contact",
        )
    interactions = []
    for part in filter(None, INTERACTION_SPLIT.split(columns.cell(line, "interactions"))):
        try:
            span, rest = leading_date(part)
        except BadDate as error:
            bad("interactions", part, str(error))
            continue
        interactions.append((span, rest))
    next_action = columns.cell(line, "next_action") or None
    next_action_due = None
    if next_action:
        try:
            due, _ = leading_date(next_action, account.updated_on.year if account.updated_on else None)
            next_action_due = due.due if due else None
        except BadDate as error:
            bad("next_action", next_action, str(error))
    if len(problems.found) > before:
        return None
    return _Row(
        line=line.number,
        department=department,
        name=name,
        title=columns.cell(line, "title") or None,
        roles=tuple(dict.fromkeys(roles)),
        status=status,
        contacts=contacts,
        interactions=tuple(interactions),
        next_action=next_action,
        next_action_due=next_action_due,
    )


@dataclass
class _Builder:
    """Collects what the rows describe; one person or contact on several rows is merged into one."""

    account: Account
    departments: dict[str, Department] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    coverage: dict[tuple[str, str], tuple[Coverage, int]] = field(default_factory=dict)  # with its line
    interactions: dict[str, Interaction] = field(default_factory=dict)

    def add(self, row: _Row, columns: _Columns, problems: _Problems) -> None:
        """Adds the row, or nothing if it contradicts an earlier one (then says so)."""
        chain = department_chain(self.account.id, row.department)
        person_id = person_id_for(self.account.id, chain[-1].id, row.title, row.name)
        contacts = [contact_from(text) for text in row.contacts]
        contradicted = False
        for contact in contacts:
            earlier = self.coverage.get((contact.id, person_id))
            if earlier is not None and earlier[0].status is not row.status:
                link, line = earlier
                message = (
                    f"contradicts line {line}, which gives the same contact and person "
                    f"status {link.status.zh}/{link.status}"
                )
                problems.add(row.line, columns.label("status"), row.status.zh, message)
                contradicted = True
        if contradicted:
            return
        for department in chain:
            self.departments.setdefault(department.id, department)
        person = Person(
            id=person_id,
            account_id=self.account.id,
            department_id=chain[-1].id,
            name=row.name,
            title=row.title,
            roles=row.roles,
            next_action=row.next_action,
            next_action_due=row.next_action_due,
        )
        if (previous := self.people.get(person_id)) is not None:  # one person, all their roles
            person = person.model_copy(
                update={
                    "roles": tuple(dict.fromkeys(previous.roles + row.roles)),
                    "next_action": previous.next_action or row.next_action,
                    "next_action_due": previous.next_action_due or row.next_action_due,
                }
            )
        self.people[person_id] = person
        for contact in contacts:
            self.contacts.setdefault(contact.id, contact)
            link = Coverage(contact_id=contact.id, person_id=person_id, status=row.status)
            self.coverage.setdefault((contact.id, person_id), (link, row.line))
        for span, text in row.interactions:
            interaction_id = key_interaction_id(self.account.id, person_id, span.text if span else None, text)
            self.interactions[interaction_id] = Interaction(
                id=interaction_id,
                account_id=self.account.id,
                on=interaction_day(span, self.account.updated_on) if span else None,
                on_precision=span.precision if span else DatePrecision.day,
                on_text=span.text if span else None,
                summary=text,
                person_ids=(person_id,),
                contact_ids=tuple(c.id for c in contacts),
            )

    def portfolio(self) -> Portfolio:
        return Portfolio(
            accounts=(self.account,),
            departments=tuple(self.departments.values()),
            people=tuple(self.people.values()),
            contacts=tuple(self.contacts.values()),
            coverage=tuple(link for link, _ in self.coverage.values()),
            interactions=tuple(self.interactions.values()),
        )


def key_interaction_text(on_text: str | None, summary: str) -> str:
    """How the table writes a key interaction so that it reads back as the same date and text: a space
    between them, or a comma where the text would otherwise read as part of the date (2024-06 3项,
    2024-06 月度会议)."""
    if not on_text or not summary:
        return on_text or summary
    for text in (f"{on_text} {summary}", f"{on_text}，{summary}"):
        try:
            span, rest = leading_date(text)
        except BadDate:
            continue
        if span is not None and span.text == on_text and rest == summary:
            return text
    return f"{on_text}，{summary}"


def interaction_day(when: DateSpan, updated_on: date | None) -> date:
    """A month alone counts as its last day, but never after the table's own date (the account's
    updated_on), so a month-only record never makes a relationship look colder than it is. The contact log
    applies the same rule, so both give one interaction the same day."""
    return when.last if updated_on is None else max(when.first, min(when.last, updated_on))


def department_chain(account_id: str, text: str) -> list[Department]:
    """'总部/华东分公司/采购部' nests departments, top first; the top one sits directly under the account.
    Every template derives a department's id from its path this way, so they all name the same one."""
    chain: list[Department] = []
    for path, level in _path_levels(text):
        chain.append(
            Department(
                id=department_id_for(account_id, path),
                account_id=account_id,
                name=path[-1],
                level=level,
                parent_id=chain[-1].id if chain else None,
            )
        )
    return chain


@functools.lru_cache(maxsize=4096)  # a table names the same few paths in every account
def _path_levels(text: str) -> tuple[tuple[tuple[str, ...], DepartmentLevel], ...]:
    """Each department of the path as its path from the top, with its level."""
    names = tuple(n for n in DEPARTMENT_PATH.split(text) if n)
    return tuple((names[: depth + 1], _level(name, depth, len(names))) for depth, name in enumerate(names))


def _level(name: str, depth: int, levels: int) -> DepartmentLevel:
    """By its name where it says (总部, 分公司), else by its place in the path."""
    if any(word in name for word in HQ_WORDS):
        return DepartmentLevel.hq
    if any(word in name for word in BRANCH_WORDS):
        return DepartmentLevel.branch
    if depth == levels - 1:
        return DepartmentLevel.department
    return DepartmentLevel.hq if depth == 0 else DepartmentLevel.branch


def _match_headers(line: Line, fields: Fields, problems: _Problems) -> _Columns:
    found = match_header(
        line.cells, {fold(s): key for key, (zh, en, others) in fields.items() for s in (zh, en, key, *others)}
    )
    accepted = ", ".join(f"{zh}/{en}" for zh, en, _ in fields.values())
    for position, cell in found.unknown:
        problems.add(line.number, column_letter(position), cell, f"unknown header; accepted: {accepted}")
    for position, cell in found.repeated:
        problems.add(line.number, column_letter(position), cell, "this column appears twice")
    return _Columns(fields, found.index)


def _layout_message() -> str:
    block = ",".join(zh for key, (zh, _, _) in ACCOUNT_FIELDS.items() if key != "account_id") + "[,客户编号]"
    table = ",".join(zh for zh, _, _ in ROW_FIELDS.values())
    return f"expected a header block ({block}), a row of its values, then the table ({table})"


@functools.lru_cache(maxsize=4096)  # a log names the same few colleagues on every row
def contact_from(text: str) -> Contact:
    """'销售经理*某' is title + masked name; 'Alice Wang (Sales)' or a bare name has no title. As the
    archive writes its people (参与人员: 销售某、客户经理): a title with 某 for the name, or a title alone
    (the name then is the templates' mask, *某)."""
    title: str | None = None
    name = text
    if "*" in text and not text.startswith("*"):
        split = text.index("*")
        title, name = text[:split].strip(), text[split:].strip()
    elif match := re.fullmatch(r"(.+?)\s*[(（](.+)[)）]", text):
        name, title = match.group(1).strip(), match.group(2).strip()
    elif (match := OUR_TITLED.fullmatch(text)) and any(word in match.group(1) for word in OUR_TITLES):
        title, name = match.group(1), f"*{match.group(2) or '某'}"  # 销售某 is 销售*某
    team = next((team for keyword, team in TEAM_KEYWORDS if title and keyword in title), None)
    return Contact(id=contact_id_for(title, name), name=name, title=title, team=team)


def mapping_table_lines(network: Any, spell_contact: Callable[[Contact], str], language: str = "zh") -> list[list[str]]:
    """One account's AccountNetwork as its mapping table: the header block, the header row, then a row
    per stakeholder and relationship status. Reading it back gives the same account, people, links and
    key interactions; interactions of other origins (the contact log) are left to their own template."""
    account: Account = network.account
    labels = [zh if language == "zh" else en for zh, en, _ in ACCOUNT_FIELDS.values()]
    values = [
        account.name,
        account.industry or "",
        account.mapping_goal or "",
        account.updated_on.isoformat() if account.updated_on else "",
        account.id,
    ]
    lines = [labels, values, [zh if language == "zh" else en for zh, en, _ in ROW_FIELDS.values()]]
    by_id = {d.id: d for d in network.departments}
    contacts = {c.id: c for c in network.contacts}
    links: dict[str, list[Coverage]] = {}
    for link in network.coverage:
        if link.basis is CoverageBasis.recorded:  # the others come back from the interactions that made them
            links.setdefault(link.person_id, []).append(link)
    key: dict[str, list[Interaction]] = {}
    for interaction in network.interactions:
        if len(interaction.person_ids) == 1:
            person_id = interaction.person_ids[0]
            if interaction.id == key_interaction_id(account.id, person_id, interaction.on_text, interaction.summary):
                key.setdefault(person_id, []).append(interaction)

    parents = {d.id: d.parent_id for d in by_id.values()}

    def path_of(department_id: str) -> str:
        return "/".join(by_id[above].name for above in reversed(ancestry(department_id, parents)))

    def show(term: Any) -> str:
        return str(term.zh if language == "zh" else term.en)

    separator = "、" if language == "zh" else ", "
    people = sorted(network.people, key=lambda p: (path_of(p.department_id), p.title or "", p.name, p.id))
    for person in people:
        roles = separator.join(show(role) for role in person.roles or (Role.unknown,))
        first = True
        for status, contact_ids, interactions in _person_rows(links.get(person.id, []), key.get(person.id, [])):
            written = [spell_contact(contacts[c]) for c in contact_ids if c in contacts]
            lines.append(
                [
                    path_of(person.department_id),
                    person.name,
                    person.title or "",
                    roles,
                    show(status),
                    separator.join(written) or "-",
                    "\n".join(key_interaction_text(i.on_text, i.summary) for i in interactions),
                    (person.next_action or "") if first else "",
                ]
            )
            first = False
    return lines


def _person_rows(
    links: list[Coverage], interactions: list[Interaction]
) -> list[tuple[RelationshipStatus, tuple[str, ...], list[Interaction]]]:
    """A person's rows: one per relationship status with the contacts that have it; an interaction goes
    on the row with exactly its contacts (a row of its own where there is none). A row holds at most one
    undated interaction, written first: the next one only starts where a date does."""
    status_of = {link.contact_id: link.status for link in links}
    rows: list[tuple[RelationshipStatus, tuple[str, ...], list[Interaction]]] = []
    for status in dict.fromkeys(link.status for link in links):
        rows.append((status, tuple(sorted(c for c, s in status_of.items() if s is status)), []))
    if not rows:
        rows.append((RelationshipStatus.none, (), []))
    undated_on: set[int] = set()
    for interaction in sorted(interactions, key=lambda i: (i.on is not None, i.on or date.min, i.id)):
        contact_ids = tuple(sorted(interaction.contact_ids))
        status = status_of.get(contact_ids[0], RelationshipStatus.none) if contact_ids else RelationshipStatus.none
        place = next(
            (
                i
                for i, (s, c, _) in enumerate(rows)
                if c == contact_ids and s is status and not (interaction.on is None and i in undated_on)
            ),
            None,
        )
        if place is None:
            rows.append((status, contact_ids, []))
            place = len(rows) - 1
        rows[place][2].append(interaction)
        if interaction.on is None:
            undated_on.add(place)
    return rows
