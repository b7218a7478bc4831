"""The cells of the customer tables: one parser per kind of cell (text -> value, raising CellError with
what the cell should hold) and its inverse for export (value -> text the parser reads back)."""

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from graphmap.io.dates import BadDate, DateSpan, parse_date
from graphmap.model import Vocabulary, fold
from graphmap.personal import checked_email, checked_phone, email_domain, plain_text, reduced_phone


class CellError(ValueError):
    """A cell that does not hold what its column expects; the message says what would."""


def text(value: str) -> str:
    if len(value) > 2000:
        raise CellError("too long: at most 2,000 characters")
    return _cell(plain_text, value)


def show_text(value: Any, language: str = "zh") -> str:
    return "" if value is None else str(value)


def day(value: str) -> date:
    """A day in the usual forms (2024-05-21, 2024/5/21, 2024年5月21日); a month alone (2024-06) is its first day."""
    try:
        span = parse_date(value)
    except BadDate:
        raise CellError("expected a date: 2024-05-21, 2024/5/21, 2024年5月21日, or a month 2024-06") from None
    return span.first


def show_day(value: date | None, language: str = "zh") -> str:
    return value.isoformat() if value else ""


def amount(value: str) -> float:
    """万元: 65, 65.5, 1,234.5, 65万; negative amounts are refused."""
    cleaned = value.replace(",", "").replace("，", "").removesuffix("万元").removesuffix("万").strip()
    try:
        number = float(cleaned)
    except ValueError:
        raise CellError("expected an amount in 万元, e.g. 65 or 12.5") from None
    if number < 0 or number != number or number in (float("inf"), float("-inf")):
        raise CellError("expected an amount of 0 or more")
    return round(number, 4)


def show_amount(value: float | None, language: str = "zh") -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:g}"


def whole(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = float(value)
        except ValueError:
            raise CellError(f"expected a whole number from {low} to {high}") from None
        if not low <= number <= high or number != int(number):  # NaN fails the first test
            raise CellError(f"expected a whole number from {low} to {high}")
        return int(number)

    return parse


YES = {"是", "有", "yes", "y", "true", "1", "√", "✓"}
NO = {"否", "无", "no", "n", "false", "0", "×"}


def yes_no(value: str) -> bool:
    folded = fold(value)
    if folded in {fold(v) for v in YES}:
        return True
    if folded in {fold(v) for v in NO}:
        return False
    raise CellError("expected 是/否 or yes/no")


def show_yes_no(value: bool | None, language: str = "zh") -> str:
    if value is None:
        return ""
    return ("是" if value else "否") if language == "zh" else ("yes" if value else "no")


def term(vocabulary: type[Vocabulary]) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        try:
            return vocabulary.parse(value)
        except ValueError:
            raise CellError(f"accepted: {vocabulary.accepted()}") from None

    return parse


def show_term(value: Vocabulary | None, language: str = "zh") -> str:
    return getattr(value, language) if value is not None else ""


def span(value: str) -> DateSpan:
    """A date that keeps its precision and text (the contact log's 时间: a day, or a month alone)."""
    try:
        return parse_date(value)
    except BadDate:
        raise CellError("expected a date: 2024-05-21, 2024/5/21, 2024年5月21日, or a month 2024-06") from None


def percent(value: str) -> float:
    number = amount(value.removesuffix("%").removesuffix("％"))
    if number > 100:
        raise CellError("expected a percentage from 0 to 100")
    return number


def terms(vocabulary: type[Vocabulary]) -> Callable[[str], tuple[Any, ...]]:
    """Several keys in one cell, separated by 、 , ， ; ；"""
    one = term(vocabulary)

    def parse(value: str) -> tuple[Any, ...]:
        return tuple(dict.fromkeys(one(part) for part in split_list(value)))

    return parse


def show_terms(values: Sequence[Vocabulary] | None, language: str = "zh") -> str:
    return "、".join(show_term(v, language) for v in values or ())


def split_list(text: str) -> list[str]:
    return [part for part in (p.strip() for p in LIST_SEPARATORS.split(text)) if part]


LIST_SEPARATORS = re.compile(r"[、,，;；\n]")


# Personal data: the rules are graphmap.personal's, the same for every way in (imports, the API); here
# they read a cell, so the original never reaches the graph, a problem message or a log.


def phone(value: str) -> str:
    return _cell(reduced_phone, value)


def phone_kept(value: str) -> str:
    """For a deployment that opted out of the reduction (GRAPHMAP_KEEP_CONTACT_DETAILS): checked, kept."""
    return _cell(checked_phone, value)


def email(value: str) -> str:
    return _cell(email_domain, value)


def email_kept(value: str) -> str:
    return _cell(checked_email, value)


def _cell(rule: Callable[[str], str], value: str) -> str:
    try:
        return rule(value)
    except ValueError as error:
        raise CellError(str(error)) from None
