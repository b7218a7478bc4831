"""The weekly review (graphmap.analysis.review) as words: one bilingual line per movement, and the whole
review as Markdown or as a self-contained HTML e-mail body (inline styles only: mail clients drop
stylesheets and never fetch). Every name is escaped for the format it goes into."""

import re
from collections.abc import Iterator
from datetime import date

from graphmap.analysis.actions import NextAction
from graphmap.analysis.gaps import AccountStanding
from graphmap.analysis.review import AccountReview, Movement, MovementKind, Review, SinglePointKind
from graphmap.model import Band, RelationshipStatus, titled
from graphmap.pages.html import text

NOTHING_MOVED = "本周没有变化 / nothing moved"
NO_ACCOUNTS = "没有客户 / no accounts in this review"


def heading(review: Review) -> str:
    return f"周报 / Weekly review · {review.since.isoformat()} – {review.as_of.isoformat()}"


def standing_line(s: AccountStanding) -> str:
    change = "—" if s.trend is None else (f"{s.trend:+d}" if s.trend else "±0")
    return (
        f"覆盖分 / score {'—' if s.score is None else s.score} ({change}) · "
        f"未覆盖决策者 / uncovered DMs {s.uncovered_decision_makers} · 薄弱关系 / weak links {s.weak_links}"
    )


def describe(m: Movement) -> str:
    """One movement in a line: who, then what moved (Chinese / English)."""
    who = titled(m.person_title, m.person_name)
    where = f" · {m.department_path}" if m.department_path else ""
    ours = titled(m.contact_title, m.contact_name) if m.contact_name else None
    if m.kind in (MovementKind.went_cold, MovementKind.warmed):
        last = f" · 上次互动 / last {m.on.isoformat()}" if m.on else ""
        return f"{who} ← {ours}: {_band(m.before)} → {_band(m.after)}{last}"
    if m.kind is MovementKind.title_changed:
        return f"{who}{where}: {m.before or '—'} → {m.after or '—'} ({_day(m)})"
    if m.kind in (MovementKind.joined, MovementKind.left, MovementKind.returned):
        return f"{who}{where} ({_day(m)})"
    if m.kind is MovementKind.new_single_point:
        kind = SinglePointKind(str(m.after))
        return f"{who}{where}: {kind.zh} / {kind.en}"
    if m.kind in (MovementKind.plan_met, MovementKind.plan_overdue):
        return f"{who} ← {ours}: {plan_words(RelationshipStatus(str(m.after)), None, m.on, _status(m.before))}"
    if m.kind is MovementKind.comment:
        on = f" ← {ours}" if ours else ""
        return f"{who}{on}: “{m.after}” — {m.before} ({_day(m)})"
    if m.kind is MovementKind.task_overdue:
        owner = f" · 负责人 / owner {ours}" if ours else ""
        return f"{who}{where}: {m.before} · 应于 / due {m.after}{owner}"
    if m.kind is MovementKind.overdue:
        owner = f" · 负责人 / owner {ours}" if ours else ""
        return f"{who}{where}: 应于 / due {m.after}{owner}"
    return f"{who}{where}"


def grouped(movements: list[Movement]) -> Iterator[tuple[MovementKind, list[Movement]]]:
    """Movements by kind, in MovementKind's order (the review keeps them so)."""
    for kind in MovementKind:
        found = [m for m in movements if m.kind is kind]
        if found:
            yield kind, found


def action_lines(action: NextAction) -> tuple[str, str]:
    return action.action_zh, action.action_en


def plan_words(
    status: RelationshipStatus,
    band: Band | None,
    due: date | None,
    now: RelationshipStatus | None,
    band_now: Band | None = None,
) -> str:
    """A plan's target against the link now: 计划 / planned 长期合作信任 / long-term, trusted by 2024-09-30 ·
    现在 / now 初步接触陌生 / first contact, unfamiliar."""
    wanted = f"{status.zh} / {status.en}" + (f" ({band.zh} / {band.en})" if band else "")
    by = f" · 期限 / by {due.isoformat()}" if due else ""
    if now is None:
        return f"计划 / planned {wanted}{by} · 现在 / now 无关系 / no link"
    strength = f" ({band_now.zh} / {band_now.en})" if band_now else ""
    return f"计划 / planned {wanted}{by} · 现在 / now {now.zh} / {now.en}{strength}"


def _status(key: str | None) -> RelationshipStatus | None:
    return None if key is None else RelationshipStatus(key)


def _band(key: str | None) -> str:
    return "无互动 / never" if key is None else f"{Band(key).zh} / {Band(key).en}"


def _day(m: Movement) -> str:
    return m.on.isoformat() if m.on else "—"


# Markdown: every user string escaped, so that *某某 stays a name and a | does not split a table.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(value: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value).replace("\n", " ")


def review_markdown(review: Review) -> str:
    lines = [f"# {md(heading(review))}", ""]
    if not review.accounts:
        return "\n".join([*lines, md(NO_ACCOUNTS), ""])
    if review.quiet:
        lines += [md(NOTHING_MOVED), ""]
    for account in review.accounts:
        lines += _markdown_account(account)
    return "\n".join(lines)


def _markdown_account(account: AccountReview) -> list[str]:
    s = account.standing
    lines = [f"## {s.risk}\\. {md(s.account_name)}", "", md(standing_line(s)), ""]
    if account.quiet:
        lines += [f"_{md(NOTHING_MOVED)}_", ""]
    for kind, movements in grouped(account.movements):
        lines += [f"**{md(kind.zh)} / {md(kind.en)}** ({len(movements)})", ""]
        lines += [f"- {md(describe(m))}" for m in movements] + [""]
    if account.actions:
        lines += ["**下一步行动 / Next actions**", ""]
        for rank, action in enumerate(account.actions, start=1):
            zh, en = action_lines(action)
            lines += [f"{rank}. {md(zh)}  ", f"   {md(en)}"]
        lines.append("")
    return lines


# HTML e-mail body: tables and inline styles, the fonts a Chinese mail client has.
_FONT = "font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',Arial,sans-serif"
_MUTED = "color:#5f6b7a"
_RED = "color:#b42318"


def review_html(review: Review) -> str:
    body = [f'<h1 style="font-size:20px;margin:0 0 12px">{text(heading(review))}</h1>']
    if not review.accounts:
        body.append(f"<p>{text(NO_ACCOUNTS)}</p>")
    elif review.quiet:
        body.append(f'<p style="{_MUTED}">{text(NOTHING_MOVED)}</p>')
    if review.accounts:
        body.append(_summary_table(review))
    body += [_html_account(a) for a in review.accounts]
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{text(heading(review))}</title></head>"
        f'<body style="{_FONT};font-size:14px;color:#1d2939;max-width:760px;margin:0 auto;padding:16px">'
        + "\n".join(body)
        + "</body></html>\n"
    )


def _summary_table(review: Review) -> str:
    cell = "padding:4px 8px;border-bottom:1px solid #e4e7ec"
    head = "".join(
        f'<th style="{cell};text-align:left">{text(c)}</th>'
        for c in (
            "#",
            "客户 / account",
            "覆盖分 / score",
            "变化 / change",
            "未覆盖决策者 / DMs",
            "薄弱 / weak",
            "变化项 / moved",
        )  # fmt: skip
    )
    rows = []
    for a in review.accounts:
        s = a.standing
        trend = "—" if s.trend is None else (f"{s.trend:+d}" if s.trend else "±0")
        danger = f";{_RED};font-weight:bold" if s.uncovered_decision_makers else ""
        values = (str(s.risk), s.account_name, "—" if s.score is None else str(s.score), trend,
                  str(s.uncovered_decision_makers), str(s.weak_links), str(len(a.movements)))  # fmt: skip
        styles = ("", "", "", "", danger, "", "")
        rows.append(
            "<tr>"
            + "".join(f'<td style="{cell}{st}">{text(v)}</td>' for v, st in zip(values, styles, strict=True))
            + "</tr>"
        )
    return (f'<table style="border-collapse:collapse;margin:0 0 16px;font-size:13px">'
            f"<tr>{head}</tr>{''.join(rows)}</table>")  # fmt: skip


def _html_account(account: AccountReview) -> str:
    s = account.standing
    parts = [
        f'<h2 style="font-size:16px;margin:20px 0 4px;border-bottom:2px solid #d0d5dd">'
        f"{s.risk}. {text(s.account_name)}</h2>",
        f'<p style="{_MUTED};margin:0 0 8px">{text(standing_line(s))}</p>',
    ]
    if account.quiet:
        parts.append(f'<p style="{_MUTED}"><i>{text(NOTHING_MOVED)}</i></p>')
    for kind, movements in grouped(account.movements):
        colour = _RED if kind in (MovementKind.decision_maker_uncovered, MovementKind.went_cold,
                                  MovementKind.new_single_point, MovementKind.overdue) else ""  # fmt: skip
        items = "".join(f'<li style="margin:2px 0">{text(describe(m))}</li>' for m in movements)
        parts.append(f'<p style="margin:8px 0 2px;font-weight:bold;{colour}">{text(kind.zh)} / {text(kind.en)}'
                     f" ({len(movements)})</p><ul style=\"margin:0;padding-left:20px\">{items}</ul>")  # fmt: skip
    if account.actions:
        items = "".join(
            f'<li style="margin:4px 0">{text(zh)}<br><span style="{_MUTED}">{text(en)}</span></li>'
            for zh, en in map(action_lines, account.actions)
        )
        parts.append(f'<p style="margin:8px 0 2px;font-weight:bold">下一步行动 / Next actions</p>'
                     f'<ol style="margin:0;padding-left:20px">{items}</ol>')  # fmt: skip
    return "\n".join(parts)
