"""The notebook face: one object that connects the way the CLI does and hands out DataFrames.

    from graphmap.workbench import Workbench
    wb = Workbench.connect()            # the embedded store, or Neo4j when GRAPHMAP_NEO4J_URI is set
    wb.coverage().sort_values("score")  # the same numbers as `graphmap coverage --json`

Every method calls the same analysis as the CLI command of the same name and passes the result to
graphmap.frames. Portfolio-wide frames are built chunk by chunk (graph.READ_CHUNK accounts), so memory
follows the frame, not the networks behind it.
"""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Self

import pandas as pd

from graphmap import frames
from graphmap.analysis.coverage import coverage
from graphmap.analysis.followups import follow_ups
from graphmap.analysis.gaps import GapThresholds, find_gaps
from graphmap.analysis.lifecycle import lifecycle_stages
from graphmap.analysis.paths import MAX_HOPS, warm_paths
from graphmap.analysis.segments import segments
from graphmap.analysis.strength import relationship_strength
from graphmap.changelog import read_changes
from graphmap.config import Settings, get_settings
from graphmap.graph import (
    AccountNetwork,
    list_accounts,
    list_contacts,
    read_account_network,
    scope_chunks,
    select_accounts,
)
from graphmap.rendering import render_account
from graphmap.store import GraphStore, open_store

if TYPE_CHECKING:
    import networkx


class Workbench:
    def __init__(self, store: GraphStore, as_of: date | None = None, thresholds: GapThresholds | None = None) -> None:
        """`as_of` is the day every analysis is computed for (today when not given), as --as-of in the CLI."""
        self.store = store
        self.as_of = as_of or date.today()
        self.thresholds = thresholds

    @classmethod
    def connect(cls, as_of: date | None = None, **settings: Any) -> Self:
        """Opens the store from the CLI's settings (GRAPHMAP_* variables, .env; GRAPHMAP_AS_OF too); keyword
        arguments override them, e.g. Workbench.connect(neo4j_uri="neo4j+s://...", neo4j_password="...")."""
        chosen = Settings(**settings) if settings else get_settings()
        return cls(open_store(chosen), as_of or chosen.as_of)

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

    def coverage(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.coverage(coverage(self.store, account_id, self.as_of, self.thresholds))

    def department_coverage(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.department_coverage(coverage(self.store, account_id, self.as_of, self.thresholds))

    def gaps(self, account_id: str | None = None) -> pd.DataFrame:
        """Uncovered stakeholders, decision-makers first, as `graphmap gaps` lists them."""
        return frames.gaps(find_gaps(self.store, account_id, self.as_of, self.thresholds))

    def weak_links(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.weak_links(find_gaps(self.store, account_id, self.as_of, self.thresholds))

    def strength(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.strength(relationship_strength(self.store, account_id, self.as_of))

    def segments(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.segments(segments(self.store, account_id, self.as_of))

    def follow_ups(
        self, account_id: str | None = None, owner_id: str | None = None, overdue_only: bool = False
    ) -> pd.DataFrame:
        return frames.follow_ups(follow_ups(self.store, account_id, self.as_of, owner_id, overdue_only))

    def lifecycle(self, account_id: str | None = None) -> pd.DataFrame:
        return frames.lifecycle(lifecycle_stages(self.store, account_id, self.as_of))

    def changes(self, since: date, account_id: str | None = None) -> pd.DataFrame:
        if account_id is not None:
            select_accounts(self.store, account_id)  # NotFound rather than an empty frame for a typo
        return frames.changes(read_changes(self.store, since, account_id))

    def warm_paths(self, person_id: str, k: int = 3, max_hops: int = MAX_HOPS) -> pd.DataFrame:
        return frames.warm_paths(warm_paths(self.store, person_id, k, max_hops, self.as_of))

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
