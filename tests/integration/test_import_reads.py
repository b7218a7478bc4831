"""How a re-import reads the store, on each engine: the accounts a contacts table and a contact log name
are read a window of rows at a time, whatever order the rows come in, each once, and resolve to the people
stored."""

import csv
import math
import random
from collections import Counter
from typing import Any

import pytest

from bench.archive_import import write_archive
from graphmap.graph import count_graph
from graphmap.importing import check_files
from graphmap.io.references import PEOPLE_CACHE, READ_AHEAD_LINES
from graphmap.store import GraphStore, Row

pytestmark = pytest.mark.integration

ACCOUNTS = 600  # more than PEOPLE_CACHE; the archive's 16 rows per account: 5 contacts, 10 log entries


class CountingReads:
    """The store, counting how often each query is read."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.reads: Counter[str] = Counter()
        self.accounts_read: Counter[str] = Counter()  # how often each account's people were read

    def read(self, query_name: str, **params: Any) -> list[Row]:
        self.reads[query_name] += 1
        if query_name == "list_person_identities":
            self.accounts_read.update(params["account_ids"])
        return self.store.read(query_name, **params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_a_re_import_reads_the_accounts_its_rows_name_a_window_at_a_time(store, tmp_path):
    assert ACCOUNTS > PEOPLE_CACHE  # the log's accounts cannot all be at hand still from the contacts table
    accounts_file, contacts_file, log_file = write_archive(tmp_path, 16 * ACCOUNTS)
    with log_file.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    random.Random(2).shuffle(rows)  # a window of the log then names most accounts, not a few
    with log_file.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    files = [accounts_file, contacts_file, log_file]
    first = check_files(files, store)
    assert not first.all_problems()
    first.write(store)
    written = count_graph(store)

    counting = CountingReads(store)
    again = check_files(files, counting)  # type: ignore[arg-type]
    assert not again.all_problems()
    again.write(store)
    assert count_graph(store) == written  # every row found the person it wrote the first time

    windows = math.ceil(5 * ACCOUNTS / READ_AHEAD_LINES) + math.ceil(len(rows) / READ_AHEAD_LINES)
    # At most two reads a window (200 accounts a read); one per account would be 600 for the contacts alone.
    assert counting.reads["list_person_identities"] <= 2 * windows < ACCOUNTS
    assert counting.reads["list_departments"] == counting.reads["list_person_identities"]
    # Each account once, though its contacts and then its log entries (shuffled) name it: read again from
    # the import's spill, not the store.
    assert set(counting.accounts_read.values()) == {1}
    assert len(counting.accounts_read) == ACCOUNTS
