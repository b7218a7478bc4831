"""What comes back from the engines is plain Python: checked on real replies, since our FalkorDB decoder
replaces the client's and must agree with it on every kind of value a query returns."""

import gc
from datetime import date, datetime

import pytest
from falkordb.query_result import QueryResult

from graphmap.collector import collector_paused
from graphmap.errors import Invalid
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer
from graphmap.store.values import Undecodable, decode_compact, plain

pytestmark = pytest.mark.integration

EVERY_KIND = (
    "RETURN 1 AS integer, -9007199254740993 AS big, 'text 文本 \"q\"' AS string, '' AS empty, true AS yes, "
    "false AS no, 1.5 AS double, null AS nothing, [1, 'x', [2.5, null]] AS list, [] AS none, "
    "{k: [true, {n: 3}], s: '值'} AS map, date('2024-05-21') AS day, "
    "localdatetime('2024-05-21T08:30:00') AS moment"
)


@pytest.fixture(scope="module")
def graph(embedded_server: EmbeddedServer) -> EmbeddedStore:
    return EmbeddedStore(embedded_server, "values")


def compact_reply(store: EmbeddedStore, query: str) -> list:
    return store._db.connection.execute_command("GRAPH.RO_QUERY", store.graph_name, query, "--compact")


def test_every_kind_of_value_decodes_as_the_client_would(graph):
    graph._db.connection.execute_command("GRAPH.QUERY", graph.graph_name, "MERGE (:Seed)")
    reply = compact_reply(graph, EVERY_KIND)
    ours = [decode_compact(cell) for cell in reply[1][0]]
    theirs = [plain(value) for value in QueryResult(graph._graph, reply).result_set[0]]
    assert ours == theirs
    assert ours == [
        1,
        -9007199254740993,
        'text 文本 "q"',
        "",
        True,
        False,
        1.5,
        None,
        [1, "x", [2.5, None]],
        [],
        {"k": [True, {"n": 3}], "s": "值"},
        date(2024, 5, 21),
        datetime(2024, 5, 21, 8, 30),
    ]
    assert [type(v) for v in ours[:7]] == [int, int, str, str, bool, bool, float]


def test_a_node_is_refused_with_the_rule_that_forbids_it(graph):
    graph._db.connection.execute_command("GRAPH.QUERY", graph.graph_name, "MERGE (:Seed)")
    reply = compact_reply(graph, "MATCH (n:Seed) RETURN n")
    with pytest.raises(Undecodable, match="node"):
        decode_compact(reply[1][0][0])


def test_the_collector_is_paused_inside_and_back_on_after_even_on_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the outer one decides
            pass
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


PARAMETERS = [
    'text 文本 "quoted" back\\slash \\" both',
    "",
    "line\nbreak",
    0,
    -9007199254740993,
    1.5,
    1e-05,
    True,
    False,
    None,
    [1, "x", [2.5, None]],
    [],
    {"k": [True, {"n": 3}], "s": "值"},
    date(2024, 5, 21),
    ("a", "b"),
]


@pytest.mark.parametrize("value", PARAMETERS, ids=repr)
def test_a_parameter_reaches_falkordb_as_the_client_would_send_it(graph, value):
    from falkordb.helpers import stringify_param_value

    from graphmap.store.embedded import _parameter_header
    from graphmap.store.values import to_parameter

    ours = compact_reply(graph, _parameter_header({"v": value}) + "RETURN $v AS v")
    clients = compact_reply(graph, f"CYPHER v={stringify_param_value(to_parameter(value))} RETURN $v AS v")
    assert decode_compact(ours[1][0][0]) == decode_compact(clients[1][0][0]) == plain(to_parameter(value))


def test_a_parameter_map_key_with_a_backquote_is_refused():
    from graphmap.store.values import cypher_literal

    with pytest.raises(ValueError, match="backquote"):
        cypher_literal({"a`b": 1})


def test_text_with_a_nul_is_refused_before_it_could_cut_the_query_short(graph):
    # FalkorDB reads the query as a C string: unchecked, "a\x00b" would end the parameter header mid-way.
    with pytest.raises(Invalid, match="NUL"):
        graph.read("list_users", user_id="boss\x00")
    with pytest.raises(Invalid, match="NUL"):
        graph.write("merge_users", rows=[{"id": "u1", "props": {"name": "a\x00b", "team": "east"}}])
    assert graph.read("list_users", user_id=None) == []


def test_a_parameter_has_its_dates_as_text_at_any_depth_and_everything_else_as_it_was():
    from graphmap.model import Channel
    from graphmap.store.values import to_parameter

    rows = [{"id": "p1", "props": {"on": date(2024, 5, 21), "roles": ("a", date(2024, 1, 2)), "n": None}}]
    assert to_parameter({"rows": rows, 7: {1, 2}, "at": datetime(2024, 5, 21, 8, 30), "c": Channel.phone}) == {
        "rows": [{"id": "p1", "props": {"on": "2024-05-21", "roles": ["a", "2024-01-02"], "n": None}}],
        "7": [1, 2],
        "at": "2024-05-21T08:30:00",
        "c": Channel.phone,
    }
    plain_rows = [{"id": "p1", "props": {"name": "某", "roles": ["decision_maker"], "n": 1.5}}]
    assert to_parameter({"rows": plain_rows}) == {"rows": plain_rows}
