"""Analytics speed on the embedded engine: warm paths and coverage for one account of 2,000 stakeholders;
for the sample and for generated accounts, the portfolio-wide gap and single-point-of-failure reports, gaps
for one account and warm paths to random stakeholders.

    python -m bench.analytics [--accounts 1000] [--targets 100]

Writes bench/results/analytics.json. Each figure is wall time including the reads from the engine.
"""

import argparse
import json
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.generate import Shape, generate_portfolio
from graphmap.analysis.coverage import coverage
from graphmap.analysis.gaps import find_gaps
from graphmap.analysis.paths import warm_paths
from graphmap.analysis.spof import single_points
from graphmap.graph import write_portfolio
from graphmap.model import Portfolio
from graphmap.sample import SAMPLE_AS_OF, portfolio_path
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer

RESULTS = Path(__file__).resolve().parent / "results"


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def large_account(server: EmbeddedServer, targets: int) -> dict[str, Any]:
    store = EmbeddedStore(server, "bench-large")
    store.ensure_schema()
    portfolio = generate_portfolio(seed=21, shapes=[Shape("能源", people=2000, branches=6)])
    write_portfolio(store, portfolio)
    account_id = portfolio.accounts[0].id
    rng = random.Random(5)
    people = rng.sample([p.id for p in portfolio.people if p.status == "active"], targets)
    path_times = [timed(partial(warm_paths, store, p, k=3, as_of=SAMPLE_AS_OF)) for p in people]
    coverage_times = [timed(lambda: coverage(store, account_id, as_of=SAMPLE_AS_OF)) for _ in range(5)]
    result = {
        "stakeholders": len(portfolio.people),
        "departments": len(portfolio.departments),
        "warm_paths_k3": latencies(path_times),
        "coverage_ms": round(1000 * statistics.median(coverage_times), 1),
    }
    store.clear()
    store.close()
    return result


def portfolio_reports(server: EmbeddedServer, name: str, portfolio: Portfolio, targets: int) -> dict[str, Any]:
    """The portfolio-wide reports, then per-request figures over accounts of ordinary size: gaps for one
    account and warm paths to random active stakeholders."""
    store = EmbeddedStore(server, f"bench-{name}")
    store.ensure_schema()
    write_portfolio(store, portfolio)
    rng = random.Random(8)
    accounts = rng.choices([a.id for a in portfolio.accounts], k=targets)
    people = rng.sample([p.id for p in portfolio.people if p.status == "active"], targets)
    gap_times = [timed(partial(find_gaps, store, a, as_of=SAMPLE_AS_OF)) for a in accounts]
    path_times = [timed(partial(warm_paths, store, p, k=3, as_of=SAMPLE_AS_OF)) for p in people]
    result = {
        "accounts": len(portfolio.accounts),
        "stakeholders": len(portfolio.people),
        "gaps_s": round(min(timed(lambda: find_gaps(store, as_of=SAMPLE_AS_OF)) for _ in range(3)), 3),
        "spof_s": round(min(timed(lambda: single_points(store, as_of=SAMPLE_AS_OF)) for _ in range(3)), 3),
        "gaps_one_account": latencies(gap_times),
        "warm_paths_k3": latencies(path_times),
    }
    store.clear()
    store.close()
    return result


def latencies(seconds: list[float]) -> dict[str, Any]:
    return {
        "requests": len(seconds),
        "p50_ms": round(1000 * statistics.median(seconds), 1),
        "p99_ms": round(1000 * percentile(seconds, 0.99), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000, help="generated accounts for the portfolio report")
    parser.add_argument("--targets", type=int, default=100, help="warm-path and one-account gap requests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        server = EmbeddedServer(Path(data), idle_timeout=0)
        server.ensure_running()
        try:
            sample = Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))
            results = {
                "machine": f"{platform.machine()}, {platform.python_version()}",
                "large_account": large_account(server, args.targets),
                "sample": portfolio_reports(server, "sample", sample, targets=min(args.targets, 100)),
                "generated": portfolio_reports(
                    server, "generated", generate_portfolio(args.accounts, seed=13), targets=args.targets
                ),
            }
        finally:
            server.stop()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "analytics.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
