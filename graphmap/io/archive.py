"""The archive (客户档案): its account table, its contacts and its contact log; several accounts per file.

Columns and accepted values: docs/tables.md. A column the file does not have leaves that field of the
account as it is in the graph; an empty cell empties it. The id (客户编号, e.g. 2024-IT-001) ties a row
to an account; without one, the id is derived from the name exactly as the mapping table derives it, so
both templates describe the same account.
"""

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from graphmap.errors import Problem
from graphmap.graph import AccountSummary
from graphmap.io.cells import (
    CellError,
    KeyedEmail,
    amount,
    as_written,
    day,
    email,
    email_kept,
    keyed_email,
    phone,
    phone_kept,
    show_amount,
    show_day,
    show_term,
    show_terms,
    show_text,
    show_written,
    show_year_or_day,
    show_yes_no,
    size,
    span,
    split_list,
    term,
    terms,
    text,
    whole,
    written,
    year_or_day,
    yes_no,
)
from graphmap.io.dates import DateSpan
from graphmap.io.ids import account_id_for, log_entry_id, person_id_for
from graphmap.io.mapping_table import (
    DEPARTMENT_PATH,
    contact_from,
    department_chain,
    interaction_day,
)
from graphmap.io.references import Kind, Known, Piece
from graphmap.io.tables import Line
from graphmap.io.templates import Column, RowReader, Template
from graphmap.model import (
    ID_PATTERN,
    Account,
    Channel,
    Contact,
    CustomerType,
    Department,
    Intent,
    Interaction,
    Lifecycle,
    Person,
    PersonStatus,
    Role,
    Stage,
    Team,
)

M = TypeVar("M", bound=BaseModel)


def account_id(value: str) -> str:
    if not re.match(ID_PATTERN, value):
        raise CellError("an account id is letters, digits and . _ : - (e.g. 2024-IT-001)")
    return value


def name(value: str) -> str:
    if len(value) > 200:
        raise CellError("too long: at most 200 characters")
    return text(value)


ACCOUNTS = Template(
    "archive_accounts",
    "客户档案",
    "Account archive",
    (
        Column("id", "客户编号", "Account id", account_id, show_text, ("客户ID", "account no", "customer id", "id")),
        Column("name", "客户名称", "Account name", name, show_text, ("客户全称", "全称", "customer", "name"), True),
        Column("customer_type", "客户类型", "Customer type", term(CustomerType), show_term, ("type", "类型")),
        Column("industry", "所属行业", "Industry", text, show_text, ("行业", "客户所属行业")),
        Column("size_band", "企业规模", "Size band", size, show_written, ("规模", "size", "headcount", "员工人数")),
        Column("founded_on", "成立时间", "Founded on", year_or_day, show_year_or_day,
               ("成立日期", "成立年份", "founded")),
        Column("address", "地址", "Address", text, show_text, ("公司地址", "企业地址")),
        Column("first_contact_on", "首次接触日期", "First contact on", day, show_day,
               ("首次接触", "初次接触时间", "初次接触日期", "first contact")),
        Column("first_deal_on", "首次成交日期", "First deal on", day, show_day,
               ("首次成交", "首次合作时间", "首次合作日期", "first deal")),
        Column("stage", "合作阶段", "Stage", term(Stage), show_term, ("阶段", "当前合作阶段")),
        Column("products", "主要项目/产品", "Main projects and products", text, show_text,
               ("主要产品", "主要合作项目/产品", "合作项目", "products")),
        Column(
            "total_amount",
            "累计金额(万元)",
            "Total amount (10k CNY)",
            amount,
            show_amount,
            ("累计金额", "累计合作金额(万元)", "total amount"),
        ),  # fmt: skip
        Column("last_deal_on", "最近成交日期", "Last deal on", day, show_day,
               ("最近成交", "最近一次合作时间", "最近合作时间", "last deal")),
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
        Column("satisfaction", "满意度", "Satisfaction (1-5)", whole(1, 5), show_text, ("满意度评分", "satisfaction")),
        Column("risks", "风险", "Risks", text, show_text, ("风险点", "潜在风险", "risk")),
        Column("opportunities", "机会", "Opportunities", text, show_text, ("机会点", "opportunity")),
        Column("owner_team", "负责团队", "Owner team", term(Team), show_term,
               ("团队", "客户责任人", "责任团队", "team")),
        Column("lifecycle", "生命周期", "Lifecycle", term(Lifecycle), show_term, ("生命周期阶段", "客户生命周期")),
        Column("intent", "意向等级", "Intent", term(Intent), show_term, ("意向",)),
        Column("last_inquiry_on", "最近询价日期", "Last inquiry on", day, show_day, ("最近询价", "last inquiry")),
        Column("renewal_intent", "续约意向", "Renewal intent", yes_no, show_yes_no, ("renewal",)),
        Column("notes", "备注", "Notes", text, show_text, ("notes", "remarks")),
    ),
)  # fmt: skip


def build_account(record: dict[str, Any], line: Line, reader: RowReader, known: Known) -> Piece | list[Problem]:
    values = as_written(record, "size_band", "size_text")
    values["id"] = values.get("id") or account_id_for(values["name"])
    if earlier := known.first("account", values["id"], where(reader, line)):
        return [reader.problem(line, "id", values["id"], f"the same account as {earlier}")]
    account = validated(Account, values, line, reader)
    if isinstance(account, list):
        return account
    known.add_account(account)
    return Piece(accounts=[account])


def validated(model: type[M], values: dict[str, Any], line: Line, reader: RowReader) -> M | list[Problem]:
    """The model, or its rules' complaints located by the column of the field each is about."""
    try:
        return model(**values)
    except ValidationError as error:
        fields = {c.field for c in reader.template.columns}
        return [
            reader.problem(line, str(e["loc"][0]), "", e["msg"])
            if e["loc"] and e["loc"][0] in fields
            else reader.where.problem(line.number, ".".join(map(str, e["loc"])), "", e["msg"])
            for e in error.errors()
        ]


def where(reader: RowReader, line: Line) -> str:
    """file:line, to say where a record was given first."""
    return f"{reader.file_name}:{line.number}"


def archive_records(accounts: Sequence[AccountSummary]) -> list[dict[str, Any]]:
    """The accounts as the archive table's rows, for write_template."""
    fields = {column.field for column in ACCOUNTS.columns}
    return [
        account.model_dump(include=fields) | {"size_band": written(account.size_band, account.size_text)}
        for account in accounts
    ]


# The archive's contacts (客户联系人): one row per stakeholder, placed in their department.

ACCOUNT_REFERENCE = (
    Column("account_id", "客户编号", "Account id", account_id, show_text, ("客户ID", "account no", "customer id")),
    Column("account_name", "客户名称", "Account name", name, show_text, ("客户全称", "customer", "account")),
)


# Where a person goes whose department the file does not say (the archive's contact block, a card's
# decision chain): one department per account, shown as such on the org chart, for a planner to move them.
UNASSIGNED = "未分配部门"


def department(value: str) -> str:
    value = text(value)
    if not any(part.strip() for part in DEPARTMENT_PATH.split(value)):
        raise CellError("expected a department, or a path of them: 总部/华东分公司/采购部")
    return value


def contacts_template(keep_details: bool = False, address_secret: bytes | None = None) -> Template:
    """The contacts table; phones and e-mails are reduced as they are read unless the deployment keeps them.
    With `address_secret` (a deployment that captures), an e-mail also keeps its keyed hash for matching."""
    reduce = email_kept if keep_details else email
    read_email = reduce if address_secret is None else keyed_email(reduce, address_secret)
    return Template(
        "archive_contacts",
        "客户联系人",
        "Account contacts",
        (
            *ACCOUNT_REFERENCE,
            Column("department", "部门", "Department", department, show_text, ("dept", "所属部门")),
            Column("name", "姓名", "Name", name, show_text, ("角色姓名", "联系人", "contact name", "person"), True),
            Column("title", "职位", "Title", text, show_text, ("职务", "job title", "position")),
            Column("roles", "角色类型", "Role type", terms(Role), show_terms, ("角色", "role", "roles")),
            Column("status", "在职状态", "Employment status", term(PersonStatus), show_term, ("状态", "status")),
            Column(
                "phone", "电话", "Phone", phone_kept if keep_details else phone, show_text,
                ("联系电话", "联系方式", "手机", "mobile", "tel", "telephone"), personal=True,
            ),
            Column(
                "email", "邮箱", "E-mail", read_email, show_text,
                ("电子邮箱", "邮件", "email", "mail"), personal=True,
            ),
        ),
    )  # fmt: skip


CONTACTS = contacts_template()


def account_of_row(record: dict[str, Any], line: Line, reader: RowReader, known: Known) -> str | Problem:
    """The account a row belongs to, which must be known (stored, or added earlier in this import)."""
    if not record.get("account_id") and not record.get("account_name"):
        return reader.where.problem(
            line.number, "", "", "give the account: 客户编号/Account id or 客户名称/Account name"
        )
    account = known.account_id(record)
    if account is not None:
        return account
    field = "account_id" if record.get("account_id") else "account_name"
    return reader.problem(
        line, field, record[field], "no such account: add it in the archive's account table (客户档案) first"
    )


def account_or_new(
    record: dict[str, Any], line: Line, reader: RowReader, known: Known, piece: Piece, **fields: Any
) -> str | list[Problem]:
    """The account a row belongs to; one it names that the graph does not have yet is added by its id and
    name (as a mapping table adds its account), with `fields`: a contacts table, a segmentation table or a
    card may be the first the graph hears of an account."""
    account = known.account_id(record)
    if account is None and record.get("account_name"):
        new = Account(id=record.get("account_id") or account_id_for(record["account_name"]),
                      name=record["account_name"], **fields)  # fmt: skip
        known.add_account(new)
        piece.accounts.append(new)
        return new.id
    if account is None:
        found = account_of_row(record, line, reader, known)
        return [found] if isinstance(found, Problem) else []
    return account


def build_contact(record: dict[str, Any], line: Line, reader: RowReader, known: Known) -> Piece | list[Problem]:
    piece = Piece()
    account = account_or_new(record, line, reader, known, piece)
    if isinstance(account, list):
        return account
    chain, piece.departments = with_stored_departments(
        department_chain(account, record.get("department") or UNASSIGNED), known
    )
    identity = (chain[-1].id, record.get("title"), record["name"])
    person_id = person_id_for(account, *identity)
    stored = known.stored_people(account, *identity)
    if len(stored) == 1:
        person_id = stored[0]  # perhaps made elsewhere (the API, the sample): the same person, under its id
    elif len(stored) > 1 and person_id not in stored:
        return [reader.problem(line, "name", record["name"], (
            f"{len(stored)} people in the graph have this department, title and name ({', '.join(sorted(stored))}); "
            "change or delete all but one of them first"
        ))]  # fmt: skip
    if earlier := known.first("person", person_id, where(reader, line)):
        return [reader.problem(line, "name", record["name"], f"the same person as {earlier}")]
    values: dict[str, Any] = {
        "id": person_id, "account_id": account, "department_id": chain[-1].id, "name": record["name"],
    }  # fmt: skip
    for field in ("title", "phone", "email"):
        if reader.has(field):
            values[field] = record[field]
    if isinstance(record.get("email"), KeyedEmail):  # a deployment that captures: the address's hash too
        values["email"], values["email_key"] = str(record["email"]), record["email"].key
    if reader.has("roles"):
        values["roles"] = record["roles"] or ()
    if record.get("status") is not None:
        values["status"] = record["status"]
    person = validated(Person, values, line, reader)
    if isinstance(person, list):
        return person
    known.add_person(person, [d.name for d in chain])
    piece.people.append(person)
    return piece


def with_stored_departments(chain: list[Department], known: Known) -> tuple[list[Department], list[Department]]:
    """A row's department path, top first, where each department the store already holds at that path
    keeps its stored id; and the departments of the path it adds (under those)."""
    path: list[Department] = []
    added: list[Department] = []
    for department in chain:
        stored = known.stored_department(department.account_id, [d.name for d in [*path, department]])
        parent_id = path[-1].id if path else None
        if (stored or department.id, parent_id) != (department.id, department.parent_id):  # else as it is
            department = department.model_copy(update={"id": stored or department.id, "parent_id": parent_id})
        if stored is None:
            added.append(department)
        path.append(department)
    return path, added


# The contact log (联系记录), newest first in the archive; a process card's follow-up records are the same
# table with the card's id (卡牌编号) and a deadline.


def card_id(value: str) -> str:
    return account_id(value)


CONTACT_LOG = Template(
    "archive_contact_log",
    "联系记录",
    "Contact log",
    (
        Column("id", "记录编号", "Record id", account_id, show_text, ("record id", "编号")),
        *ACCOUNT_REFERENCE,
        Column("card_id", "卡牌编号", "Card id", card_id, show_text, ("card", "流程卡编号")),
        Column("on", "时间", "Date", span, show_text,
               ("日期", "联系时间", "沟通时间", "跟进日期", "date", "when"), True),
        Column("participants", "参与人", "Participants", text, show_text, ("参与人员", "participants"), True),
        Column("channel", "沟通方式", "Channel", term(Channel), show_term, ("方式", "渠道", "channel")),
        Column("summary", "沟通内容", "Content", text, show_text,
               ("内容", "跟进内容", "核心内容", "沟通核心内容", "内容摘要", "content", "summary"), True),
        Column("follow_up", "后续行动", "Follow-up action", text, show_text,
               ("跟进事项", "下一步", "下一步行动", "next action")),
        Column("owner", "负责人", "Owner", text, show_text, ("owner", "跟进人", "主责人")),
        Column("due", "截止日期", "Deadline", day, show_day, ("期限", "完成时限", "deadline", "due")),
    ),
)  # fmt: skip


def build_log_entry(record: dict[str, Any], line: Line, reader: RowReader, known: Known) -> Piece | list[Problem]:
    account = account_of_row(record, line, reader, known)
    if isinstance(account, Problem):
        return [account]
    problems: list[Problem] = []
    card = record.get("card_id")
    if card is not None and known.cards.get(card) != account:
        message = "no such card: add it in the process cards (流程卡牌) first"
        if card in known.cards:
            message = f"this card belongs to account {known.cards[card]}, not to {account}"
        problems.append(reader.problem(line, "card_id", card, message))
    people: list[str] = []
    contacts: dict[str, Contact] = {}
    for spelling in split_list(record["participants"]):
        found = known.people(account, spelling)
        if len(found) == 1:
            people.append(next(iter(found)))
            continue
        if len(found) > 1:
            message = (
                f"{len(found)} people of this account are called this: write 部门/职位姓名, e.g. 采购部/{spelling}"
            )
            problems.append(reader.problem(line, "participants", spelling, message))
            continue
        contact = contact_from(spelling)
        if contact.id in known.contacts or contact.title:
            contacts[contact.id] = contact
        else:
            message = (
                "neither a person of this account nor one of our contacts: add them to the contacts table "
                "(客户联系人), or write our colleague with their title (销售经理*某)"
            )
            problems.append(reader.problem(line, "participants", spelling, message))
    if not people and not problems:
        message = "no participant is a person of this account; name at least one (from 客户联系人)"
        problems.append(reader.problem(line, "participants", record["participants"], message))
    owner = contact_from(record["owner"]) if record.get("owner") else None
    if owner is not None:
        contacts[owner.id] = owner
    if problems:
        return problems
    when: DateSpan = record["on"]
    entry_id = record.get("id")
    if entry_id is None:  # known by its content: the same row twice is the same record, harmless
        entry_id = log_entry_id(account, when.text, people, record["summary"])
    elif earlier := known.first("interaction", entry_id, where(reader, line)):
        return [reader.problem(line, "id", entry_id, f"the same record as {earlier}")]
    values = {
        "id": entry_id, "account_id": account, "on": interaction_day(when, known.updated_on.get(account)),
        "on_precision": when.precision, "on_text": when.text, "summary": record["summary"],
        "person_ids": tuple(sorted(set(people))), "contact_ids": tuple(sorted(contacts)),
        "owner_id": owner.id if owner else None,
    }  # fmt: skip
    for field in ("channel", "follow_up", "due", "card_id"):
        if reader.has(field):
            values[field] = record[field]
    interaction = validated(Interaction, values, line, reader)
    if isinstance(interaction, list):
        return interaction
    known.contacts.update(contacts)
    return Piece(contacts=list(contacts.values()), interactions=[interaction])


ACCOUNTS_KIND = Kind(ACCOUNTS, 1, build_account)


def contacts_kind(keep_details: bool = False, address_secret: bytes | None = None) -> Kind:
    return Kind(contacts_template(keep_details, address_secret), 2, build_contact, names_people=True)


CONTACT_LOG_KIND = Kind(CONTACT_LOG, 5, build_log_entry, names_people=True)
