"""The workspace (issue 34): how long an edit takes to show its recomputed gaps, and a what-if its answer,
in Debian's chromium signed in to `graphmap serve` (one worker) on the embedded engine.

    python -m bench.workspace [--people 300 2000] [--runs 5]

For each account size (one generated account, bench/generate.py's shape as bench/pages.py):
- edit: a card's title saved from the side panel, from the click to the first frame of the map redrawn
  with the gaps the server recomputed (PATCH, then GET /accounts/{id}/page/data, then the redraw), from
  the page's performance marks: `saved` the PATCH, `read` the map's data, `drawn` handing it to the page.
  The suggested next steps follow in the background and are waited for before the next edit, as a person
  would. Target: 200 ms at 300 stakeholders.
- what-if: the busiest contact of ours taken out, from the click to the frame that paints the answer (the
  cards' tags follow it), on a page just opened (of another day each time, so the answer is computed, the
  network read for the page kept); `api` is the request alone, computed afresh, `library` the call in
  this process, reads included (nothing kept). Target: 300 ms at 2,000 stakeholders.
Medians of `--runs`; writes bench/results/workspace.json.
"""

import argparse
import json
import platform
import statistics
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import sync_playwright

from bench.api_load import prepare, serve
from bench.generate import Shape, generate_portfolio
from graphmap.analysis.whatif import what_if_leaves
from graphmap.sample import SAMPLE_AS_OF
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
TARGETS_MS = {"edit_300": 200, "what_if_2000": 300}

EDIT = """async (title) => {
  const before = Number(document.body.getAttribute('data-edits') || 0);
  const form = document.querySelector('#gm-ws-edit form');
  form.querySelector('input[type=text]').value = title;
  const shownBefore = performance.getEntriesByName('graphmap-shown').length;
  const started = performance.now();
  [...form.querySelectorAll('button')].find(b => b.textContent.startsWith('保存')).click();
  while (Number(document.body.getAttribute('data-edits') || 0) === before) {
    await new Promise(resolve => setTimeout(resolve, 1));
  }
  while (performance.getEntriesByName('graphmap-shown').length <= shownBefore) {
    await new Promise(resolve => setTimeout(resolve, 1));
  }
  // The suggested next steps follow in the background: the next edit waits for them, as a person does.
  while (document.body.getAttribute('data-suggested') !== document.body.getAttribute('data-edits')) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  const mark = (name) => performance.getEntriesByName(name).pop().startTime - started;
  return [mark('graphmap-shown'), window.graphmapRedrawnIn, mark('graphmap-redraw-asked'),
          mark('graphmap-redraw-read') - mark('graphmap-redraw-asked'),
          mark('graphmap-redrawn') - mark('graphmap-redraw-read')];
}"""

WHAT_IF = """async () => {
  document.querySelectorAll('#gm-ws-whatif .gm-ws-answer').forEach(node => node.remove());
  const started = performance.now();
  document.querySelector('#gm-ws-whatif button').click();
  while (!document.querySelector('#gm-ws-whatif .gm-ws-score')) {
    await new Promise(resolve => setTimeout(resolve, 1));
  }
  await new Promise(resolve => requestAnimationFrame(resolve));  // the frame that paints it
  return performance.now() - started;
}"""


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def one_size(folder: str, people: int, runs: int, port: int, browser: Any) -> dict[str, Any]:
    graph = f"bench-workspace-{people}"
    server = EmbeddedServer(Path(folder), idle_timeout=0)
    store = EmbeddedStore(server, graph)
    store.ensure_schema()
    portfolio = generate_portfolio(seed=3, shapes=[Shape("智能制造", people=people, branches=max(2, people // 400))])
    account_id, token = prepare(store, portfolio)
    busiest = Counter(c.contact_id for c in portfolio.coverage).most_common(1)[0][0]
    person = next(p for p in portfolio.people if p.account_id == account_id and p.status.value == "active")
    settings = {"GRAPHMAP_DATA_DIR": folder, "GRAPHMAP_GRAPH": graph, "GRAPHMAP_NEO4J_URI": "",
                "GRAPHMAP_AS_OF": SAMPLE_AS_OF.isoformat()}  # fmt: skip
    process = serve(settings, port, workers=1)
    url = f"http://127.0.0.1:{port}"
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/login?next=/accounts/{account_id}/page")
        page.fill("#token", token)
        page.keyboard.press("Enter")
        page.wait_for_function("window.graphmapReady === true", timeout=120_000)
        page.evaluate(f"graphmap.show('person:{person.id}')")
        page.wait_for_selector("#gm-ws-edit input[type=text]")
        page.wait_for_timeout(300)
        edits = [page.evaluate(EDIT, f"职位 {run}") for run in range(runs + 1)][1:]  # the first warms up
        print("edits (total, redraw, saved, read, drawn):", [[round(v) for v in e] for e in edits], flush=True)
        clicks = []
        for run in range(runs + 1):  # each on a page of another day: the answer is computed, not kept
            day = (SAMPLE_AS_OF - timedelta(days=run + 10)).isoformat()
            page.goto(f"{url}/accounts/{account_id}/page?as_of={day}")
            page.wait_for_function("window.graphmapReady === true", timeout=120_000)
            page.evaluate(f"graphmap.show('contact:{busiest}')")
            clicks.append(page.evaluate(WHAT_IF))
        clicks = clicks[1:]
        headers = {"Authorization": f"Bearer {token}"}
        api = []
        for run in range(runs):
            day = (SAMPLE_AS_OF - timedelta(days=run + 1)).isoformat()
            started = time.perf_counter()
            query = {"account_id": account_id, "leaves": busiest, "as_of": day}
            reply = httpx.get(f"{url}/analyses/what-if", params=query, headers=headers, timeout=60)
            api.append((time.perf_counter() - started) * 1000)
            reply.raise_for_status()
        library = []
        for _ in range(runs):
            started = time.perf_counter()
            what_if_leaves(store, busiest, account_id, SAMPLE_AS_OF)
            library.append((time.perf_counter() - started) * 1000)
        context.close()
    finally:
        process.terminate()
        process.wait(30)
        store.clear()
        store.close()
        server.stop()
    result = {
        "stakeholders": sum(1 for p in portfolio.people if p.account_id == account_id),
        "edit_ms": median_ms([e[0] for e in edits]),
        "redraw_ms": median_ms([e[1] for e in edits]),
        "edit_saved_ms": median_ms([e[2] for e in edits]),
        "redraw_read_ms": median_ms([e[3] for e in edits]),
        "redraw_drawn_ms": median_ms([e[4] for e in edits]),
        "what_if_click_ms": median_ms(clicks),
        "what_if_api_ms": median_ms(api),
        "what_if_library_ms": median_ms(library),
    }
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[300, 2000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    sizes = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            sizes = [one_size(folder, people, args.runs, args.port, browser) for people in args.people]
        finally:
            browser.close()
    RESULTS.mkdir(exist_ok=True)
    results = {"machine": platform.platform(), "runs": args.runs, "targets_ms": TARGETS_MS, "sizes": sizes}
    (RESULTS / "workspace.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
