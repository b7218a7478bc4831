"""Concurrent writers: a `graphmap import` runs in its own process while API clients edit the same accounts.
No acknowledged update is lost and the graph is whole afterwards, on both engines.

The import re-reads an archive already imported once, so it rewrites every account, person and interaction
the API is editing. The API meanwhile sets next actions (a field the archive does not carry, so the import
must leave it alone) on those people and records new interactions with them. Afterwards: each person holds
the last next action the API acknowledged; every recorded interaction is there with its people; the
import's own graph is exactly what it was after the first import, plus the API's interactions.
"""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bench.archive_import import write_archive
from graphmap.access import AccessRole, add_user, create_token
from graphmap.api import create_app
from graphmap.config import Settings
from graphmap.graph import count_graph
from graphmap.store import GraphStore
from graphmap.store.embedded import EmbeddedStore
from tests.integration.test_import_interrupted import run_a_step
from tests.reliability import scale

pytestmark = pytest.mark.integration

ROWS = scale(16_000, 100_000)  # 1,000 accounts (6,250 at the large scale)
EDITORS = 2
STEP_SECONDS = 0.1  # the import runs this long between holds
HOLD_AT_MOST_SECONDS = 2.0  # on Neo4j a held import's open transaction can keep an editor waiting for a lock
NOT_DATA = ("Change", "User", "Token", "Grant", "AUDITS")  # audit entries and access control, not data


def import_env(store: GraphStore, request: pytest.FixtureRequest) -> dict[str, str]:
    """GRAPHMAP_* for a CLI process that writes into `store`'s graph."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHMAP_") or k.startswith("GRAPHMAP_TEST_")}
    if isinstance(store, EmbeddedStore):
        env |= {"GRAPHMAP_DATA_DIR": str(store.server.data_dir), "GRAPHMAP_GRAPH": store.graph_name}
        return env | {"GRAPHMAP_IDLE_TIMEOUT": "0", "GRAPHMAP_NEO4J_URI": ""}
    uri, user, password = request.getfixturevalue("neo4j_connection")
    return env | {"GRAPHMAP_NEO4J_URI": uri, "GRAPHMAP_NEO4J_USER": user, "GRAPHMAP_NEO4J_PASSWORD": password}


def run_import(files: list[Path], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "graphmap.cli", "import", *map(str, files)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def data_counts(store: GraphStore) -> dict[str, int]:
    return {key: n for key, n in count_graph(store).items() if key not in NOT_DATA}


@pytest.fixture
def imported(store: GraphStore, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[list[Path], dict]]:
    files = write_archive(tmp_path / "archive", ROWS)
    env = import_env(store, request)
    first = run_import(files, env)
    _, stderr = first.communicate(timeout=900)
    assert first.returncode == 0, stderr
    yield files, env


class Editor(threading.Thread):
    """Edits people of random accounts through its own client until told to stop; remembers what the API
    acknowledged."""

    def __init__(self, store: GraphStore, token: str, accounts: list[str], seed_value: int) -> None:
        super().__init__(daemon=True)
        self.client = TestClient(create_app(Settings(), store), raise_server_exceptions=False)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.accounts, self.rng = accounts, random.Random(seed_value)
        self.name = f"editor-{seed_value}"
        self.next_actions: dict[tuple[str, str], str] = {}  # (account, person) -> last acknowledged
        self.interactions: dict[str, tuple[str, list[str]]] = {}  # id -> (account, people)
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.edits = 0
        self.while_importing = 0  # edits sent before the import had finished

    def run(self) -> None:
        with self.client:
            while not self.stop.is_set() or self.edits < 20:
                account = self.rng.choice(self.accounts)
                people = self.call("GET", f"/accounts/{account}/people", params={"limit": 10}).json()["data"]
                person = self.rng.choice(people)["id"]
                self.while_importing += not self.stop.is_set()
                value = f"{self.name} edit {self.edits + 1}"
                reply = self.call("PATCH", f"/accounts/{account}/people/{person}", json={"next_action": value})
                if reply.status_code == 200:
                    self.next_actions[(account, person)] = value
                else:
                    self.failures.append(f"PATCH {person}: {reply.status_code} {reply.text}")
                body = {"on": "2024-10-01", "channel": "visit", "summary": value, "person_ids": [person]}
                reply = self.call("POST", f"/accounts/{account}/interactions", json=body)
                if reply.status_code == 201:
                    self.interactions[reply.json()["id"]] = (account, [person])
                else:
                    self.failures.append(f"POST interaction: {reply.status_code} {reply.text}")
                self.edits += 1

    def call(self, method: str, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.request(method, url, headers=self.headers, **kwargs)  # type: ignore[arg-type]


def import_in_steps(running: subprocess.Popen[str], editors: list[Editor]) -> None:
    """Let the import run STEP_SECONDS at a time and hold it (SIGSTOP) in between until every editor has
    made another edit: edits land between and during its batches however fast the import and however busy
    the machine (a re-import of the small archive takes a second or two, less than an editor's start)."""
    while running.poll() is None:
        run_a_step(running, STEP_SECONDS)
        made = [editor.edits for editor in editors]
        held_until = time.monotonic() + HOLD_AT_MOST_SECONDS
        while time.monotonic() < held_until and any(e.edits == n for e, n in zip(editors, made, strict=True)):
            time.sleep(0.01)
    running.send_signal(signal.SIGCONT)


def test_imports_and_api_edits_at_once_lose_nothing(store: GraphStore, imported: tuple[list[Path], dict]) -> None:
    files, env = imported
    before = data_counts(store)
    add_user(store, "boss", "Boss", "hq", "test-setup")
    token = create_token(store, "boss", AccessRole.admin, "test-setup")[1]
    accounts = [f"2024-IT-{n:06d}" for n in range(0, ROWS // 16, max(1, ROWS // 16 // 50))]

    editors = [Editor(store, token, accounts, n) for n in range(EDITORS)]
    again = run_import(files, env)
    for editor in editors:
        editor.start()
    import_in_steps(again, editors)
    _, stderr = again.communicate(timeout=900)
    for editor in editors:
        editor.stop.set()
    for editor in editors:
        editor.join(timeout=300)
    assert again.returncode == 0, stderr

    for editor in editors:
        assert editor.failures == [], editor.failures[:5]
    next_actions = {k: v for editor in editors for k, v in editor.next_actions.items()}
    assert sum(editor.while_importing for editor in editors) >= 20, "too few edits while the import ran"
    client = editors[0].client
    with client:
        for (account, person), value in next_actions.items():
            stored = client.get(f"/accounts/{account}/people/{person}", headers=editors[0].headers).json()
            # two editors may have edited one person: the later acknowledgement holds
            assert stored["next_action"] in {e.next_actions.get((account, person)) for e in editors} - {None}
            if sum((account, person) in e.next_actions for e in editors) == 1:
                assert stored["next_action"] == value
        created = {k: v for editor in editors for k, v in editor.interactions.items()}
        for interaction_id, (account, people) in created.items():
            reply = client.get(f"/accounts/{account}/interactions/{interaction_id}", headers=editors[0].headers)
            assert reply.status_code == 200 and reply.json()["person_ids"] == people, reply.text

    after = data_counts(store)
    assert after.pop("Interaction") == before.pop("Interaction") + len(created)
    assert after.pop("WITH") == before.pop("WITH") + len(created)  # one person each
    assert after == before  # the re-import changed nothing else, and nothing is doubled
