"""Lists: filters, sorting and pagination over plain records, answered as {data, count}."""

from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from graphmap.errors import Invalid

T = TypeVar("T")
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description="how many match the filters, over all pages")


class Window(BaseModel):
    """Which slice of a list, in which order; a list's filters extend it (FastAPI takes one model per
    query, and unknown parameters are refused rather than silently ignored)."""

    model_config = ConfigDict(extra="forbid")

    offset: int = Field(default=0, ge=0, le=10_000_000)
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)
    sort: str | None = Field(default=None, max_length=60, description="a field; -field for descending")


def page_of(items: Sequence[T], window: Window, sortable: Sequence[str], default: str) -> Page[T]:
    """Sorts by the asked field (None last), then by the default, and cuts the window out."""
    field = window.sort or default
    descending = field.startswith("-")
    name = field.removeprefix("-")
    if name not in sortable:
        raise Invalid(f"sort: {field!r}; sort by one of {', '.join(sortable)} (prefix - for descending)")
    key: Callable[[Any], Any] = lambda item: _sort_key(getattr(item, name))  # noqa: E731
    ordered = sorted(items, key=lambda item: _sort_key(getattr(item, default.removeprefix("-"))))
    present = [i for i in ordered if getattr(i, name) is not None]
    absent = [i for i in ordered if getattr(i, name) is None]
    present.sort(key=key, reverse=descending)
    everything = present + absent
    return Page(data=everything[window.offset : window.offset + window.limit], count=len(everything))


def _sort_key(value: Any) -> Any:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return tuple(str(v) for v in value)
    return value


def matches(text: str | None, query: str | None) -> bool:
    return query is None or (text is not None and query.casefold() in text.casefold())
