"""Accounts back into the customer tables (graphmap export): what comes out imports again to the same graph.

Each template's rows are read from the store account chunk by account chunk (graph.iter_scope), so an
export of the whole portfolio holds one chunk in memory, and are streamed to the file.
"""

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from graphmap.analysis.segments import segments
from graphmap.errors import Invalid
from graphmap.graph import AccountNetwork, iter_scope, list_contacts, network_chunks, read_cards, select_accounts
from graphmap.io.archive import ACCOUNTS, CONTACT_LOG, CONTACTS, archive_records
from graphmap.io.cards import CARDS, card_records
from graphmap.io.mapping_table import MAPPING_TITLE, mapping_table_lines
from graphmap.io.references import PeopleIndex, department_paths
from graphmap.io.segmentation import SEGMENTATION, segmentation_records
from graphmap.io.templates import RowWriter, Template, write_template
from graphmap.model import Contact, titled
from graphmap.store import GraphStore

TEMPLATES: dict[str, Template] = {
    "archive": ACCOUNTS,
    "contacts": CONTACTS,
    "log": CONTACT_LOG,
    "segmentation": SEGMENTATION,
    "cards": CARDS,
}
MAPPING = "mapping"  # the relationship-mapping table: one account per table, not a flat template
TITLES: dict[str, tuple[str, str]] = {MAPPING: MAPPING_TITLE} | {
    name: (template.zh, template.en) for name, template in TEMPLATES.items()
}
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def export_template(
    store: GraphStore, path: Path, template: str, account_id: str | None, language: str, as_of: date
) -> int:
    """Writes one template's rows for one account or all of them; returns how many."""
    if template == MAPPING:
        return export_mapping_tables(store, path, account_id, language)
    records: Any
    if template == "archive":
        records = archive_records(select_accounts(store, account_id))
    elif template == "contacts":
        records = (row for network in iter_scope(store, account_id) for row in contact_records(network))
    elif template == "log":
        ours = {c.id: contact_spelling(c) for c in list_contacts(store)}
        records = (row for network in iter_scope(store, account_id) for row in log_records(network, ours))
    elif template == "segmentation":
        accounts = select_accounts(store, account_id)
        records = segmentation_records(accounts, segments(store, account_id, as_of), language)
    else:
        accounts = select_accounts(store, account_id)
        records = card_records(read_cards(store, [a.id for a in accounts]), {a.id: a.name for a in accounts})
    return write_template(path, TEMPLATES[template], records, language)


def export_mapping_tables(store: GraphStore, path: Path, account_id: str | None, language: str) -> int:
    """Each account as its mapping table: a CSV file holds one (give the account), a workbook a sheet per
    account, named after it. Returns the stakeholder rows written."""
    accounts = select_accounts(store, account_id)
    if path.suffix.lower() != ".xlsx" and len(accounts) != 1:
        raise Invalid(
            f"{path}: a CSV mapping table holds one account and there are {len(accounts)}; give --account, "
            "or write .xlsx for a sheet per account / CSV 映射表只能容纳一个客户"
        )
    writer: RowWriter | None = None
    titles: set[str] = set()
    rows = 0
    try:
        for chunk in network_chunks(store, accounts):
            for network in chunk:
                lines = mapping_table_lines(network, contact_spelling, language)
                if writer is None:
                    writer = RowWriter(path, lines[0], _sheet_title(network.account.name, titles))
                else:
                    writer.add_sheet(_sheet_title(network.account.name, titles))
                    writer.add(lines[0])
                for line in lines[1:]:
                    writer.add(line)
                rows += len(lines) - 3
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    if writer is not None:
        writer.commit()
    return rows


def _sheet_title(name: str, taken: set[str]) -> str:
    r"""A sheet name Excel accepts (31 characters, none of []:*?/\), unique in the workbook."""
    base = SHEET_TITLE_FORBIDDEN.sub("_", name).strip("'") or "account"
    title, n = base[:31], 1
    while title.lower() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def contact_records(network: AccountNetwork) -> Iterator[dict[str, Any]]:
    paths = department_paths(network.departments)
    for person in network.people:
        yield person.model_dump() | {
            "account_id": network.account.id,
            "account_name": network.account.name,
            "department": "/".join(paths[person.department_id]),
        }


def log_records(network: AccountNetwork, ours: dict[str, str]) -> Iterator[dict[str, Any]]:
    """The account's interactions as contact-log rows; `ours` spells each of our contacts by id. A key
    interaction a mapping table gave without a date stays in the mapping table: a log row needs one."""
    people = _people_spellings(network)
    for interaction in network.interactions:
        if interaction.on is None:
            continue
        owner = interaction.owner_id  # written in its own column; the import adds it to the participants
        yield interaction.model_dump() | {
            "account_id": network.account.id,
            "account_name": network.account.name,
            "on": interaction.on_text or (interaction.on.isoformat() if interaction.on else ""),
            "participants": "、".join(
                [people[p] for p in interaction.person_ids] + [ours[c] for c in interaction.contact_ids if c != owner]
            ),
            "owner": ours[owner] if owner else None,
        }


def _people_spellings(network: AccountNetwork) -> dict[str, str]:
    """How the log names each person: title and name, with the department where that repeats, so that
    an import of it finds the same people again."""
    paths = department_paths(network.departments)
    index = PeopleIndex()
    for person in network.people:
        index.add(person.id, person.name, person.title, paths[person.department_id])
    spell: dict[str, str] = {}
    for person in network.people:
        plain = titled(person.title, person.name)
        path = paths[person.department_id]
        spellings = (plain, f"{path[-1]}/{plain}", "/".join([*path, plain]))
        spell[person.id] = next((s for s in spellings if len(index.find(s)) == 1), spellings[-1])
    return spell


def contact_spelling(contact: Contact) -> str:
    """销售经理*某 for a masked name (how the templates write our staff), else Name (Title)."""
    if contact.title and contact.name.startswith("*"):
        return titled(contact.title, contact.name)
    return f"{contact.name} ({contact.title})" if contact.title else contact.name
