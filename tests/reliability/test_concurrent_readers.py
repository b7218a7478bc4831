"""Concurrent readers right after a large write: the embedded engine stays up and both readers see what one
reader sees.

Two reads at once right after a large write crashed FalkorDB 4.16.3 (a segfault in its matrix multiply) in
most runs at 10,000 accounts, the large scale here; graphmap now starts it with one query thread
(graphmap/store/server.py, QUERY_THREADS). The small scale checks the same on a portfolio where the crash
was rare; bench/concurrent_reads.py shows the crash with --query-threads 2.
"""

import threading
from pathlib import Path

import pytest

from bench.generate import generate_portfolio
from graphmap.graph import list_account_names, network_chunks, write_portfolio
from graphmap.model import Account
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer
from tests.reliability import scale

pytestmark = pytest.mark.integration

ACCOUNTS = scale(600, 10_000)
READERS = 2

# What a reader keeps of each account's network: enough to tell a short or mixed-up read from a whole one.
Shape = tuple[int, int, int, int, int, int]


def read_shapes(store: EmbeddedStore, accounts: list[Account]) -> dict[str, Shape]:
    shapes = {}
    for chunk in network_chunks(store, accounts):
        for n in chunk:
            shapes[n.account.id] = (
                len(n.departments),
                len(n.people),
                len(n.coverage),
                len(n.reporting_lines),
                len(n.influences),
                len(n.interactions),
            )
    return shapes


def test_two_readers_right_after_a_large_write_keep_the_engine_up(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "data", idle_timeout=0)
    try:
        store = EmbeddedStore(server, "readers")
        store.ensure_schema()
        write_portfolio(store, generate_portfolio(ACCOUNTS, seed=13))
        accounts = list_account_names(store)
        pid = server.pid()
        results: list[dict[str, Shape]] = [{} for _ in range(READERS)]
        failures: list[BaseException] = []

        def reader(offset: int) -> None:
            try:
                results[offset] = read_shapes(store, accounts[offset::READERS])
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                failures.append(error)

        threads = [threading.Thread(target=reader, args=(offset,)) for offset in range(READERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        crashes = server.log_file.read_text().count("crashed by signal")
        assert (failures, crashes, server.pid()) == ([], 0, pid), f"the engine went down; see {server.log_file}"
        together = {account_id: shape for part in results for account_id, shape in part.items()}
        assert together == read_shapes(store, accounts)  # one reader after them reads the same
        assert len(together) == ACCOUNTS
    finally:
        server.stop()
