"""The portfolio index: one row per account with its coverage and gaps, sortable, linking to its page."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from graphmap.analysis.coverage import AccountCoverage
from graphmap.analysis.gaps import GapReport
from graphmap.graph import AccountSummary
from graphmap.pages.html import assert_offline, text


def page_name(account_id: str) -> str:
    return f"{account_id}.html"


@dataclass
class GapCounts:
    uncovered_decision_makers: int = 0
    uncovered_others: int = 0
    weak_links: int = 0


def gap_counts(report: GapReport) -> dict[str, GapCounts]:
    counts: dict[str, GapCounts] = {}
    for u in report.uncovered_decision_makers:
        counts.setdefault(u.account_id, GapCounts()).uncovered_decision_makers += 1
    for u in report.uncovered_stakeholders:
        counts.setdefault(u.account_id, GapCounts()).uncovered_others += 1
    for w in report.weak_links:
        counts.setdefault(w.account_id, GapCounts()).weak_links += 1
    return counts


COLUMNS = (
    ("客户 / account", "text"),
    ("编号 / id", "text"),
    ("行业 / industry", "text"),
    ("关键人 / stakeholders", "number"),
    ("我方对接人 / our contacts", "number"),
    ("覆盖得分 / coverage score", "number"),
    ("采购团队完整度 / committee complete %", "number"),
    ("缺少的角色 / missing roles", "text"),
    ("未覆盖的决策者 / uncovered decision-makers", "number"),
    ("其他未覆盖 / other uncovered", "number"),
    ("薄弱关系 / weak links", "number"),
)


def _name_cell(account: AccountSummary, failed: bool) -> str:
    if failed:
        return f'{text(account.name)} <span class="failed">(page not written / 页面未生成)</span>'
    return f'<a href="{text(quote(page_name(account.id)))}">{text(account.name)}</a>'


def index_page(
    accounts: Sequence[AccountSummary],
    coverage: Sequence[AccountCoverage],
    counts: Mapping[str, GapCounts],
    as_of: date,
    failed: Mapping[str, str] | None = None,
) -> str:
    """`failed`: accounts whose pages could not be written; listed without a link."""
    by_account = {c.account_id: c for c in coverage}
    failed = failed or {}
    rows = []
    for a in accounts:
        c = by_account.get(a.id)
        g = counts.get(a.id, GapCounts())
        missing = "、".join(r.zh for r in c.missing_roles) if c else ""
        cells = [
            (a.name, _name_cell(a, a.id in failed)),
            (a.id, text(a.id)),
            (a.industry or "", text(a.industry or "—")),
            (a.people, str(a.people)),
            (a.contacts, str(a.contacts)),
            (-1 if c is None or c.score is None else c.score, "—" if c is None or c.score is None else str(c.score)),
            (c.completeness if c else -1, str(c.completeness) if c else "—"),
            (missing, text(missing or "—")),
            (g.uncovered_decision_makers, str(g.uncovered_decision_makers)),
            (g.uncovered_others, str(g.uncovered_others)),
            (g.weak_links, str(g.weak_links)),
        ]
        tds = "".join(
            f'<td data-sort="{text(key)}"{_cell_class(i, key)}>{shown}</td>' for i, (key, shown) in enumerate(cells)
        )
        rows.append(f"<tr>{tds}</tr>")
    headers = "".join(
        f'<th data-type="{kind}" tabindex="0" aria-sort="none">{text(label)}</th>' for label, kind in COLUMNS
    )
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>客户关系网络 / Account networks · graphmap</title>
<style>
body {{ font-family: -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", sans-serif; margin: 24px; }}
table {{ border-collapse: collapse; }}
th, td {{ padding: 6px 12px; border-bottom: 1px solid #e0e0e0; text-align: left; }}
.failed {{ color: #b71c1c; }}
th {{ background: #f5f5f5; font-size: 13px; cursor: pointer; user-select: none; }}
th[aria-sort="ascending"]::after {{ content: " ▲"; }} th[aria-sort="descending"]::after {{ content: " ▼"; }}
td.n {{ text-align: right; }} td.gap {{ color: #e53935; font-weight: 700; }}
</style></head><body>
<h1>客户关系网络 / Account networks</h1>
<p>分析日期 / as of {text(as_of.isoformat())} · {len(accounts)} 个客户 / accounts ·
点击表头排序 / click a heading to sort</p>
<table id="accounts"><thead><tr>{headers}</tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<script>{_SORT_SCRIPT}</script>
</body></html>
"""
    return assert_offline(page, "the portfolio index")


def _cell_class(column: int, key: object) -> str:
    if COLUMNS[column][1] != "number":
        return ""
    return ' class="n gap"' if column == 8 and key else ' class="n"'


_SORT_SCRIPT = """
(function () {
  var table = document.getElementById("accounts");
  var headers = table.querySelectorAll("th");
  headers.forEach(function (th, column) {
    function sort() {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-sort"), y = b.cells[column].getAttribute("data-sort");
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN");
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (event) { if (event.key === "Enter") { sort(); } });
  });
})();
"""
