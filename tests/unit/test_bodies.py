"""The record routes' bodies are declared (graphmap/api/bodies.py) and are what the records say."""

import pytest
from pydantic import BaseModel, ValidationError

from graphmap.api import bodies
from graphmap.model import Account
from tests.bodies import KINDS, SERVER_SET, TARGET, source


def test_the_declared_bodies_are_those_the_records_give():
    # After changing a record in graphmap/model.py: `make bodies` (python -m tests.bodies).
    assert TARGET.read_text(encoding="utf-8") == source(), "graphmap/api/bodies.py is stale: run `make bodies`"


def test_each_body_has_its_record_s_fields_less_what_the_server_sets():
    from graphmap import model

    for kind in KINDS:
        record: type[BaseModel] = getattr(model, kind.record)
        create, update = getattr(bodies, f"{kind.record}Create"), getattr(bodies, f"{kind.record}Update")
        given = [name for name in record.model_fields if name not in SERVER_SET]
        assert list(create.model_fields) == given
        assert list(update.model_fields) == [name for name in given if name not in kind.key]
        assert all(not field.is_required() for field in update.model_fields.values())
        for name, field in create.model_fields.items():
            assert (field.annotation, field.default, field.metadata) == (
                record.model_fields[name].annotation, record.model_fields[name].default,
                record.model_fields[name].metadata,
            )  # fmt: skip


def test_a_body_refuses_unknown_fields_and_what_the_server_sets():
    assert bodies.AccountCreate.model_validate({"name": "甲"}).model_dump(exclude_unset=True) == {"name": "甲"}
    for extra in ({"owner": "someone"}, {"id": "a1"}):
        with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
            bodies.AccountCreate.model_validate({"name": "甲", **extra})
    assert set(bodies.AccountCreate.model_fields) == set(Account.model_fields) - {"id"}
