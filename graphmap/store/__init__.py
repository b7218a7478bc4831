"""The store: runs catalog queries on one engine and returns plain Python values. No business rules.

open_store() picks the engine from the settings: Neo4j when GRAPHMAP_NEO4J_URI is set, else the
embedded FalkorDB server that graphmap starts (or finds running) in the data directory.
"""

import contextlib
import queue
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from graphmap.config import Settings, get_settings
from graphmap.errors import Invalid
from graphmap.queries import Q

Row = dict[str, Any]
HeldWrite = tuple[Q, dict[str, Any]]  # (query name, parameters)


@dataclass(frozen=True)
class Prepared:
    """A write as its engine will be sent it, built ahead (GraphStore.prepare) on the caller's thread: the
    FalkorDB text with its parameters in it, or the Neo4j text and its converted parameters."""

    query_name: Q
    text: str
    params: dict[str, Any]  # Neo4j's; FalkorDB's are in the text


class HeldWrites:
    """The writes an atomic() block holds back until it ends, per thread: the API serves requests from a
    pool of threads sharing one store."""

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def current(self) -> list[HeldWrite] | None:
        """Where a write goes inside a block; None outside any."""
        held: list[HeldWrite] | None = getattr(self._local, "held", None)
        return held

    def hold(self, query_name: Q, params: dict[str, Any]) -> bool:
        """Holds a write back if this thread is inside a block; False (nothing held) outside any."""
        if (held := self.current) is None:
            return False
        held.append((query_name, params))
        return True

    @contextlib.contextmanager
    def block(self) -> Iterator[list[HeldWrite]]:
        """Yields the list the block's writes collect in; empty at the end of a nested block, whose writes
        the outermost block sends."""
        if self.current is not None:
            yield []
            return
        held: list[HeldWrite] = []
        self._local.held = held
        try:
            yield held
        finally:
            self._local.held = None


T = TypeVar("T")
GUARD_ATTEMPTS = 50  # a guarded edit overtaken by other writes this often answers 503 (retry later)


class Reads(Protocol):
    """What reading the graph needs: the store itself, or the reader of a guarded step."""

    engine: str

    def read(self, query_name: Q, **params: Any) -> list[Row]:
        """Runs a read-only catalog query."""
        ...


class Generational(Reads, Protocol):
    """A reader that can tell the graph's generation (GraphStore.generation): what KeptNetworks needs."""

    def generation(self) -> str | None: ...


Decide = Callable[[Reads], tuple[list[HeldWrite], T]]


class GraphStore(Reads, Protocol):
    def write(self, query_name: Q, **params: Any) -> list[Row]:
        """Runs a catalog query that writes; one statement, all-or-nothing on every engine."""
        ...

    def atomic(self) -> AbstractContextManager[None]:
        """The writes inside the block take effect together or not at all when the process or the engine
        is killed (an import's batch). They return no rows; reads inside see the graph as it was before
        the block. A statement that fails undoes the others on Neo4j, not on FalkorDB (its transactions do
        not roll back): there, the others stay, as they would without the block."""
        ...

    def prepare(self, query_name: Q, **params: Any) -> Prepared:
        """A write built as the engine takes it, not sent: what WriteBehind's caller prepares for the next
        batch while the engine writes the last one. Building a batch's text takes as long as the engine
        takes to write it, so doing both at once nearly halves an import's write pass."""
        ...

    def write_prepared(self, statements: Sequence[Prepared]) -> None:
        """Prepared writes in one atomic step, exactly as an atomic() block of the same writes."""
        ...

    def guarded(self, decide: Decide[T], locks: Sequence[HeldWrite] = ()) -> T:
        """Reads, checks and writes in one atomic step: `decide` reads what a rule needs through the
        reader it is given, raises if the change breaks the rule, else returns the writes (a change and
        its audit entry) and a result. Nothing another writer does can fall between its reads and its
        writes, on either engine: FalkorDB runs them as one MULTI/EXEC that a write since the reads began
        undoes (WATCH on the generation, which every write moves in its own MULTI), and graphmap decides
        again, up to GUARD_ATTEMPTS times; Neo4j runs them in one transaction that first takes `locks`
        (lock_account, lock_contact), so that every other guarded edit of the same records waits."""
        ...

    def forget_deleted(self) -> None:
        """Makes what was deleted from the graph unreadable from the engine's own files, where graphmap
        manages them (the embedded engine's append-only files); slow, for erasure only."""
        ...

    def ensure_schema(self) -> None:
        """Creates the indexes and constraints the queries rely on (idempotent)."""
        ...

    def clear(self) -> None:
        """Removes every node and relationship of this graph (tests and benches). On the embedded engine the
        graph goes with its indexes: call ensure_schema() before writing to it again."""
        ...

    def generation(self) -> str | None:
        """A value that changes after every write to the graph, from any process, and never comes back;
        None where the engine cannot tell cheaply (then nothing computed from the graph may be reused)."""
        ...

    def close(self) -> None: ...


Step = Callable[[], Sequence[Prepared]]


WRITING_SWITCH_INTERVAL = 0.0005  # seconds; the interpreter's default is 0.005


class _QuickHandoffs:
    """The interpreter's switch interval, shortened while any WriteBehind runs (it is process-wide, so
    counted). The writing thread mostly waits on the engine; each reply wakes it while the caller's thread
    is building the next batch and holds the GIL, and it waited up to the default 5 ms for it at every
    reply and read, and the engine sat idle meanwhile (100,000 archive rows: the engine's writes took 5.9 s
    sent alone and 7.1 s inside the write pass at 5 ms, 6.2 s at 0.5 ms)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = sys.getswitchinterval()

    def begin(self) -> None:
        with self._lock:
            if self._users == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, WRITING_SWITCH_INTERVAL))
            self._users += 1

    def end(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                sys.setswitchinterval(self._saved)


_quick_handoffs = _QuickHandoffs()


class WriteBehind:
    """Atomic steps written one after another, in order, on a second thread while the caller prepares the
    next: the engine writes batch n (its own process, or Neo4j's) while Python builds batch n+1. A step is
    a function returning its prepared writes, run on the writing thread just before they are sent, so what
    it reads (an import's change log) sees every step written before it. At most `depth` steps wait beside
    the one being written: memory holds a few batches, never the file.

    Leaving the block waits for the steps handed over; if the block raised (Ctrl-C), the step being written
    is finished and those still waiting are dropped, so whole steps only are written, as with atomic().
    The first failure of a step stops the rest and is raised by the next submit() or by the block's end.
    """

    def __init__(self, store: GraphStore, depth: int = 1) -> None:
        self.store = store
        self.written = 0  # steps written, in order
        self._steps: queue.Queue[Step | None] = queue.Queue(maxsize=depth)
        self._failure: BaseException | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._write_all, name="graphmap-write-behind", daemon=True)

    def __enter__(self) -> "WriteBehind":
        _quick_handoffs.begin()
        try:
            self._thread.start()
        except BaseException:
            _quick_handoffs.end()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: Any) -> None:
        self._cancelled = kind is not None
        self._steps.put(None)
        try:
            self._thread.join()
        finally:
            _quick_handoffs.end()
        if kind is None:
            self._raise_failure()

    def submit(self, step: Step) -> None:
        """Hands a step over; waits while `depth` steps already wait."""
        self._raise_failure()
        self._steps.put(step)

    def _write_all(self) -> None:
        while (step := self._steps.get()) is not None:
            if self._failure is not None or self._cancelled:
                continue
            try:
                self.store.write_prepared(step())
                self.written += 1
            except BaseException as failure:  # noqa: BLE001 - handed to the caller's thread
                self._failure = failure

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure


@dataclass(frozen=True)
class EngineStatus:
    """Which engine the settings name, where it is, and (for the embedded one) whether it runs."""

    engine: str  # "neo4j" or "embedded"
    where: str
    running: bool | None  # None for Neo4j: managed on its own, asking would need a connection
    pid: int | None = None


def engine_status(settings: Settings) -> EngineStatus:
    if settings.neo4j_uri:
        return EngineStatus("neo4j", f"{settings.neo4j_uri} (database {settings.neo4j_database or 'default'})", None)
    from graphmap.store.server import EmbeddedServer

    server = EmbeddedServer(settings.data_dir, settings.idle_timeout)
    running = server.is_ready()
    return EngineStatus("embedded", f"data {server.data_dir}, socket {server.socket}", running,
                        server.pid() if running else None)  # fmt: skip


def stop_engine(settings: Settings) -> bool:
    """Stops the embedded server of the settings' data directory; whether one was running."""
    if settings.neo4j_uri:
        raise Invalid("stop applies to the embedded engine; Neo4j is managed on its own / Neo4j 需单独管理")
    from graphmap.store.server import EmbeddedServer

    return EmbeddedServer(settings.data_dir, settings.idle_timeout).stop()


def open_store(settings: Settings | None = None) -> GraphStore:
    settings = settings or get_settings()
    if settings.neo4j_uri:
        from graphmap.store.neo4j import Neo4jStore

        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        store: GraphStore = Neo4jStore(settings.neo4j_uri, settings.neo4j_user, password, settings.neo4j_database)
    else:
        from graphmap.store.embedded import EmbeddedStore
        from graphmap.store.server import EmbeddedServer

        server = EmbeddedServer(settings.data_dir, idle_timeout=settings.idle_timeout)
        store = EmbeddedStore(server, settings.graph)
    store.ensure_schema()
    return store
