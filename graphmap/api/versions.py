"""Optimistic concurrency over HTTP: every record's ETag is its version (editing.record_version); a PATCH
or DELETE with If-Match is applied only to that version, else 412 with the current record."""

from typing import Annotated, TypeVar

from fastapi import Header, Response
from pydantic import BaseModel

from graphmap.editing import record_version

M = TypeVar("M", bound=BaseModel)

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="the record's ETag as you read it: the change is made only if no one changed it since "
        "(else 412 with the current record) / 仅当记录未被他人修改时才执行",
    ),
]


def expected_version(if_match: str | None) -> str | None:
    """The version an If-Match names: its ETag without quotes (a weak W/ prefix is taken as the same)."""
    if if_match is None:
        return None
    return if_match.strip().removeprefix("W/").strip('"')


def etag(record: BaseModel) -> str:
    return f'"{record_version(record)}"'


def with_etag(response: Response, record: M) -> M:
    response.headers["ETag"] = etag(record)
    return record
