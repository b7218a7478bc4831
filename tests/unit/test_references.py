"""What an import remembers of the records it adds lives on disk past a few thousand: the answers must be
the same on both sides of a flush."""

import pytest

from graphmap.io.references import Known
from graphmap.model import Person


def person(n: int, account: str = "A") -> Person:
    return Person(id=f"p-{n}", account_id=account, department_id="d-1", name=f"*{n}", title="经理", roles=())


@pytest.mark.parametrize("bits", [8, 1 << 23])  # 8: every key collides, so the file is asked each time
def test_first_seen_and_people_are_found_whether_flushed_or_not(monkeypatch, bits):
    monkeypatch.setattr("graphmap.io.references._Spill.FLUSH_EVERY", 3)
    monkeypatch.setattr("graphmap.io.references._Spill.SPILLED_BITS", bits)
    known = Known(None)
    try:
        for n in range(10):
            assert known.first("person", f"p-{n}", f"f.csv:{n + 2}") is None
            known.add_person(person(n), ["总部", "采购部"])
        known.add_person(person(99, account="B"), ["技术部"])
        assert [known.first("person", f"p-{n}", "again") for n in (0, 5, 9)] == ["f.csv:2", "f.csv:7", "f.csv:11"]
        assert known.first("account", "p-0", "x") is None  # another kind, another record
        assert [known.first("person", f"p-{n}", "new") for n in range(10, 40)] == [None] * 30
        assert known.people("A", "经理*7") == {"p-7"}
        assert known.people("A", "采购部/经理*3") == {"p-3"}
        assert known.people("B", "经理*99") == {"p-99"} and known.people("A", "经理*99") == set()
        known.add_person(person(10), ["总部", "采购部"])  # after the account's people were looked up
        assert known.people("A", "经理*10") == {"p-10"}
    finally:
        known.close()
