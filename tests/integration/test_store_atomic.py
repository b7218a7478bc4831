"""store.atomic(): an import's batch takes effect whole or not at all, on each engine."""

import pytest

from graphmap.graph import count_graph, write_portfolio
from graphmap.io.mapping_table import read_mapping_table
from tests.conftest import WORKED_EXAMPLE

pytestmark = pytest.mark.integration


def test_writes_in_the_block_land_together_when_it_ends(store):
    portfolio = read_mapping_table(WORKED_EXAMPLE)
    with store.atomic():
        write_portfolio(store, portfolio)
        assert count_graph(store) == {}  # reads inside see the graph as it was
    assert count_graph(store)["Person"] == 4


def test_an_exception_in_the_block_writes_nothing(store):
    portfolio = read_mapping_table(WORKED_EXAMPLE)
    with pytest.raises(KeyboardInterrupt), store.atomic():
        write_portfolio(store, portfolio)
        raise KeyboardInterrupt
    assert count_graph(store) == {}
    with store.atomic():  # the store is usable afterwards
        with store.atomic():  # nested blocks are part of the outer one
            write_portfolio(store, portfolio)
    assert count_graph(store)["Person"] == 4
