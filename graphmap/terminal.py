"""How the CLI shows things in a terminal: one table (or report) per analysis of the registry, every cell
plain text (names from customers' files are never read as rich markup), labels in Chinese and English."""

import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graphmap.analysis.actions import NextAction
from graphmap.analysis.changes import ChangeSummary
from graphmap.analysis.coverage import AccountCoverage
from graphmap.analysis.followups import FollowUp
from graphmap.analysis.gaps import AccountStanding, GapReport, PlanProgress, PlanState, most_important_first
from graphmap.analysis.influence import HiddenInfluencer
from graphmap.analysis.lifecycle import AccountLifecycle
from graphmap.analysis.paths import WarmPath
from graphmap.analysis.review import Review
from graphmap.analysis.segments import Segment
from graphmap.analysis.spof import AccountRisk, Dependency, LostStakeholder
from graphmap.analysis.strength import LinkStrength
from graphmap.analysis.tasks import TaskItem
from graphmap.analysis.whatif import WhatIf
from graphmap.model import Vocabulary, titled


def _width(stream: object) -> int | None:
    """A terminal's own width; piped output (files, CI logs, mail) 120 columns, or $COLUMNS when set."""
    if getattr(stream, "isatty", lambda: False)():
        return None
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) >= 40 else 120


out = Console(width=_width(sys.stdout))
err = Console(stderr=True, width=_width(sys.stderr))


_WORD = re.compile(r"[\s/、,;()]+")


def table(title: str | None, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> Table:
    """A table whose cells are plain text: names from customers' files are never read as rich markup."""
    # An empty table says so: headers alone read as a fault ("did it run?").
    caption = "没有符合条件的结果 / nothing matched" if not rows else None
    shown = Table(title=title, title_justify="left", caption=caption, caption_justify="left")
    for index, column in enumerate(columns):
        # Headers on two lines (中文 over English) and cells folded, never cut with "…": a table of nine
        # columns then fits 120 columns without losing a character of a name; a column is as wide as its
        # longest English word (up to 12), so that only Chinese, which has no spaces, is folded.
        words = [w for text in (column, *(row[index] for row in rows)) for w in _WORD.split(text)]
        widest = max((len(w) for w in words if w.isascii()), default=1)
        shown.add_column(column.replace(" / ", "\n", 1), overflow="fold", min_width=min(widest, 12))
    for row in rows:
        shown.add_row(*(Text(cell) for cell in row))
    return shown


def print_json(items: Sequence[BaseModel] | BaseModel) -> None:
    data = items.model_dump(mode="json") if isinstance(items, BaseModel) else [i.model_dump(mode="json") for i in items]
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def say(message: str) -> None:
    """A line of output as it is: no markup, no highlighting."""
    out.print(message, highlight=False, markup=False, soft_wrap=True)


def dash(value: object) -> str:
    return "—" if value is None else str(value)


def vocab(value: Vocabulary | None) -> str:
    return "—" if value is None else f"{value.zh} / {value.en}"


def label(title: str | None, name: str | None) -> str:
    return titled(title, name) if name else "—"


SHOWN_PER_LIST = 5  # gaps of each kind printed per account unless --all: the first page of a long report


def show_gaps(report: GapReport, all: bool = False) -> None:
    """The gap report as a sales lead reads it: one line per account, most exposed first, then each
    account's gaps as lines (title, name, department path, why), the first few of each kind unless `all`."""
    t = report.thresholds
    say(
        f"缺口报告 / Gap report · 分析日期 / as of {report.as_of.isoformat()} · 跟进周期 / cadence {t.cadence_days} d"
        f" · 最低强度 / min strength {t.min_strength} · 薄弱状态 / weak statuses "
        + ", ".join(f"{s.zh}/{s.value}" for s in sorted(t.weak_statuses))
    )
    if not report.accounts:
        say("没有客户，也就没有缺口 / no accounts here, so no gaps")
        return
    out.print(standing_table(report.accounts, f"{report.trend_days} 天 / days"))
    per_account = report.per_account(a.account_id for a in report.accounts)
    if not report.uncovered and not report.weak_links and not report.plan:
        say("没有缺口：每位关键人都有强覆盖 / no gaps: every stakeholder is strongly covered")
        return
    for standing in report.accounts:
        gaps = per_account[standing.account_id]
        if not gaps.uncovered and not gaps.weak_links and not gaps.plan:
            continue
        out.rule(Text(f"{standing.risk}. {standing.account_name}", style="bold"), align="left")
        for title, items in (
            ("未覆盖的决策者 / Uncovered decision-makers", gaps.uncovered_decision_makers),
            ("其他未覆盖的关键人 / Other uncovered stakeholders", gaps.uncovered_stakeholders),
        ):
            _list(title, [f"{label(u.title, u.name)}{_roles(u.roles)} · {u.department_path or u.department}"
                          f" · {u.reason.zh} / {u.reason.en}" for u in most_important_first(items)], all)  # fmt: skip
        _list("薄弱关系 / Weak links", [
            f"{label(w.title, w.name)} · {w.department_path or w.department} ← {label(w.contact_title, w.contact_name)}"
            f" · {w.status.zh} / {w.status.value}"
            f" · {strength_text(w.strength, w.strength_source)} · "
            + (f"{w.days_since_contact} 天前 / days ago" if w.days_since_contact is not None else "无互动 / never")
            + " · " + "; ".join(f"{r.zh} / {r.en}" for r in w.reasons)
            for w in most_important_first(gaps.weak_links)
        ], all)  # fmt: skip
        _list("未达成的计划目标 / Plan targets not met", [plan_line(p) for p in gaps.plan], all)


def standing_table(standings: Sequence[AccountStanding], trend_label: str) -> Table:
    """One line per account: where it stands, most exposed first."""
    columns = ("#", "客户 / account", "覆盖分\nscore", f"变化\n{trend_label}", "未覆盖决策者\nuncovered DMs",
               "其他未覆盖\nothers", "薄弱关系\nweak links")  # fmt: skip
    rows = [
        (str(s.risk), s.account_name, dash(s.score), _trend(s.trend), str(s.uncovered_decision_makers),
         str(s.uncovered_stakeholders), str(s.weak_links))
        for s in standings
    ]  # fmt: skip
    shown = table(None, columns, rows)
    shown.columns[1].no_wrap = True
    for column in shown.columns[2:]:
        column.justify = "right"
    return shown


def _trend(change: int | None) -> str:
    if change is None:
        return "—"
    return f"{change:+d}" if change else "±0"


def _roles(roles: Sequence[Vocabulary]) -> str:
    return f" ({'、'.join(r.zh for r in roles)})" if roles else ""


def _list(title: str, lines: Sequence[str], all: bool) -> None:
    """A titled list of lines, cut after SHOWN_PER_LIST unless `all`, saying how many were left out."""
    if not lines:
        return
    say(f"{title} ({len(lines)})")
    shown = lines if all else lines[:SHOWN_PER_LIST]
    for line in shown:
        say(f"  • {line}")
    if len(shown) < len(lines):
        more = len(lines) - len(shown)
        say(f"  … 另有 {more} 项 / {more} more (--all)")


def strength_text(strength: int | None, source: Vocabulary | None) -> str:
    """A link's one strength, with where it came from: 62 (人工记录 recorded), 24 (由互动计算 computed)."""
    if strength is None:
        return "—"
    return f"{strength} ({source.zh} {source.value})" if source is not None else str(strength)


def show_strength(links: list[LinkStrength]) -> None:
    """Per account (a rule each, in the order given: weakest first), one line per link."""
    say("关系强度 / Relationship strength")
    if not links:
        return say("没有对接关系 / no links")
    columns = ("关键人 / stakeholder", "我方对接人 / our contact", "关系状态 / status", "互动 / interactions",
               "强度 / strength", "趋势 / trend")  # fmt: skip
    for account_name, rows in _by_account(links):
        out.rule(Text(account_name, style="bold"), align="left")
        shown = [
            (label(link.person_title, link.person_name), label(link.contact_title, link.contact_name),
             vocab(link.status), f"{link.interactions} · {dash(link.last_contact_on)}",
             f"{strength_text(link.strength, link.strength_source)} {vocab(link.band)}"
             if link.strength is not None else "无互动 / never",
             vocab(link.trend))
            for link in rows
        ]  # fmt: skip
        out.print(table(None, columns, shown))
    return None


def _by_account(links: list[LinkStrength]) -> list[tuple[str, list[LinkStrength]]]:
    grouped: dict[str, list[LinkStrength]] = {}
    for link in links:
        grouped.setdefault(link.account_id, []).append(link)
    return [(rows[0].account_name or account_id, rows) for account_id, rows in grouped.items()]


def show_coverage(reports: list[AccountCoverage], departments: bool = False) -> None:
    columns = ("客户 / account", "完整度 / completeness", "覆盖分 / score", "强覆盖 / covered", "弱覆盖 / weak",
               "未覆盖 / none", "缺少角色 / missing roles", "计划达成 / plan met")  # fmt: skip
    rows = [
        (f"{c.account_name} ({c.account_id})", f"{c.completeness}%", dash(c.score), str(c.covered),
         str(c.weakly_covered), str(c.uncovered), ", ".join(f"{r.zh} {r.en}" for r in c.missing_roles) or "—",
         _plan_count(c))
        for c in reports
    ]  # fmt: skip
    out.print(table("覆盖度 / Coverage", columns, rows))
    if departments:
        for c in reports:
            headers = ("部门 / department", "层级 / level", "人数 / people", "强覆盖 / covered", "覆盖分 / score",
                       "含下级人数 / subtree people", "含下级覆盖分 / subtree score")  # fmt: skip
            lines = [
                (d.name, vocab(d.level), str(d.people), str(d.covered), dash(d.score), str(d.subtree_people),
                 dash(d.subtree_score))
                for d in c.departments
            ]  # fmt: skip
            out.print(table(f"{c.account_name} — 部门覆盖 / departments", headers, lines))


def _plan_count(c: AccountCoverage) -> str:
    if not c.plan_targets:
        return "无计划 / no plan"
    overdue = f", {c.plan_overdue} 逾期 / overdue" if c.plan_overdue else ""
    return f"{c.plan_met}/{c.plan_targets}{overdue}"


def plan_line(p: PlanProgress) -> str:
    """One target: who, our owner, what is planned against what is there now, and its state."""
    from graphmap.pages.review import plan_words  # as the review writes it

    words = plan_words(p.status, p.band, p.due, p.status_now, p.band_now)
    return (f"{label(p.title, p.name)}{_roles(p.roles)} · {p.department_path or p.department}"
            f" ← {label(p.contact_title, p.contact_name)} · {words} · {p.state.zh} / {p.state.en}")  # fmt: skip


def show_plan(progress: list[PlanProgress]) -> None:
    """Per account, each target of its plan, what to act on first."""
    say("客户关系规划 / Account plans")
    if not progress:
        return say("还没有计划目标 / no plan targets yet (POST /accounts/{id}/plan-targets, or the map's side panel)")
    accounts: dict[str, list[PlanProgress]] = {}
    for p in progress:
        accounts.setdefault(p.account_name, []).append(p)
    for name, targets in accounts.items():
        met = sum(1 for p in targets if p.state is PlanState.met)
        out.rule(Text(f"{name} · 达成 / met {met}/{len(targets)}", style="bold"), align="left")
        for p in targets:
            say(f"  • {plan_line(p)}")
    return None


def show_tasks(items: list[TaskItem]) -> None:
    """Per owner, one line per task: overdue first."""
    say("任务 / Tasks")
    if not items:
        return say("没有任务 / no tasks")
    columns = ("客户 / account", "任务 / task", "关键人 / stakeholder", "期限 / due", "逾期天数 / days overdue",
               "状态 / state", "来源 / from")  # fmt: skip
    return _per_owner(items, columns, lambda t: label(t.owner_title, t.owner_name or t.owner_id), lambda t: (
        t.account_name, t.title, label(t.person_title, t.person_name) if t.person_name else "—", dash(t.due),
        str(t.overdue_days) if t.overdue_days else "", vocab(t.state) + (f" · {vocab(t.outcome)}" if t.outcome else ""),
        vocab(t.origin)))  # fmt: skip


Item = TypeVar("Item")


def _per_owner(items: Sequence[Item], columns: tuple[str, ...], owner: Callable[[Item], str],
               row: Callable[[Item], tuple[str, ...]]) -> None:  # fmt: skip
    """One table per owner, in the order the items come."""
    owners: dict[str, list[Item]] = {}
    for item in items:
        owners.setdefault(owner(item), []).append(item)
    for name, mine in owners.items():
        out.rule(Text(f"负责人 / owner: {name}", style="bold"), align="left")
        out.print(table(None, columns, [row(item) for item in mine]))


def show_warm_paths(found: list[WarmPath]) -> None:
    if not found:
        say("没有找到引荐路径 / no warm path within the hops asked")
    for rank, path in enumerate(found, start=1):
        out.print(Text(f"{rank}. 最弱环节 / weakest tie {path.weakest} · {path.hops} 步 / ties"))
        out.print(Text(f"   {path.explanation_zh}"))
        out.print(Text(f"   {path.explanation_en}"))


def show_single_points(risks: list[AccountRisk]) -> None:
    columns = (
        "客户 / account", "互动 / interactions", "最依赖的对接人 / top contact", "最依赖的关键人 / top stakeholder",
        "唯一强覆盖 / sole covered", "关键节点 / critical people",
    )  # fmt: skip
    risk_rows = [
        (f"{r.account_name} ({r.account_id})", str(r.interactions), _dependency(r.top_contact, r.depends_on_contact),
         _dependency(r.top_stakeholder, r.depends_on_stakeholder),
         label(r.sole_covered_stakeholder.title, r.sole_covered_stakeholder.name) if r.sole_covered_stakeholder
         else "—",
         "; ".join(f"{label(c.person.title, c.person.name)} → {len(c.decision_makers_cut)} 决策者/DM"
                   for c in r.critical_people) or "—")
        for r in risks
    ]  # fmt: skip
    out.print(table("单点依赖 / Single points of failure", columns, risk_rows))


def _dependency(dependency: Dependency | None, too_much: bool) -> str:
    if dependency is None:
        return "—"
    flag = " ⚠ 过度依赖 / depends" if too_much else ""
    return f"{label(dependency.person.title, dependency.person.name)} {dependency.share:.0%}{flag}"


def show_coverage_lost(lost: list[LostStakeholder]) -> None:
    rows = [(p.account_id, label(p.title, p.name)) for p in lost]
    title = "离开后失去覆盖的关键人 / stakeholders who lose all coverage if this contact leaves"
    out.print(table(title, ("客户 / account", "关键人 / stakeholder"), rows))


def show_influencers(ranked: list[HiddenInfluencer]) -> None:
    columns = ("客户 / account", "排名 / rank", "关键人 / stakeholder", "部门 / department", "角色 / roles",
               "影响力 / centrality", "强覆盖 / covered", "隐性影响者 / hidden")  # fmt: skip
    rows = [
        (h.account_name, str(h.rank), label(h.title, h.name), h.department, "、".join(r.zh for r in h.roles),
         f"{h.centrality:.2f}", "是 / yes" if h.covered else "否 / no", "⚠ 是 / yes" if h.hidden else "")
        for h in ranked
    ]  # fmt: skip
    out.print(table("影响力 / Influence", columns, rows))


def show_segments(tiers: list[Segment]) -> None:
    columns = ("客户 / account", "分层 / tier", "依据 / rule", "需复核 / review", "策略 / strategy")
    rows = [
        (f"{t.account_name} ({t.account_id})", vocab(t.tier), f"{t.rule_zh} / {t.rule_en}",
         "⚠ 是 / yes" if t.borderline else "", f"{t.strategy_zh} / {t.strategy_en}" if t.strategy_zh else "—")
        for t in tiers
    ]  # fmt: skip
    out.print(table("客户分层 / Segments", columns, rows))


def show_follow_ups(items: list[FollowUp]) -> None:
    """Per owner (the list comes by owner, then due day), one line per follow-up."""
    say("跟进计划 / Follow-ups")
    if not items:
        return say("没有需要跟进的 / no follow-ups")
    columns = ("客户 / account", "关键人 / stakeholder", "意向 / intent", "上次互动 / last", "应跟进 / due",
               "逾期天数 / days overdue", "下一步 / next action")  # fmt: skip
    return _per_owner(items, columns, lambda f: label(f.owner_title, f.owner_name) if f.owner_name else
                      "无负责人 / no owner", lambda f: (
        f.account_name, label(f.person_title, f.person_name) if f.person_id else "（整体 / account）",
        vocab(f.intent), dash(f.last_contact_on), f"{f.due_on.isoformat()} ({f.basis.zh} / {f.basis.en})",
        str(f.overdue_days) if f.overdue_days else "", dash(f.next_action)))  # fmt: skip


def show_lifecycle(stages: list[AccountLifecycle]) -> None:
    columns = ("客户 / account", "阶段 / stage", "依据 / rule", "负责团队 / owner team")
    rows = [
        (f"{s.account_name} ({s.account_id})", vocab(s.lifecycle), f"{s.rule_zh} / {s.rule_en}",
         vocab(s.owner_team) + ("" if s.owner_team_recorded else " (推断 / inferred)"))
        for s in stages
    ]  # fmt: skip
    out.print(table("生命周期 / Lifecycle", columns, rows))


def show_changes(summaries: list[ChangeSummary]) -> None:
    if not summaries:
        out.print("没有变化 / no changes")
    for s in summaries:
        out.rule(Text(s.account_name or s.account_id, style="bold"), align="left")
        say(
            f"加入 / joined {s.joined} · 离开 / left {s.left} · 状态变化 / status changes {s.status_changes} · "
            f"覆盖增加 / coverage gained {s.coverage_gained} · 覆盖减少 / coverage lost {s.coverage_lost}"
        )
        rows = [
            (
                c.on.isoformat(),
                vocab(c.kind),
                c.subject_name,
                s.contacts.get(c.contact_id or "", dash(c.contact_id)),
                dash(c.before),
                dash(c.after),
            )
            for c in s.changes
        ]
        columns = ("日期 / on", "变化 / change", "对象 / subject", "我方 / contact", "之前 / before", "之后 / after")
        out.print(table(None, columns, rows))


def show_actions(suggested: list[NextAction]) -> None:
    columns = ("优先级 / priority", "客户 / account", "缺口 / gap", "关键人 / person", "建议 / action")
    rows = [
        (str(a.priority), a.account_name, vocab(a.gap), label(a.person_title, a.person_name),
         f"{a.action_zh}\n{a.action_en}")
        for a in suggested
    ]  # fmt: skip
    out.print(table("下一步行动 / Next actions", columns, rows))


def show_review(review: Review, format: str = "text") -> None:
    """The weekly review: in the terminal, or as Markdown, an HTML e-mail body or JSON on standard output."""
    from graphmap.pages import review as words  # escaping for HTML: not needed by the other commands

    if format == "json":
        return print_json(review)
    if format in ("md", "html"):
        sys.stdout.write(words.review_markdown(review) if format == "md" else words.review_html(review))
        return None
    say(words.heading(review))
    if not review.accounts:
        return say(words.NO_ACCOUNTS)
    if review.quiet:
        say(words.NOTHING_MOVED)
    out.print(standing_table([a.standing for a in review.accounts], "期间 / period"))
    for account in review.accounts:
        s = account.standing
        out.rule(Text(f"{s.risk}. {s.account_name}", style="bold"), align="left")
        say(words.standing_line(s))
        if account.quiet:
            say(words.NOTHING_MOVED)
        for kind, movements in words.grouped(account.movements):
            _list(f"{kind.zh} / {kind.en}", [words.describe(m) for m in movements], all=True)
        if account.actions:
            say("下一步行动 / Next actions")
            for rank, action in enumerate(account.actions, start=1):
                zh, en = words.action_lines(action)
                say(f"  {rank}. {zh}")
                say(f"     {en}")
    return None


def show_what_if(answers: list[WhatIf]) -> None:
    if not answers:
        say("此人不在任何客户中对接关键人 / they take part in no account you may see: nothing changes")
    for a in answers:
        side = "我方 / ours" if a.side == "ours" else "客户方 / theirs"
        say(
            f"{a.account_name} ({a.account_id}) · 假如 {label(a.leaving.title, a.leaving.name)} 离开 / "
            f"if they leave ({side})"
        )
        say(f"  覆盖度 / coverage score: {dash(a.score_before)} → {dash(a.score_after)}")
        lost = "、".join(label(p.title, p.name) for p in a.loses_all_coverage) or "—"
        say(f"  失去全部覆盖 / lose all coverage ({len(a.loses_all_coverage)}): {lost}")
        uncovered = "、".join(label(u.title, u.name) for u in a.newly_uncovered_decision_makers) or "—"
        say(
            f"  新增未覆盖的决策者 / decision-makers newly uncovered ({len(a.newly_uncovered_decision_makers)}): "
            f"{uncovered}"
        )
        say(f"  中断的引荐路径 / warm paths broken ({len(a.broken_paths)})")
        for broken in a.broken_paths:
            say(f"  · {label(broken.person.title, broken.person.name)}")
            say(f"    之前 / before: {broken.before.explanation_zh} · {broken.before.explanation_en}")
            after = (f"{broken.after.explanation_zh} · {broken.after.explanation_en}" if broken.after
                     else "无人可引荐 / nobody on our side reaches them")  # fmt: skip
            say(f"    之后 / after: {after}")


# How each analysis of the registry is shown, by its name (tests/unit/test_registry.py: one per analysis).
SHOW: dict[str, Callable[..., None]] = {
    "gaps": show_gaps,
    "coverage": show_coverage,
    "strength": show_strength,
    "single-points": show_single_points,
    "coverage-lost": show_coverage_lost,
    "influencers": show_influencers,
    "segments": show_segments,
    "lifecycle": show_lifecycle,
    "follow-ups": show_follow_ups,
    "actions": show_actions,
    "warm-paths": show_warm_paths,
    "changes": show_changes,
    "review": show_review,
    "what-if": show_what_if,
    "plan": show_plan,
    "tasks": show_tasks,
}
