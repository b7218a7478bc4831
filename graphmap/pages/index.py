"""The portfolio index: one row per account, linking to its page."""

from urllib.parse import quote

from graphmap.analysis.gaps import GapReport
from graphmap.graph import AccountSummary
from graphmap.pages.html import assert_offline, text


def page_name(account_id: str) -> str:
    return f"{account_id}.html"


def index_page(accounts: list[AccountSummary], gaps: GapReport) -> str:
    counts: dict[str, list[int]] = {a.id: [0, 0, 0] for a in accounts}
    for u in gaps.uncovered_decision_makers:
        counts.setdefault(u.account_id, [0, 0, 0])[0] += 1
    for u in gaps.uncovered_stakeholders:
        counts.setdefault(u.account_id, [0, 0, 0])[1] += 1
    for w in gaps.weak_links:
        counts.setdefault(w.account_id, [0, 0, 0])[2] += 1
    rows = []
    for a in accounts:
        dm, other, weak = counts[a.id]
        rows.append(
            f'<tr><td><a href="{text(quote(page_name(a.id)))}">{text(a.name)}</a></td>'
            f"<td>{text(a.id)}</td><td>{text(a.industry or '—')}</td><td class=n>{a.people}</td>"
            f'<td class=n>{a.contacts}</td><td class="n{" gap" if dm else ""}">{dm}</td>'
            f"<td class=n>{other}</td><td class=n>{weak}</td></tr>"
        )
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>客户关系网络 / Account networks · graphmap</title>
<style>
body {{ font-family: -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", sans-serif; margin: 24px; }}
table {{ border-collapse: collapse; }}
th, td {{ padding: 6px 12px; border-bottom: 1px solid #e0e0e0; text-align: left; }}
th {{ background: #f5f5f5; font-size: 13px; }} td.n {{ text-align: right; }}
td.gap {{ color: #e53935; font-weight: 700; }}
</style></head><body>
<h1>客户关系网络 / Account networks</h1>
<p>分析日期 / as of {text(gaps.as_of.isoformat())} · {len(accounts)} 个客户 / accounts</p>
<table><thead><tr><th>客户 / account</th><th>编号 / id</th><th>行业 / industry</th><th>关键人 / stakeholders</th>
<th>我方对接人 / our contacts</th><th>未覆盖的决策者 / uncovered decision-makers</th>
<th>其他未覆盖 / other uncovered</th><th>薄弱关系 / weak links</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</body></html>
"""
    return assert_offline(page, "the portfolio index")
