"""The HTTP API under load: requests/s and p50/p99 latency for GET gaps of one account and GET an account's
page, at 1, 10 and 50 concurrent clients, on the embedded engine and, where GRAPHMAP_BENCH_NEO4J_URI (or
GRAPHMAP_TEST_NEO4J_URI) is set, on Neo4j (bench/engines.py).

    python -m bench.api_load [--accounts 200] [--clients 1 10 50] [--seconds 10] [--workers 1]

`graphmap serve` runs as a second process on a generated portfolio, and wrk (Debian's `wrk`, a load
generator in C that leaves the server the CPU) as a third: each connection sends its next request as soon
as the last one is answered (a closed loop), with keep-alive, for `--seconds` after a warm-up, and with
`Accept-Encoding: gzip` as browsers send it. An editor's token of the team the accounts are granted to is
used, so each request pays for its token and access checks as in production; every answer must be a 200.
Answers are reused while the graph is unchanged (graphmap/api/cache.py), so the same figures are also
taken for answers computed afresh: one client, a different day on each request. Writes
bench/results/api_load_<accounts>.json.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.engines import neo4j_settings, open_neo4j
from bench.generate import generate_portfolio
from graphmap.access import AccessRole, add_user, create_token, grant
from graphmap.graph import write_portfolio
from graphmap.model import Portfolio
from graphmap.sample import SAMPLE_AS_OF
from graphmap.store import GraphStore
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer

RESULTS = Path(__file__).resolve().parent / "results"
GRAPH = "bench-api"
TARGET_P99_MS = 100
TIMEOUT_S = 10  # wrk counts a request unanswered this long as failed


def prepare(store: GraphStore, portfolio: Portfolio) -> tuple[str, str]:
    """The portfolio, a team granted every account and an editor's token; returns (account, token)."""
    write_portfolio(store, portfolio)
    add_user(store, "bench.editor", "Bench Editor", "bench", "bench")
    for account in portfolio.accounts:
        grant(store, account.id, "team:bench", "bench")
    token = create_token(store, "bench.editor", AccessRole.editor, "bench")[1]
    # An account of ordinary size: the one whose stakeholders are nearest the median.
    people = Counter(p.account_id for p in portfolio.people)
    sizes = sorted((people[a.id], a.id) for a in portfolio.accounts)
    size, account_id = sizes[len(sizes) // 2]
    print(f"{store.engine}: the account measured, {account_id}, has {size} stakeholders", flush=True)
    return account_id, token


def serve(settings: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """`graphmap serve` on the engine that the GRAPHMAP_* `settings` point at."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHMAP_NEO4J_")} | settings
    command = [sys.executable, "-m", "graphmap.cli", "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("graphmap serve did not answer /health within 60 s")


def load(url: str, token: str, clients: int, seconds: int, warmup: int) -> dict[str, Any]:
    """One wrk run of `clients` connections (after a warm-up run); its requests/s and latency percentiles."""
    headers = ["-H", f"Authorization: Bearer {token}", "-H", "Accept-Encoding: gzip"]

    def wrk(duration: int) -> str:
        command = ["wrk", "-t1", f"-c{clients}", f"-d{duration}s", "--latency", "--timeout", f"{TIMEOUT_S}s"]
        report = subprocess.run([*command, *headers, url], capture_output=True, text=True, check=True).stdout
        # wrk stops with up to `clients` requests still queued in the server, which go on to be answered:
        # wait until they are (`clients` at the rate the server answers), or the next run starts behind them.
        rate = _requests_per_s(report)
        time.sleep(min(clients / rate, TIMEOUT_S) if rate else TIMEOUT_S)
        return report

    wrk(warmup)
    report = wrk(seconds)
    if "Non-2xx" in report or "Socket errors" in report:
        raise SystemExit(f"wrk saw failed requests:\n{report}")
    requests = int(re.search(r"(\d+) requests in", report).group(1))  # type: ignore[union-attr]
    if not requests:
        raise SystemExit(f"no answer within {seconds} s at {clients} clients:\n{report}")
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", report, re.MULTILINE))
    return {
        "clients": clients,
        "requests": requests,
        "requests_per_s": _requests_per_s(report),
        "p50_ms": _milliseconds(percentiles["50"]),
        "p99_ms": _milliseconds(percentiles["99"]),
    }


def _requests_per_s(report: str) -> float:
    return float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))  # type: ignore[union-attr]


def _milliseconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)


def computed(url: str, token: str, requests: int) -> dict[str, Any]:
    """Latency of answers computed afresh: a different day on each request, so none is reused."""
    latencies = []
    with httpx.Client(headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}) as client:
        for day in range(requests):
            started = time.perf_counter()
            reply = client.get(url.replace(SAMPLE_AS_OF.isoformat(), (SAMPLE_AS_OF - timedelta(days=day)).isoformat()))
            latencies.append(time.perf_counter() - started)
            if reply.status_code != 200:
                raise SystemExit(f"{reply.status_code}: {reply.text[:300]}")
    latencies.sort()
    return {
        "requests": requests,
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[min(requests - 1, int(requests * 0.99))] * 1000, 2),
    }


def one_engine(store: GraphStore, portfolio: Portfolio, settings: dict[str, str], args: Any) -> dict[str, Any]:
    """Each endpoint at each level of clients, then computed afresh, served from this store's engine."""
    account_id, token = prepare(store, portfolio)
    process = serve(settings, args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    as_of = SAMPLE_AS_OF.isoformat()
    endpoints = {
        "gaps_one_account": f"{base}/analyses/gaps?account_id={account_id}&as_of={as_of}",
        "account_page": f"{base}/accounts/{account_id}/page?as_of={as_of}",
    }
    runs: dict[str, list[dict[str, Any]]] = {}
    fresh: dict[str, dict[str, Any]] = {}
    try:
        for name, url in endpoints.items():
            load(url, token, max(args.clients), args.warmup, args.warmup)  # every worker warm, answers kept
            runs[name] = []
            for clients in args.clients:
                figures = load(url, token, clients, args.seconds, args.warmup)
                runs[name].append(figures)
                print(store.engine, name, json.dumps(figures), flush=True)
            fresh[name] = computed(url, token, args.computed)
            print(store.engine, name, "computed afresh", json.dumps(fresh[name]), flush=True)
    finally:
        process.terminate()
        process.wait(30)
    return {"account": account_id, "endpoints": runs, "computed_afresh_one_client": fresh}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200, help="accounts in the generated portfolio")
    parser.add_argument("--people-per-account", type=int, default=30, help="44 gives scale S's 50 on average")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--seconds", type=int, default=10, help="measured time per endpoint and level")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="graphmap serve --workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--computed", type=int, default=100, help="requests computed afresh per endpoint")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk, the load generator: apt-get install wrk")
    portfolio = generate_portfolio(args.accounts, seed=21, people_per_account=args.people_per_account)
    engines: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        server = EmbeddedServer(Path(folder), idle_timeout=0)
        try:
            store = EmbeddedStore(server, GRAPH)
            store.ensure_schema()
            embedded = {"GRAPHMAP_DATA_DIR": folder, "GRAPHMAP_GRAPH": GRAPH, "GRAPHMAP_NEO4J_URI": ""}
            engines["falkordb"] = one_engine(store, portfolio, embedded, args)
            store.close()
        finally:
            server.stop()
    neo4j = open_neo4j()
    if neo4j is not None:
        try:
            engines["neo4j"] = one_engine(neo4j, portfolio, neo4j_settings(), args)
        finally:
            neo4j.clear()
            neo4j.close()
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "accounts": args.accounts,
        "people_per_account": args.people_per_account,
        "workers": args.workers,
        "seconds_per_level": args.seconds,
        "target_p99_ms_at_50_clients": TARGET_P99_MS,
        "load_generator": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0],
        "engines": engines,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"api_load_{args.accounts}.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
