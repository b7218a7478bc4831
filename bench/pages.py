"""Account pages: build time, HTML size and time until interactive in headless Chromium, for accounts of
300, 2,000 and 10,000 stakeholders (generated, with branches).

    python -m bench.pages [--people 300 2000 10000]

- build: the page from models already read (layout, pyvis, our data), median of 3;
- render: the same including the reads and analyses from the store (`graphmap render --account`), median of
  3, on the embedded engine and, where GRAPHMAP_BENCH_NEO4J_URI (or GRAPHMAP_TEST_NEO4J_URI) is set, on Neo4j
  (bench/engines.py), whose page must be the same;
- interactive: from navigation start to the first frame vis-network has drawn with our script attached
  (window.graphmapReadyAt), median of 3 loads in Debian's chromium; then the time one filter change and
  one department shown in full (from the overview of a large account), and "expand all", take;
- files: `graphmap render --format svg|png|pdf` of the same account, reads included, median of 3, and
  their sizes. Writes bench/results/pages.json.
"""

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from bench.engines import open_neo4j
from bench.generate import Shape, generate_portfolio
from graphmap.analysis.actions import account_actions
from graphmap.analysis.gaps import gaps_of
from graphmap.analysis.strength import network_strengths
from graphmap.graph import read_account_network, write_portfolio
from graphmap.pages.network import COLLAPSE_ABOVE, account_page
from graphmap.rendering import render_account, render_file
from graphmap.sample import SAMPLE_AS_OF
from graphmap.store import GraphStore
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"


def timed(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def render_three_times(store: GraphStore, account_id: str) -> tuple[float, str]:
    """The median seconds of `graphmap render --account` on this store, and the page."""
    renders = [timed(lambda: render_account(store, account_id, SAMPLE_AS_OF)) for _ in range(3)]
    return statistics.median(seconds for seconds, _ in renders), renders[0][1]


def one_size(server: EmbeddedServer, people: int, folder: Path, browser: Any) -> dict[str, Any]:
    store = EmbeddedStore(server, f"bench-pages-{people}")
    store.ensure_schema()
    portfolio = generate_portfolio(seed=3, shapes=[Shape("智能制造", people=people, branches=max(2, people // 400))])
    write_portfolio(store, portfolio)
    account_id = portfolio.accounts[0].id
    network = read_account_network(store, account_id)
    report = gaps_of(store, [network.account], SAMPLE_AS_OF)
    strengths = network_strengths(network, SAMPLE_AS_OF)
    actions = account_actions(network, report, SAMPLE_AS_OF)
    builds = [timed(lambda: account_page(network, report, strengths, actions)) for _ in range(3)]
    render_seconds, html = render_three_times(store, account_id)
    renders = {"falkordb": render_seconds}
    neo4j = open_neo4j()
    if neo4j is not None:
        try:
            write_portfolio(neo4j, portfolio)
            renders["neo4j"], neo4j_html = render_three_times(neo4j, account_id)
            if neo4j_html != html:
                raise SystemExit(f"the page of {people} stakeholders differs between the engines")
        finally:
            neo4j.clear()
            neo4j.close()
    files = {}
    for format in ("svg", "png", "pdf"):
        runs = [timed(lambda: render_file(store, account_id, SAMPLE_AS_OF, format)) for _ in range(3)]  # noqa: B023
        files[format] = {"s": round(statistics.median(t for t, _ in runs), 2), "mb": round(len(runs[0][1]) / 1e6, 2)}
    page_file = folder / f"{people}.html"
    page_file.write_text(html, encoding="utf-8")
    loads, filters, expands, everything = [], [], [], []
    for _ in range(3):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(page_file.as_uri())
        page.wait_for_function("window.graphmapReady === true", timeout=120_000)
        loads.append(page.evaluate("window.graphmapReadyAt") / 1000)
        filters.append(
            page.evaluate(
                '(function () { var box = document.querySelector(\'input[name="role"][value="user"]\');'
                " var t = performance.now(); box.checked = false; graphmap.refresh(); box.checked = true;"
                " graphmap.refresh(); return (performance.now() - t) / 2000; })()"
            )
        )
        first = next(iter(json.loads(page.inner_text("#graphmap-data"))["departments"]))
        expands.append(
            page.evaluate(
                f"(function () {{ var t = performance.now(); graphmap.toggle({json.dumps(first)});"
                " network.redraw(); return (performance.now() - t) / 1000; })()"
            )
        )
        if len(network.people) > COLLAPSE_ABOVE:
            everything.append(
                page.evaluate(
                    "(function () { var t = performance.now(); graphmap.expandAll(); network.redraw();"
                    " return (performance.now() - t) / 1000; })()"
                )
            )
        page.close()
    store.clear()
    store.close()
    return {
        "stakeholders": len(network.people),
        "departments": len(network.departments),
        "nodes": len(network.people) + len(network.departments) + len(network.contacts),
        "build_s": round(statistics.median(t for t, _ in builds), 3),
        "render_with_reads_s": {engine: round(seconds, 3) for engine, seconds in renders.items()},
        "html_mb": round(len(html.encode()) / 1e6, 2),
        "interactive_s": round(statistics.median(loads), 2),
        "filter_change_s": round(statistics.median(filters), 3),
        "department_toggle_s": round(statistics.median(expands), 3),
        "expand_all_s": round(statistics.median(everything), 3) if everything else None,
        "files_with_reads": files,
        "collapsed_at_open": len(network.people) > COLLAPSE_ABOVE,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[300, 2000, 10000], help="stakeholders per account")
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": f"{platform.machine()}, {platform.python_version()}", "accounts": []}
    with tempfile.TemporaryDirectory() as data, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        server = EmbeddedServer(Path(data), idle_timeout=0)
        server.ensure_running()
        try:
            for people in args.people:
                results["accounts"].append(one_size(server, people, Path(data), browser))
                print(json.dumps(results["accounts"][-1]), flush=True)
        finally:
            server.stop()
            browser.close()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
