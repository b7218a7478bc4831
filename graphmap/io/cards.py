"""Process cards (流程卡牌): one opportunity worked through the stages, one row per card; its follow-up
records are the contact log's rows with the card's id (卡牌编号) and a deadline.

A card's id follows the template's rule, CRM-YYYYMMDD-N. A card without one gets CRM-<its day>-<five
digits derived from its account, day and owner>, so importing the same file again finds the same card;
the export writes the id out, and from then on the file carries it.
"""

import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from graphmap.errors import Problem
from graphmap.io.archive import (
    ACCOUNT_REFERENCE,
    UNASSIGNED,
    account_id,
    account_or_new,
    validated,
    where,
    with_stored_departments,
)
from graphmap.io.cells import (
    CellError,
    as_written,
    day,
    email,
    phone,
    show_day,
    show_term,
    show_text,
    show_written,
    split_list,
    term,
    term_as_written,
    text,
    whole,
    written,
)
from graphmap.io.ids import person_id_for
from graphmap.io.mapping_table import contact_from, department_chain
from graphmap.io.references import Kind, Known, Piece
from graphmap.io.tables import Line
from graphmap.io.templates import Column, RowReader, Template
from graphmap.model import Card, CardSource, Intent, Person, Role, RoleGrant, titled

CHAIN = {"decision_makers": Role.decision_maker, "influencers": Role.influencer, "users": Role.user}


def decision_chain(value: str) -> dict[str, list[str]]:
    """决策链 in one cell, as the card prints it: 决策人:(CTO)影响者:(采购经理)使用者:运维团队."""
    value = text(value)
    parts = re.split(r"(决策人|决策者|影响者|影响人|使用者|使用人)\s*[:：]", value)
    if len(parts) < 3:
        raise CellError("expected 决策人:… 影响者:… 使用者:… (any of them), e.g. 决策人:(CTO)影响者:(采购经理)")
    chain: dict[str, list[str]] = {field: [] for field in CHAIN}
    for label, names in zip(parts[1::2], parts[2::2], strict=True):
        field = {"决": "decision_makers", "影": "influencers"}.get(label[0], "users")
        chain[field].extend(split_list(names.strip(" ;；,，、")))
    return chain


def card_records(cards: Iterable[Card], names: dict[str, str]) -> Iterator[dict[str, Any]]:
    for card in cards:
        yield card.model_dump() | {"account_name": names.get(card.account_id),
                                   "source": written(card.source, card.source_text)}  # fmt: skip


CARDS = Template(
    "process_cards",
    "流程卡牌",
    "Process cards",
    (
        Column("id", "卡牌编号", "Card id", account_id, show_text, ("card id", "流程卡编号")),
        *ACCOUNT_REFERENCE,
        Column("industry", "所属行业", "Industry", text, show_text, ("行业", "industry")),
        Column("contact", "联系人及职务", "Contact and title", text, show_text, ("联系人", "contact")),
        Column("contact_details", "联系方式", "Phone / e-mail", text, show_text, ("电话/邮箱", "contact details"),
               personal=True),
        Column("opened_on", "建档日期", "Opened on", day, show_day, ("首次接触日期", "opened", "日期")),
        Column("source", "客户来源", "Source", term_as_written(CardSource), show_written, ("来源", "source")),
        Column("needs_keywords", "初步需求关键词", "Needs keywords", text, show_text, ("初步需求", "需求关键词")),
        Column("analysed_on", "需求分析日期", "Needs analysed on", day, show_day, ("analysed",)),
        Column("owner", "负责人", "Owner", text, show_text, ("owner", "主负责人", "主责人", "第一负责人")),
        Column("helpers", "协助人", "Helpers", text, show_text,
               ("协作人", "协办人", "协同负责人", "helpers", "co-owner")),
        Column("pain_points", "痛点", "Pain points", text, show_text, ("客户痛点", "核心痛点", "pain points")),
        Column("explicit_needs", "显性需求", "Explicit needs", text, show_text, ("明确需求", "explicit needs")),
        Column("latent_needs", "隐性需求", "Latent needs", text, show_text, ("潜在需求", "latent needs")),
        Column("decision_chain", "决策链", "Decision chain", decision_chain, show_text, ("decision chain",)),
        Column("decision_makers", "决策者", "Decision-makers", text, show_text, ("决策链-决策者", "决策人")),
        Column("influencers", "影响者", "Influencers", text, show_text, ("决策链-影响者",)),
        Column("users", "使用者", "Users", text, show_text, ("决策链-使用者",)),
        Column("budget", "预算范围", "Budget range", text, show_text, ("预算", "budget")),
        Column("intent", "意向等级", "Intent", term(Intent), show_term, ("意向", "intent")),
        Column("proposal_on", "方案提交日期", "Proposal on", day, show_day, ("方案日期", "proposal")),
        Column("contract_on", "签约日期", "Contract on", day, show_day, ("合同日期", "contract")),
        Column("delivered_on", "交付日期", "Delivered on", day, show_day, ("delivered",)),
        Column("accepted_on", "验收日期", "Accepted on", day, show_day, ("accepted",)),
        Column("surveyed_on", "满意度调查日期", "Surveyed on", day, show_day, ("调查日期", "survey")),
        Column("satisfaction", "满意度(分)", "Satisfaction (0-100)", whole(0, 100), show_text, ("满意度得分", "score")),
        Column("survey_result", "满意度调查结果", "Survey result", text, show_text, ("调查结果", "survey result")),
        Column("follow_up_notes", "跟进记录", "Follow-up notes", text, show_text, ("follow-up notes",)),
        Column("deal_status", "合作状态", "Deal status", text, show_text, ("deal status",)),
        Column("referral", "转介绍", "Referrals", text, show_text, ("二次合作/转介绍意向", "转介绍意向", "referral")),
        Column("notes", "备注", "Notes", text, show_text, ("notes", "remarks")),
    ),
)  # fmt: skip
FIELDS = [
    c.field
    for c in CARDS.columns
    if c not in ACCOUNT_REFERENCE and c.field not in {"decision_chain", "contact_details"}
]
# The template's own rule (CRM-YYYYMMDD-X) and its example (CRM20240521001): a 客户编号 of this shape on a
# card is the card's number, not an account's.
CARD_NUMBER = re.compile(r"^CRM-?\d{8}-?\d+$", re.IGNORECASE)


def build_card(record: dict[str, Any], line: Line, reader: RowReader, known: Known) -> Piece | list[Problem]:
    record = dict(record)
    if not reader.has("id") and record.get("account_id") and CARD_NUMBER.match(record["account_id"]):
        record["id"], record["account_id"] = record["account_id"], None  # the seed's form: 客户编号 is the card's
    piece = Piece()
    account = account_or_new(record, line, reader, known, piece, industry=record.get("industry"))
    if isinstance(account, list):
        return account
    card = record.get("id")
    if card is None:
        if record.get("opened_on") is None:
            return [reader.problem(line, "id", "", "give the card's id (CRM-20240815-1) or the day it was opened")]
        key = "\x1f".join([account, record["opened_on"].isoformat(), record.get("owner") or ""])
        number = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 90000 + 10000
        card = f"CRM-{record['opened_on']:%Y%m%d}-{number}"
    if earlier := known.first("card", card, where(reader, line)):
        return [reader.problem(line, "id", card, f"the same card as {earlier}")]
    if known.cards.get(card, account) != account:
        return [reader.problem(line, "id", card, f"this card belongs to account {known.cards[card]}")]
    values = {"account_id": account} | {field: record[field] for field in FIELDS if reader.has(field)} | {"id": card}
    values = as_written(values, "source", "source_text")
    if record.get("decision_chain"):
        values |= {field: "、".join(names) for field, names in record["decision_chain"].items() if names}
    if record.get("owner"):
        owner = contact_from(record["owner"])
        piece.contacts.append(owner)
        known.contacts.add(owner.id)
        values["owner_id"] = owner.id
    result = validated(Card, values, line, reader)
    if isinstance(result, list):
        return result
    people, problems = _card_people(result, record, line, reader, known, piece)
    if problems:
        return problems
    known.cards[card] = account
    piece.cards.append(result.model_copy(update={"person_ids": tuple(dict.fromkeys(people))}))
    return piece


def _card_people(
    card: Card, record: dict[str, Any], line: Line, reader: RowReader, known: Known, piece: Piece
) -> tuple[list[str], list[Problem]]:
    """The people the card names, found among the account's people by the rule every template uses
    (title and name, the name, the title alone, with the department when those repeat), or added to the
    account's unassigned department: its contact, and its decision chain, who get those roles too."""
    problems: list[Problem] = []
    people: list[str] = []
    roles: dict[str, list[Role]] = {}
    named: list[tuple[Role | None, str, str]] = [
        (CHAIN[field], spelling, field) for field in CHAIN for spelling in split_list(getattr(card, field) or "")
    ]
    if card.contact:
        named.append((None, card.contact, "contact"))
    for role, spelling, field in named:
        try:
            found = _person_named(spelling, card.account_id, known, piece)
        except _Ambiguous as error:
            column = field if reader.has(field) or not reader.has("decision_chain") else "decision_chain"
            problems.append(reader.problem(line, column, spelling, str(error)))
            continue
        if found is None:
            continue
        people.append(found)
        if role is not None:
            roles.setdefault(found, []).append(role)
        elif record.get("contact_details"):
            _add_details(found, record["contact_details"], piece)
    piece.role_grants.extend(RoleGrant(id=person, roles=tuple(dict.fromkeys(r))) for person, r in roles.items())
    return people, problems


class _Ambiguous(Exception):
    """A card's text that names several of the account's people."""


GROUP = re.compile(r"(团队|部门|部|组|小组|车间|中心|科室|办公室|委员会|人员|们)$")


def _person_named(spelling: str, account: str, known: Known, piece: Piece) -> str | None:
    """The id of the person a card's text names (added when the account lacks them); None for a group
    (运维团队), which stays text only. _Ambiguous when it names several."""
    title, name = _title_and_name(spelling)
    for written_as in dict.fromkeys(t for t in (spelling, titled(title, name or ""), title, name) if t):
        found = known.people(account, written_as)
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            example = f"采购部/{written_as}"
            raise _Ambiguous(
                f"{len(found)} people of this account are called this: write 部门/职位姓名, e.g. {example}"
            )
    if name is None and title is None:
        return None
    if title is None and name is not None and GROUP.search(name):
        return None
    chain, departments = with_stored_departments(department_chain(account, UNASSIGNED), known)
    piece.departments.extend(departments)
    person = Person(id=person_id_for(account, chain[-1].id, title, name or SOMEONE), account_id=account,
                    department_id=chain[-1].id, name=name or SOMEONE, title=title)  # fmt: skip
    known.add_person(person, [d.name for d in chain])
    piece.people.append(person)
    return person.id


SOMEONE = "*某"  # a person a card names by title alone: the templates' own mask for a name not written


def _title_and_name(spelling: str) -> tuple[str | None, str | None]:
    """(CTO) -> title CTO; 张总(CTO) -> name 张总, title CTO; 销售经理*某 -> title and masked name."""
    spelling = spelling.strip()
    if match := re.fullmatch(r"(.*?)\s*[(（]\s*(.+?)\s*[)）]", spelling):
        return match.group(2), match.group(1) or None
    if "*" in spelling and not spelling.startswith("*"):
        split = spelling.index("*")
        return spelling[:split].strip(), spelling[split:].strip()
    return None, spelling or None


def _add_details(person_id: str, details: str, piece: Piece) -> None:
    """The card's 联系方式 (电话/邮箱) on its contact, reduced as the archive keeps them; what is neither
    a phone nor an e-mail is not kept."""
    for part in re.split(r"[/／,，;；\s]+", details):
        for field, rule in (("phone", phone), ("email", email)):
            try:
                value = rule(part)
            except CellError:
                continue
            for i, person in enumerate(piece.people):
                if person.id == person_id:
                    piece.people[i] = person.model_copy(update={field: value})
            break


CARDS_KIND = Kind(CARDS, 4, build_card, names_people=True)
