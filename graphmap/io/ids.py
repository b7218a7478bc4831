"""Stable ids: what identifies a thing in the tables, hashed, so that importing the same table twice, or a
table exported and edited, names the same records (masked names repeat, so never a name alone)."""

import hashlib
from collections.abc import Sequence


def stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]
    return f"{prefix}-{digest}"


def account_id_for(name: str) -> str:
    """The id of an account known by its name only; every template derives it the same way."""
    return stable_id("a", name)


def department_id_for(account_id: str, path: Sequence[str]) -> str:
    """A department's id: its account and its path of names from the top (总部/华东分公司/采购部)."""
    return stable_id("d", account_id, "/".join(path))


def person_id_for(account_id: str, department_id: str, title: str | None, name: str) -> str:
    """A stakeholder's id: masked names repeat, so a person is account + department + title + name."""
    return stable_id("p", account_id, department_id, title or "", name)


def contact_id_for(title: str | None, name: str) -> str:
    """One of our contacts, known by title and name (销售经理*某) where the table gives no id."""
    return stable_id("c", title or "", name)


def key_interaction_id(account_id: str, person_id: str, on_text: str | None, summary: str) -> str:
    """A key interaction's id: its person, its date as written and its text. Not the characters between
    date and text (2024-06 拜访 and 2024-06：拜访 are one record), so an exported table imports as the same."""
    return stable_id("i", account_id, person_id, on_text or "", summary)


def log_entry_id(account: str, when: str, people: list[str], summary: str) -> str:
    """A record without an id of its own is known by its account, date, people and content."""
    return stable_id("i", account, when, ",".join(sorted(set(people))), summary)
