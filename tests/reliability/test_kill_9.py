"""kill -9 during an archive import, at random moments, of the importer and of the embedded engine.

After each kill only whole batches are in the graph (a batch is 2,000 rows of one table, one transaction;
tables are written in order), the engine is ready again within 5 s, and the import then ends with exactly
the graph an uninterrupted import leaves: run again after the importer was killed, or carrying on by
itself after the engine was (it starts the engine again and resends the batch it was writing).

Small scale: one trial of each on 20,000 rows; large (`make bench`): 20 of each on 100,000 rows.
"""

import json
import os
import random
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.archive_import import write_archive
from graphmap.importing import BATCH_ROWS
from graphmap.store.server import EmbeddedServer
from tests.integration.test_import_interrupted import counts_now, graph_lines, hold_once, importer
from tests.reliability import LARGE, scale

pytestmark = pytest.mark.integration

ROWS = scale(20_000, 100_000)
TRIALS = scale(1, 20)
READY_WITHIN = 5.0
TABLE_ORDER = ("Account", "Person", "Interaction")  # one label per table, in the order they are written
RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results" / "kill_9.json"
READY_TIMES: list[float] = []  # seconds from the engine's kill -9 to its answering again


@pytest.fixture(scope="module", autouse=True)
def record_ready_times() -> Iterator[None]:
    yield
    if LARGE and READY_TIMES:  # `make bench` keeps the figures beside the benchmarks'
        figures = {"rows": ROWS, "trials": len(READY_TIMES), "ready_s_max": max(READY_TIMES), "ready_s": READY_TIMES}
        RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[dict], dict[str, int]]:
    folder = tmp_path_factory.mktemp("kill9")
    files = write_archive(folder / "archive", ROWS)
    whole = folder / "whole"
    done = importer(files, whole)
    _, stderr = done.communicate(timeout=900)
    assert done.returncode == 0, stderr
    counts = counts_now(whole)
    expected = graph_lines(whole, folder / "whole.jsonl")
    return files, expected, counts


def assert_whole_batches(counts: dict[str, int], complete: dict[str, int]) -> None:
    earlier_complete = True
    for label in TABLE_ORDER:
        have, total = counts.get(label, 0), complete[label]
        assert have % BATCH_ROWS == 0 or have == total, f"{have} {label} nodes: part of a batch"
        assert earlier_complete or have == 0, f"{label} written before the table before it was complete"
        earlier_complete = have == total


def data_nodes(data: Path) -> int:
    return sum(counts_now(data).get(label, 0) for label in TABLE_ORDER)


def trial(
    tmp_path: Path,
    archive: tuple,
    number: int,
    kill: Callable[[subprocess.Popen[bytes], Path], None],
    carries_on: bool = False,
) -> None:
    files, expected, complete = archive
    rng = random.Random(number)
    data = tmp_path / f"trial-{number}"
    running = importer(files, data)
    nodes = int(sum(complete[label] for label in TABLE_ORDER) * rng.uniform(0.05, 0.9))
    hold_once(running, data, lambda: data_nodes(data) > nodes)  # held: the kill comes at that moment
    kill(running, data)
    _, stderr = running.communicate(timeout=900)
    assert running.returncode in ((0,) if carries_on else (-signal.SIGKILL,)), stderr.decode()
    if running.returncode != 0:
        again = importer(files, data)
        _, stderr = again.communicate(timeout=900)
        assert again.returncode == 0, stderr
    assert graph_lines(data, tmp_path / f"trial-{number}.jsonl") == expected
    EmbeddedServer(data).stop()


@pytest.mark.parametrize("number", range(TRIALS))
def test_importer_killed(tmp_path: Path, archive: tuple, number: int) -> None:
    def kill_importer(running: subprocess.Popen[bytes], data: Path) -> None:
        running.send_signal(signal.SIGKILL)  # held or not
        running.wait()
        assert_whole_batches(counts_now(data), archive[2])

    trial(tmp_path, archive, number, kill_importer)


@pytest.mark.parametrize("number", range(TRIALS))
def test_engine_killed(tmp_path: Path, archive: tuple, number: int) -> None:
    def kill_engine(running: subprocess.Popen[bytes], data: Path) -> None:
        server = EmbeddedServer(data, idle_timeout=0)
        try:  # the importer is held, so the graph can be seen as the kill left it
            pid = server.pid()
            assert pid is not None
            os.kill(pid, signal.SIGKILL)
            started = time.monotonic()
            server.ensure_running()  # replays the append-only file
            ready = time.monotonic() - started
            READY_TIMES.append(round(ready, 3))
            assert ready < READY_WITHIN, f"ready again after {ready:.1f} s"
            assert_whole_batches(counts_now(data), archive[2])
        finally:
            running.send_signal(signal.SIGCONT)

    trial(tmp_path, archive, 1000 + number, kill_engine, carries_on=True)
