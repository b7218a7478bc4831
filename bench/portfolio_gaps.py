"""Issue 36, item 2: the whole portfolio's gaps against the engine's own execution of the reads they need.

    python -m bench.portfolio_gaps --accounts 1000 [--runs 5] [--data DIR]

Writes a generated portfolio to an embedded store (or reuses the one in --data), then, alternately, in one
process: `find_gaps` over every account (graphmap), and the engine alone answering the very statements that
report sent (recorded once, their texts built beforehand, sent one after another on one connection, the
replies received and parsed by the client, not decoded into rows). The ratio is graphmap's median over
the engine's; the target is 1.5 or less.
"""

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.scale import AS_OF, portfolio_chunks
from graphmap.analysis.gaps import find_gaps
from graphmap.graph import count_graph, write_portfolio
from graphmap.queries import Q, catalog
from graphmap.store import embedded
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer

RESULTS = Path(__file__).parent / "results" / "portfolio_gaps.json"
TARGET = 1.5


def write(store: EmbeddedStore, accounts: int) -> None:
    store.clear()
    store.ensure_schema()
    for index, chunk in enumerate(portfolio_chunks(accounts)):
        write_portfolio(store, chunk if index == 0 else chunk.model_copy(update={"contacts": ()}))


def recorded(store: EmbeddedStore) -> list[tuple[Q, dict[str, Any]]]:
    """The statements one whole-portfolio report sends, in order."""
    sent: list[tuple[Q, dict[str, Any]]] = []
    run = EmbeddedStore._run

    def recording(self: EmbeddedStore, query_name: Q, params: dict[str, Any], read_only: bool, connection: Any = None
                  ) -> Any:  # fmt: skip
        sent.append((query_name, params))
        return run(self, query_name, params, read_only, connection)

    EmbeddedStore._run = recording  # type: ignore[method-assign]
    try:
        find_gaps(store, as_of=AS_OF)
    finally:
        EmbeddedStore._run = run  # type: ignore[method-assign]
    return sent


def engine_alone(store: EmbeddedStore, texts: list[str]) -> float:
    connection = store._db.connection
    started = time.perf_counter()
    for text in texts:
        connection.execute_command("GRAPH.RO_QUERY", store.graph_name, text, "--compact")
    return time.perf_counter() - started


def graphmap_report(store: EmbeddedStore) -> float:
    started = time.perf_counter()
    find_gaps(store, as_of=AS_OF)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, help="a data folder to keep the store in (reused when it holds it)")
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="graphmap-portfolio-gaps-"))
    server = EmbeddedServer(folder, idle_timeout=600)
    store = EmbeddedStore(server, f"gaps-{args.accounts}")
    store.ensure_schema()
    if count_graph(store).get("Account", 0) != args.accounts:
        print(f"writing {args.accounts:,} generated accounts ...", flush=True)
        write(store, args.accounts)
    graph = count_graph(store)
    sent = recorded(store)
    texts = [embedded._parameter_header(params) + catalog()[name].text_for(store.engine) for name, params in sent]
    ours, engines = [], []
    for _ in range(args.runs):  # alternately, so that the machine's slower moments fall on both
        ours.append(graphmap_report(store))
        engines.append(engine_alone(store, texts))
    mine, theirs = statistics.median(ours), statistics.median(engines)
    figures = {
        "accounts": args.accounts,
        "people": graph.get("Person", 0),
        "coverage_links": graph.get("COVERS", 0),
        "statements": len(texts),
        "graphmap_s": [round(s, 3) for s in ours],
        "engine_s": [round(s, 3) for s in engines],
        "graphmap_median_s": round(mine, 3),
        "engine_median_s": round(theirs, 3),
        "ratio": round(mine / theirs, 2),
        "target": TARGET,
    }
    print(json.dumps(figures, indent=1))
    RESULTS.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    store.close()


if __name__ == "__main__":
    main()
