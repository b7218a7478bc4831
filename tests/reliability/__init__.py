"""The reliability suite (issue 8): faults, hostile input and concurrency, on both engines.

`make test` runs it small; `make bench` sets GRAPHMAP_RELIABILITY=large for the sizes the issue names
(every payload in every input, 20 kill -9 trials of a 100,000-row import, ...).
"""

import os

LARGE = os.environ.get("GRAPHMAP_RELIABILITY", "small") == "large"


def scale(small: int, large: int) -> int:
    return large if LARGE else small
