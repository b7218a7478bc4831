"""graphmap at scale: the generated portfolio at XS, S or M, each workload on the embedded engine and on Neo4j
side by side, beside an in-memory baseline that computes the same answers without any engine.

    python -m bench.scale [--scale S] [--engines falkordb neo4j] [--targets 1000] [--data DIR]

Scales: XS = 100 accounts, S = 10,000 accounts (about 500,000 stakeholders, 5,000 of our contacts),
M = 100,000. Neo4j runs where GRAPHMAP_BENCH_NEO4J_URI (or GRAPHMAP_TEST_NEO4J_URI) is set; its database
is emptied first, unless it already holds the whole portfolio (below).

Workloads (issue 8): W1 the customer's import of the portfolio's mapping tables, per stage (check, write)
in rows/s; the bulk write of the whole generated portfolio (interactions included), records/s; W2 gaps
for one account (p50/p99 over `targets` random accounts) and for the whole portfolio; W3 warm paths to
`targets` random active stakeholders, p50/p99. On the embedded engine also: its memory and the time to
be ready again after a clean stop and after kill -9.

An engine that already holds this scale's whole portfolio is not written again: the run measures what
follows the bulk write and keeps the import and bulk-write figures an earlier run saved. At M, where
import and bulk write take two hours, `--data DIR` keeps the embedded engine's files for such a run.

The baseline holds the portfolio in pandas frames and Python objects (built once, time reported apart):
gaps are the same rules as pandas joins and group-bys; warm paths are graphmap's own search on networks
already in memory. Each baseline answer is checked against the engine's before it is timed.

The portfolio is generated a chunk of 1,000 accounts at a time, and again for each pass that needs its
records (the survey that writes the tables and the baseline's frames; the baseline's networks of the
sampled targets' accounts; each engine's bulk write): M does not fit in memory as one portfolio.
API (W4), pages (W5) and frames (W6) have benches of their own (bench/README.md).
Writes bench/results/scale_<scale>.json.
"""

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import signal
import statistics
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from bench.engines import open_neo4j
from bench.generate import generate_chunks, write_mapping_tables
from bench.importing import timed_import
from graphmap.analysis.gaps import GapThresholds, find_gaps
from graphmap.analysis.paths import find_paths, warm_paths
from graphmap.analysis.ties import build_tie_graph
from graphmap.graph import AccountNetwork, count_graph, in_chunks, list_account_names, write_portfolio
from graphmap.model import Portfolio
from graphmap.queries import Q
from graphmap.sample import SAMPLE_AS_OF
from graphmap.store import GraphStore
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer

RESULTS = Path(__file__).resolve().parent / "results"
SCALES = {"XS": 100, "S": 10_000, "M": 100_000}
PEOPLE_PER_ACCOUNT = 44  # the generator's lognormal spread makes that about 50 stakeholders per account
CHUNK_ACCOUNTS = 1_000  # about 50,000 stakeholders: the bench holds one chunk of the portfolio at a time
STOP_TIMEOUT = 600.0  # seconds; a clean stop rewrites the append-only file first, minutes at M
AS_OF = SAMPLE_AS_OF
TARGETS = {"import_rows_per_s": 30_000, "gaps_one_p99_ms": 20, "gaps_portfolio_s": 3, "warm_paths_p99_ms": 50}
TARGETS |= {"restart_s": 5, "store_memory_mb": 2560}
PORTFOLIO_IN_GRAPH = {  # the portfolio's sizes and the graph's counts they must equal once it is written
    "accounts": "Account",
    "departments": "Department",
    "people": "Person",
    "contacts": "Contact",
    "interactions": "Interaction",
    "coverage": "COVERS",
    "reporting_lines": "REPORTS_TO",
    "influences": "INFLUENCES",
    "interaction_edges": "WITH",
}


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def latencies(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "requests": len(seconds),
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p99_ms": round(1000 * ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))], 2),
    }


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- the baseline: the same answers from memory --------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """The requests every engine and the baseline answer: random accounts (gaps) and active people (paths)."""

    accounts: list[str]
    people: list[str]

    @classmethod
    def draw(cls, account_ids: list[str], active_people: list[str], targets: int) -> "Sample":
        rng = random.Random(8)
        accounts = rng.choices(account_ids, k=targets)
        return cls(accounts, rng.sample(active_people, targets))


class Baseline:
    """The portfolio as pandas frames (gaps) and as one AccountNetwork per sampled target's account (warm
    paths), taken in a chunk at a time."""

    def __init__(self, thresholds: GapThresholds) -> None:
        self.thresholds = thresholds
        self._people: list[pd.DataFrame] = []
        self._links: list[pd.DataFrame] = []
        self.people = self.links = pd.DataFrame()
        self.people_by_account: dict[str, pd.DataFrame] = {}
        self.links_by_account: dict[str, pd.DataFrame] = {}
        self.networks: dict[str, AccountNetwork] = {}
        self.account_of: dict[str, str] = {}

    def add(self, chunk: Portfolio) -> None:
        """One chunk's people and coverage links: final, as a person's interactions stay in their account."""
        thresholds = self.thresholds
        people = pd.DataFrame(
            {
                "person_id": [p.id for p in chunk.people],
                "account_id": [p.account_id for p in chunk.people],
                "decision_maker": ["decision_maker" in p.roles for p in chunk.people],
                "active": [p.status != "left" for p in chunk.people],
            }
        )
        people = people[people["active"]].drop(columns="active")
        covers = pd.DataFrame(
            {
                "contact_id": [c.contact_id for c in chunk.coverage],
                "person_id": [c.person_id for c in chunk.coverage],
                "status": [str(c.status) for c in chunk.coverage],
                "strength": [c.strength for c in chunk.coverage],
            }
        )
        met = pd.DataFrame(
            [
                (person, contact, i.on)
                for i in chunk.interactions
                if i.on is not None and i.on <= AS_OF
                for person in i.person_ids
                for contact in i.contact_ids
            ],
            columns=["person_id", "contact_id", "on"],
        )
        last = met.groupby(["person_id", "contact_id"], as_index=False)["on"].max()
        links = covers.merge(last, on=["person_id", "contact_id"], how="left")
        stale_before = AS_OF - timedelta(days=thresholds.cadence_days)
        weak = links["status"].isin([str(s) for s in thresholds.weak_statuses])
        weak |= links["strength"].notna() & (links["strength"] < thresholds.min_strength)
        weak |= links["on"].isna() | (links["on"] < stale_before)
        links["weak"] = weak
        self._people.append(people)
        self._links.append(links.merge(people[["person_id", "account_id"]], on="person_id"))  # active people only

    def add_networks(self, chunk: Portfolio, targets: set[str]) -> None:
        """The networks of the accounts of the chunk's sampled targets."""
        found = {p.id: p.account_id for p in chunk.people if p.id in targets}
        self.account_of |= found
        self.networks |= _networks(chunk, set(found.values()))

    def finish(self, sample: Sample) -> None:
        """Joins the chunks' frames, and cuts out each sampled account's own (as a service would keep them)."""
        self.people = pd.concat(self._people, ignore_index=True)
        self.links = pd.concat(self._links, ignore_index=True)
        self._people.clear()
        self._links.clear()
        sampled = set(sample.accounts)
        people, links = self.people, self.links
        self.people_by_account = {
            str(a): f for a, f in people[people["account_id"].isin(sampled)].groupby("account_id")
        }
        self.links_by_account = {str(a): f for a, f in links[links["account_id"].isin(sampled)].groupby("account_id")}

    def gaps(self, people: pd.DataFrame, links: pd.DataFrame) -> tuple[set[str], set[tuple[str, str]]]:
        """(uncovered people, weak (contact, person) links): what find_gaps reports, as ids."""
        strong = set(links.loc[~links["weak"], "person_id"])
        uncovered = set(people["person_id"]) - strong
        weak = set(zip(links.loc[links["weak"], "contact_id"], links.loc[links["weak"], "person_id"], strict=True))
        return uncovered, weak

    def gaps_one(self, account_id: str) -> tuple[set[str], set[tuple[str, str]]]:
        empty = self.links.iloc[0:0]
        return self.gaps(self.people_by_account[account_id], self.links_by_account.get(account_id, empty))

    def gaps_all(self) -> tuple[set[str], set[tuple[str, str]]]:
        return self.gaps(self.people, self.links)

    def warm_paths(self, target_id: str) -> list[Any]:
        graph = build_tie_graph(self.networks[self.account_of[target_id]], AS_OF)
        return find_paths(graph, target_id, k=3)


def _networks(portfolio: Portfolio, accounts: set[str]) -> dict[str, AccountNetwork]:
    by_account: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    person_account = {p.id: p.account_id for p in portfolio.people}
    for kind in ("departments", "people", "interactions"):
        for record in getattr(portfolio, kind):
            by_account[record.account_id][kind].append(record)
    for kind in ("coverage", "reporting_lines", "influences"):
        for record in getattr(portfolio, kind):
            by_account[person_account[record.person_id]][kind].append(record)
    contacts = {c.id: c for c in portfolio.contacts}
    networks = {}
    for account in portfolio.accounts:
        if account.id not in accounts:
            continue
        parts = by_account[account.id]
        ours = sorted(
            {c.contact_id for c in parts["coverage"]} | {c for i in parts["interactions"] for c in i.contact_ids}
        )
        networks[account.id] = AccountNetwork.model_construct(
            account=account,
            contacts=tuple(contacts[c] for c in ours),
            departments=tuple(parts["departments"]),
            people=tuple(parts["people"]),
            coverage=tuple(parts["coverage"]),
            reporting_lines=tuple(parts["reporting_lines"]),
            influences=tuple(parts["influences"]),
            interactions=tuple(parts["interactions"]),
        )
    return networks


def engine_answer(report: Any) -> tuple[set[str], set[tuple[str, str]]]:
    return {u.person_id for u in report.uncovered}, {(w.contact_id, w.person_id) for w in report.weak_links}


# --- the workloads on one engine -----------------------------------------------------------------------


def import_tables(store: GraphStore, tables: list[Path]) -> dict[str, Any]:
    """W1: the customer's import (graphmap import's two passes) of every mapping table, into an empty graph."""
    store.clear()
    store.ensure_schema()
    done = timed_import(tables, store)
    store.clear()
    return {
        "rows": done.rows,
        "tables": len(tables),
        "check_s": round(done.check_s, 2),
        "check_rows_per_s": round(done.rows / done.check_s),
        "write_s": round(done.write_s, 2),
        "write_rows_per_s": round(done.rows / done.write_s),
        "rows_per_s": round(done.rows / (done.check_s + done.write_s)),
    }


def write_chunks(store: GraphStore, accounts: int) -> float:
    """The bulk write of the whole generated portfolio a chunk at a time; the seconds spent writing (the
    generation of each chunk left out). Our contacts go with the first chunk."""
    seconds = 0.0
    for index, chunk in enumerate(portfolio_chunks(accounts)):
        seconds += timed(
            partial(write_portfolio, store, chunk if index == 0 else chunk.model_copy(update={"contacts": ()}))
        )
    return seconds


def bulk_write(store: GraphStore, accounts: int, records: int) -> dict[str, Any]:
    store.clear()
    store.ensure_schema()
    write_s = write_chunks(store, accounts)
    say(f"  bulk write: {records:,} records in {write_s:.0f} s")
    return {"records": records, "seconds": round(write_s, 1), "records_per_s": round(records / write_s)}


def holds_portfolio(store: GraphStore, sizes: dict[str, int]) -> bool:
    """Whether the engine's graph already holds the whole generated portfolio: a bulk write that finished
    (one stopped part way falls short in some count); the checks against the baseline then prove it is the
    same portfolio."""
    graph = count_graph(store)
    return all(graph.get(name, 0) == sizes[kind] for kind, name in PORTFOLIO_IN_GRAPH.items())


def workloads(store: GraphStore, sample: Sample, baseline: Baseline) -> dict[str, Any]:
    for account_id in sample.accounts[:20]:  # the baseline gives the same answers, checked before timing either
        assert engine_answer(find_gaps(store, account_id, as_of=AS_OF)) == baseline.gaps_one(account_id), account_id
    for person_id in sample.people[:20]:
        mine = [p.model_dump() for p in warm_paths(store, person_id, as_of=AS_OF)]
        assert mine == [p.model_dump() for p in baseline.warm_paths(person_id)], person_id
    gaps_one = [timed(partial(find_gaps, store, a, as_of=AS_OF)) for a in sample.accounts]
    say(f"  gaps one account: {latencies(gaps_one)}")
    portfolio_s = []
    answer = None
    for _ in range(2):  # one report held at a time: at M a report is gigabytes of models
        started = time.perf_counter()
        report = find_gaps(store, as_of=AS_OF)
        portfolio_s.append(time.perf_counter() - started)
        if answer is None:
            answer = engine_answer(report)
        del report
    assert answer == baseline.gaps_all()
    say(f"  gaps whole portfolio: {min(portfolio_s):.2f} s")
    where = gap_time_by_part(store)
    say(f"  of which: {where}")
    paths = [timed(partial(warm_paths, store, p, as_of=AS_OF)) for p in sample.people]
    say(f"  warm paths: {latencies(paths)}")
    return {
        "graph": count_graph(store),
        "gaps_one_account": latencies(gaps_one),
        "gaps_portfolio_s": round(min(portfolio_s), 3),
        "gaps_portfolio_by_part_s": where,
        "warm_paths_k3": latencies(paths),
    }


def gap_time_by_part(store: GraphStore) -> dict[str, float]:
    """Where the whole-portfolio report's time goes: each of its three queries read alone, one chunk after
    another (the report reads the next chunk while it builds this one, so these add up to more than the
    engine's share of the report), including the transfer and decoding of their rows."""
    ids = [a.id for a in list_account_names(store)]

    def run(query: Q, **params: Any) -> None:  # in chunks, as the report reads
        for chunk in in_chunks(ids):
            store.read(query, account_ids=chunk, **params)

    return {
        Q.find_active_stakeholders: round(timed(lambda: run(Q.find_active_stakeholders)), 2),
        Q.find_coverage_links: round(timed(lambda: run(Q.find_coverage_links)), 2),
        Q.find_last_contacts: round(timed(lambda: run(Q.find_last_contacts, as_of=AS_OF)), 2),
    }


def disk_mb(directory: Path) -> int:
    """What the directory holds on disk: the append-only files, their snapshots and any history kept."""
    total = 0
    for path in directory.rglob("*"):
        with contextlib.suppress(FileNotFoundError):  # a rewrite renames and deletes files as we look
            total += path.stat().st_size if path.is_file() else 0
    return total // 2**20


@contextlib.contextmanager
def peak_disk(server: EmbeddedServer | None) -> Iterator[dict[str, int]]:
    """The most the embedded store's directory held while the block ran, sampled each second (Neo4j: none)."""
    peak: dict[str, int] = {}
    if server is None:
        yield peak
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(1.0):
            peak["mb"] = max(peak.get("mb", 0), disk_mb(server.data_dir))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield peak
    finally:
        done.set()
        watcher.join()


def embedded_facts(server: EmbeddedServer) -> dict[str, Any]:
    """The store's memory and disk at this size, and how soon it answers again after a clean stop and a
    kill -9."""
    with server.client() as client:
        memory = client.info("memory")
    pid = server.pid()
    assert pid is not None
    rss = int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:")[1].split()[0]) // 1024
    disk = disk_mb(server.data_dir)
    server.stop(timeout=STOP_TIMEOUT)
    after_stop = timed(server.ensure_running)
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    after_kill = timed(server.ensure_running)
    return {
        "used_memory_mb": round(memory["used_memory"] / 2**20),
        "rss_mb": rss,
        "disk_mb": disk,
        "ready_after_clean_stop_s": round(after_stop, 2),
        "ready_after_kill_9_s": round(after_kill, 2),
    }


def baseline_figures(baseline: Baseline, sample: Sample, build_s: float) -> dict[str, Any]:
    return {
        "build_s": round(build_s, 1),
        "gaps_one_account": latencies([timed(partial(baseline.gaps_one, a)) for a in sample.accounts]),
        "gaps_portfolio_s": round(min(timed(baseline.gaps_all) for _ in range(2)), 3),
        "warm_paths_k3": latencies([timed(partial(baseline.warm_paths, p)) for p in sample.people]),
    }


def ratios(engine: dict[str, Any], reference: dict[str, Any]) -> dict[str, float]:
    """How many times slower than the reference each workload is (p99 for per-request figures)."""
    return {
        "gaps_one_account_p99": round(
            engine["gaps_one_account"]["p99_ms"] / reference["gaps_one_account"]["p99_ms"], 1
        ),
        "gaps_portfolio": round(engine["gaps_portfolio_s"] / reference["gaps_portfolio_s"], 1),
        "warm_paths_p99": round(engine["warm_paths_k3"]["p99_ms"] / reference["warm_paths_k3"]["p99_ms"], 1),
    }


def portfolio_chunks(accounts: int) -> Iterator[Portfolio]:
    return generate_chunks(accounts, seed=31, people_per_account=PEOPLE_PER_ACCOUNT, chunk_accounts=CHUNK_ACCOUNTS)


def survey(
    accounts: int, tables: Path, baseline: Baseline
) -> tuple[dict[str, int], list[Path], list[str], list[str], float]:
    """One pass over the generated portfolio: its sizes, its mapping tables written, the baseline's frames
    (and the seconds they took), and the ids of its accounts and active people (to draw the sample from)."""
    sizes: Counter[str] = Counter()
    paths: list[Path] = []
    account_ids: list[str] = []
    active: list[str] = []
    baseline_s = 0.0
    for index, chunk in enumerate(portfolio_chunks(accounts)):
        for kind in Portfolio.model_fields:  # our contacts: every chunk holds them all
            sizes[kind] = len(chunk.contacts) if kind == "contacts" else sizes[kind] + len(getattr(chunk, kind))
        sizes["interaction_edges"] += sum(len(i.person_ids) + len(i.contact_ids) for i in chunk.interactions)
        paths += write_mapping_tables(chunk, tables)
        baseline_s += timed(partial(baseline.add, chunk))
        account_ids += [a.id for a in chunk.accounts]
        active += [p.id for p in chunk.people if p.status != "left"]
        say(f"  chunk {index + 1}: {len(account_ids):,} accounts")
    return dict(sizes), paths, account_ids, active, baseline_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=SCALES, default="S")
    parser.add_argument("--engines", nargs="+", choices=["falkordb", "neo4j"], default=["falkordb", "neo4j"])
    parser.add_argument("--targets", type=int, default=1000, help="one-account gap and warm-path requests")
    parser.add_argument(
        "--data",
        type=Path,
        help="the embedded engine's data directory, kept after the run (default: a temporary one); given one "
        "that already holds this scale's whole portfolio, the run measures what follows the bulk write",
    )
    args = parser.parse_args()
    accounts = SCALES[args.scale]
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "scale": args.scale,
        "targets": TARGETS,
        "engines": {},
    }
    baseline = Baseline(GapThresholds())
    with tempfile.TemporaryDirectory() as tmp:
        say(f"generating {accounts:,} accounts, writing their mapping tables and the baseline's frames")
        started = time.perf_counter()
        sizes, tables, account_ids, active, build_s = survey(accounts, Path(tmp) / "tables", baseline)
        results["portfolio"] = sizes | {"surveyed_s": round(time.perf_counter() - started, 1)}
        say(f"portfolio: {results['portfolio']}")
        sample = Sample.draw(account_ids, active, args.targets)
        del account_ids, active
        build_s += timed(partial(baseline.finish, sample))
        wanted = set(sample.people)
        for chunk in portfolio_chunks(accounts):  # generated again: the baseline's time leaves that out
            build_s += timed(partial(baseline.add_networks, chunk, wanted))
        results["baseline"] = baseline_figures(baseline, sample, build_s)
        say(f"baseline: {results['baseline']}")
        save(results)
        records = sum(n for kind, n in sizes.items() if kind in Portfolio.model_fields)
        for engine in args.engines:
            store, server = open_engine(engine, args.data or Path(tmp) / "data")
            if store is None:
                say(f"{engine}: not configured, skipped")
                continue
            if holds_portfolio(store, sizes):  # a run stopped after its bulk write (--data): measure the rest
                say(f"{engine}: already holds the whole portfolio; import and bulk write skipped, their figures kept")
                kept = ["import", "bulk_write", "peak_disk_mb"]
                figures = results["engines"][engine] = earlier_figures(args.scale, engine, kept)
            else:
                say(f"{engine}: importing {len(tables):,} mapping tables")
                with peak_disk(server) as import_disk:
                    figures = results["engines"][engine] = {"import": import_tables(store, tables)}
                say(f"  import: {figures['import']}")
                save(results)  # at M each stage takes the best part of an hour: a stop later keeps this one
                with peak_disk(server) as write_disk:
                    figures["bulk_write"] = bulk_write(store, accounts, records)
                if server is not None:
                    peaks = {"import": import_disk.get("mb", 0), "bulk_write": write_disk.get("mb", 0)}
                    figures["peak_disk_mb"] = peaks
                save(results)
            with peak_disk(server) as workload_disk:
                figures |= workloads(store, sample, baseline)
            figures["times_the_baseline"] = ratios(figures, results["baseline"])
            if server is not None:
                figures["peak_disk_mb"] = figures.get("peak_disk_mb", {}) | {"workloads": workload_disk.get("mb", 0)}
                store.close()
                figures["embedded_store"] = embedded_facts(server)
                say(f"  store: {figures['embedded_store']}")
                server.stop(timeout=STOP_TIMEOUT)
            else:
                store.clear()
                store.close()
            save(results)  # after each engine: a failure in the next one keeps these figures


def save(results: dict[str, Any]) -> None:
    """Writes bench/results/scale_<scale>.json, keeping the figures of engines this run did not measure."""
    results["bench_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # the portfolio in memory
    RESULTS.mkdir(exist_ok=True)
    path = results_path(results["scale"])
    # A run of one engine keeps the other's figures from an earlier run of the same scale.
    results["engines"] = saved_engines(results["scale"]) | results["engines"]
    measured = {engine for engine, figures in results["engines"].items() if "gaps_one_account" in figures}
    if {"falkordb", "neo4j"} <= measured:  # an engine saved after its import alone has nothing to compare yet
        results["neo4j_over_embedded"] = ratios(results["engines"]["neo4j"], results["engines"]["falkordb"])
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    say(f"written to {path}")


def results_path(scale: str) -> Path:
    return RESULTS / f"scale_{scale}.json"


def saved_engines(scale: str) -> dict[str, Any]:
    """Each engine's figures as earlier runs of this scale saved them (none before the first run)."""
    path = results_path(scale)
    return json.loads(path.read_text(encoding="utf-8")).get("engines", {}) if path.exists() else {}


def earlier_figures(scale: str, engine: str, kinds: list[str]) -> dict[str, Any]:
    """The figures of these kinds an earlier run of this scale saved for this engine."""
    return {kind: figures for kind, figures in saved_engines(scale).get(engine, {}).items() if kind in kinds}


def open_engine(engine: str, data: Path) -> tuple[GraphStore | None, EmbeddedServer | None]:
    if engine == "falkordb":
        server = EmbeddedServer(data, idle_timeout=0)
        store = EmbeddedStore(server, "scale")
        return store, server
    return open_neo4j(), None


if __name__ == "__main__":
    main()
