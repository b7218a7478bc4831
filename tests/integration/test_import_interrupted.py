"""An import killed mid-way converges: kill -9 the importer while it writes a 100,000-row archive; only
whole batches are in the graph; run the same command again, and the graph is exactly the one an
uninterrupted import leaves (the change log's recorded_at, the moment an entry was first written, aside).
A Ctrl-C waits for the batch being written.

One trial here; issue 8's reliability suite repeats it at scale."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.archive_import import write_archive
from graphmap.backup import backup
from graphmap.graph import count_graph
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer
from tests.conftest import without_audit

pytestmark = pytest.mark.integration

ROWS = 100_000
STEP_SECONDS = 0.05  # the importer runs this long between counts


def importer(files: list[Path], data: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {"GRAPHMAP_DATA_DIR": str(data), "GRAPHMAP_IDLE_TIMEOUT": "0"}
    env.pop("GRAPHMAP_NEO4J_URI", None)
    return subprocess.Popen(
        [sys.executable, "-m", "graphmap.cli", "import", *map(str, files)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def graph_lines(data: Path, path: Path) -> list[dict]:
    server = EmbeddedServer(data, idle_timeout=0)
    store = EmbeddedStore(server, "graphmap")
    try:
        backup(store, path)
    finally:
        store.close()
        server.stop()
    lines = [json.loads(line) for line in without_audit(path.read_text(encoding="utf-8"))]
    for line in lines:
        if line.get("node") == "Change":
            line["properties"].pop("recorded_at")  # when it was first written: differs between runs
    return lines


def counts_now(data: Path) -> dict[str, int]:
    store = EmbeddedStore(EmbeddedServer(data, idle_timeout=0), "graphmap")
    try:
        return count_graph(store)
    finally:
        store.close()


def nodes_now(data: Path) -> int:
    return sum(v for k, v in counts_now(data).items() if k[0].isupper() and not k.isupper())


def run_a_step(running: subprocess.Popen[bytes] | subprocess.Popen[str], seconds: float) -> None:
    """Lets a held process run for `seconds`, then holds it again (SIGSTOP)."""
    running.send_signal(signal.SIGCONT)
    time.sleep(seconds)
    running.send_signal(signal.SIGSTOP)


def hold_once(running: subprocess.Popen[bytes], data: Path, written: Callable[[], bool]) -> None:
    """Let the importer run STEP_SECONDS at a time, held (SIGSTOP) while the graph is counted, until
    `written()`; returns with it held, so it cannot finish between the count and the test's next step
    however fast it writes (SIGCONT, or SIGKILL, follows)."""
    server = EmbeddedServer(data, idle_timeout=0)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        run_a_step(running, STEP_SECONDS)
        assert running.poll() is None, "the import finished before it could be interrupted: raise ROWS"
        # ready first: a held importer may be holding the engine's start lock, which counting would wait for
        if server.is_ready() and written():
            return
    pytest.fail("the import wrote too little in 10 minutes")


def test_kill_9_in_the_middle_then_a_rerun_gives_the_uninterrupted_graph(tmp_path):
    files = write_archive(tmp_path / "archive", ROWS)
    whole = tmp_path / "whole"
    done = importer(files, whole)
    assert done.wait(timeout=600) == 0, done.stderr.read() if done.stderr else ""
    expected = graph_lines(whole, tmp_path / "whole.jsonl")

    cut = tmp_path / "cut"
    running = importer(files, cut)
    hold_once(running, cut, lambda: nodes_now(cut) > 20_000)  # well into the writing pass
    running.send_signal(signal.SIGKILL)
    running.wait()
    written = nodes_now(cut)
    assert 0 < written < len([x for x in expected if "node" in x])
    # Whole batches only: the contacts table adds 2,000 distinct people per batch, and the log is
    # written after all of them.
    counts = counts_now(cut)
    people, contacts_rows = counts.get("Person", 0), ROWS // 16 * 5
    assert people % 2000 == 0 or people == contacts_rows, people
    assert counts.get("Interaction", 0) == 0 or people == contacts_rows
    again = importer(files, cut)
    assert again.wait(timeout=600) == 0, again.stderr.read() if again.stderr else ""
    assert graph_lines(cut, tmp_path / "cut.jsonl") == expected


def test_ctrl_c_waits_for_the_batch_and_says_how_to_finish(tmp_path):
    files = write_archive(tmp_path / "archive", 20_000)
    data = tmp_path / "data"
    try:
        running = importer(files, data)
        hold_once(running, data, lambda: nodes_now(data) > 2_000)
        running.send_signal(signal.SIGINT)  # delivered as it carries on
        running.send_signal(signal.SIGCONT)
        _, stderr = running.communicate(timeout=120)
        text = stderr.decode()
        assert running.returncode == 130 and "Traceback" not in text
        assert "run the same command again to finish" in text
        again = importer(files, data)
        assert again.wait(timeout=300) == 0
    finally:
        EmbeddedServer(data).stop()  # the importer's engine has no idle timeout: it would outlive the suite
