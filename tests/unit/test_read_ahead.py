"""read_ahead: portfolio-wide reads overlap the engine's work on the next chunk with Python's on this one."""

import threading

import pytest

from graphmap.graph import read_ahead


def test_answers_come_in_chunk_order():
    assert list(read_ahead([[1, 2], [3], [4, 5]], sum)) == [3, 3, 9]
    assert list(read_ahead([[7]], sum)) == [7]
    assert list(read_ahead([], sum)) == []


def test_the_next_chunk_is_read_while_the_caller_works_on_this_one():
    started = {chunk: threading.Event() for chunk in range(3)}

    def read(chunk: int) -> int:
        started[chunk].set()
        return chunk

    answers = read_ahead([0, 1, 2], read)
    assert next(answers) == 0
    assert started[1].wait(timeout=10), "chunk 1 was not read until the caller asked for it"
    assert list(answers) == [1, 2]


def test_a_failed_read_reaches_the_caller_in_its_turn():
    def read(chunk: int) -> int:
        if chunk == 1:
            raise ValueError("engine said no")
        return chunk

    answers = read_ahead([0, 1, 2], read)
    assert next(answers) == 0
    with pytest.raises(ValueError, match="engine said no"):
        next(answers)
