"""Neo4j for the benches that run it beside the embedded engine: where GRAPHMAP_BENCH_NEO4J_URI (or the tests'
GRAPHMAP_TEST_NEO4J_URI) is set. Credentials as the tests take them (GRAPHMAP_TEST_NEO4J_USER / _PASSWORD).

A bench empties the Neo4j database before it writes and after it is done: Neo4j Community has one.
"""

import os

from graphmap.store.neo4j import Neo4jStore


def neo4j_uri() -> str | None:
    return os.environ.get("GRAPHMAP_BENCH_NEO4J_URI") or os.environ.get("GRAPHMAP_TEST_NEO4J_URI") or None


def neo4j_settings() -> dict[str, str]:
    """GRAPHMAP_* settings that point a graphmap process (serve, a notebook's Workbench) at the bench's Neo4j;
    empty where none is set."""
    uri = neo4j_uri()
    if uri is None:
        return {}
    return {
        "GRAPHMAP_NEO4J_URI": uri,
        "GRAPHMAP_NEO4J_USER": os.environ.get("GRAPHMAP_TEST_NEO4J_USER", "neo4j"),
        "GRAPHMAP_NEO4J_PASSWORD": os.environ.get("GRAPHMAP_TEST_NEO4J_PASSWORD", "testpassword"),
    }


def open_neo4j() -> Neo4jStore | None:
    """The bench's Neo4j, emptied and with graphmap's schema; None where none is set."""
    settings = neo4j_settings()
    if not settings:
        return None
    store = Neo4jStore(
        settings["GRAPHMAP_NEO4J_URI"], settings["GRAPHMAP_NEO4J_USER"], settings["GRAPHMAP_NEO4J_PASSWORD"]
    )
    store.clear()
    store.ensure_schema()
    return store
