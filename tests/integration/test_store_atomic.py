"""store.atomic(): an import's batch takes effect whole or not at all, on each engine."""

import neo4j
import pytest

from graphmap.graph import count_graph, write_portfolio
from graphmap.io.mapping_table import read_mapping_table
from graphmap.store import GraphStore
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.neo4j import Neo4jStore
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


def test_the_generation_moves_with_every_write_and_only_then(store, request):
    """What lets the API reuse an answer: the generation changes after any write, from any connection."""
    other = another_connection(store, request)  # as another process would see it
    seen = [store.generation()]
    assert seen[0] is not None
    count_graph(store)
    assert store.generation() == seen[-1]  # reads leave it
    with store.atomic():
        write_portfolio(store, read_mapping_table(WORKED_EXAMPLE))
        assert store.generation() == seen[-1]  # nothing written yet
    seen.append(other.generation())
    store.write("merge_users", rows=[{"id": "u1", "props": {"name": "U", "team": "east"}}])
    seen.append(other.generation())
    store.clear()
    seen.append(store.generation())
    assert len(set(seen)) == len(seen)  # a new value each time, never one seen before
    other.close()


def test_a_write_to_neo4j_by_another_program_moves_the_generation(request):
    """Answers kept on Neo4j are only as fresh as this: cypher-shell or an ETL job writes there too."""
    uri, user, password = request.getfixturevalue("neo4j_connection")
    store = Neo4jStore(uri, user, password)
    before = store.generation()
    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as driver:
        driver.execute_query("CREATE (:GenerationProbe)")
        assert store.generation() != before
        before = store.generation()
        driver.execute_query("MATCH (n:GenerationProbe) SET n.seen = true")
        assert store.generation() != before
        driver.execute_query("MATCH (n:GenerationProbe) DELETE n")
    store.close()


def another_connection(store: GraphStore, request: pytest.FixtureRequest) -> GraphStore:
    if store.engine == "neo4j":
        return Neo4jStore(*request.getfixturevalue("neo4j_connection"))
    assert isinstance(store, EmbeddedStore)
    return EmbeddedStore(request.getfixturevalue("embedded_server"), store.graph_name)


def test_a_guarded_step_writes_what_it_decided_and_nothing_when_it_refuses(store):
    write_portfolio(store, read_mapping_table(WORKED_EXAMPLE))
    account_id = read_mapping_table(WORKED_EXAMPLE).accounts[0].id
    before = snapshot_rows(store)

    def refuse(reads):
        assert reads.read("list_accounts", account_id=None)
        raise ValueError("not allowed")

    with pytest.raises(ValueError):
        store.guarded(refuse, [("lock_account", {"id": account_id})])
    assert snapshot_rows(store) == before
    # The locks change nothing, on either engine, when they run as writes of their own.
    assert store.write("lock_account", id=account_id) == [{"locked": 1}]
    assert store.write("lock_contact", id="no-such-contact") == [{"locked": 0}]
    assert snapshot_rows(store) == before

    def rename(reads):
        (row,) = [r for r in reads.read("list_accounts", account_id=None) if r["id"] == account_id]
        return [("merge_accounts", {"rows": [{"id": account_id, "props": {"name": row["name"] + "（新）"}}]})], "done"

    assert store.guarded(rename, [("lock_account", {"id": account_id})]) == "done"
    assert [r["name"] for r in store.read("list_accounts", account_id=None)] == ["XX科技有限公司（新）"]


def snapshot_rows(store):
    pages = (store.read(query, after="", limit=1000) for query in ("dump_account_nodes", "dump_person_nodes"))
    return sorted(str(row) for page in pages for row in page)
