"""The query catalog: every Cypher statement lives in cypher/<verb_noun>.cypher, loaded by name.

A file `name.<engine>.cypher` overrides `name.cypher` on that engine; none is needed so far, and the
portable subset (shared/CYPHER.md) keeps it that way.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum, auto
from functools import lru_cache
from importlib.resources import files

from graphmap.errors import GraphmapError

ENGINES = ("falkordb", "neo4j")


class Q(StrEnum):
    """Every query of the catalog, one member per file: `store.read(Q.list_users, ...)`. A typo is an
    AttributeError on import and a mypy error, never a query looked up at run time and missing; the test that
    every query has a caller looks for `Q.<name>`. tests/unit/test_queries.py keeps this list and cypher/ equal."""

    clear_contact_address_key = auto()
    clear_person_address_key = auto()
    count_account_grants = auto()
    count_nodes = auto()
    count_relationships = auto()
    delete_accounts = auto()
    delete_cards = auto()
    delete_changes = auto()
    delete_comments = auto()
    delete_contacts = auto()
    delete_coverage = auto()
    delete_departments = auto()
    delete_grants = auto()
    delete_influences = auto()
    delete_interactions = auto()
    delete_lone_interactions = auto()
    delete_people = auto()
    delete_plan_targets = auto()
    delete_reporting_lines = auto()
    delete_tasks = auto()
    delete_unmatched = auto()
    dump_account_nodes = auto()
    dump_card_nodes = auto()
    dump_change_nodes = auto()
    dump_comment_nodes = auto()
    dump_contact_nodes = auto()
    dump_covers_relationships = auto()
    dump_department_nodes = auto()
    dump_grant_nodes = auto()
    dump_influences_relationships = auto()
    dump_interaction_nodes = auto()
    dump_part_of_relationships = auto()
    dump_person_nodes = auto()
    dump_plans_relationships = auto()
    dump_reports_to_relationships = auto()
    dump_setting_nodes = auto()
    dump_task_nodes = auto()
    dump_token_nodes = auto()
    dump_unmatched_nodes = auto()
    dump_user_nodes = auto()
    dump_with_relationships = auto()
    dump_works_in_relationships = auto()
    find_active_stakeholders = auto()
    find_contacts = auto()
    find_coverage_links = auto()
    find_existing_accounts = auto()
    find_existing_coverage = auto()
    find_existing_interactions = auto()
    find_existing_people = auto()
    find_last_contacts = auto()
    find_owned_records = auto()
    find_sole_coverage = auto()
    get_person = auto()
    get_setting = auto()
    grant_roles = auto()
    ignore_unmatched = auto()
    link_departments = auto()
    link_interaction_contacts = auto()
    link_interaction_people = auto()
    list_account_names = auto()
    list_accounts = auto()
    list_capture_contacts = auto()
    list_capture_people = auto()
    list_card_ids = auto()
    list_cards = auto()
    list_changes = auto()
    list_comments = auto()
    list_contact_ids = auto()
    list_contacts = auto()
    list_coverage = auto()
    list_departments = auto()
    list_grants = auto()
    list_influences = auto()
    list_interactions = auto()
    list_people = auto()
    list_person_identities = auto()
    list_plan_targets = auto()
    list_reporting_lines = auto()
    list_tasks = auto()
    list_tokens = auto()
    list_unmatched = auto()
    list_users = auto()
    lock_account = auto()
    lock_contact = auto()
    merge_accounts = auto()
    merge_cards = auto()
    merge_changes = auto()
    merge_comments = auto()
    merge_contacts = auto()
    merge_coverage = auto()
    merge_departments = auto()
    merge_evidenced_coverage = auto()
    merge_grants = auto()
    merge_influences = auto()
    merge_interactions = auto()
    merge_people = auto()
    merge_plan_targets = auto()
    merge_reporting_lines = auto()
    merge_setting = auto()
    merge_tasks = auto()
    merge_tokens = auto()
    merge_unmatched = auto()
    merge_users = auto()
    ping = auto()
    restore_account_nodes = auto()
    restore_card_nodes = auto()
    restore_change_nodes = auto()
    restore_comment_nodes = auto()
    restore_contact_nodes = auto()
    restore_covers = auto()
    restore_department_nodes = auto()
    restore_grant_nodes = auto()
    restore_influences = auto()
    restore_interaction_nodes = auto()
    restore_part_of_account = auto()
    restore_part_of_department = auto()
    restore_person_nodes = auto()
    restore_plans = auto()
    restore_reports_to = auto()
    restore_setting_nodes = auto()
    restore_task_nodes = auto()
    restore_token_nodes = auto()
    restore_unmatched_nodes = auto()
    restore_user_nodes = auto()
    restore_with_contact = auto()
    restore_with_person = auto()
    restore_works_in = auto()
    set_contact_address = auto()
    set_person_address = auto()
    unlink_interaction_participants = auto()


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    overrides: dict[str, str] = field(default_factory=dict)

    def text_for(self, engine: str) -> str:
        return self.overrides.get(engine, self.text)


class Catalog:
    def __init__(self, queries: dict[str, Query]) -> None:
        self._queries = queries

    def __getitem__(self, name: str) -> Query:
        try:
            return self._queries[name]
        except KeyError:  # a programming error, never the caller's: a 500 that is logged, not a 404
            raise GraphmapError(f"no query named {name!r} in cypher/") from None

    def __iter__(self) -> Iterator[Query]:
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)


@lru_cache
def catalog() -> Catalog:
    """Loads every .cypher file shipped in the package graphmap.cypher (the repository's cypher/)."""
    base: dict[str, str] = {}
    overrides: dict[str, dict[str, str]] = {}
    for entry in files("graphmap.cypher").iterdir():
        if not entry.name.endswith(".cypher"):
            continue
        stem = entry.name.removesuffix(".cypher")
        name, _, engine = stem.partition(".")
        text = entry.read_text(encoding="utf-8")
        if engine:
            if engine not in ENGINES:
                raise ValueError(f"cypher/{entry.name}: unknown engine {engine!r}; expected one of {ENGINES}")
            overrides.setdefault(name, {})[engine] = text
        else:
            base[name] = text
    orphans = set(overrides) - set(base)
    if orphans:
        raise ValueError(f"cypher/: engine overrides without a portable query: {sorted(orphans)}")
    return Catalog({name: Query(name, text, overrides.get(name, {})) for name, text in sorted(base.items())})
