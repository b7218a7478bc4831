"""The engine goes away while graphmap runs: the API answers 503 with Retry-After, the CLI a one-line error,
and both work again once the engine is back, with no restart of graphmap and nothing lost.

Embedded: the server killed with -9, its socket deleted, its data directory unusable for a while.
Neo4j: reached through a TCP relay the test cuts and restores (Neo4j itself is shared by the suite).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graphmap.api import create_app
from graphmap.config import Settings
from graphmap.model import Portfolio
from graphmap.sample import portfolio_path
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.neo4j import Neo4jStore
from graphmap.store.server import EmbeddedServer
from tests.api.conftest import seed

pytestmark = pytest.mark.integration

SAMPLE = Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))
READY_WITHIN = 5.0  # seconds, the bound for the store to answer again


class Relay:
    """Forwards 127.0.0.1:port to a target; cut() closes the listener and every open connection."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._open: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        assert self._listener is not None
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        for connection in self._open:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()
        self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()  # as if the engine were down
                continue
            self._open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def account_count(client: TestClient, token: str) -> int:
    reply = client.get("/accounts", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200, reply.text
    return int(reply.json()["count"])


def assert_503(client: TestClient, token: str) -> None:
    reply = client.get("/accounts", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 503, reply.text
    assert reply.json()["error"] == "graph_unavailable" and int(reply.headers["Retry-After"]) > 0


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graphmap.cli", *args],
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_cli_error(result: subprocess.CompletedProcess[str], says: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[tuple[Settings, str]]:
    settings = Settings(data_dir=tmp_path / "data", idle_timeout=0, neo4j_uri="")
    server = EmbeddedServer(settings.data_dir, idle_timeout=0)
    store = EmbeddedStore(server, settings.graph)
    store.ensure_schema()
    token = seed(store, SAMPLE)["admin"]
    store.close()
    yield settings, token
    EmbeddedServer(settings.data_dir).stop()


def test_a_killed_embedded_engine_is_started_again_by_the_next_request(embedded: tuple[Settings, str]) -> None:
    settings, token = embedded
    server = EmbeddedServer(settings.data_dir)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        accounts = account_count(client, token)
        for _ in range(3):
            old = server.pid()
            assert old is not None
            os.kill(old, signal.SIGKILL)
            started = time.monotonic()
            assert account_count(client, token) == accounts
            assert time.monotonic() - started < READY_WITHIN
            assert server.pid() not in (None, old)


def test_a_deleted_socket_is_noticed_and_the_engine_replaced(embedded: tuple[Settings, str]) -> None:
    """Connections already open still work after the unlink; the next process cannot connect, so it stops
    the unreachable server and starts another on the same files; the API's connections follow."""
    settings, token = embedded
    server = EmbeddedServer(settings.data_dir)
    env = {"GRAPHMAP_DATA_DIR": str(settings.data_dir), "GRAPHMAP_IDLE_TIMEOUT": "0"}
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        accounts = account_count(client, token)
        orphan = server.pid()
        server.socket.unlink()
        started = time.monotonic()
        assert cli(env, "gaps", "--as-of", "2024-09-30").returncode == 0
        assert time.monotonic() - started < READY_WITHIN + 2  # + the CLI's own start-up
        assert orphan is not None and server.pid() not in (None, orphan)
        assert account_count(client, token) == accounts


def test_an_engine_that_cannot_start_answers_503_until_it_can(embedded: tuple[Settings, str]) -> None:
    settings, token = embedded
    server, aside = EmbeddedServer(settings.data_dir), settings.data_dir.with_name("aside")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        accounts = account_count(client, token)
        server.stop()
        settings.data_dir.rename(aside)
        settings.data_dir.write_text("not a directory")  # the engine cannot start here
        assert_503(client, token)
        assert_503(client, token)
        assert_cli_error(cli({"GRAPHMAP_DATA_DIR": str(settings.data_dir)}, "gaps"), "cannot start the embedded")
        settings.data_dir.unlink()
        aside.rename(settings.data_dir)
        assert account_count(client, token) == accounts  # the same app, the same data


def test_an_app_started_while_the_engine_cannot_start_recovers_without_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.write_text("not yet a directory")
    settings = Settings(data_dir=data_dir, idle_timeout=0, neo4j_uri="")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/health").status_code == 503
        data_dir.unlink()
        try:
            assert client.get("/health").status_code == 200
        finally:
            EmbeddedServer(data_dir).stop()


def test_neo4j_cut_off_answers_503_and_the_same_app_recovers(neo4j_connection: tuple[str, str, str]) -> None:
    uri, user, password = neo4j_connection
    host, port = uri.rsplit("//", 1)[1].rsplit(":", 1)
    relay = Relay((host, int(port)))
    relay.start()
    relayed = f"bolt://127.0.0.1:{relay.port}"
    store = Neo4jStore(relayed, user, password)
    store.clear()
    store.ensure_schema()
    token = seed(store, SAMPLE)["admin"]
    settings = Settings(neo4j_uri=relayed, neo4j_user=user, neo4j_password=password)
    env = {"GRAPHMAP_NEO4J_URI": relayed, "GRAPHMAP_NEO4J_USER": user, "GRAPHMAP_NEO4J_PASSWORD": password}
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            accounts = account_count(client, token)
            relay.cut()
            assert_503(client, token)
            assert_503(client, token)
            assert_cli_error(cli(env, "status"), "Neo4j")
            relay.start()
            started = time.monotonic()
            assert account_count(client, token) == accounts
            assert time.monotonic() - started < READY_WITHIN
            assert cli(env, "status").returncode == 0
    finally:
        relay.cut()
        store.close()
        direct = Neo4jStore(uri, user, password)
        direct.clear()
        direct.close()


def test_relay_helper_forwards_bytes() -> None:
    """The relay itself, so that a failure above is about graphmap and not the harness."""
    with socket.create_server(("127.0.0.1", 0)) as echo_server:
        echo_port = echo_server.getsockname()[1]

        def echo() -> None:
            connection, _ = echo_server.accept()
            with connection:
                connection.sendall(connection.recv(100))

        threading.Thread(target=echo, daemon=True).start()
        relay = Relay(("127.0.0.1", echo_port))
        relay.start()
        with socket.create_connection(("127.0.0.1", relay.port)) as client:
            client.sendall(b"ping")
            assert client.recv(100) == b"ping"
        relay.cut()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", relay.port), timeout=1)
