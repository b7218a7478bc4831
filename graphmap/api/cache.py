"""Answers already computed (analyses, pages), reused while the graph has not changed since.

The key is the store's generation (a counter every write moves, from any process) plus everything the
answer depends on: the route, its query, the day it is computed for, and how the caller sees the graph
(masked or not, which accounts). Access is checked on every request before an answer is looked up, so a
reused answer never reaches anyone the computed one could not have. Where the store has no generation
(Neo4j), nothing is kept and every answer is computed.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class AnswerCache:
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, generation: str | None, key: Hashable, compute: Callable[[], T]) -> T:
        """`generation` is the store's, read before `compute` runs: a write while it runs then retires the
        answer at once, instead of leaving an old answer under the new generation."""
        if generation is None:
            return compute()
        full_key = (generation, key)
        with self._lock:
            if full_key in self._answers:
                self._answers.move_to_end(full_key)
                answer: T = self._answers[full_key]
                return answer
        answer = compute()
        with self._lock:
            self._answers[full_key] = answer
            while len(self._answers) > self.size:  # least recently used first; old generations age out
                self._answers.popitem(last=False)
        return answer
