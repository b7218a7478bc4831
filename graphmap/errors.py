"""One error hierarchy; each error knows the HTTP status it maps to (the API maps them once)."""

from dataclasses import dataclass
from typing import Any


class GraphmapError(Exception):
    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unauthorized(GraphmapError):
    """No credentials, or credentials that are unknown, expired or revoked."""

    status_code = 401


class NotFound(GraphmapError):
    status_code = 404


class Conflict(GraphmapError):
    status_code = 409


class PreconditionFailed(GraphmapError):
    """If-Match named a version of a record that is no longer the stored one."""

    status_code = 412

    def __init__(self, message: str, current: Any) -> None:
        super().__init__(message)
        self.current = current  # the stored record, for the caller to apply their change to


class Invalid(GraphmapError):
    status_code = 422


class Forbidden(GraphmapError):
    status_code = 403


class Busy(GraphmapError):
    """A job that runs one at a time is running; retrying later will do."""

    status_code = 429


class GraphUnavailable(GraphmapError):
    """The engine cannot be reached or started; retrying later may help."""

    status_code = 503


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located precisely enough to fix it."""

    file: str
    line: int
    column: str
    value: str
    message: str
    sheet: str | None = None  # XLSX only

    def __str__(self) -> str:
        sheet = f"[{self.sheet}]" if self.sheet else ""
        line = f":{self.line}" if self.line else ""  # 0: the file as a whole
        where = f"{self.file}{sheet}{line}" + (f": column {self.column}" if self.column else "")
        shown = f" {self.value!r}" if self.value else ""
        return f"{where}:{shown} {self.message}"


class InvalidFile(Invalid):
    """A file failed validation; nothing from it was written."""

    def __init__(self, problems: list[Problem], hint: str = "") -> None:
        self.problems = problems
        self.hint = hint  # what to do instead, after the problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}{hint}")


class TooLarge(InvalidFile):
    """A file asks for more work than the bounds allow (rows, columns, cells, inflated bytes); refused
    before it is expanded, and nothing from it was written."""

    status_code = 413
