"""Analyst frames: seconds and peak memory to build the stakeholder and coverage frames of a whole
generated portfolio, on the embedded engine.

    python -m bench.frames [--accounts 1000 10000]

Each frame is built in a fresh process connected the way a notebook connects (Workbench.connect() from
GRAPHMAP_* settings), so its peak resident memory is the frame's and the reads', nothing left over; the
same process doing nothing but connecting gives the baseline. Writes bench/results/frames.json.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.generate import generate_portfolio
from graphmap.graph import write_portfolio
from graphmap.sample import SAMPLE_AS_OF
from graphmap.store.embedded import EmbeddedServer, EmbeddedStore

RESULTS = Path(__file__).resolve().parent / "results"
GRAPH = "bench-frames"
FRAMES = ("stakeholders", "coverage")


def measure(frame: str) -> dict[str, Any]:
    """In the child process: build one frame, report rows, seconds and peak memory."""
    from graphmap.workbench import Workbench

    with Workbench.connect() as workbench:
        started = time.perf_counter()
        rows = len(getattr(workbench, frame)()) if frame != "connect" else 0
        seconds = time.perf_counter() - started
    return {
        "rows": rows,
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


def in_child(frame: str, data_dir: Path) -> dict[str, Any]:
    env = os.environ | {
        "GRAPHMAP_DATA_DIR": str(data_dir),
        "GRAPHMAP_GRAPH": GRAPH,
        "GRAPHMAP_AS_OF": SAMPLE_AS_OF.isoformat(),
        "GRAPHMAP_IDLE_TIMEOUT": "0",
    }
    env.pop("GRAPHMAP_NEO4J_URI", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench.frames", "--measure", frame], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"measuring the {frame} frame failed (exit {done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def portfolio_frames(accounts: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as data:
        server = EmbeddedServer(Path(data), idle_timeout=0)
        server.ensure_running()
        try:
            store = EmbeddedStore(server, GRAPH)
            store.ensure_schema()
            portfolio = generate_portfolio(accounts, seed=13)
            result: dict[str, Any] = {"accounts": accounts, "people": len(portfolio.people)}
            write_portfolio(store, portfolio)
            del portfolio
            store.close()
            result["baseline"] = in_child("connect", Path(data))
            for frame in FRAMES:
                result[frame] = in_child(frame, Path(data))
                print(accounts, frame, result[frame], flush=True)
            result["engine_used_memory_mb"] = server_memory(server)
        finally:
            server.stop()
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
