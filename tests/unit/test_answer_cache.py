"""The API's answer cache: reuse within a generation only, never across one, and bounded."""

from graphmap.api.cache import AnswerCache


def counting() -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


def test_an_answer_is_reused_until_the_generation_moves() -> None:
    cache = AnswerCache()
    calls, compute = counting()
    assert cache.get_or_compute("1", "gaps", compute) == 1
    assert cache.get_or_compute("1", "gaps", compute) == 1
    assert cache.get_or_compute("2", "gaps", compute) == 2
    assert cache.get_or_compute("2", "page", compute) == 3  # another key is another answer
    assert len(calls) == 3


def test_without_a_generation_nothing_is_kept() -> None:
    cache = AnswerCache()
    calls, compute = counting()
    cache.get_or_compute(None, "gaps", compute)
    cache.get_or_compute(None, "gaps", compute)
    assert len(calls) == 2


def test_an_answer_computed_while_the_graph_changed_is_not_kept() -> None:
    cache = AnswerCache()

    def slow() -> str:
        cache.get_or_compute("2", "other", lambda: "newer")  # another request sees the write meanwhile
        return "from the old graph"

    cache.get_or_compute("1", "gaps", slow)
    assert cache.get_or_compute("2", "gaps", lambda: "fresh") == "fresh"


def test_the_least_recently_used_go_first() -> None:
    cache = AnswerCache(size=2)
    cache.get_or_compute("1", "a", lambda: "a")
    cache.get_or_compute("1", "b", lambda: "b")
    cache.get_or_compute("1", "a", lambda: "again")  # a is used, b is now the oldest
    cache.get_or_compute("1", "c", lambda: "c")
    assert cache.get_or_compute("1", "a", lambda: "recomputed") == "a"
    assert cache.get_or_compute("1", "b", lambda: "recomputed") == "recomputed"


def test_a_peek_sees_only_the_current_generations_answers_and_changes_nothing() -> None:
    cache = AnswerCache()
    assert cache.kept("1", "gaps") is None  # nothing computed yet
    cache.get_or_compute("1", "gaps", lambda: "first")
    assert cache.kept("1", "gaps") == "first"
    assert cache.kept("2", "gaps") is None  # a newer graph: the answer is not for it
    assert cache.kept("1", "gaps") == "first"  # and peeking with it retired nothing
    assert cache.kept(None, "gaps") is None  # no generation: nothing is ever reused


def test_a_peek_counts_as_a_use() -> None:
    cache = AnswerCache(size=2)
    cache.get_or_compute("1", "a", lambda: "a")
    cache.get_or_compute("1", "b", lambda: "b")
    cache.kept("1", "a")  # b is now the oldest
    cache.get_or_compute("1", "c", lambda: "c")
    assert cache.kept("1", "a") == "a"
    assert cache.kept("1", "b") is None
