"""Analyst frames: seconds and peak memory to build the stakeholder and coverage frames of a whole
generated portfolio, on the embedded engine and, where GRAPHMAP_BENCH_NEO4J_URI (or GRAPHMAP_TEST_NEO4J_URI)
is set, on Neo4j (bench/engines.py).

    python -m bench.frames [--accounts 1000 10000]

Each frame is built in a fresh process connected the way a notebook connects (Workbench.connect() from
GRAPHMAP_* settings), so its peak resident memory is the frame's and the reads', nothing left over; the
same process doing nothing but connecting gives the baseline. Writes bench/results/frames.json.
"""

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from bench.engines import neo4j_settings, open_neo4j
from bench.generate import generate_portfolio
from graphmap.graph import write_portfolio
from graphmap.sample import SAMPLE_AS_OF
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer

RESULTS = Path(__file__).resolve().parent / "results"
GRAPH = "bench-frames"
FRAMES = ("stakeholders", "coverage")


def measure(frame: str) -> dict[str, Any]:
    """In the child process: build one frame, report rows, seconds and peak memory."""
    from graphmap.workbench import Workbench

    with Workbench.connect() as workbench:
        started = time.perf_counter()
        table = getattr(workbench, frame)() if frame != "connect" else pd.DataFrame()
        seconds = time.perf_counter() - started
    return {
        "rows": len(table),
        # The same frame from both engines (checked in portfolio_frames): a fingerprint of its contents.
        "digest": hashlib.sha256(table.to_json(orient="split", date_format="iso").encode()).hexdigest()[:16],
        "seconds": round(seconds, 2),
        "peak_rss_mb": peak_rss_mb(),
    }


def peak_rss_mb() -> int:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries that across exec from
    the forked parent, so a child would report the benchmark's own peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def in_child(frame: str, settings: dict[str, str]) -> dict[str, Any]:
    """Measures one frame in a fresh process whose GRAPHMAP_* settings are `settings` (which engine, which
    graph)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHMAP_NEO4J_")}
    env |= {"GRAPHMAP_AS_OF": SAMPLE_AS_OF.isoformat(), "GRAPHMAP_IDLE_TIMEOUT": "0"} | settings
    done = subprocess.run(
        [sys.executable, "-m", "bench.frames", "--measure", frame], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"measuring the {frame} frame failed (exit {done.returncode}):\n{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def all_frames(accounts: int, engine: str, settings: dict[str, str]) -> dict[str, Any]:
    """The baseline process and each frame, measured on the engine that `settings` point at."""
    figures = {"baseline": in_child("connect", settings)}
    for frame in FRAMES:
        figures[frame] = in_child(frame, settings)
        print(accounts, engine, frame, figures[frame], flush=True)
    return figures


def portfolio_frames(accounts: int) -> dict[str, Any]:
    """The frames of one generated portfolio on the embedded engine and, where it can be reached, on Neo4j."""
    portfolio = generate_portfolio(accounts, seed=13)
    result: dict[str, Any] = {"accounts": accounts, "people": len(portfolio.people), "engines": {}}
    with tempfile.TemporaryDirectory() as data:
        server = EmbeddedServer(Path(data), idle_timeout=0)
        server.ensure_running()
        try:
            store = EmbeddedStore(server, GRAPH)
            store.ensure_schema()
            write_portfolio(store, portfolio)
            store.close()
            embedded = {"GRAPHMAP_DATA_DIR": data, "GRAPHMAP_GRAPH": GRAPH}
            result["engines"]["falkordb"] = all_frames(accounts, "falkordb", embedded)
            result["engines"]["falkordb"]["engine_used_memory_mb"] = server_memory(server)
        finally:
            server.stop()
    neo4j = open_neo4j()
    if neo4j is not None:
        try:
            write_portfolio(neo4j, portfolio)
            result["engines"]["neo4j"] = all_frames(accounts, "neo4j", neo4j_settings())
            for frame in FRAMES:
                if result["engines"]["neo4j"][frame]["digest"] != result["engines"]["falkordb"][frame]["digest"]:
                    raise SystemExit(f"the {frame} frames of {accounts} accounts differ between the engines")
        finally:
            neo4j.clear()
            neo4j.close()
    return result


def server_memory(server: EmbeddedServer) -> int:
    import redis

    client = redis.Redis(unix_socket_path=str(server.socket))
    try:
        return int(client.info("memory")["used_memory"]) // (1024 * 1024)
    finally:
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, nargs="+", default=[1000, 10000], help="portfolio sizes")
    parser.add_argument("--measure", choices=("connect", *FRAMES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    results = {
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "portfolios": [portfolio_frames(accounts) for accounts in args.accounts],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "frames.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
