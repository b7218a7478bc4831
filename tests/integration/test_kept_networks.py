"""The networks the API keeps while the graph is unchanged (graph.KeptNetworks), on every engine: never
older than the graph, whoever wrote, and a guarded edit that uses one still refuses a stale version."""

import uuid
from collections.abc import Iterator

import pytest

from graphmap.editing import PERSON, record_version, update_record
from graphmap.errors import PreconditionFailed
from graphmap.graph import keep_networks, read_account_network, write_portfolio
from graphmap.model import Portfolio
from graphmap.sample import portfolio_path
from graphmap.store import GraphStore

pytestmark = pytest.mark.integration
EN = "2024-EN-00001"


@pytest.fixture
def two_clients(store: GraphStore, request: pytest.FixtureRequest) -> Iterator[tuple[GraphStore, GraphStore]]:
    """The store the API would serve from (keeping networks) and a second client of the same graph."""
    write_portfolio(store, Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8")))
    if store.engine == "neo4j":
        from graphmap.store.neo4j import Neo4jStore

        other: GraphStore = Neo4jStore(*request.getfixturevalue("neo4j_connection"))
    else:
        from graphmap.store.embedded import EmbeddedStore

        other = EmbeddedStore(store.server, store.graph_name)  # type: ignore[attr-defined]
    keeping = keep_networks(store)
    yield keeping, other
    other.close()
    del keeping.kept_networks  # type: ignore[attr-defined]


def test_a_kept_network_is_the_same_object_until_anyone_writes(two_clients):
    keeping, other = two_clients
    first = read_account_network(keeping, EN)
    assert read_account_network(keeping, EN) is first  # kept
    person = first.people[0]
    update_record(other, PERSON, EN, (person.id,), {"title": "另一个客户端 " + uuid.uuid4().hex[:4]}, "t")
    again = read_account_network(keeping, EN)
    assert again is not first
    assert next(p for p in again.people if p.id == person.id).title.startswith("另一个客户端")
    assert read_account_network(keeping, EN, masked=True) is not again  # a viewer's view is kept apart


def test_a_guarded_edit_on_a_kept_network_refuses_a_version_someone_replaced(two_clients):
    keeping, other = two_clients
    person = read_account_network(keeping, EN).people[0]  # kept, with its version
    seen = record_version(person)
    update_record(other, PERSON, EN, (person.id,), {"title": "先改的"}, "t")
    with pytest.raises(PreconditionFailed):
        update_record(keeping, PERSON, EN, (person.id,), {"title": "后改的"}, "t", expected=seen)
    done = update_record(keeping, PERSON, EN, (person.id,), {"title": "后改的"}, "t",
                         expected=record_version(read_account_network(keeping, EN).people[0]))  # fmt: skip
    assert done.title == "后改的" and read_account_network(other, EN).people[0].title == "后改的"
