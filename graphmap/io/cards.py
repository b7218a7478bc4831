"""Process cards (流程卡牌): one opportunity worked through the stages, one row per card; its follow-up
records are the contact log's rows with the card's id (卡牌编号) and a deadline.

A card's id follows the template's rule, CRM-YYYYMMDD-N. A card without one gets CRM-<its day>-<five
digits derived from its account, day and owner>, so importing the same file again finds the same card;
the export writes the id out, and from then on the file carries it.
"""

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from graphmap.errors import Problem
from graphmap.io.archive import ACCOUNT_REFERENCE, account_id, account_of_row, validated, where
from graphmap.io.cells import day, show_day, show_term, show_text, term, text, whole
from graphmap.io.references import Kind, Known, Piece
from graphmap.io.tables import Line
from graphmap.io.templates import Column, RowReader, Template
from graphmap.model import Card, CardSource, Intent

CARDS = Template(
    "process_cards",
    "流程卡牌",
    "Process cards",
    (
        Column("id", "卡牌编号", "Card id", account_id, show_text, ("card id", "编号", "流程卡编号")),
        *ACCOUNT_REFERENCE,
        Column("opened_on", "建档日期", "Opened on", day, show_day, ("首次接触日期", "opened", "日期")),
        Column("source", "客户来源", "Source", term(CardSource), show_term, ("来源", "source")),
        Column("owner", "负责人", "Owner", text, show_text, ("owner", "主负责人")),
        Column("helpers", "协助人", "Helpers", text, show_text, ("协作人", "协同负责人", "helpers", "co-owner")),
        Column("pain_points", "痛点", "Pain points", text, show_text, ("客户痛点", "pain points")),
        Column("explicit_needs", "显性需求", "Explicit needs", text, show_text, ("explicit needs",)),
        Column("latent_needs", "隐性需求", "Latent needs", text, show_text, ("潜在需求", "latent needs")),
        Column("decision_makers", "决策者", "Decision-makers", text, show_text, ("决策链-决策者",)),
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
        Column("referral", "转介绍", "Referrals", text, show_text, ("referral",)),
    ),
)
FIELDS = [c.field for c in CARDS.columns if c not in ACCOUNT_REFERENCE]


def build_card(record: dict[str, Any], line: Line, reader: RowReader, known: Known) -> Piece | list[Problem]:
    account = account_of_row(record, line, reader, known)
    if isinstance(account, Problem):
        return [account]
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
    result = validated(Card, values, line, reader)
    if isinstance(result, list):
        return result
    known.cards[card] = account
    return Piece(cards=[result])


def card_records(cards: Iterable[Card], names: dict[str, str]) -> Iterator[dict[str, Any]]:
    for card in cards:
        yield card.model_dump() | {"account_name": names.get(card.account_id)}


CARDS_KIND = Kind(CARDS, 4, build_card)
