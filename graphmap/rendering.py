"""Pages from the store: reads and analyses what each page shows, then has graphmap.pages draw it.

The faces (CLI, notebooks, API) call these; graphmap.pages itself never touches the store.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from graphmap.analysis.actions import account_actions
from graphmap.analysis.coverage import DEFAULT_COVERAGE, AccountCoverage, account_coverage
from graphmap.analysis.gaps import GapReport, gaps_of, network_gaps
from graphmap.analysis.paths import WarmPath, warm_paths
from graphmap.analysis.strength import network_strengths
from graphmap.collector import collector_paused
from graphmap.errors import GraphmapError, NotFound
from graphmap.graph import (
    AccountNetwork,
    Scope,
    find_stakeholder,
    network_chunks,
    read_account_network,
    select_accounts,
)
from graphmap.pages.index import GapCounts, gap_counts, index_page, page_name
from graphmap.pages.layout import layout
from graphmap.pages.network import account_page, page_parts
from graphmap.pages.view import MapView
from graphmap.pages.workspace import workspace_data
from graphmap.store import GraphStore

Progress = Callable[[str], None]  # hears what is being done, in both languages: for a face to show


def _silent(_: str) -> None:
    pass


@dataclass(frozen=True)
class Rendered:
    written: list[Path]  # the pages, then index.html for the whole portfolio
    failed: dict[str, str]  # account id -> why its page was not written


@collector_paused()
def render_account(
    store: GraphStore,
    account_id: str,
    as_of: date,
    path_to: str | None = None,
    masked: bool = False,
    files: bool = False,
    workspace: bool = False,
) -> str:
    """One account's page; `path_to` (one of its stakeholders) highlights the best warm path to them;
    `masked`: as a viewer sees it (graphmap.privacy); `files`: served by the API, with links to the map's
    SVG, PNG and PDF beside it; `workspace`: served to a browser, with the workspace (pages/workspace.py),
    its edit controls for those who may edit (not viewers, whose pages are masked)."""
    network = read_account_network(store, account_id, masked)
    if path_to is not None and path_to not in {p.id for p in network.people}:
        raise NotFound(f"no stakeholder {path_to!r} in account {account_id!r}")
    report = gaps_of(store, [network.account], as_of, masked=masked)
    return _draw(network, report, as_of, _best_path(store, path_to, as_of, masked), files, workspace, not masked)


@collector_paused()
def render_parts(
    store: GraphStore, account_id: str, as_of: date, masked: bool = False, actions: bool = True
) -> dict[str, Any]:
    """What the page draws, without the page: the workspace redraws the map from it after an edit. The
    gaps are judged on the network just read (network_gaps), one read in all. Without `actions` the side
    panel's suggested next steps are left out (half the time at 300 people: a warm-path search for each
    gap); the workspace asks for them apart (GET /analyses/actions) once the map is redrawn."""
    network = read_account_network(store, account_id, masked)
    strengths = network_strengths(network, as_of)
    report = network_gaps(network, as_of, strengths=strengths)
    suggested = account_actions(network, report, as_of) if actions else ()
    view = MapView(network, report, strengths, suggested)
    nodes, data = page_parts(view)
    data["workspace"] = workspace_data(network, not masked)
    return {"nodes": nodes, "data": data}


def render_file(
    store: GraphStore,
    account_id: str,
    as_of: date,
    format: str,
    masked: bool = False,
    paper: str = "a4",
    progress: Progress | None = None,
) -> bytes:
    """One account's whole map as a file for a meeting: "svg", "png" or "pdf" (paged for `paper`, "a4" or
    "a3", landscape); `masked`: as a viewer sees it (graphmap.privacy); `progress` hears each stage."""
    tell = progress or _silent
    from graphmap.pages import drawing  # fpdf2 and resvg: loaded only for files

    if format not in drawing.FORMATS:
        raise GraphmapError(f"no format {format!r}: svg, png or pdf / 不支持的格式 {format!r}：svg、png 或 pdf")
    if paper not in drawing.PAPER:
        raise GraphmapError(f"no paper size {paper!r}: a4 or a3 / 不支持的纸张 {paper!r}：a4 或 a3")
    tell(f"{account_id}: reading / 读取")
    network = read_account_network(store, account_id, masked)
    tell(f"{account_id}: {len(network.people):,} people, analysing / 分析")
    report = gaps_of(store, [network.account], as_of, masked=masked)
    view = MapView(network, report, network_strengths(network, as_of), account_actions(network, report, as_of))
    tell(f"{account_id}: laying out and drawing {format} / 布局与绘制")
    chart = layout(network)
    if format == "svg":
        return drawing.svg(chart, view, as_of).encode()
    if format == "png":
        return drawing.png(chart, view, as_of)
    return drawing.pdf(chart, view, as_of, paper)


def render_portfolio(
    store: GraphStore,
    out_dir: Path,
    as_of: date,
    account_id: str | None = None,
    path_to: str | None = None,
    masked: bool = False,
    progress: Progress | None = None,
) -> Rendered:
    """Writes one page per account, or the one asked for (with `path_to`: that stakeholder's account,
    the best warm path to them highlighted); for the whole portfolio, index.html too. An account whose
    page cannot be drawn is listed in the result (and in the index, without a link); the others are
    written all the same."""
    if path_to is not None:
        account_id = find_stakeholder(store, path_to, account_id).account_id
    accounts = select_accounts(store, account_id)  # NotFound before anything is written: a typo must show
    path = _best_path(store, path_to, as_of, masked)
    tell = progress or _silent
    done = 0
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    failed: dict[str, str] = {}
    summaries: list[AccountCoverage] = []
    counts: dict[str, GapCounts] = {}
    tell(f"0/{len(accounts)} accounts: reading / 读取")
    for networks in network_chunks(store, accounts, masked):
        tell(f"{done}/{len(accounts)} accounts: analysing {len(networks)} / 分析")
        report = gaps_of(store, [n.account for n in networks], as_of, masked=masked)
        counts |= gap_counts(report)
        reports = report.per_account(n.account.id for n in networks)
        for network in networks:
            done += 1
            people = f"{len(network.people):,} people"
            tell(f"{done}/{len(accounts)} accounts: drawing {network.account.id} ({people}) / 绘制")
            summaries.append(account_coverage(network, reports[network.account.id], DEFAULT_COVERAGE))
            try:
                drawn = _draw(network, reports[network.account.id], as_of, path)
            except GraphmapError as error:
                failed[network.account.id] = error.message
                continue
            page = out_dir / page_name(network.account.id)
            page.write_text(drawn, encoding="utf-8")
            written.append(page)
    if account_id is None:
        index = out_dir / "index.html"
        index.write_text(index_page(accounts, summaries, counts, as_of, failed), encoding="utf-8")
        written.append(index)
    return Rendered(written, failed)


def _draw(network: AccountNetwork, report: GapReport, as_of: date, path: WarmPath | None, files: bool = False,
          workspace: bool = False, editable: bool = False) -> str:  # fmt: skip
    return account_page(
        network,
        report,
        strengths=network_strengths(network, as_of),
        actions=account_actions(network, report, as_of),
        path=path,
        files=files,
        workspace=workspace,
        editable=editable,
    )


def _best_path(store: GraphStore, person_id: str | None, as_of: date, masked: bool) -> WarmPath | None:
    if person_id is None:
        return None
    found = warm_paths(store, person_id, k=1, as_of=as_of, scope=Scope(masked=masked))
    return found[0] if found else None
