"""Turns what each engine's client returns into plain Python, in one place: plain() for the neo4j driver's
values, decode_compact() for FalkorDB's compact replies."""

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from graphmap.errors import Invalid

SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Maps become dicts, lists stay lists, neo4j temporal types become datetime types."""
    if type(value) in SCALARS:  # nearly every value: answer before the slower checks
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    to_native = getattr(value, "to_native", None)
    if to_native is not None:  # neo4j.time.Date / DateTime
        value = to_native()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


class Undecodable(Exception):
    """A value no query should return (CYPHER.md rule 11: scalars, maps and lists only)."""


# Value types of FalkorDB's compact replies: each value comes as [type, value].
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6
_MAP, _DATETIME, _DATE = 10, 13, 14


def decode_compact(cell: list[Any]) -> Any:
    """One value of a compact reply as plain Python.

    Our own decoder rather than the client's QueryResult: every query returns scalars, maps and lists
    (shared/CYPHER.md rule 11), and for those this is three times faster, which large reads feel.
    """
    kind, value = cell
    if kind == _STRING or kind == _INTEGER:  # the reply parser has made them str and int already
        return value
    if kind == _NULL:
        return None
    if kind == _ARRAY:
        return [decode_compact(item) for item in value]
    if kind == _DOUBLE:
        return float(value)
    if kind == _BOOLEAN:
        return value == "true"
    if kind == _MAP:
        return {value[i]: decode_compact(value[i + 1]) for i in range(0, len(value), 2)}
    if kind == _DATE:
        return datetime.fromtimestamp(value, tz=UTC).date()
    if kind == _DATETIME:
        return datetime.fromtimestamp(value, tz=UTC).replace(tzinfo=None)
    raise Undecodable(f"a FalkorDB value of type {kind} (a node, edge, path, point or time)")


def to_parameter(value: Any) -> Any:
    """Dates go to both engines as ISO strings (the FalkorDB client cannot send date objects)."""
    kind = type(value)
    if kind in SCALARS:  # nearly every value: answered before the ABC checks, which cost most
        return value
    if kind is dict or isinstance(value, Mapping):
        return {k if type(k) is str else str(k): to_parameter(v) for k, v in value.items()}
    if kind is list or isinstance(value, list | tuple | set | frozenset):
        return [to_parameter(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def cypher_literal(value: Any) -> str:
    """A parameter value as the Cypher literal FalkorDB takes in its `CYPHER name=value` header.

    The client's own stringify_param_value does the same after to_parameter, in two recursive passes with
    isinstance chains; a bulk import spent more time there than in the engine. Dates go as ISO strings,
    as to_parameter sends them to Neo4j; map keys are backquoted (ours are identifiers, never backquotes).
    """
    kind = type(value)
    if kind is dict:
        return _map_literal(value)
    if kind is str:
        return _string_literal(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(repr(value))
    if kind is list or kind is tuple:
        return "[" + ",".join(map(cypher_literal, value)) + "]"
    if isinstance(value, str):  # a vocabulary key (StrEnum)
        return cypher_literal(str(value))
    if isinstance(value, date):
        return '"' + value.isoformat() + '"'
    if isinstance(value, Mapping):
        return _map_literal(dict(value))
    if isinstance(value, set | frozenset):
        return cypher_literal(list(value))
    raise TypeError(f"cannot send a {kind.__name__} as a query parameter")


def _string_literal(text: str) -> str:
    if "\x00" in text:  # FalkorDB reads the query as a C string: the NUL would end it mid-parameter
        raise Invalid(f"text with a NUL character (\\x00) cannot be stored: {text[:40]!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _map_literal(value: dict[Any, Any]) -> str:
    # The rows of a bulk write are maps of scalars: those are written here without a call per value.
    parts = []
    for key, item in value.items():
        name = key if type(key) is str else str(key)
        if not name or "`" in name:
            raise ValueError(f"a map key must be a non-empty name without backquotes: {name!r}")
        kind = type(item)
        if kind is str:
            parts.append(f"`{name}`:" + _string_literal(item))
        elif item is None:
            parts.append(f"`{name}`:null")
        elif kind is int or kind is float:
            parts.append(f"`{name}`:{item!r}")
        else:
            parts.append(f"`{name}`:{cypher_literal(item)}")
    return "{" + ",".join(parts) + "}"
