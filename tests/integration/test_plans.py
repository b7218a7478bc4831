"""The account plan on every engine: each target measured against its owner's link, in the gap report,
coverage and the weekly review; edited, erased and backed up like every other record."""

import json
from datetime import date, timedelta

import pytest

from graphmap.analysis.coverage import coverage
from graphmap.analysis.gaps import PlanState
from graphmap.analysis.plans import plan_progress
from graphmap.analysis.review import MovementKind, gap_report, weekly_review
from graphmap.backup import backup, check, restore
from graphmap.editing import PLAN_TARGET, create_record, delete_record, update_record
from graphmap.errors import Invalid
from graphmap.graph import count_graph, read_account_network, write_portfolio
from graphmap.model import (
    Account,
    Band,
    Channel,
    Contact,
    Coverage,
    Department,
    Interaction,
    Person,
    PersonStatus,
    PlanTarget,
    Portfolio,
    RelationshipStatus,
    Role,
)
from graphmap.subjects import ERASED, erase_person, export_subject

pytestmark = pytest.mark.integration
AS_OF = date(2024, 9, 30)
SINCE = AS_OF - timedelta(days=7)
A = "2024-PL-001"


def _person(n: int, name: str, role: Role, status: PersonStatus = PersonStatus.active) -> Person:
    return Person(id=f"{A}-p{n}", account_id=A, department_id=f"{A}-d1", name=name, title="总监", roles=(role,),
                  status=status)  # fmt: skip


def planned() -> Portfolio:
    """One account, five targets, one in each state the rules tell apart:
    p1: trusted and strong with c1, who met them three times this week (met now, not a week ago);
    p2: trusted with c1, whose own link is initial (overdue), though c2's is trusted: not the owner's;
    p3: trusted and fair with c2, whose trusted link is weak (open, due later);
    p4: initial with c2, who left; p5: referred with c2, whose strong link is one status short, no day (open)."""
    visits = [
        Interaction(id=f"i-{n}", account_id=A, on=AS_OF - timedelta(days=n), channel=Channel.visit, summary="拜访",
                    person_ids=(f"{A}-p1",), contact_ids=("c1",))
        for n in (1, 3, 5)
    ]  # fmt: skip
    return Portfolio(
        accounts=(Account(id=A, name="计划科技有限公司"),),
        departments=(Department(id=f"{A}-d1", account_id=A, name="总经理办公室"),),
        people=(_person(1, "周建国", Role.decision_maker), _person(2, "吴海燕", Role.influencer),
                _person(3, "郑晓明", Role.user), _person(4, "王立新", Role.user, PersonStatus.left),
                _person(5, "李文博", Role.purchaser)),
        contacts=(Contact(id="c1", name="曹雨", title="大客户经理"),
                  Contact(id="c2", name="宋东浩", title="解决方案工程师")),
        coverage=(Coverage(contact_id="c1", person_id=f"{A}-p1", status=RelationshipStatus.trusted),
                  Coverage(contact_id="c1", person_id=f"{A}-p2", status=RelationshipStatus.initial, strength=40),
                  Coverage(contact_id="c2", person_id=f"{A}-p2", status=RelationshipStatus.trusted, strength=80),
                  Coverage(contact_id="c2", person_id=f"{A}-p3", status=RelationshipStatus.trusted, strength=20),
                  Coverage(contact_id="c2", person_id=f"{A}-p5", status=RelationshipStatus.initial, strength=90)),
        interactions=tuple(visits),
        plan_targets=(
            PlanTarget(contact_id="c1", person_id=f"{A}-p1", status=RelationshipStatus.trusted, band=Band.strong,
                       due=AS_OF + timedelta(days=30)),
            PlanTarget(contact_id="c1", person_id=f"{A}-p2", status=RelationshipStatus.trusted,
                       due=AS_OF - timedelta(days=2), note="请吴海燕的上级周建国引荐"),
            PlanTarget(contact_id="c2", person_id=f"{A}-p3", status=RelationshipStatus.trusted, band=Band.fair,
                       due=AS_OF + timedelta(days=60)),
            PlanTarget(contact_id="c2", person_id=f"{A}-p4", status=RelationshipStatus.initial),
            PlanTarget(contact_id="c2", person_id=f"{A}-p5", status=RelationshipStatus.referred),
        ),
    )  # fmt: skip


@pytest.fixture
def store_with_plan(store):
    write_portfolio(store, planned())
    return store


def test_each_target_is_measured_against_its_owners_link(store_with_plan):
    progress = plan_progress(store_with_plan, A, AS_OF)
    states = [(p.person_id.removeprefix(f"{A}-"), p.state) for p in progress]
    assert states == [("p2", PlanState.overdue), ("p4", PlanState.left), ("p3", PlanState.open),
                      ("p5", PlanState.open), ("p1", PlanState.met)]  # fmt: skip
    by_person = {p.person_id.removeprefix(f"{A}-"): p for p in progress}
    assert by_person["p2"].status_now is RelationshipStatus.initial and by_person["p2"].days_left == -2
    assert by_person["p3"].band_now is Band.weak and by_person["p5"].status_now is RelationshipStatus.initial
    assert by_person["p1"].band_now is Band.strong and by_person["p1"].contact_name == "曹雨"
    # A week earlier nobody had met p1: the same target was not met then.
    assert plan_progress(store_with_plan, A, SINCE)[-1].state is not PlanState.met


def test_the_gap_report_coverage_and_the_review_measure_the_account_against_its_plan(store_with_plan):
    report = gap_report(store_with_plan, A, AS_OF)
    assert [p.person_id for p in report.plan] == [f"{A}-p{n}" for n in (2, 4, 3, 5)]  # not met, overdue first
    (account,) = coverage(store_with_plan, A, AS_OF)
    assert (account.plan_targets, account.plan_met, account.plan_overdue) == (5, 1, 1)
    review = weekly_review(store_with_plan, A, AS_OF, SINCE)
    moved = {(m.kind, m.person_id, m.contact_id) for m in review.accounts[0].movements}
    assert (MovementKind.plan_met, f"{A}-p1", "c1") in moved  # met this week
    assert (MovementKind.plan_overdue, f"{A}-p2", "c1") in moved  # fell due two days ago
    assert not {m for m in moved if m[0] in (MovementKind.plan_met, MovementKind.plan_overdue)} - {
        (MovementKind.plan_met, f"{A}-p1", "c1"),
        (MovementKind.plan_overdue, f"{A}-p2", "c1"),
    }


def test_a_target_is_edited_in_one_guarded_step_with_its_rules(store_with_plan):
    made = create_record(store_with_plan, PLAN_TARGET, A, {"contact_id": "c1", "person_id": f"{A}-p3",
                                                           "status": "referred"}, "t")  # fmt: skip
    assert made in read_account_network(store_with_plan, A).plan_targets
    update_record(store_with_plan, PLAN_TARGET, A, ("c1", f"{A}-p3"), {"band": "strong", "due": "2025-01-31"}, "t")
    changed = next(t for t in read_account_network(store_with_plan, A).plan_targets
                   if (t.contact_id, t.person_id) == ("c1", f"{A}-p3"))  # fmt: skip
    assert (changed.status, changed.band, changed.due) == (RelationshipStatus.referred, Band.strong, date(2025, 1, 31))
    for fields, words in (({"status": "none"}, "目标关系状态"), ({"person_id": "elsewhere-p1"}, "person_id"),
                          ({"contact_id": "c-nobody"}, "no such contact")):  # fmt: skip
        with pytest.raises(Invalid, match=words):
            create_record(store_with_plan, PLAN_TARGET, A,
                          {"contact_id": "c2", "person_id": f"{A}-p1", "status": "trusted"} | fields, "t")  # fmt: skip
    before = read_account_network(store_with_plan, A)
    with pytest.raises(Invalid):
        update_record(store_with_plan, PLAN_TARGET, A, ("c1", f"{A}-p3"), {"status": "competitor"}, "t")
    assert read_account_network(store_with_plan, A) == before  # refused whole: nothing written
    delete_record(store_with_plan, PLAN_TARGET, A, ("c1", f"{A}-p3"), "t")
    assert len(read_account_network(store_with_plan, A).plan_targets) == 5


def test_erasure_takes_the_persons_targets_and_their_name_from_the_plans_notes(store_with_plan):
    assert [t.person_id for t in export_subject(store_with_plan, A, f"{A}-p2").plan_targets] == [f"{A}-p2"]
    erase_person(store_with_plan, A, f"{A}-p1", "t")  # 周建国, named in p2's target's note
    network = read_account_network(store_with_plan, A)
    assert f"{A}-p1" not in {t.person_id for t in network.plan_targets}
    note = next(t.note for t in network.plan_targets if t.person_id == f"{A}-p2")
    assert note == f"请吴海燕的上级{ERASED}引荐"


def test_a_backup_keeps_the_plan_and_one_made_before_plans_existed_still_restores(store_with_plan, tmp_path):
    path = tmp_path / "graph.jsonl"
    counts = backup(store_with_plan, path)
    assert counts.relationships["PLANS"] == 5
    store_with_plan.clear()
    restore(store_with_plan, path)
    assert read_account_network(store_with_plan, A).plan_targets == planned().plan_targets
    # The same file as a graphmap without plans wrote it: no PLANS lines, none counted.
    older = tmp_path / "older.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    kept = [entry for entry in lines if entry.get("relationship") != "PLANS"]
    del kept[-1]["relationships"]["PLANS"]
    older.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept), encoding="utf-8")
    assert check(older).relationships["PLANS"] == 0
    store_with_plan.clear()
    restore(store_with_plan, older)
    assert "PLANS" not in count_graph(store_with_plan) and read_account_network(store_with_plan, A).people
