"""Files that hold the graph (backups, exports, error files) are for their owner alone: created 0600, so
that no other user of the machine can read them whatever the umask, then renamed into place whole."""

import os
from pathlib import Path
from typing import IO, Any

PRIVATE = 0o600


def open_private(path: Path, mode: str = "w", **text: Any) -> IO[Any]:
    """`path` opened for writing (truncated), readable and writable by its owner only; `text` as for open()."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    try:
        os.fchmod(descriptor, PRIVATE)  # a file that existed keeps its mode through O_CREAT
        return os.fdopen(descriptor, mode, **text)
    except BaseException:
        os.close(descriptor)
        raise
