import pytest
from pydantic import ValidationError

from graphmap.model import Account, Department, Person, Portfolio, RelationshipStatus, Role


def test_vocabularies_parse_keys_and_both_labels():
    assert Role.parse("决策者") is Role.decision_maker
    assert Role.parse("Decision maker") is Role.decision_maker
    assert Role.parse(" decision_maker ") is Role.decision_maker
    assert RelationshipStatus.parse("第三方引荐") is RelationshipStatus.referred
    with pytest.raises(ValueError, match="决策者/decision_maker"):
        Role.parse("boss")


def test_every_vocabulary_member_has_both_labels():
    for vocabulary in (Role, RelationshipStatus):
        for member in vocabulary:
            assert member.zh and member.en, member


def test_a_portfolio_refuses_dangling_references():
    account = Account(id="a1", name="A")
    department = Department(id="d1", account_id="a1", name="采购部")
    person = Person(id="p1", account_id="a1", department_id="d-missing", name="*某某")
    with pytest.raises(ValidationError, match=r"people\[0\].department_id: unknown id 'd-missing'"):
        Portfolio(accounts=(account,), departments=(department,), people=(person,))


def test_a_portfolio_refuses_duplicate_ids():
    with pytest.raises(ValidationError, match="duplicate id 'a1'"):
        Portfolio(accounts=(Account(id="a1", name="A"), Account(id="a1", name="B")))


def test_input_models_forbid_unknown_fields():
    with pytest.raises(ValidationError, match="extra"):
        Account(id="a1", name="A", owner="someone")  # type: ignore[call-arg]


def test_text_fields_refuse_a_nul_and_say_which_field():
    with pytest.raises(ValidationError, match=r"(?s)title.*NUL"):
        Person(id="p1", account_id="a1", department_id="d1", name="王伟", title="总\x00监")


def test_combine_keeps_one_of_each_and_the_later_wins():
    from graphmap.model import Contact, combine

    first = Portfolio(accounts=(Account(id="a1", name="Old"),), contacts=(Contact(id="c1", name="*某"),))
    second = Portfolio(
        accounts=(Account(id="a1", name="New"), Account(id="a2", name="Other")),
        contacts=(Contact(id="c1", name="*某"),),
    )
    combined = combine([first, second])
    assert [a.name for a in combined.accounts] == ["New", "Other"]
    assert len(combined.contacts) == 1


def test_combine_is_not_checked_again_and_needs_not_be_when_a_later_version_moves_a_record():
    # combine builds its result unchecked (a batch of mapping tables checked 2,000 rows again): what each
    # input refers to stays in the union under its id, even where a later input's version of a record
    # points elsewhere.
    from graphmap.model import Department, Person, combine

    def department(id: str, parent: str | None = None) -> Department:
        return Department(id=id, account_id="a1", name=id, parent_id=parent)

    account = (Account(id="a1", name="A"),)
    first = Portfolio(
        accounts=account,
        departments=(department("d0"), department("d1", "d0")),
        people=(Person(id="p1", account_id="a1", department_id="d1", name="王伟"),),
    )
    second = Portfolio(
        accounts=account,
        departments=(department("d9"), department("d1", "d9")),
        people=(Person(id="p1", account_id="a1", department_id="d9", name="王伟"),),
    )
    combined = combine([first, second])
    assert [(d.id, d.parent_id) for d in combined.departments] == [("d0", None), ("d1", "d9"), ("d9", None)]
    checked = Portfolio(**{field: getattr(combined, field) for field in Portfolio.model_fields})
    assert checked == combined


def test_amounts_are_finite():
    with pytest.raises(ValidationError, match="finite"):
        Account(id="a1", name="A", revenue_12m=float("inf"))


def test_ancestry_walks_up_once_and_stops_at_a_cycle_or_an_unknown_parent():
    from graphmap.model import ancestry

    parents = {"d": "b", "b": "hq", "hq": None, "x": "y", "y": "x", "lost": "gone"}
    assert ancestry("d", parents) == ["d", "b", "hq"]
    assert ancestry("x", parents) == ["x", "y"]
    assert ancestry("lost", parents) == ["lost"]
    assert ancestry("nowhere", parents) == []
