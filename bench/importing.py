"""graphmap's import (`graphmap import`'s two passes), timed by pass: what the import benches measure."""

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graphmap.importing import check_files
from graphmap.store import GraphStore


@dataclass(frozen=True)
class TimedImport:
    rows: int
    check_s: float  # read, parse, validate, resolve references, spool
    write_s: float


def timed_import(paths: Sequence[Path], store: GraphStore) -> TimedImport:
    """Checks every row of the files, then writes them; the files must be free of problems."""
    started = time.perf_counter()
    plan = check_files(paths, store)
    checked = time.perf_counter()
    assert not plan.all_problems(), plan.all_problems()[:3]
    plan.write(store)
    return TimedImport(plan.rows, checked - started, time.perf_counter() - checked)
