"""The notebook face: one object that connects the way the CLI does and hands out DataFrames.

    from graphmap.workbench import Workbench
    wb = Workbench.connect()            # the embedded store, or Neo4j when GRAPHMAP_NEO4J_URI is set
    wb.coverage().sort_values("score")  # the same numbers as `graphmap coverage --json`

Every analysis method runs the analysis of the same name in graphmap.analysis.registry, as the CLI
command and the API route of that name do, and passes the result to graphmap.frames. Portfolio-wide
frames are built chunk by chunk (graph.READ_CHUNK accounts), so memory
follows the frame, not the networks behind it.
"""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Self

import pandas as pd

from graphmap import frames
from graphmap.analysis.gaps import GapThresholds
from graphmap.analysis.paths import MAX_HOPS
from graphmap.analysis.registry import run_analysis
from graphmap.asof import analysis_day
from graphmap.config import Settings, get_settings
from graphmap.graph import (
    AccountNetwork,
    list_accounts,
    list_contacts,
    read_account_network,
    scope_chunks,
)
from graphmap.model import TaskOrigin
from graphmap.rendering import render_account
from graphmap.store import GraphStore, open_store

if TYPE_CHECKING:
    import networkx


class Workbench:
    def __init__(self, store: GraphStore, as_of: date | None = None, thresholds: GapThresholds | None = None) -> None:
        """`as_of` is the day every analysis is computed for, as --as-of in the CLI (when not given: the day
        the store remembers, graphmap.asof, else today)."""
        self.store = store
        self.as_of = analysis_day(store, as_of, None)[0]
        self.thresholds = thresholds

    @classmethod
    def connect(cls, as_of: date | None = None, **settings: Any) -> Self:
        """Opens the store from the CLI's settings (GRAPHMAP_* variables, .env; GRAPHMAP_AS_OF too); keyword
        arguments override them, e.g. Workbench.connect(neo4j_uri="neo4j+s://...", neo4j_password="...")."""
        chosen = Settings(**settings) if settings else get_settings()
        store = open_store(chosen)
        return cls(store, analysis_day(store, as_of, chosen.as_of)[0])

    def on(self, day: date) -> "Workbench":
        """The same store, analyses as of another day: for trends (this quarter against the last)."""
        return Workbench(self.store, day, self.thresholds)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def accounts(self) -> pd.DataFrame:
        return frames.accounts(list_accounts(self.store))

    def stakeholders(self, account_id: str | None = None) -> pd.DataFrame:
        return self._by_chunk(frames.stakeholders, account_id)

    def contacts(self) -> pd.DataFrame:
        return frames.contacts(list_contacts(self.store))

    def interactions(self, account_id: str | None = None) -> pd.DataFrame:
        return self._by_chunk(frames.interactions, account_id)

    # The analyses of graphmap.analysis.registry, one method each under the registry's name (- as _).

    def gaps(self, account_id: str | None = None, **options: Any) -> pd.DataFrame:
        """Uncovered stakeholders, decision-makers first, as `graphmap gaps` lists them; options as the
        command's flags (cadence_days=, min_strength=, weak_status=[...])."""
        return frames.gaps(self._run("gaps", account_id, **(self._gap_options() | options)))

    def standings(self, account_id: str | None = None, **options: Any) -> pd.DataFrame:
        """One row per account of the same gap report, most exposed first (the lines `graphmap gaps` starts
        with): coverage score, its change over 7 days, uncovered decision-makers, weak links."""
        return frames.standings(self._run("gaps", account_id, **(self._gap_options() | options)))

    def review(
        self, since: date | None = None, account_id: str | None = None, owner_id: str | None = None,
        team: str | None = None, every_gap: bool = False,
    ) -> pd.DataFrame:  # fmt: skip
        """What moved since a day (default: 7 days before the Workbench's day), one row per movement, as
        `graphmap review` lists them; `every_gap`: every stakeholder's gaps that opened or closed, not only
        decision-makers' (the map's compare)."""
        return frames.review(self._run("review", account_id, since=since, owner_id=owner_id, team=team,
                                       every_gap=every_gap, **self._gap_options()))  # fmt: skip

    def weak_links(self, account_id: str | None = None, **options: Any) -> pd.DataFrame:
        """The weak links of the same gap report."""
        return frames.weak_links(self._run("gaps", account_id, **(self._gap_options() | options)))

    def coverage(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.coverage(self._run("coverage", account_id))

    def department_coverage(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.department_coverage(self._run("coverage", account_id))

    def strength(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.strength(self._run("strength", account_id))

    def single_points(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.single_points(self._run("single-points", account_id))

    def coverage_lost(self, contact_id: str, account_id: str | None = None) -> pd.DataFrame:
        return frames.coverage_lost(self._run("coverage-lost", account_id, contact_id=contact_id))

    def what_if(self, leaves: str, account_id: str | None = None) -> pd.DataFrame:
        """The map as if one of our contacts or a stakeholder left, one row per consequence (nothing is
        written): who loses all coverage, decision-makers newly uncovered, warm paths broken."""
        return frames.what_if(self._run("what-if", account_id, leaves=leaves, **self._gap_options()))

    def influencers(self, account_id: str | None = None, top: int = 10) -> pd.DataFrame:
        return frames.influencers(self._run("influencers", account_id, top=top))

    def segments(self, account_id: str | None = None, **options: Any) -> pd.DataFrame:
        """Options as the command's flags: core_revenue=, core_interactions=, ..."""
        return frames.segments(self._run("segments", account_id, **options))

    def lifecycle(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.lifecycle(self._run("lifecycle", account_id))

    def follow_ups(
        self, account_id: str | None = None, owner_id: str | None = None, overdue_only: bool = False
    ) -> pd.DataFrame:
        return frames.follow_ups(self._run("follow-ups", account_id, owner_id=owner_id, overdue=overdue_only))

    def plan(self, account_id: str | None = None) -> pd.DataFrame:
        """Each target of the account plans against the owner's link now, overdue first, as `graphmap plan`."""
        return frames.plan(self._run("plan", account_id))

    def tasks(
        self, account_id: str | None = None, owner_id: str | None = None, every_state: bool = False
    ) -> pd.DataFrame:
        """Open tasks, overdue first (every task with `every_state`), as `graphmap tasks`."""
        return frames.tasks(self._run("tasks", account_id, owner_id=owner_id, every_state=every_state))

    def introductions(self, account_id: str | None = None) -> pd.DataFrame:
        """Every introduction request, whatever its state: whom we asked (via_person_id), for whom, its outcome."""
        frame = self.tasks(account_id, every_state=True)
        return frame[frame["origin"] == TaskOrigin.introduction.value].reset_index(drop=True)

    def actions(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.actions(self._run("actions", account_id))

    def warm_paths(self, person_id: str, k: int = 3, max_hops: int = MAX_HOPS) -> pd.DataFrame:
        return frames.warm_paths(self._run("warm-paths", None, person_id=person_id, k=k, max_hops=max_hops))

    def changes(self, since: date, account_id: str | None = None) -> pd.DataFrame:
        """Every change from `since` on, one row each (`graphmap changes` counts them per account)."""
        summaries = self._run("changes", account_id, since=since)
        return frames.changes([change for summary in summaries for change in summary.changes])

    def _run(self, name: str, account_id: str | None, **options: Any) -> Any:
        return run_analysis(self.store, name, account_id, self.as_of, **options)

    def _gap_options(self) -> dict[str, Any]:
        if self.thresholds is None:
            return {}
        t = self.thresholds
        return {"cadence_days": t.cadence_days, "min_strength": t.min_strength, "weak_status": sorted(t.weak_statuses)}

    def network(self, account_id: str) -> AccountNetwork:
        return read_account_network(self.store, account_id)

    def to_networkx(self, account_id: str | None = None) -> "networkx.MultiDiGraph":
        """One account's graph, or the whole portfolio's, with every property (see frames.to_networkx)."""
        graph = frames.to_networkx([])
        for chunk in scope_chunks(self.store, account_id):
            part = frames.to_networkx(chunk)
            graph.add_nodes_from(part.nodes(data=True))  # a contact who covers several accounts: one node
            graph.add_edges_from(part.edges(keys=True, data=True))
        return graph

    def page(self, account_id: str, path_to: str | None = None, masked: bool = False) -> str:
        """The account's network page as HTML, as `graphmap render` writes it (offline, escaped)."""
        return render_account(self.store, account_id, self.as_of, path_to, masked)

    def _by_chunk(self, build: Callable[[list[AccountNetwork]], pd.DataFrame], account_id: str | None) -> pd.DataFrame:
        """One frame built chunk by chunk; the categoricals stay categoricals (every chunk has the same ones)."""
        parts = [build(chunk) for chunk in scope_chunks(self.store, account_id)]
        return pd.concat(parts, ignore_index=True) if parts else build([])
