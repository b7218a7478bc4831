"""store.atomic() and WriteBehind: an import's batch takes effect whole or not at all, on each engine."""

import json
import sys
import threading
from datetime import timedelta

import neo4j
import pytest

from graphmap.backup import backup
from graphmap.errors import GraphmapError
from graphmap.graph import count_graph, portfolio_step, write_portfolio
from graphmap.io.mapping_table import read_mapping_table
from graphmap.store import WRITING_SWITCH_INTERVAL, GraphStore, WriteBehind
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.neo4j import Neo4jStore
from tests.conftest import WORKED_EXAMPLE, without_audit

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


def graph_lines(store: GraphStore, path) -> list[dict]:
    """The whole graph as backup lines, each change-log entry without when it was first written."""
    backup(store, path)
    lines = [json.loads(line) for line in without_audit(path.read_text(encoding="utf-8"))]
    for line in lines:
        if line.get("node") == "Change":
            line["properties"].pop("recorded_at")
    return lines


def test_write_behind_writes_each_step_whole_and_in_order_as_write_portfolio_does(store, tmp_path):
    """The import's write pass: the second step's interactions link people the first step writes, and the
    third step's change log must see the first's people written to record their new titles."""
    portfolio = read_mapping_table(WORKED_EXAMPLE)
    people = portfolio.model_copy(update={"interactions": ()})
    meetings = portfolio.model_copy(update={"departments": (), "people": (), "coverage": ()})
    later = tuple(a.model_copy(update={"updated_on": a.updated_on + timedelta(days=7)}) for a in people.accounts)
    retitled = people.model_copy(update={  # the table as updated a week later
        "accounts": later, "people": tuple(p.model_copy(update={"title": f"{p.title}（代）"}) for p in people.people)
    })  # fmt: skip
    parts = (people, meetings, retitled)
    for part in parts:
        write_portfolio(store, part)
    expected = graph_lines(store, tmp_path / "expected.jsonl")
    assert any(line.get("relationship") == "WITH" for line in expected)
    assert any(line.get("node") == "Change" and line["properties"]["kind"] == "title_changed" for line in expected)
    store.clear()
    with WriteBehind(store) as behind:
        for part in parts:
            behind.submit(portfolio_step(store, part))
    assert behind.written == 3
    assert graph_lines(store, tmp_path / "behind.jsonl") == expected


def test_write_behind_stops_at_a_failed_step_and_raises_its_failure(store):
    def failing() -> list:
        raise GraphmapError("the engine refused the batch")

    account = read_mapping_table(WORKED_EXAMPLE).model_copy(update={"interactions": ()})
    with pytest.raises(GraphmapError, match="refused"), WriteBehind(store) as behind:
        behind.submit(portfolio_step(store, account))
        behind.submit(failing)
        behind.submit(lambda: [store.prepare("merge_users", rows=[{"id": "u9", "props": {"name": "U"}}])])
    assert behind.written == 1
    assert count_graph(store)["Person"] == 4 and "User" not in count_graph(store)


def test_write_behind_interrupted_finishes_the_step_being_written_and_drops_the_waiting_ones(store):
    started, go = threading.Event(), threading.Event()

    def slow() -> list:
        started.set()
        go.wait(5)
        return [store.prepare("merge_users", rows=[{"id": "u1", "props": {"name": "U1"}}])]

    with pytest.raises(KeyboardInterrupt), WriteBehind(store) as behind:
        behind.submit(slow)
        assert started.wait(5)
        behind.submit(lambda: [store.prepare("merge_users", rows=[{"id": "u2", "props": {"name": "U2"}}])])
        threading.Timer(0.3, go.set).start()  # the first step ends after the block has been left
        raise KeyboardInterrupt
    assert behind.written == 1
    assert [row["id"] for row in store.read("list_users", user_id=None)] == ["u1"]


def test_write_behind_shortens_the_switch_interval_while_any_runs_and_restores_it_after(store):
    # The writing thread takes the GIL back at each engine reply while the caller builds the next batch.
    default = sys.getswitchinterval()
    assert default > WRITING_SWITCH_INTERVAL
    with WriteBehind(store):
        assert sys.getswitchinterval() == WRITING_SWITCH_INTERVAL
        with pytest.raises(KeyboardInterrupt), WriteBehind(store):
            raise KeyboardInterrupt
        assert sys.getswitchinterval() == WRITING_SWITCH_INTERVAL  # the first still runs
    assert sys.getswitchinterval() == default
