"""Import throughput: generated mapping-table rows per second, end to end (read + validate + write).

    python -m bench.import_rate [--rows 50000] [--engine]

Runs on the embedded engine (a fresh data directory) and on Neo4j when GRAPHMAP_BENCH_NEO4J_URI (or
GRAPHMAP_TEST_NEO4J_URI) is set; the Neo4j database is emptied first. With --engine, the same tables also
go through `graphmap import`'s two passes, first and again, each against the engine alone writing the
statements the import sent (issue 36's ratio; bench.archive_import does the same for the archive).
Writes bench/results/import.json.
"""

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from bench.archive_import import engine_ratios
from bench.engines import open_neo4j
from bench.generate import generate_portfolio, write_mapping_tables
from graphmap.graph import count_graph, write_portfolio
from graphmap.io.mapping_table import read_mapping_table
from graphmap.model import combine
from graphmap.store import GraphStore
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer

RESULTS = Path(__file__).resolve().parent / "results"


def tables_with(rows: int, folder: Path) -> tuple[list[Path], int]:
    """The first generated accounts' tables that hold at least `rows` data rows together."""
    paths = write_mapping_tables(generate_portfolio(max(1, rows // 25), seed=11), folder)
    chosen, total = [], 0
    for path in paths:
        if total >= rows:
            path.unlink()
            continue
        chosen.append(path)
        total += len(path.read_text(encoding="utf-8").splitlines()) - 3
    if total < rows:
        raise SystemExit(f"generated only {total} rows; raise the account estimate")
    return chosen, total


def run(store: GraphStore, paths: list[Path], rows: int) -> dict[str, float]:
    started = time.perf_counter()
    tables = [read_mapping_table(p) for p in paths]
    portfolio = combine(tables)
    validated = time.perf_counter()
    write_portfolio(store, portfolio)
    written = time.perf_counter()
    write_portfolio(store, portfolio)  # the same import again: must change nothing
    again = time.perf_counter()
    total = written - started
    return {
        "rows": rows,
        "read_and_validate_s": round(validated - started, 3),
        "write_s": round(written - validated, 3),
        "total_s": round(total, 3),
        "rows_per_s": round(rows / total),
        "reimport_s": round(again - written, 3),
        "graph": count_graph(store),  # type: ignore[dict-item]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--engine", action="store_true", help="the import against the engine alone")
    args = parser.parse_args()
    results: dict[str, object] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "engines": {}}
    with tempfile.TemporaryDirectory() as tmp:
        paths, rows = tables_with(args.rows, Path(tmp) / "tables")
        print(f"{rows} rows in {len(paths)} mapping tables")
        server = EmbeddedServer(Path(tmp) / "data", idle_timeout=0)
        try:
            store = EmbeddedStore(server, "bench")
            store.ensure_schema()
            results["engines"]["falkordb"] = run(store, paths, rows)  # type: ignore[index]
            store.close()
        finally:
            server.stop()
        neo4j = open_neo4j()
        if neo4j is not None:
            results["engines"]["neo4j"] = run(neo4j, paths, rows)  # type: ignore[index]
            neo4j.clear()
            neo4j.close()
        if args.engine:
            results["import"] = engine_ratios(paths, Path(tmp), rows, again=True)
    for engine, figures in results["engines"].items():  # type: ignore[attr-defined]
        print(
            f"{engine:9} {figures['rows_per_s']:>8} rows/s  (read+validate {figures['read_and_validate_s']} s, "
            f"write {figures['write_s']} s, re-import {figures['reimport_s']} s)"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "import.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
