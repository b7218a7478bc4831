"""The weekly review as Markdown and as an e-mail body: every name escaped, empty weeks said."""

from datetime import date

from graphmap.analysis.gaps import AccountStanding
from graphmap.analysis.review import AccountReview, Movement, MovementKind, Review
from graphmap.pages.review import describe, review_html, review_markdown

HOSTILE = "<script>alert(1)</script>*某|x_"


def standing(**changes: object) -> AccountStanding:
    values = {"account_id": "a1", "account_name": HOSTILE, "risk": 1, "score": 40, "score_before": 45, "people": 5,
              "uncovered_decision_makers": 1, "uncovered_stakeholders": 2, "weak_links": 3}  # fmt: skip
    return AccountStanding(**(values | changes))


def review(*movements: Movement) -> Review:
    account = AccountReview(standing=standing(), movements=list(movements), actions=[])
    return Review(since=date(2024, 9, 23), as_of=date(2024, 9, 30), accounts=[account])


COLD = Movement(kind=MovementKind.went_cold, person_name=HOSTILE, person_title="总经理", contact_name="刘浩华",
                contact_title="销售总监", before="fair", after="weak", on=date(2024, 8, 30))  # fmt: skip


def test_a_movement_reads_as_one_bilingual_line():
    assert describe(COLD) == f"总经理{HOSTILE} ← 销售总监刘浩华: 一般 / fair → 弱 / weak · 上次互动 / last 2024-08-30"
    joined = Movement(kind=MovementKind.title_changed, person_name="蔡英", department_path="总部/信息中心",
                      before="信息经理", after="信息总监", on=date(2024, 9, 27))  # fmt: skip
    assert describe(joined) == "蔡英 · 总部/信息中心: 信息经理 → 信息总监 (2024-09-27)"


def test_markdown_escapes_every_name():
    text = review_markdown(review(COLD))
    assert "\\*某\\|x\\_" in text and "\\<script\\>" in text
    assert "## 1\\. " in text and "(-5)" in text and "关系转弱 / link went cold" in text


def test_the_e_mail_body_is_self_contained_and_escaped():
    html = review_html(review(COLD))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<style" not in html and "http" not in html  # inline styles; nothing fetched
    assert html.startswith("<!DOCTYPE html>") and 'charset="utf-8"' in html


def test_a_quiet_week_and_an_empty_review_say_so():
    assert "本周没有变化 / nothing moved" in review_markdown(review())
    assert "本周没有变化 / nothing moved" in review_html(review())
    empty = Review(since=date(2024, 9, 23), as_of=date(2024, 9, 30), accounts=[])
    assert "no accounts" in review_markdown(empty) and "no accounts" in review_html(empty)
