"""DataFrames from results (no engine): dtypes, bilingual labels, empty frames, the networkx graph."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from graphmap import frames
from graphmap.analysis.gaps import GapReport, GapThresholds, UncoveredReason, UncoveredStakeholder
from graphmap.changelog import Change, ChangeKind
from graphmap.errors import Invalid
from graphmap.graph import AccountNetwork, ContactSummary
from graphmap.model import (
    Account,
    Channel,
    Contact,
    Coverage,
    Department,
    DepartmentLevel,
    Influence,
    Interaction,
    Person,
    PersonStatus,
    RelationshipStatus,
    ReportingLine,
    Role,
    Team,
)

NETWORK = AccountNetwork(
    account=Account(id="a1", name="华东某集团"),
    departments=(
        Department(id="d0", account_id="a1", name="总部", level=DepartmentLevel.hq),
        Department(id="d1", account_id="a1", name="采购部", parent_id="d0"),
    ),
    people=(
        Person(id="p1", account_id="a1", department_id="d0", name="张强", title="总经理", roles=(Role.decision_maker,)),
        Person(
            id="p2",
            account_id="a1",
            department_id="d1",
            name="李娜",
            roles=(Role.purchaser, Role.influencer),
            next_action_due=date(2024, 10, 8),
        ),
        Person(id="p3", account_id="a1", department_id="d1", name="王五", status=PersonStatus.left),
    ),
    contacts=(Contact(id="c1", name="陈*", team=Team.sales),),
    coverage=(Coverage(contact_id="c1", person_id="p2", status=RelationshipStatus.trusted, since=date(2023, 3, 1)),),
    reporting_lines=(ReportingLine(person_id="p2", manager_id="p1"),),
    influences=(Influence(person_id="p2", target_id="p1", strength=70, sign=-1),),
    interactions=(
        Interaction(
            id="i1",
            account_id="a1",
            on=date(2024, 9, 1),
            channel=Channel.visit,
            summary="拜访",
            person_ids=("p2",),
            contact_ids=("c1",),
        ),
    ),
)


def test_stakeholders_have_typed_columns_and_labels_in_both_languages():
    people = frames.stakeholders([NETWORK])
    assert list(people["person_id"]) == ["p1", "p2", "p3"]
    assert people["person_id"].dtype == "string" and people["title"].dtype == "string"
    assert pd.isna(people.loc[1, "title"])
    assert people["next_action_due"].dtype == "datetime64[ns]"
    assert people.loc[1, "next_action_due"] == pd.Timestamp(2024, 10, 8) and pd.isna(people.loc[0, "next_action_due"])
    assert isinstance(people["status"].dtype, pd.CategoricalDtype)
    assert list(people["status"].cat.categories) == [s.value for s in PersonStatus]
    assert list(people["status_zh"]) == [PersonStatus.active.zh, PersonStatus.active.zh, PersonStatus.left.zh]
    assert list(people["status_en"]) == ["active", "active", "left"]
    assert people.loc[1, "roles"] == ["purchaser", "influencer"]
    assert people.loc[1, "roles_zh"] == f"{Role.purchaser.zh}、{Role.influencer.zh}"
    assert list(people["roles_decision_maker"]) == [True, False, False]
    assert list(people["department"]) == ["总部", "采购部", "采购部"]
    assert list(people["department_level"]) == ["hq", "department", "department"]
    assert list(people["links"]) == [0, 1, 0]
    assert people["links"].dtype == "int64"


def test_an_empty_result_still_has_every_column_and_dtype():
    empty, full = frames.stakeholders([]), frames.stakeholders([NETWORK])
    assert list(empty.columns) == list(full.columns)
    assert empty.dtypes.astype(str).to_dict() == full.dtypes.astype(str).to_dict()


def test_optional_numbers_and_flags_keep_missing_as_missing():
    contacts = frames.contacts([ContactSummary(id="c1", name="陈*", people=3, accounts=1)])
    assert contacts["people"].dtype == "int64" and contacts["contact_id"].dtype == "string"
    assert pd.isna(contacts.loc[0, "team"]) and pd.isna(contacts.loc[0, "team_zh"])
    report = GapReport(
        as_of=date(2024, 9, 30),
        thresholds=GapThresholds(),
        uncovered_decision_makers=[
            UncoveredStakeholder(
                account_id="a1",
                account_name="华东某集团",
                person_id="p1",
                name="张强",
                title=None,
                department="总部",
                roles=[Role.decision_maker],
                links=0,
                reason=UncoveredReason.no_contact,
            )
        ],
        uncovered_stakeholders=[],
        weak_links=[],
    )
    gaps = frames.gaps(report)
    assert list(gaps["reason_en"]) == ["nobody on our side"] and bool(gaps.loc[0, "roles_decision_maker"])
    assert frames.weak_links(report).empty


def test_moments_are_utc_without_a_zone():
    change = Change(
        id="ch-1",
        account_id="a1",
        on=date(2024, 9, 30),
        recorded_at=datetime(2024, 9, 30, 8, 0, tzinfo=UTC),
        kind=ChangeKind.person_joined,
        subject_id="p1",
        subject_name="张强",
        source="test",
    )
    changes = frames.changes([change])
    assert changes.loc[0, "recorded_at"] == pd.Timestamp(2024, 9, 30, 8, 0)
    assert changes["recorded_at"].dtype == "datetime64[ns]" and changes.loc[0, "change_id"] == "ch-1"


def test_networkx_carries_every_record_and_relationship():
    graph = frames.to_networkx(NETWORK)
    labels = {node: data["label"] for node, data in graph.nodes(data=True)}
    assert labels == {
        "a1": "Account",
        "d0": "Department",
        "d1": "Department",
        "p1": "Person",
        "p2": "Person",
        "p3": "Person",
        "c1": "Contact",
        "i1": "Interaction",
    }
    edges = {(a, b, key) for a, b, key in graph.edges(keys=True)}
    assert edges == {
        ("d0", "a1", "PART_OF"),
        ("d1", "d0", "PART_OF"),
        ("p1", "d0", "WORKS_IN"),
        ("p2", "d1", "WORKS_IN"),
        ("p3", "d1", "WORKS_IN"),
        ("c1", "p2", "COVERS"),
        ("p2", "p1", "REPORTS_TO"),
        ("p2", "p1", "INFLUENCES"),
        ("i1", "p2", "WITH"),
        ("i1", "c1", "WITH"),
    }
    assert graph.nodes["p2"]["next_action_due"] == date(2024, 10, 8) and graph.nodes["p3"]["status"] == "left"
    assert graph.edges["c1", "p2", "COVERS"] == {
        "status": "trusted",
        "since": date(2023, 3, 1),
        "strength": None,
        "referred_by": None,
        "basis": "recorded",
    }
    assert graph.edges["p2", "p1", "INFLUENCES"] == {"strength": 70, "sign": -1}
    assert graph.nodes["i1"]["summary"] == "拜访" and graph.nodes["a1"]["name"] == "华东某集团"


def test_an_id_shared_by_two_kinds_of_record_is_refused():
    clash = NETWORK.model_copy(update={"contacts": (Contact(id="p1", name="同号"),), "coverage": ()})
    with pytest.raises(Invalid, match="'p1' names both a Person and a Contact"):
        frames.to_networkx(clash)
