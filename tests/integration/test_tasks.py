"""Tasks and introduction requests on every engine: follow-ups and the weekly review list the overdue ones,
a logged interaction closes a task, an introduction tracked to its end creates the link it made, and a
task goes with the person it is about."""

import json
from datetime import date, timedelta

import pytest

from graphmap.analysis.followups import DueBasis, follow_ups
from graphmap.analysis.review import MovementKind, weekly_review
from graphmap.analysis.tasks import tasks
from graphmap.audit import read_audit
from graphmap.backup import backup, check, restore
from graphmap.editing import (
    INTERACTION,
    PERSON,
    TASK,
    create_contact,
    create_record,
    delete_contact,
    delete_record,
    update_record,
)
from graphmap.errors import Conflict, Invalid
from graphmap.graph import read_account_network, write_portfolio
from graphmap.introductions import request_introduction
from graphmap.model import (
    CoverageBasis,
    IntroductionOutcome,
    Person,
    Portfolio,
    RelationshipStatus,
    ReportingLine,
    Role,
    Task,
    TaskOrigin,
    TaskState,
)
from graphmap.subjects import ERASED, erase_person, export_subject
from tests.integration.test_plans import AS_OF, SINCE, A, planned

pytestmark = pytest.mark.integration
P = {n: f"{A}-p{n}" for n in range(1, 7)}


def with_tasks() -> Portfolio:
    """The plan's account, with p6 (nobody of ours knows them, they report to p1, whom c1 knows well) and
    three tasks: c1 to visit p2, due three days ago; c2 to send p3 a proposal, not yet due; c2's account-wide
    review, due long ago and done."""
    base = planned()
    newcomer = Person(id=P[6], account_id=A, department_id=f"{A}-d1", name="冯志远", title="技术总监",
                      roles=(Role.decision_maker,))  # fmt: skip
    return base.model_copy(update={
        "people": (*base.people, newcomer),
        "reporting_lines": (ReportingLine(person_id=P[6], manager_id=P[1]),),
        "tasks": (
            Task(id="t-visit", account_id=A, title="拜访吴海燕，了解技术需求", owner_id="c1", person_id=P[2],
                 due=AS_OF - timedelta(days=3), origin=TaskOrigin.plan),
            Task(id="t-proposal", account_id=A, title="给郑晓明发送方案", owner_id="c2", person_id=P[3],
                 due=AS_OF + timedelta(days=10)),
            Task(id="t-review", account_id=A, title="季度回顾", owner_id="c2", due=AS_OF - timedelta(days=40),
                 state=TaskState.done, done_on=AS_OF - timedelta(days=41)),
        ),
    })  # fmt: skip


@pytest.fixture
def busy(store):
    write_portfolio(store, with_tasks())
    return store


def _task(store, task_id: str) -> Task:
    return next(t for t in read_account_network(store, A).tasks if t.id == task_id)


def test_open_tasks_are_follow_ups_and_the_review_lists_the_one_that_fell_due(busy):
    listed = tasks(busy, A, AS_OF)
    assert [(t.task_id, t.overdue_days) for t in listed] == [("t-visit", 3), ("t-proposal", 0)]
    assert listed[0].owner_name == "曹雨" and listed[0].person_name == "吴海燕"
    assert [t.task_id for t in tasks(busy, A, AS_OF, state=None)][-1] == "t-review"
    items = [f for f in follow_ups(busy, A, AS_OF) if f.basis is DueBasis.task]
    assert {(f.task_id, f.next_action, f.overdue_days) for f in items} == {
        ("t-visit", "拜访吴海燕，了解技术需求", 3), ("t-proposal", "给郑晓明发送方案", 0)}  # fmt: skip
    moved = weekly_review(busy, A, AS_OF, SINCE).accounts[0].movements
    (late,) = [m for m in moved if m.kind is MovementKind.task_overdue]
    assert (late.person_id, late.before, late.contact_id) == (P[2], "拜访吴海燕，了解技术需求", "c1")


def test_a_logged_interaction_with_the_owner_and_the_person_closes_the_task(busy):
    # c2 meets p2: not the visit's owner, so the task stays open.
    create_record(busy, INTERACTION, A, {"on": "2024-09-29", "summary": "电话", "person_ids": [P[2]],
                                          "contact_ids": ["c2"]}, "planner")  # fmt: skip
    assert _task(busy, "t-visit").state is TaskState.open
    visit = {
        "on": "2024-09-30",
        "channel": "visit",
        "summary": "拜访",
        "person_ids": [P[2], P[3]],
        "contact_ids": ["c1"],
    }
    meeting = create_record(busy, INTERACTION, A, visit, "planner")
    closed = _task(busy, "t-visit")
    assert (closed.state, closed.done_on, closed.interaction_id) == (TaskState.done, date(2024, 9, 30), meeting.id)
    assert _task(busy, "t-proposal").state is TaskState.open  # p3 was there, but c2 owns the proposal
    audit = [c for c in read_audit(busy, date(2000, 1, 1), actor="planner") if c.subject_id == "t-visit"]
    assert [json.loads(c.after or "{}")["state"] for c in audit] == ["done"]


def test_a_task_marked_done_is_dated_and_the_rules_hold_in_the_guarded_step(busy):
    update_record(busy, TASK, A, ("t-proposal",), {"state": "done"}, "planner")
    assert _task(busy, "t-proposal").done_on == date.today()
    made = create_record(busy, TASK, A, {"title": "邀请参加研讨会", "owner_id": "c2", "person_id": P[5]}, "t")
    assert made.id.startswith("t-") and made.state is TaskState.open
    before = read_account_network(busy, A)
    for fields, words in (({"owner_id": "c-nobody"}, "no such contact"), ({"person_id": "elsewhere"}, "person_id"),
                          ({"origin": "introduction", "person_id": P[6]}, "引荐请求须写明"),
                          ({"outcome": "asked"}, "只用于引荐请求"), ({"title": ""}, "title")):  # fmt: skip
        with pytest.raises(Invalid, match=words):
            create_record(busy, TASK, A, {"title": "甲", "owner_id": "c1"} | fields, "t")
    assert read_account_network(busy, A).tasks == before.tasks
    with pytest.raises(Conflict, match="请先移交"):
        delete_contact(busy, "c2", "t")


def test_an_introduction_is_drafted_from_the_warm_path_and_its_outcome_makes_the_link(busy):
    request = request_introduction(busy, A, P[6], "planner", AS_OF)
    assert (request.owner_id, request.via_person_id, request.person_id) == ("c1", P[1], P[6])
    assert request.origin is TaskOrigin.introduction and request.state is TaskState.open
    assert "周建国" in request.detail and "冯志远" in request.detail and "Would you introduce us" in request.detail
    assert request.title.startswith("请总监周建国引荐技术总监冯志远")
    with pytest.raises(Invalid, match="无需引荐"):
        request_introduction(busy, A, P[1], "planner", AS_OF)  # c1 covers p1 already
    update_record(busy, TASK, A, (request.id,), {"outcome": "asked"}, "planner")
    assert _task(busy, request.id).state is TaskState.open
    update_record(busy, TASK, A, (request.id,), {"outcome": "introduced"}, "planner")
    ended = _task(busy, request.id)
    assert (ended.state, ended.outcome, ended.done_on) == (TaskState.done, IntroductionOutcome.introduced, date.today())
    link = next(c for c in read_account_network(busy, A).coverage if (c.contact_id, c.person_id) == ("c1", P[6]))
    assert (link.status, link.referred_by, link.basis) == (
        RelationshipStatus.referred, "总监周建国", CoverageBasis.recorded)  # fmt: skip
    # Declined: the request ends, and nobody is covered.
    other = create_record(busy, TASK, A, {"title": "请引荐", "owner_id": "c2", "person_id": P[6], "via_person_id": P[3],
                                          "origin": "introduction"}, "planner")  # fmt: skip
    update_record(busy, TASK, A, (other.id,), {"outcome": "declined"}, "planner")
    assert _task(busy, other.id).state is TaskState.done
    assert ("c2", P[6]) not in {(c.contact_id, c.person_id) for c in read_account_network(busy, A).coverage}


def test_a_persons_tasks_go_with_them_and_erasure_scrubs_the_others(busy):
    request = request_introduction(busy, A, P[6], "planner", AS_OF)  # via p1, 周建国
    assert {t.id for t in export_subject(busy, A, P[2]).tasks} == {"t-visit"}
    delete_record(busy, PERSON, A, (P[2],), "planner")
    assert "t-visit" not in {t.id for t in read_account_network(busy, A).tasks}
    create_record(busy, TASK, A, {"title": "向周建国汇报进展", "owner_id": "c2"}, "planner")
    erase_person(busy, A, P[1], "planner")
    left = read_account_network(busy, A).tasks
    assert request.id not in {t.id for t in left}  # it asked them for the introduction
    assert f"向{ERASED}汇报进展" in {t.title for t in left}


def test_a_backup_holds_the_tasks_and_one_made_before_tasks_existed_still_restores(busy, tmp_path):
    path = tmp_path / "graph.jsonl"
    assert backup(busy, path).nodes["Task"] == 3
    busy.clear()
    restore(busy, path)
    assert read_account_network(busy, A).tasks == tuple(sorted(with_tasks().tasks, key=lambda t: t.id))
    older = tmp_path / "older.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    kept = [e for e in lines if e.get("node") != "Task" and e.get("relationship") != "PLANS"]
    del kept[-1]["nodes"]["Task"], kept[-1]["relationships"]["PLANS"]
    older.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept), encoding="utf-8")
    assert check(older).nodes["Task"] == 0


def test_the_review_of_one_owner_includes_the_accounts_where_they_only_own_a_task(busy):
    newcomer = create_contact(busy, {"name": "赵新", "title": "客户成功经理"}, "admin")
    assert weekly_review(busy, None, AS_OF, SINCE, owner_id=newcomer.id).accounts == []
    create_record(busy, TASK, A, {"title": "季度回顾", "owner_id": newcomer.id, "due": "2024-09-28"}, "admin")
    (account,) = weekly_review(busy, None, AS_OF, SINCE, owner_id=newcomer.id).accounts
    assert account.standing.account_id == A
    assert any(m.kind is MovementKind.task_overdue and m.contact_id == newcomer.id for m in account.movements)
