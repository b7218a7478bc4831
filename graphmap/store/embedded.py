"""The embedded engine's query client: runs catalog queries on the FalkorDB server that
graphmap.store.server starts and finds again, one atomic block or guarded step at a time."""

import contextlib
import random
import time
from collections.abc import Iterator, Sequence
from typing import Any

import redis
from falkordb import FalkorDB

from graphmap.collector import collector_paused
from graphmap.errors import GraphmapError, GraphUnavailable
from graphmap.queries import Q, catalog
from graphmap.store import GUARD_ATTEMPTS, Decide, HeldWrite, HeldWrites, Prepared, Row, T
from graphmap.store.schema import LOOKUPS, UNIQUE_IDS
from graphmap.store.server import NO_RETRY, EmbeddedServer, reply
from graphmap.store.values import Undecodable, cypher_literal, decode_compact


class EmbeddedStore:
    engine = "falkordb"

    def __init__(self, server: EmbeddedServer, graph_name: str) -> None:
        self.server = server
        self.graph_name = graph_name
        server.ensure_running()
        self._db = FalkorDB(unix_socket_path=str(server.socket), retry=NO_RETRY)
        self._graph = self._db.select_graph(graph_name)
        # A plain key beside the graph, incremented after every write (in the same MULTI for atomic
        # blocks); never reset, so a value once seen always means the same graph.
        self._generation_key = f"graphmap:generation:{graph_name}"
        self._held = HeldWrites()

    @collector_paused()
    def read(self, query_name: Q, **params: Any) -> list[Row]:
        return self._run(query_name, params, read_only=True)

    def write(self, query_name: Q, **params: Any) -> list[Row]:
        if self._held.hold(query_name, params):
            return []
        # With the generation's increment in the same MULTI: a guarded step watching the generation then
        # sees every write that fell between its reads and its own writes.
        try:
            rows: list[Row] = self._call(lambda: self._run_transaction([(query_name, params)]))[0][0]
            return rows
        finally:
            self.server.drop_unused_history()

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """Queues the block's writes and sends them as one MULTI/EXEC transaction: the server runs all
        of them or, if the client dies first, none; the append-only file records them as one unit, and
        a transaction cut off at its end by a crash is dropped when the server loads it again."""
        with self._held.block() as held:
            yield
        if held:
            self._call(lambda: self._run_transaction(held))
            self.server.drop_unused_history()

    def prepare(self, query_name: Q, **params: Any) -> Prepared:
        return Prepared(query_name, _parameter_header(params) + catalog()[query_name].text_for(self.engine), {})

    def write_prepared(self, statements: Sequence[Prepared]) -> None:
        if statements:
            self._call(lambda: self._send_transaction(statements))
            self.server.drop_unused_history()

    def _run_transaction(self, queued: list[HeldWrite], pipeline: Any = None) -> tuple[list[list[Row]], str]:
        return self._send_transaction([self.prepare(name, **params) for name, params in queued], pipeline)

    def _send_transaction(self, statements: Sequence[Prepared], pipeline: Any = None) -> tuple[list[list[Row]], str]:
        """The writes and the generation's increment as one MULTI/EXEC (on `pipeline` when it already
        watches the generation); each write's rows, and the generation they made. A write that failed
        fails the call, after the others ran: FalkorDB does not roll back."""
        pipeline = pipeline if pipeline is not None else self._db.connection.pipeline(transaction=True)
        pipeline.multi()
        for statement in statements:
            pipeline.execute_command("GRAPH.QUERY", self.graph_name, statement.text, "--compact")
        pipeline.incr(self._generation_key)
        *replies, generation = pipeline.execute(raise_on_error=False)
        rows = [_rows(statement.query_name, reply) for statement, reply in zip(statements, replies, strict=True)]
        return rows, str(generation)

    def guarded(self, decide: Decide[T], locks: Sequence[HeldWrite] = ()) -> T:
        # `locks` are for Neo4j: here the watched generation does their work.
        for _ in range(GUARD_ATTEMPTS):
            try:
                result: T = self._call(lambda: self._guarded_once(decide))
                return result
            except redis.WatchError:
                time.sleep(random.uniform(0.001, 0.02))  # another write came first: decide again
        raise GraphUnavailable(f"the graph changed {GUARD_ATTEMPTS} times while this edit was checked; retry")

    def _guarded_once(self, decide: Decide[T]) -> T:
        with self._db.connection.pipeline(transaction=True) as pipeline:
            pipeline.watch(self._generation_key)
            reads = _WatchedReads(self, pipeline)
            writes, result = decide(reads)
            if writes:
                _, generation = self._run_transaction(writes, pipeline)
                self.server.drop_unused_history()
                if reads.kept_networks is not None and reads.after_write is not None:
                    # The generation's increment came in the same EXEC as the writes, with nothing between.
                    reads.kept_networks.keep(generation, reads.after_write)
            return result

    def forget_deleted(self) -> None:
        self.server.rewrite_without_history()

    def ensure_schema(self) -> None:
        # Writes are serialised by the server and every write MERGEs on id, so an index is enough to
        # keep ids unique here; Neo4j gets real uniqueness constraints.
        for label, prop in [(label, "id") for label in UNIQUE_IDS] + list(LOOKUPS):
            try:
                self._call(lambda label=label, prop=prop: self._graph.create_node_range_index(label, prop))
            except redis.ResponseError as error:
                if "already indexed" not in str(error):
                    raise GraphmapError(f"cannot index :{label}({prop}) on FalkorDB: {error}") from error

    def clear(self) -> None:
        with contextlib.suppress(redis.ResponseError):  # no such graph yet
            self._call(self._graph.delete)
        self._graph = self._db.select_graph(self.graph_name)
        self._bump_generation()

    def generation(self) -> str:
        value = self._call(lambda: self._db.connection.get(self._generation_key))
        return "0" if value is None else value.decode() if isinstance(value, bytes) else str(value)

    def _bump_generation(self) -> None:
        # After the write, never before: a reader between the two may cache the new graph under the old
        # value, which the bump then retires; the other order could keep the old graph under the new one.
        self._call(lambda: self._db.connection.incr(self._generation_key))

    def close(self) -> None:
        self._db.connection.close()

    def _run(self, query_name: Q, params: dict[str, Any], read_only: bool, connection: Any = None) -> list[Row]:
        text = catalog()[query_name].text_for(self.engine)
        command = ["GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY", self.graph_name]
        command += [_parameter_header(params) + text, "--compact"]
        if connection is not None:  # a guarded step's own connection: its caller handles a lost server
            return _rows(query_name, reply(connection, command), read_only)
        return _rows(query_name, self._call(lambda: reply(self._db.connection, command)), read_only)

    def _call(self, action: Any) -> Any:
        """Runs `action`; if the server went away (idle stop, crash), starts it and tries once more.

        Safe for writes too: every write MERGEs on ids, so running it twice changes nothing.
        """
        try:
            return action()
        except (redis.ConnectionError, redis.BusyLoadingError, FileNotFoundError):
            try:
                self.server.ensure_running()
            except OSError as error:
                raise GraphUnavailable(f"cannot start the embedded FalkorDB server: {error}") from error
            self._db.connection.connection_pool.disconnect()
            try:
                return action()
            except (redis.ConnectionError, redis.BusyLoadingError) as error:
                raise GraphUnavailable(f"the embedded FalkorDB server is not answering: {error}") from error


class _WatchedReads:
    """A guarded step's reads, on the connection that watches the generation."""

    def __init__(self, store: EmbeddedStore, pipeline: Any) -> None:
        self.engine = store.engine
        self._store = store
        self._pipeline = pipeline
        # The networks the API keeps (graph.KeptNetworks) serve here too: one kept at the generation this
        # step watches is the graph as it is, and a write since the watch began undoes the step's EXEC.
        self.kept_networks = getattr(store, "kept_networks", None)
        self.after_write: object | None = None  # an AccountNetwork: the store only hands it on

    def network_after_write(self, network: object) -> None:
        """graph.carry_network: kept once the step's writes are done, under the generation they make."""
        self.after_write = network

    def read(self, query_name: Q, **params: Any) -> list[Row]:
        return self._store._run(query_name, params, read_only=True, connection=self._pipeline)

    def generation(self) -> str:
        value = self._pipeline.get(self._store._generation_key)  # watching: runs at once, not queued
        return "0" if value is None else value.decode() if isinstance(value, bytes) else str(value)


def _rows(query_name: Q, reply: Any, read_only: bool = False) -> list[Row]:
    """A GRAPH.QUERY reply (--compact) as rows; an error reply, whole or after the header, as GraphmapError."""
    error = reply if isinstance(reply, Exception) else reply[-1] if isinstance(reply, list) and reply else None
    if isinstance(error, Exception):
        if read_only and "empty key" in str(error):
            return []  # the graph does not exist yet: it is empty
        raise GraphmapError(f"query {query_name} failed on FalkorDB: {error}")
    if len(reply) == 1:  # statistics only: a write without RETURN
        return []
    try:
        names = [column[1] for column in reply[0]]
        return [dict(zip(names, map(decode_compact, row), strict=True)) for row in reply[1]]
    except Undecodable as error:
        raise GraphmapError(f"query {query_name} returned {error}; return scalars, maps and lists") from error


def _parameter_header(params: dict[str, Any]) -> str:
    """FalkorDB takes parameters as a `CYPHER name=value ...` prefix of the query text."""
    if not params:
        return ""
    return "CYPHER " + " ".join(f"`{name}`={cypher_literal(value)}" for name, value in params.items()) + " "
