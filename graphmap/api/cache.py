"""Answers already computed (analyses, pages), reused while the graph has not changed since.

The key is the store's generation (a counter every write moves, from any process) plus everything the
answer depends on: the route, its query, the day it is computed for, and how the caller sees the graph
(masked or not, which accounts). Access is checked before an answer is computed, and the key holds all
that access depends on, so a reused answer never reaches anyone the computed one could not have (on that
ground api/kept.py sends a kept answer before routing). Where the store gives no generation (a Neo4j that
returns no bookmark), nothing is kept and every answer is computed.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class AnswerCache:
    """Answers of the current generation only (an older one can never be asked for again), at most `size`
    of them, the least recently used going first: a page is about 1 MB with its compressed copy."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._generation: str | None = None
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def kept(self, generation: str | None, key: Hashable) -> Any | None:
        """The answer kept for `key` in this generation, or None: for callers on the event loop, who go to
        the thread pool only to compute. Changes nothing (a new generation is taken in get_or_compute)."""
        with self._lock:
            if generation is None or generation != self._generation or key not in self._answers:
                return None
            self._answers.move_to_end(key)
            return self._answers[key]

    def get_or_compute(self, generation: str | None, key: Hashable, compute: Callable[[], T]) -> T:
        """`generation` is the store's, read before `compute` runs: a write while it runs then retires the
        answer at once, instead of leaving an old answer under the new generation."""
        if generation is None:
            return compute()
        with self._lock:
            if generation != self._generation:  # the graph changed: nothing kept can be asked for again
                self._generation = generation
                self._answers.clear()
            elif key in self._answers:
                self._answers.move_to_end(key)
                answer: T = self._answers[key]
                return answer
        answer = compute()
        with self._lock:
            if generation == self._generation:  # else computed from a graph that has changed since
                self._answers[key] = answer
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        return answer
