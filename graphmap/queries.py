"""The query catalog: every Cypher statement lives in cypher/<verb_noun>.cypher, loaded by name.

A file `name.<engine>.cypher` overrides `name.cypher` on that engine; none is needed so far, and the
portable subset (shared/CYPHER.md) keeps it that way.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from graphmap.errors import GraphmapError

ENGINES = ("falkordb", "neo4j")


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    overrides: dict[str, str] = field(default_factory=dict)

    def text_for(self, engine: str) -> str:
        return self.overrides.get(engine, self.text)


class Catalog:
    def __init__(self, queries: dict[str, Query]) -> None:
        self._queries = queries

    def __getitem__(self, name: str) -> Query:
        try:
            return self._queries[name]
        except KeyError:  # a programming error, never the caller's: a 500 that is logged, not a 404
            raise GraphmapError(f"no query named {name!r} in cypher/") from None

    def __iter__(self) -> Iterator[Query]:
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)


@lru_cache
def catalog() -> Catalog:
    """Loads every .cypher file shipped in the package graphmap.cypher (the repository's cypher/)."""
    base: dict[str, str] = {}
    overrides: dict[str, dict[str, str]] = {}
    for entry in files("graphmap.cypher").iterdir():
        if not entry.name.endswith(".cypher"):
            continue
        stem = entry.name.removesuffix(".cypher")
        name, _, engine = stem.partition(".")
        text = entry.read_text(encoding="utf-8")
        if engine:
            if engine not in ENGINES:
                raise ValueError(f"cypher/{entry.name}: unknown engine {engine!r}; expected one of {ENGINES}")
            overrides.setdefault(name, {})[engine] = text
        else:
            base[name] = text
    orphans = set(overrides) - set(base)
    if orphans:
        raise ValueError(f"cypher/: engine overrides without a portable query: {sorted(orphans)}")
    return Catalog({name: Query(name, text, overrides.get(name, {})) for name, text in sorted(base.items())})
