"""The networks the API keeps while the graph is unchanged (graph.KeptNetworks), on every engine: never
older than the graph, whoever wrote; a guarded edit that uses one still refuses a stale version; and the
network carried across one's own edit (graph.carry_network) is the graph as read again."""

import uuid
from collections.abc import Iterator

import pytest

from graphmap import graph
from graphmap.editing import (
    COMMENT,
    COVERAGE,
    DEPARTMENT,
    INFLUENCE,
    INTERACTION,
    PERSON,
    PLAN_TARGET,
    REPORTING_LINE,
    TASK,
    create_record,
    delete_record,
    record_version,
    update_record,
)
from graphmap.errors import PreconditionFailed
from graphmap.graph import keep_networks, read_account_network, read_scope, write_portfolio
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


def _p(n: int) -> str:
    return f"{EN}-p{n:04d}"


def _task(store: GraphStore, title: str) -> str:
    return next(t.id for t in read_account_network(store, EN).tasks if t.title == title)


# (what the planner does, carried on the embedded engine, the edit). In order: later ones use what earlier
# ones made. Carried: the edits whose writes change the record alone (editing.RecordKind.alone).
EDITS = [
    ("a title, roles and status", True,
     lambda s: update_record(s, PERSON, EN, (_p(3),), {"title": "技术总监", "roles": ["decision_maker", "user"],
                                                        "status": "left"}, "t")),
    ("a move to another department", True,
     lambda s: update_record(s, PERSON, EN, (_p(4),), {"department_id": f"{EN}-d001"}, "t")),
    ("a new person", True,
     lambda s: create_record(s, PERSON, EN, {"name": "新同事", "department_id": f"{EN}-d002"}, "t")),
    ("a reporting line", True,
     lambda s: create_record(s, REPORTING_LINE, EN, {"person_id": _p(7), "manager_id": _p(3)}, "t")),
    ("a reporting line gone", True, lambda s: delete_record(s, REPORTING_LINE, EN, (_p(1), _p(0)), "t")),
    ("an influence", True,
     lambda s: create_record(s, INFLUENCE, EN, {"person_id": _p(0), "target_id": _p(9), "strength": 40,
                                                "sign": -1}, "t")),
    ("an influence changed", True, lambda s: update_record(s, INFLUENCE, EN, (_p(7), _p(27)), {"strength": 12}, "t")),
    ("an influence gone", True, lambda s: delete_record(s, INFLUENCE, EN, (_p(5), _p(42)), "t")),
    ("a link changed", True,
     lambda s: update_record(s, COVERAGE, EN, ("c00010", _p(1)), {"status": "trusted", "strength": 90}, "t")),
    ("a link of a contact already here", True,
     lambda s: create_record(s, COVERAGE, EN, {"contact_id": "c00020", "person_id": _p(3), "status": "initial"}, "t")),
    ("a link gone", True, lambda s: delete_record(s, COVERAGE, EN, ("c00009", _p(2)), "t")),
    ("a link of a contact new to the account", False,
     lambda s: create_record(s, COVERAGE, EN, {"contact_id": "c00001", "person_id": _p(6), "status": "initial"}, "t")),
    ("that contact's only link gone", True, lambda s: delete_record(s, COVERAGE, EN, ("c00001", _p(6)), "t")),
    ("a meeting, which evidences a link", False,
     lambda s: create_record(s, INTERACTION, EN, {"on": "2024-10-01", "summary": "会面", "person_ids": [_p(8)],
                                                 "contact_ids": ["c00020"]}, "t")),
    ("that link recorded", True,
     lambda s: create_record(s, COVERAGE, EN, {"contact_id": "c00020", "person_id": _p(8), "status": "trusted"}, "t")),
    ("a plan target changed", True,
     lambda s: update_record(s, PLAN_TARGET, EN, ("c00010", _p(0)), {"status": "referred", "band": None,
                                                                   "due": "2024-12-31"}, "t")),
    ("a plan target for a contact the plan names", True,
     lambda s: create_record(s, PLAN_TARGET, EN, {"contact_id": "c00020", "person_id": _p(5), "status": "trusted",
                                                  "band": "fair", "note": "技术交流"}, "t")),
    ("a plan target for a contact new to the plan", False,
     lambda s: create_record(s, PLAN_TARGET, EN, {"contact_id": "c00004", "person_id": _p(6), "status": "initial"},
                             "t")),
    ("that contact's only target gone", True, lambda s: delete_record(s, PLAN_TARGET, EN, ("c00004", _p(6)), "t")),
    ("a plan target gone", True, lambda s: delete_record(s, PLAN_TARGET, EN, ("c00010", _p(1)), "t")),
    ("a task for a contact who owns a target here", True,
     lambda s: create_record(s, TASK, EN, {"title": "拜访", "owner_id": "c00010", "person_id": _p(4),
                                          "due": "2024-10-08"}, "t")),
    ("a task for a contact new to the account", False,
     lambda s: create_record(s, TASK, EN, {"title": "季度回顾", "owner_id": "c00002"}, "t")),
    ("a task done", True, lambda s: update_record(s, TASK, EN, (_task(s, "季度回顾"),), {"state": "done"}, "t")),
    ("a meeting that closes a task", False,
     lambda s: create_record(s, INTERACTION, EN, {"on": "2024-10-02", "summary": "拜访", "person_ids": [_p(4)],
                                                 "contact_ids": ["c00010"]}, "t")),
    ("a task gone", True, lambda s: delete_record(s, TASK, EN, (_task(s, "拜访"),), "t")),
    ("a comment", True, lambda s: create_record(s, COMMENT, EN, {"text": "注意", "person_id": _p(4)}, "t")),
    ("a comment changed", True,
     lambda s: update_record(s, COMMENT, EN, (read_account_network(s, EN).comments[0].id,), {"text": "已处理"}, "t")),
    ("a department", False, lambda s: create_record(s, DEPARTMENT, EN, {"name": "新部门"}, "t")),
    ("a person gone, with their links", False, lambda s: delete_record(s, PERSON, EN, (_p(9),), "t")),
    ("a person the plan names gone, with their target", False,
     lambda s: delete_record(s, PERSON, EN, (_p(2),), "t")),
]  # fmt: skip


def test_the_network_carried_across_ones_own_edit_is_the_graph_as_read_again(two_clients, monkeypatch):
    keeping, other = two_clients
    for what, carried, edit in EDITS:
        read_account_network(keeping, EN)  # kept, as the page's before an edit
        edit(keeping)
        with monkeypatch.context() as reading:
            if carried and keeping.engine == "falkordb":  # kept: the map redrawn reads nothing
                reading.setattr(graph, "read_scope", lambda *_, what=what: pytest.fail(f"{what}: read again"))
            after = read_account_network(keeping, EN)
        assert after == read_scope(other, EN)[0], what  # what another client reads afresh
