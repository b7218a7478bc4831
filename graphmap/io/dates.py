"""Dates the way people write them in CRM tables: 2024-06-15, 2024/6/15, 2024年6月15日, 2024-06, 2024-6月,
2024年6月, and (for plans, within the table's year) 8月底, 9月初, 9月15日.

A month-only date is a span; callers choose which end they need.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from graphmap.model import DatePrecision

_SEP = r"\s*[-/.年]\s*"
_FULL = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*日?(?!\d)")
_MONTH = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})\s*月?(?!\s*\d)")
_YEARLESS = re.compile(r"^(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|(底|末|下旬)|(初|上旬)|(中旬|中))?")


@dataclass(frozen=True)
class DateSpan:
    first: date
    last: date
    precision: DatePrecision
    text: str  # as written

    @property
    def due(self) -> date:
        """As a deadline: the last day the text allows."""
        return self.last


class BadDate(ValueError):
    pass


def leading_date(text: str, year: int | None = None) -> tuple[DateSpan | None, str]:
    """The date a text starts with, and the rest of the text. Yearless forms need `year`.

    Raises BadDate for something shaped like a date that is not one (2024-13, 2024-02-30).
    """
    stripped = text.strip()
    if match := _FULL.match(stripped):
        y, m, d = (int(g) for g in match.groups())
        day = _checked(y, m, d, match.group(0))
        return DateSpan(day, day, DatePrecision.day, match.group(0).strip()), _rest(stripped, match.end())
    if match := _MONTH.match(stripped):
        y, m = int(match.group(1)), int(match.group(2))
        first = _checked(y, m, 1, match.group(0))
        last = first.replace(day=calendar.monthrange(y, m)[1])
        return DateSpan(first, last, DatePrecision.month, match.group(0).strip()), _rest(stripped, match.end())
    if year is not None and (match := _YEARLESS.match(stripped)):
        m = int(match.group(1))
        first = _checked(year, m, 1, match.group(0))
        month_end = calendar.monthrange(year, m)[1]
        if match.group(2):
            day = _checked(year, m, int(match.group(2)), match.group(0))
            span = DateSpan(day, day, DatePrecision.day, match.group(0).strip())
        elif match.group(4):  # early in the month: by the 10th (上旬)
            span = DateSpan(first, first.replace(day=10), DatePrecision.month, match.group(0).strip())
        elif match.group(5):  # mid-month: by the 20th (中旬)
            span = DateSpan(first.replace(day=11), first.replace(day=20), DatePrecision.month, match.group(0).strip())
        else:  # 底/末/下旬 or the bare month: by its last day
            span = DateSpan(first, first.replace(day=month_end), DatePrecision.month, match.group(0).strip())
        return span, _rest(stripped, match.end())
    return None, stripped


def parse_date(text: str) -> DateSpan:
    """A cell that must hold a date and nothing else."""
    span, rest = leading_date(text)
    if span is None or rest:
        raise BadDate(f"not a date; expected e.g. 2024-08-15, 2024/8/15, 2024年8月15日 or 2024-08, got {text!r}")
    return span


def _checked(y: int, m: int, d: int, written: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise BadDate(f"{written.strip()!r} is not a valid date") from None


def _rest(text: str, end: int) -> str:
    return text[end:].lstrip(" ,，:：、;；")
