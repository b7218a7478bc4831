"""Engines for the integration tests: embedded FalkorDB always; Neo4j where one can be reached.

Neo4j 5 comes from testcontainers where a Docker engine answers, else from the server at
GRAPHMAP_TEST_NEO4J_URI (CI here starts a local Neo4j 4.4 with shared/neo4j/start); otherwise its tests
skip and say why.
"""

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graphmap.store import GraphStore
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer

WORKED_EXAMPLE = Path(__file__).resolve().parent.parent / "graphmap" / "sample" / "mapping_table_xx.csv"


def pytest_configure(config: pytest.Config) -> None:
    """No test may reach the store of the person running the suite: the settings' defaults (and any .env)
    are replaced by a data directory of the run's own and no Neo4j."""
    os.environ["GRAPHMAP_DATA_DIR"] = tempfile.mkdtemp(prefix="graphmap-tests-")
    os.environ["GRAPHMAP_NEO4J_URI"] = ""


def pytest_unconfigure(config: pytest.Config) -> None:
    data_dir = Path(os.environ["GRAPHMAP_DATA_DIR"])
    EmbeddedServer(data_dir).stop()  # started only if a test opened the default store
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path_factory.mktemp("falkordb"), idle_timeout=0)
    server.ensure_running()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_connection() -> Iterator[tuple[str, str, str]]:
    docker_problem = _docker_unavailable()
    if docker_problem is None:
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer("neo4j:5.26", password="testpassword") as container:
            yield container.get_connection_url(), "neo4j", "testpassword"
        return
    uri = os.environ.get("GRAPHMAP_TEST_NEO4J_URI")
    if not uri:
        pytest.skip(f"no Neo4j: {docker_problem} and GRAPHMAP_TEST_NEO4J_URI is not set")
    yield (
        uri,
        os.environ.get("GRAPHMAP_TEST_NEO4J_USER", "neo4j"),
        os.environ.get("GRAPHMAP_TEST_NEO4J_PASSWORD", "testpassword"),
    )


def _docker_unavailable() -> str | None:
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception as error:  # any failure means: no usable Docker engine here
        return f"Docker is not usable ({type(error).__name__})"
    return None


@pytest.fixture(params=["falkordb", "neo4j"])
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """An empty graph on each engine; the same test runs on both."""
    if request.param == "falkordb":
        server = request.getfixturevalue("embedded_server")
        embedded = EmbeddedStore(server, f"test-{uuid.uuid4().hex[:12]}")
        embedded.ensure_schema()
        yield embedded
        embedded.clear()
        embedded.close()
    else:
        from graphmap.store.neo4j import Neo4jStore

        uri, user, password = request.getfixturevalue("neo4j_connection")
        neo4j_store = Neo4jStore(uri, user, password)
        neo4j_store.clear()  # Community edition has one database: tests take turns in it
        neo4j_store.ensure_schema()
        yield neo4j_store
        neo4j_store.clear()
        neo4j_store.close()


@pytest.fixture(params=["falkordb", "neo4j"])
def cli_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Points the CLI's settings (GRAPHMAP_*) at an empty graph on each engine."""
    from graphmap.config import get_settings

    for name in list(os.environ):
        if name.startswith("GRAPHMAP_") and not name.startswith("GRAPHMAP_TEST_"):
            monkeypatch.delenv(name)
    if request.param == "falkordb":
        server = request.getfixturevalue("embedded_server")
        monkeypatch.setenv("GRAPHMAP_DATA_DIR", str(server.data_dir))
        monkeypatch.setenv("GRAPHMAP_GRAPH", f"cli-{uuid.uuid4().hex[:12]}")
        monkeypatch.setenv("GRAPHMAP_IDLE_TIMEOUT", "0")
    else:
        from graphmap.store.neo4j import Neo4jStore

        uri, user, password = request.getfixturevalue("neo4j_connection")
        Neo4jStore(uri, user, password).clear()
        monkeypatch.setenv("GRAPHMAP_NEO4J_URI", uri)
        monkeypatch.setenv("GRAPHMAP_NEO4J_USER", user)
        monkeypatch.setenv("GRAPHMAP_NEO4J_PASSWORD", password)
    get_settings.cache_clear()
    yield request.param
    get_settings.cache_clear()


@pytest.fixture
def run(cli_env: str) -> Callable[..., str]:
    """The CLI on an empty graph of each engine: run("import", path) returns the output; code= the exit status."""
    from typer.testing import CliRunner

    from graphmap.cli import app

    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output
        return result.output

    return invoke


def snapshot(tmp_path: Path, name: str) -> bytes:
    """The configured graph's backup, as bytes, less the audit trail (every import records who ran it and
    when): equal snapshots are equal graphs."""
    from graphmap.backup import backup
    from graphmap.config import get_settings
    from graphmap.store import open_store

    store = open_store(get_settings())
    try:
        backup(store, tmp_path / name)
    finally:
        store.close()
    return "".join(line + "\n" for line in without_audit((tmp_path / name).read_text(encoding="utf-8"))).encode()


def without_audit(backup_text: str) -> list[str]:
    """A backup's lines without its audit entries (change-log nodes with an actor) nor their count."""
    kept = []
    for text in backup_text.splitlines():
        line = json.loads(text)
        if line.get("node") == "Change" and line["properties"].get("actor"):
            continue
        if line.get("end"):
            line["nodes"].pop("Change", None)
            text = json.dumps(line, ensure_ascii=False, sort_keys=True)
        kept.append(text)
    return kept
