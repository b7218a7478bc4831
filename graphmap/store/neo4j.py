"""The Neo4j engine (production): bolt://, neo4j:// (cluster routing) and neo4j+s:// (Aura)."""

import contextlib
import logging
from collections.abc import Iterator, Sequence
from typing import Any

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable, SessionExpired, TransientError

from graphmap.collector import collector_paused
from graphmap.errors import GraphmapError, GraphUnavailable
from graphmap.queries import Q, catalog
from graphmap.store import Decide, HeldWrite, HeldWrites, Prepared, Row, T
from graphmap.store.schema import LOOKUPS, UNIQUE_IDS
from graphmap.store.values import plain, to_parameter

# Pattern predicates raise a harmless deprecation notice on Neo4j 4.4 (shared/CYPHER.md, rule 15).
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

# How long a query keeps retrying while Neo4j cannot be reached (the driver's default is 30 s): long enough
# for a cluster to elect a new leader, short enough that an API caller gets its 503 and Retry-After soon.
RETRY_SECONDS = 5.0
CLEAR_SLICES = (
    "MATCH ()-[r]->() WITH r LIMIT 50000 DELETE r RETURN count(*) AS deleted",
    "MATCH (n) WITH n LIMIT 50000 DELETE n RETURN count(*) AS deleted",
)
BOOKMARK_READ = "RETURN 1"


def schema_statements() -> list[str]:
    """The DDL ensure_schema sends, in order."""
    # A uniqueness constraint brings its own index on id; concurrent MERGEs need it on Neo4j.
    constraints = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in UNIQUE_IDS
    ]
    indexes = [
        f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})" for label, prop in LOOKUPS
    ]
    return [*constraints, *indexes, "CALL db.awaitIndexes(300)"]


def built_statements() -> dict[str, str]:
    """Every statement sent to Neo4j that is not in the catalog, by a name: what the Cypher lint checks
    beside cypher/ (tests/unit/test_queries.py)."""
    named = {f"schema {n}": text for n, text in enumerate(schema_statements(), start=1)}
    return named | {f"clear {n}": text for n, text in enumerate(CLEAR_SLICES, start=1)} | {"bookmark": BOOKMARK_READ}


class Neo4jStore:
    engine = "neo4j"

    def __init__(self, uri: str, user: str, password: str | None, database: str | None = None) -> None:
        self.database = database
        self._held = HeldWrites()
        auth = (user, password) if password is not None else None
        try:
            self._driver = GraphDatabase.driver(
                uri, auth=auth, max_transaction_retry_time=RETRY_SECONDS, connection_timeout=RETRY_SECONDS
            )
            self._driver.verify_connectivity()
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise GraphUnavailable(f"cannot reach Neo4j at {uri}: {error}; retry once it is up") from error
        except AuthError as error:
            raise GraphUnavailable(f"Neo4j at {uri} refused the credentials: {error.message}") from error
        except ValueError as error:
            raise GraphmapError(f"bad Neo4j URI {uri!r}: {error}") from error

    @collector_paused()
    def read(self, query_name: Q, **params: Any) -> list[Row]:
        return self._run(catalog()[query_name].text_for(self.engine), params, RoutingControl.READ, query_name)

    def write(self, query_name: Q, **params: Any) -> list[Row]:
        if self._held.hold(query_name, params):
            return []
        return self._run(catalog()[query_name].text_for(self.engine), params, RoutingControl.WRITE, query_name)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """Queues the block's writes and commits them in one transaction when the block ends.

        Sent as a transaction function, so the driver runs the whole block again when Neo4j aborts it for a
        transient reason: a deadlock with another writer (an import beside API edits), a leader change.
        An open transaction held across the block could only fail there. Every write MERGEs on ids, so a
        second run of the same writes gives the same graph.
        """
        with self._held.block() as held:
            yield
        if not held:
            return

        def run_all(transaction: neo4j.ManagedTransaction) -> None:
            statements = _InTransaction(self.engine, transaction)
            for name, params in held:
                statements.run(name, params)

        with self._errors("commit"), self._driver.session(database=self.database) as session:
            session.execute_write(run_all)

    def prepare(self, query_name: Q, **params: Any) -> Prepared:
        return Prepared(query_name, catalog()[query_name].text_for(self.engine), to_parameter(params))

    def write_prepared(self, statements: Sequence[Prepared]) -> None:
        if not statements:
            return

        def run_all(transaction: neo4j.ManagedTransaction) -> None:
            for statement in statements:
                _run_in(transaction, statement.query_name, statement.text, statement.params)

        with self._errors("commit"), self._driver.session(database=self.database) as session:
            session.execute_write(run_all)

    def guarded(self, decide: Decide[T], locks: Sequence[HeldWrite] = ()) -> T:
        def work(transaction: neo4j.ManagedTransaction) -> T:
            reads = _InTransaction(self.engine, transaction)
            for lock in locks:
                reads.run(*lock)
            writes, result = decide(reads)
            for query_name, params in writes:
                reads.run(query_name, params)
            return result

        # A transaction function: Neo4j's deadlock with another writer runs the whole step again.
        with self._errors("guarded"), self._driver.session(database=self.database) as session:
            return session.execute_write(work)

    def forget_deleted(self) -> None:
        # Neo4j keeps deleted records in its transaction logs until they rotate out, and in every backup
        # taken before: the operator's to prune (docs/api.md, "Data-subject requests").
        return None

    def ensure_schema(self) -> None:
        for text in schema_statements():
            self._run(text, {}, RoutingControl.WRITE, "schema")

    def clear(self) -> None:
        # In slices of a bounded size, relationships first: one transaction deleting a graph of millions
        # of nodes ran for many minutes at scale S, and a slice of nodes detached with them (one of our
        # contacts has thousands of interactions) ran Neo4j out of its 1 GB heap.
        for text in CLEAR_SLICES:
            while self._run(text, {}, RoutingControl.WRITE, "clear")[0]["deleted"]:
                pass

    def generation(self) -> str | None:
        # The bookmark Neo4j gives back for a read names the last transaction committed to the database,
        # by any client, graphmap or not (tests/integration/test_store_atomic.py checks it on the Neo4j the
        # tests reach): a value every write moves, read without a node every writer would have to lock.
        # The session shares the driver's bookmarks, so on a cluster it never reads an older member's value
        # than this process has already seen. No bookmark: nothing is reused.
        with (
            self._errors("generation"),
            self._driver.session(
                database=self.database,
                default_access_mode=neo4j.READ_ACCESS,
                bookmark_manager=self._driver.execute_query_bookmark_manager,
            ) as session,
        ):
            session.run(BOOKMARK_READ).consume()
            values = session.last_bookmarks().raw_values
        return " ".join(sorted(values)) or None

    def close(self) -> None:
        self._driver.close()

    def _run(self, text: str, params: dict[str, Any], routing: RoutingControl, name: str) -> list[Row]:
        with self._errors(name):
            records, _, _ = self._driver.execute_query(
                neo4j.Query(text),
                to_parameter(params),
                database_=self.database,
                routing_=routing,
            )
        return [{key: plain(record[key]) for key in record.keys()} for record in records]

    @contextlib.contextmanager
    def _errors(self, name: str) -> Iterator[None]:
        try:
            yield
        except (ServiceUnavailable, SessionExpired) as error:
            raise GraphUnavailable(f"Neo4j is not reachable: {error}; retry once it is up") from error
        except TransientError as error:  # still failing after the driver's retries: busy, try again later
            raise GraphUnavailable(f"Neo4j could not complete the write for now: {error.message}") from error
        except ClientError as error:
            raise GraphmapError(f"query {name} failed on Neo4j: {error.message}") from error


class _InTransaction:
    """Statements inside one transaction: an atomic block's writes, a guarded step's locks, reads and writes."""

    def __init__(self, engine: str, transaction: neo4j.ManagedTransaction) -> None:
        self.engine = engine
        self._transaction = transaction

    def read(self, query_name: Q, **params: Any) -> list[Row]:
        return self.run(query_name, params)

    def run(self, query_name: Q, params: dict[str, Any]) -> list[Row]:
        return _run_in(self._transaction, query_name, catalog()[query_name].text_for(self.engine), to_parameter(params))


def _run_in(transaction: neo4j.ManagedTransaction, query_name: Q, text: str, params: dict[str, Any]) -> list[Row]:
    try:
        records = list(transaction.run(text, params))
    except ClientError as error:  # a bad query; transient errors go on to the driver to retry
        raise GraphmapError(f"query {query_name} failed on Neo4j: {error.message}") from error
    return [{key: plain(record[key]) for key in record.keys()} for record in records]
