"""Turns what each engine's client returns into plain Python, in one place."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any


def plain(value: Any) -> Any:
    """Maps become dicts, lists stay lists, neo4j temporal types become datetime types."""
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


def to_parameter(value: Any) -> Any:
    """Dates go to both engines as ISO strings (the FalkorDB client cannot send date objects)."""
    if isinstance(value, Mapping):
        return {str(k): to_parameter(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_parameter(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
