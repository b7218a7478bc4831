"""The cells of the customer tables: one parser per kind of cell (text -> value, raising CellError with
what the cell should hold) and its inverse for export (value -> text the parser reads back)."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphmap.addresses import address_key
from graphmap.io.dates import BadDate, DateSpan, parse_date
from graphmap.model import SizeBand, Vocabulary, fold
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


YEAR = re.compile(r"^(\d{4})\s*年?$")


def year_or_day(value: str) -> date:
    """Where a template asks for a year (成立时间: 2015年, 2015), its first day; or a day as `day` reads it."""
    if match := YEAR.match(value.strip()):
        if not 1000 <= int(match.group(1)) <= 8999:
            raise CellError("expected a year such as 2015 or 2015年, or a date")
        return date(int(match.group(1)), 1, 1)
    try:
        return day(value)
    except CellError:
        raise CellError("expected a year (2015, 2015年) or a date (2015-03-01)") from None


def show_year_or_day(value: date | None, language: str = "zh") -> str:
    """A year alone for 1 January: what was written as a year is written back as one."""
    if value is None:
        return ""
    return str(value.year) if (value.month, value.day) == (1, 1) else value.isoformat()


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


UNITS = re.compile(r"\s*(分|次|人|个月|月|年|个|家|points?|times?|months?)$", re.IGNORECASE)


def whole(low: int, high: int) -> Callable[[str], int]:
    """A whole number; the unit the seeds write after it (4分, 12次, 24个月) is read past."""

    def parse(value: str) -> int:
        try:
            number = float(UNITS.sub("", value.strip()))
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


@dataclass(frozen=True)
class Written:
    """A term read with the text it was written as, when that says more than the term's label
    (客户来源 老客户转介绍 is a referral; 企业规模 100-500人 is no one band)."""

    term: Any  # a Vocabulary member, or None when the text maps to none
    text: str | None  # None when the text is the term's own label


def term_as_written(vocabulary: type[Vocabulary]) -> Callable[[str], Written]:
    one = term(vocabulary)

    def parse(value: str) -> Written:
        member = one(value)
        labels = {fold(member.value), fold(member.zh), fold(member.en)}
        return Written(member, None if fold(value) in labels else value)

    return parse


def show_written(value: Written | None, language: str = "zh") -> str:
    if value is None:
        return ""
    return value.text or show_term(value.term, language)


def as_written(record: dict[str, Any], field: str, text_field: str) -> dict[str, Any]:
    """A row's values with its Written cell split into the term and, when it says more, its text."""
    values = dict(record)
    if field in values:
        cell = values.pop(field)
        values[field], values[text_field] = (cell.term, cell.text) if cell is not None else (None, None)
    return values


def written(term: Any, text: str | None) -> Written | None:
    """A stored term and its text as written, for a column that shows them (show_written)."""
    return None if term is None and text is None else Written(term, text)


def size(value: str) -> Written:
    """企业规模 as written: a band's label, or a headcount or range (100-500人, 300人, 500+) placed in the
    band that holds it whole; a range across bands, or words (大型企业), keep their text and no band."""
    try:
        return term_as_written(SizeBand)(value)
    except CellError:
        pass
    value = text(value)
    low, high = _headcount(value)
    bands = [(SizeBand.under_50, 0, 49), (SizeBand.from_50, 50, 200), (SizeBand.from_200, 200, 500),
             (SizeBand.over_500, 501, 10**12)]  # fmt: skip
    found = None
    if low is not None and high is not None:
        found = next((b for b, lo, hi in bands if lo <= low and high <= hi), None)
    return Written(found, value)


def _headcount(value: str) -> tuple[int | None, int | None]:
    compact = value.replace(" ", "").replace(",", "").removesuffix("人")
    if match := re.fullmatch(r"(\d+)[-~～至到](\d+)人?", compact):
        low, high = int(match.group(1)), int(match.group(2))
        return (low, high) if low <= high else (high, low)
    if match := re.fullmatch(r"(?:[<＜]|少于|小于)(\d+)|(\d+)人?以下", compact):
        bound = int(match.group(1) or match.group(2))
        return 0, bound - 1
    if match := re.fullmatch(r"(?:[>＞]|多于|大于)(\d+)|(\d+)(?:\+|人?以上)", compact):
        return int(match.group(1) or match.group(2)) + 1, 10**12
    if match := re.fullmatch(r"约?(\d+)", compact):
        return int(match.group(1)), int(match.group(1))
    return None, None


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


class KeyedEmail(str):
    """An e-mail as the archive keeps it (its domain, or whole where details are kept) with the keyed hash
    of the address for capture."""

    key: str

    def __new__(cls, kept: str, key: str) -> "KeyedEmail":
        made = super().__new__(cls, kept)
        made.key = key
        return made


def keyed_email(keep: Callable[[str], str], secret: bytes) -> Callable[[str], str]:
    """The e-mail cell of a deployment that captures: `keep` decides what is kept; the hash comes along."""

    def read(value: str) -> str:
        kept = keep(value)  # checks the address first: a bad one is refused, without its value
        return KeyedEmail(kept, address_key(value, secret))

    return read


def _cell(rule: Callable[[str], str], value: str) -> str:
    try:
        return rule(value)
    except ValueError as error:
        raise CellError(str(error)) from None
