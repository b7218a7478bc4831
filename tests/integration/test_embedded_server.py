"""The embedded engine's lifecycle: one server per data directory, found again by other processes,
durable across kill -9, stopped by `stop` or when idle, and restarted under a store that outlives it."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graphmap.errors import GraphUnavailable
from graphmap.graph import count_graph, write_portfolio
from graphmap.io.mapping_table import read_mapping_table
from graphmap.store import server as engine_server
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer
from tests.conftest import WORKED_EXAMPLE

pytestmark = pytest.mark.integration

START_AND_PRINT_PID = (
    "import sys; from pathlib import Path; from graphmap.store.server import EmbeddedServer; "
    "s = EmbeddedServer(Path(sys.argv[1]), idle_timeout=0); s.ensure_running(); print(s.pid())"
)


@pytest.fixture
def server(tmp_path):
    server = EmbeddedServer(tmp_path / "data", idle_timeout=0)
    yield server
    server.stop()


def servers_on(data_dir: Path) -> list[int]:
    """redis-server processes serving this directory (redis chdirs into --dir), whoever started them."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (proc / "exe").resolve().name == "redis-server" and (proc / "cwd").resolve() == data_dir.resolve():
                if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                    found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_a_second_process_reuses_the_running_server(server):
    server.ensure_running()
    pid = server.pid()
    other = subprocess.run(
        [sys.executable, "-c", START_AND_PRINT_PID, str(server.data_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert int(other.stdout) == pid
    assert servers_on(server.data_dir) == [pid]


def test_processes_starting_at_once_share_one_server(server):
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", START_AND_PRINT_PID, str(server.data_dir)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    pids = {int(p.communicate(timeout=60)[0]) for p in starters}
    assert len(pids) == 1
    assert servers_on(server.data_dir) == list(pids)


def test_the_server_listens_on_a_private_socket_only_and_runs_one_query_at_a_time(server):
    server.ensure_running()
    assert server.socket.is_socket()
    assert oct(server.socket.stat().st_mode & 0o777) == oct(0o700)
    with server.client() as client:
        config = client.config_get("port") | client.config_get("appendonly") | client.config_get("appendfsync")
        effects = client.execute_command("GRAPH.CONFIG", "GET", "EFFECTS_THRESHOLD")
        threads = client.execute_command("GRAPH.CONFIG", "GET", "THREAD_COUNT")
    assert config == {"port": "0", "appendonly": "yes", "appendfsync": "always"}
    assert effects == [b"EFFECTS_THRESHOLD", 0]  # the AOF holds effects: restarts replay in seconds
    assert threads == [b"THREAD_COUNT", 1]  # two reads at once can crash FalkorDB 4.16 (engine_server.QUERY_THREADS)


def worked_example_in(server: EmbeddedServer, graph: str) -> dict[str, int]:
    """Writes the worked example into a graph of its own; returns what the graph then holds."""
    store = EmbeddedStore(server, graph)
    store.ensure_schema()
    write_portfolio(store, read_mapping_table(WORKED_EXAMPLE))
    counts = count_graph(store)
    store.close()
    return counts


def test_acknowledged_writes_survive_kill_9(server):
    before = worked_example_in(server, "durable")
    old_pid = server.pid()
    assert old_pid is not None
    os.kill(old_pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while server.pid() == old_pid and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not server.is_ready()
    started = time.monotonic()
    reopened = EmbeddedStore(server, "durable")  # finds the stale socket and pid file, starts anew
    assert server.pid() not in (None, old_pid)
    assert time.monotonic() - started < 5
    assert count_graph(reopened) == before
    reopened.close()


def test_a_server_dying_while_awaited_is_replaced_not_reported(server, monkeypatch):
    """Right after kill -9 the old server may still be exiting: found running but not answering, it is
    awaited like one replaying its file, and when it is gone a new one starts (no "exited" error)."""
    monkeypatch.setattr(engine_server, "PING_TIMEOUT", 0.2)
    server.ensure_running()
    old = server.pid()
    assert old is not None
    os.kill(old, signal.SIGSTOP)  # alive, socket in place, never answering: a server on its way out
    killer = threading.Timer(1.5, os.kill, (old, signal.SIGKILL))
    killer.start()
    try:
        server.ensure_running()
    finally:
        killer.cancel()
        with contextlib.suppress(ProcessLookupError):
            os.kill(old, signal.SIGKILL)
    assert server.pid() not in (None, old)
    assert servers_on(server.data_dir) == [server.pid()]


def test_stop_is_clean_and_the_data_stays(server):
    before = worked_example_in(server, "kept")
    assert server.stop() is True
    assert not server.is_ready() and server.pid() is None
    assert "ready to exit" in (server.data_dir / "falkordb.log").read_text()
    assert server.stop() is False  # nothing left to stop
    assert count_graph(EmbeddedStore(server, "kept")) == before


def test_a_store_survives_its_server_being_stopped_underneath(server):
    before = worked_example_in(server, "resilient")
    store = EmbeddedStore(server, "resilient")
    server.stop()
    assert count_graph(store) == before  # restarted on demand
    store.close()


def test_an_idle_server_stops_by_itself(tmp_path):
    server = EmbeddedServer(tmp_path / "idle", idle_timeout=2)
    server.ensure_running()
    pid = server.pid()
    assert pid is not None
    deadline = time.monotonic() + 30
    while server.pid() is not None and time.monotonic() < deadline:  # no pings: they would count as use
        time.sleep(0.5)
    assert server.pid() is None, "the idle watcher did not stop the server"
    assert "ready to exit" in (server.data_dir / "falkordb.log").read_text()


def test_a_busy_server_is_not_stopped_for_idleness(tmp_path):
    server = EmbeddedServer(tmp_path / "busy", idle_timeout=2)
    store = EmbeddedStore(server, "busy")
    try:
        for _ in range(12):  # 6 s of steady use, three idle timeouts
            assert store.read("count_nodes") == []
            time.sleep(0.5)
        assert server.is_ready()
    finally:
        store.close()
        server.stop()


def test_a_deep_data_directory_still_gets_a_socket(tmp_path):
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 5)
    server = EmbeddedServer(deep, idle_timeout=0)
    try:
        server.ensure_running()
        assert server.is_ready() and len(str(server.socket)) <= 100
    finally:
        server.stop()


def test_a_stale_pid_file_naming_another_process_is_ignored(server):
    server.data_dir.mkdir(parents=True)
    server.pid_file.write_text(str(os.getpid()))  # alive, but not a server of this directory
    server.ensure_running()
    assert server.pid() not in (None, os.getpid())


def test_a_server_that_cannot_start_fails_fast_with_its_log(server):
    aof = server.data_dir / "appendonlydir"
    aof.mkdir(parents=True)
    (aof / "appendonly.aof.manifest").write_text("this is not a manifest\n")
    started = time.monotonic()
    with pytest.raises(GraphUnavailable, match="exited while starting"):
        server.ensure_running()
    assert time.monotonic() - started < 10


def snapshots(server: EmbeddedServer) -> list[str]:
    return sorted(p.name for p in (server.data_dir / "appendonlydir").glob("*.base.*"))


def test_a_snapshot_the_engine_cannot_read_back_is_survived(server):
    # FalkorDB 4.16.3 writes this graph's snapshot but crashes reading it (upstream FalkorDB#1779): the
    # start falls back to the snapshot before and replays the changes since.
    server.ensure_running()
    with contextlib.closing(server.client()) as client:
        client.execute_command("GRAPH.QUERY", "g", "UNWIND range(1, 63999) AS id CREATE (:N {id: id})")
    for _ in range(2):  # the second stop writes the same unreadable snapshot again
        server.stop()
        server.ensure_running()
        with contextlib.closing(server.client()) as client:
            assert client.execute_command("GRAPH.RO_QUERY", "g", "MATCH (n:N) RETURN count(n)")[1] == [[63999]]
        assert len(snapshots(server)) == 1  # what the start loaded; the others have gone


def test_an_unreadable_snapshot_falls_back_to_the_one_before(server, caplog):
    before = worked_example_in(server, "kept")
    server.stop()  # rewrites: the snapshot the start loaded is kept until the next start loads this one
    latest = max((server.data_dir / "appendonlydir").glob("*.base.rdb"), key=lambda p: int(p.name.split(".")[2]))
    latest.write_bytes(latest.read_bytes()[:-100])  # cut short, as by a failing disk
    server.ensure_running()
    assert count_graph(EmbeddedStore(server, "kept")) == before
    assert "could not start from its latest snapshot" in caplog.text
    assert len(snapshots(server)) == 1
    assert list((server.data_dir / "appendonlydir").glob("appendonly.aof.manifest.failed-*"))


def test_an_unreadable_snapshot_with_none_before_is_a_clear_error(server):
    worked_example_in(server, "lost")
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # no rewrite: the only snapshot is the one the start loaded
    (only,) = (server.data_dir / "appendonlydir").glob("*.base.rdb")
    only.write_bytes(b"not a snapshot")
    with pytest.raises(GraphUnavailable, match="exited while starting"):
        server.ensure_running()


def test_snapshots_no_fall_back_would_read_are_dropped_as_writes_go_on(server, caplog):
    counts = {"first": worked_example_in(server, "first")}
    with contextlib.closing(server.client()) as client:
        for graph in ["second", "third"]:
            engine_server._compact(client, timeout=30)  # the snapshot before becomes history
            counts[graph] = worked_example_in(server, graph)  # the writes after drop what nobody needs
    aof_dir = server.data_dir / "appendonlydir"
    assert snapshots(server) == ["appendonly.aof.1.base.rdb", "appendonly.aof.3.base.rdb"]  # loaded; current
    assert len(list(aof_dir.glob("*.incr.aof"))) == 3  # every change since the snapshot the start loaded
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    latest = aof_dir / "appendonly.aof.3.base.rdb"
    latest.write_bytes(latest.read_bytes()[:-100])
    server.ensure_running()
    assert "could not start from its latest snapshot" in caplog.text
    assert {graph: count_graph(EmbeddedStore(server, graph)) for graph in counts} == counts


def test_a_start_may_take_longer_the_more_it_loads_and_history_does_not_count(tmp_path):
    aof_dir = tmp_path / "data" / "appendonlydir"
    aof_dir.mkdir(parents=True)
    sizes = {"1.base.rdb": 3 * 2**30, "1.incr.aof": 2**30, "2.base.rdb": 2 * 2**30, "2.incr.aof": 2**20}
    for suffix, size in sizes.items():
        with open(aof_dir / f"appendonly.aof.{suffix}", "wb") as file:
            file.truncate(size)  # sparse: no disk taken
    (aof_dir / "appendonly.aof.manifest").write_text(
        "file appendonly.aof.2.base.rdb seq 2 type b\n"
        "file appendonly.aof.1.base.rdb seq 1 type h\n"
        "file appendonly.aof.1.incr.aof seq 1 type h\n"
        "file appendonly.aof.2.incr.aof seq 2 type i\n"
    )
    loaded = (2 * 2**30 + 2**20) / 2**30  # the current snapshot and its change file, not the history
    timeout = EmbeddedServer(tmp_path / "data", idle_timeout=0).start_timeout()
    assert timeout == pytest.approx(engine_server.START_TIMEOUT + engine_server.START_SECONDS_PER_GIB * loaded)
    assert EmbeddedServer(tmp_path / "new", idle_timeout=0).start_timeout() == engine_server.START_TIMEOUT


def watchers_of(server: EmbeddedServer) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            words = (proc / "cmdline").read_bytes().split(b"\0")
            if b"graphmap.store.idle" in words and str(server.socket).encode() in words:
                found.append(int(proc.name))
    return found


def test_restarts_after_kill_9_leave_one_idle_watcher_which_still_stops_the_server(tmp_path):
    server = EmbeddedServer(tmp_path / "restarted", idle_timeout=6)  # a look every 0.6 s
    server.ensure_running()
    for _ in range(3):
        pid = server.pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        while engine_server._is_running(pid):
            time.sleep(0.05)
        server.ensure_running()  # a new server, and a watcher of its own
    deadline = time.monotonic() + 10
    while len(watchers_of(server)) > 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(watchers_of(server)) == 1
    deadline = time.monotonic() + 30
    while server.pid() is not None and time.monotonic() < deadline:
        time.sleep(0.5)
    assert server.pid() is None, "the idle watcher did not stop the server"
