from datetime import date

import pytest

from graphmap.io.dates import BadDate, leading_date, parse_date
from graphmap.model import DatePrecision


@pytest.mark.parametrize(
    ("text", "first", "last", "precision", "rest"),
    [
        ("2024-06-15 上门拜访", date(2024, 6, 15), date(2024, 6, 15), DatePrecision.day, "上门拜访"),
        ("2024/5/21", date(2024, 5, 21), date(2024, 5, 21), DatePrecision.day, ""),
        ("2024年5月21日签约", date(2024, 5, 21), date(2024, 5, 21), DatePrecision.day, "签约"),
        ("2024.05.21, visit", date(2024, 5, 21), date(2024, 5, 21), DatePrecision.day, "visit"),
        ("2024-06", date(2024, 6, 1), date(2024, 6, 30), DatePrecision.month, ""),
        ("2024-6月签订年度框架合同", date(2024, 6, 1), date(2024, 6, 30), DatePrecision.month, "签订年度框架合同"),
        ("2024年2月初次会面", date(2024, 2, 1), date(2024, 2, 29), DatePrecision.month, "初次会面"),
    ],
)
def test_leading_date_reads_the_usual_forms(text, first, last, precision, rest):
    span, remainder = leading_date(text)
    assert span is not None
    assert (span.first, span.last, span.precision, remainder) == (first, last, precision, rest)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("8月底提供优化方案并跟进", date(2024, 8, 31)),
        ("9月初回访", date(2024, 9, 10)),
        ("9月中旬交付", date(2024, 9, 20)),
        ("10月8日拜访", date(2024, 10, 8)),
        ("2025年1月回访", date(2025, 1, 31)),
    ],
)
def test_plans_within_the_tables_year_get_a_deadline(text, due):
    span, _ = leading_date(text, year=2024)
    assert span is not None and span.due == due


def test_text_without_a_date_is_left_alone():
    assert leading_date("邀请参观企业生产基地", year=2024) == (None, "邀请参观企业生产基地")
    assert leading_date("8月底", year=None) == (None, "8月底")  # no year to put it in


@pytest.mark.parametrize("text", ["2024-13月x", "2024-02-30", "2023年2月29日", "2024-00"])
def test_impossible_dates_are_errors_not_text(text):
    with pytest.raises(BadDate, match="not a valid date"):
        leading_date(text)


def test_parse_date_wants_a_date_and_nothing_else():
    assert parse_date("2024-08-15").first == date(2024, 8, 15)
    with pytest.raises(BadDate, match="not a date"):
        parse_date("2024-08-15 and more")
    with pytest.raises(BadDate, match="not a date"):
        parse_date("last Tuesday")
