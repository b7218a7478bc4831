"""The workspace the map page becomes when `graphmap serve` hands it to a signed-in browser: what
workspace.js needs beyond the drawing (each record's own values, for the edit forms) and its controls.

Every change goes through the API's own routes (permissions, validation, If-Match, audit unchanged);
the page holds no rule of its own. A viewer's page carries no edit control (and the API refuses them).
"""

from typing import Any

from graphmap.analysis.review import MovementKind
from graphmap.graph import AccountNetwork
from graphmap.model import (
    UNPLANNABLE,
    Band,
    Channel,
    IntroductionOutcome,
    PersonStatus,
    RelationshipStatus,
    Role,
    Vocabulary,
)
from graphmap.pages.view import ROLE_ORDER, both


def _terms(terms: list[Any]) -> list[list[str]]:
    return [[t.value, both(t)] for t in terms]


def workspace_data(network: AccountNetwork, editable: bool) -> dict[str, Any]:
    """Each person's values as the API takes them, our contacts, and the words of the forms' choices."""
    managers: dict[str, list[str]] = {p.id: [] for p in network.people}
    for line in network.reporting_lines:
        managers[line.person_id].append(line.manager_id)
    influences: dict[str, list[list[Any]]] = {p.id: [] for p in network.people}
    for edge in network.influences:
        influences[edge.person_id].append([edge.target_id, edge.sign, edge.strength])
    coverage: dict[str, list[list[Any]]] = {p.id: [] for p in network.people}
    for link in network.coverage:
        coverage[link.person_id].append([link.contact_id, link.status.value, link.strength])
    plan: dict[str, list[list[Any]]] = {p.id: [] for p in network.people}
    for target in network.plan_targets:
        due = target.due.isoformat() if target.due else ""
        plan[target.person_id].append(
            [target.contact_id, target.status.value, target.band or "", due, target.note or ""]
        )
    tasks: dict[str, list[list[Any]]] = {p.id: [] for p in network.people}
    for task in network.tasks:
        if task.person_id in tasks:
            tasks[task.person_id].append([task.id, task.title, task.owner_id, task.due.isoformat() if task.due else "",
                                          task.state.value, task.origin.value, task.outcome or "",
                                          task.detail or ""])  # fmt: skip
    comments: dict[str, list[list[Any]]] = {p.id: [] for p in network.people}
    for comment in network.comments:
        if comment.person_id in comments:
            comments[comment.person_id].append([comment.id, comment.author, comment.text, comment.contact_id or ""])
    ours = {c.id: c for c in (*network.contacts, *network.owners)}  # a plan may name who covers no one yet
    vocabulary: dict[str, list[Vocabulary]] = {
        "roles": [r for r in ROLE_ORDER if r is not Role.unknown],
        "statuses": list(RelationshipStatus),
        "plan_statuses": [s for s in RelationshipStatus if s not in UNPLANNABLE],
        "person_statuses": list(PersonStatus),
        "channels": list(Channel),
        "movements": list(MovementKind),
        "bands": list(Band),
        "outcomes": list(IntroductionOutcome),
    }
    return {
        "account_id": network.account.id,
        "editable": editable,
        "people": {
            p.id: {
                "title": p.title or "",
                "roles": [r.value for r in p.roles],
                "status": p.status.value,
                "department_id": p.department_id,
                "managers": managers[p.id],
                "influences": influences[p.id],
                "coverage": coverage[p.id],
                "plan": plan[p.id],
                "tasks": tasks[p.id],
                "comments": comments[p.id],
            }
            for p in network.people
        },  # fmt: skip
        "contacts": [[c.id, f"{c.title or ''}{c.name}"] for c in sorted(ours.values(), key=lambda c: c.name)],
        "account_comments": [[c.id, c.author, c.text, ""] for c in network.comments if c.person_id is None],
        "vocabulary": {name: _terms(terms) for name, terms in vocabulary.items()},
    }


def workspace_controls() -> str:
    """Beside the filters: the map's day, a second day to compare with, adding a person, what dragging a card
    does (editors), signing out."""
    return """
  <span class="gm-ws-tools">
    <label>日期 / as of <input type="date" id="gm-asof"></label>
    <label>对比自 / compare since <input type="date" id="gm-since"></label>
    <button type="button" id="gm-compare">对比 / compare</button>
    <button type="button" id="gm-add-person" hidden>＋ 关键人 / add a person</button>
    <button type="button" id="gm-account-comments">客户评论 / comments on the account</button>
    <span id="gm-drag-hint" class="gm-ws-hint" hidden>拖动卡片到另一张上：汇报给 · 按住 Shift 拖动：画影响线 /
      drag a card onto another: reports to · Shift-drag: draw an influence line</span>
    <a id="gm-signin" href="/login" hidden>登录以编辑 / sign in to edit</a>
    <button type="button" id="gm-signout" hidden>退出 / sign out</button>
  </span>"""


def workspace_panel() -> str:
    """The side panel's workspace sections, filled by workspace.js (through textContent only)."""
    return """
  <section id="gm-ws" class="gm-ws">
    <p id="gm-ws-status" class="gm-ws-status" role="status" aria-live="polite"></p>
    <div id="gm-ws-conflict" class="gm-ws-conflict" role="alert" hidden></div>
    <div id="gm-ws-edit"></div>
    <div id="gm-ws-whatif"></div>
    <div id="gm-ws-compare"></div>
  </section>"""
