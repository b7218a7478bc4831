"""Issue 36, items 2 and 3: the whole portfolio's gaps against the engine's own execution of the reads they need.

    python -m bench.portfolio_gaps --accounts 1000 [--runs 5] [--data DIR] [--engines falkordb neo4j]

Writes a generated portfolio to each engine (the embedded one kept in --data and reused when it holds it;
Neo4j where GRAPHMAP_TEST_NEO4J_URI is set, emptied before and after), then, alternately, in one process:
`find_gaps` over every account (graphmap), and the engine alone answering the very statements that report
sent (recorded once; on the embedded engine their texts built beforehand and sent one after another on one
connection, the replies parsed by the client and not decoded into rows; on Neo4j the raw driver's
execute_query with the same texts and parameters, its records not converted). The ratio is graphmap's
median over the engine's; the target is 1.5 or less.
"""

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.engines import open_neo4j
from bench.scale import AS_OF, portfolio_chunks
from graphmap.analysis.gaps import find_gaps
from graphmap.graph import count_graph, write_portfolio
from graphmap.queries import catalog
from graphmap.store import GraphStore, embedded
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer
from graphmap.store.values import to_parameter

RESULTS = Path(__file__).parent / "results" / "portfolio_gaps.json"
TARGET = 1.5


def write(store: GraphStore, accounts: int) -> None:
    store.clear()
    store.ensure_schema()
    for index, chunk in enumerate(portfolio_chunks(accounts)):
        write_portfolio(store, chunk if index == 0 else chunk.model_copy(update={"contacts": ()}))


def recorded(store: GraphStore) -> list[tuple[Any, dict[str, Any]]]:
    """What one whole-portfolio report hands its store's engine, statement by statement, in order: the
    query's name (embedded) or text (Neo4j), with its parameters."""
    kind = type(store)
    run = kind._run  # type: ignore[attr-defined]
    sent: list[tuple[Any, dict[str, Any]]] = []

    def recording(self: Any, statement: Any, params: dict[str, Any], *rest: Any, **named: Any) -> Any:
        sent.append((statement, params))
        return run(self, statement, params, *rest, **named)

    kind._run = recording  # type: ignore[attr-defined]
    try:
        find_gaps(store, as_of=AS_OF)
    finally:
        kind._run = run  # type: ignore[attr-defined]
    return sent


def neo4j_alone(store: Any, sent: list[tuple[str, dict[str, Any]]]) -> float:
    import neo4j

    started = time.perf_counter()
    for text, params in sent:
        store._driver.execute_query(neo4j.Query(text), params, database_=store.database,
                                    routing_=neo4j.RoutingControl.READ)  # fmt: skip
    return time.perf_counter() - started


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


def measure(store: Any, engine: Callable[[], float], runs: int, accounts: int) -> dict[str, Any]:
    graph = count_graph(store)
    ours, engines = [], []
    for _ in range(runs):  # alternately, so that the machine's slower moments fall on both
        ours.append(graphmap_report(store))
        engines.append(engine())
    mine, theirs = statistics.median(ours), statistics.median(engines)
    return {
        "accounts": accounts,
        "people": graph.get("Person", 0),
        "coverage_links": graph.get("COVERS", 0),
        "graphmap_s": [round(s, 3) for s in ours],
        "engine_s": [round(s, 3) for s in engines],
        "graphmap_median_s": round(mine, 3),
        "engine_median_s": round(theirs, 3),
        "ratio": round(mine / theirs, 2),
        "target": TARGET,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--data", type=Path, help="a data folder to keep the embedded store in (reused when it holds it)"
    )
    parser.add_argument("--engines", nargs="+", default=["falkordb", "neo4j"], choices=["falkordb", "neo4j"])
    args = parser.parse_args()
    results: dict[str, Any] = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    if "falkordb" in args.engines:
        folder = args.data or Path(tempfile.mkdtemp(prefix="graphmap-portfolio-gaps-"))
        store = EmbeddedStore(EmbeddedServer(folder, idle_timeout=600), f"gaps-{args.accounts}")
        store.ensure_schema()
        if count_graph(store).get("Account", 0) != args.accounts:
            print(f"embedded: writing {args.accounts:,} generated accounts ...", flush=True)
            write(store, args.accounts)
        texts = [embedded._parameter_header(p) + catalog()[name].text_for(store.engine) for name, p in recorded(store)]
        figures = measure(store, lambda: engine_alone(store, texts), args.runs, args.accounts)
        results[f"falkordb_{args.accounts}"] = figures | {"statements": len(texts)}
        print("embedded", json.dumps(results[f"falkordb_{args.accounts}"]), flush=True)
        store.close()
    if "neo4j" in args.engines and (neo4j_store := open_neo4j()) is not None:
        print(f"Neo4j: writing {args.accounts:,} generated accounts ...", flush=True)
        write(neo4j_store, args.accounts)
        sent = [(text, to_parameter(params)) for text, params in recorded(neo4j_store)]
        figures = measure(neo4j_store, lambda: neo4j_alone(neo4j_store, sent), args.runs, args.accounts)
        results[f"neo4j_{args.accounts}"] = figures | {"statements": len(sent)}
        print("Neo4j", json.dumps(results[f"neo4j_{args.accounts}"]), flush=True)
        neo4j_store.clear()
        neo4j_store.close()
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
