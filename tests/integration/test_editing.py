"""graphmap.editing on each engine, below the API: what one edit writes."""

import pytest

from graphmap import editing
from graphmap.access import list_grants
from graphmap.editing import PERSON, create_account, update_record
from graphmap.errors import Invalid
from graphmap.graph import list_accounts, read_account_network, write_portfolio
from graphmap.model import Portfolio
from graphmap.sample import portfolio_path

pytestmark = pytest.mark.integration


def test_an_update_writes_only_the_fields_it_changes(store, monkeypatch):
    portfolio = Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))
    write_portfolio(store, portfolio)
    account_id = portfolio.accounts[0].id
    stale = read_account_network(store, account_id)
    person = stale.people[0]
    # An import (which takes no lock on Neo4j) changes the title after the edit has read the person...
    change = {"id": person.id, "department_id": person.department_id, "props": {"title": "新职位"}}
    store.write("merge_people", rows=[change])
    monkeypatch.setattr(editing, "read_account_network", lambda reads, account_id: stale)
    # ...and the edit, which changes the next action only, leaves the title as the import left it.
    update_record(store, PERSON, account_id, (person.id,), {"next_action": "周五回访"}, "tester")
    stored = next(p for p in read_account_network(store, account_id).people if p.id == person.id)
    assert (stored.title, stored.next_action) == ("新职位", "周五回访")


def test_a_new_account_and_its_teams_grant_are_written_together(store):
    with pytest.raises(Invalid):  # a grant that cannot be made: no account either
        create_account(store, {"name": "新客户"}, "tester", grantee="nobody")
    assert list_accounts(store) == []
    account = create_account(store, {"name": "新客户"}, "tester", grantee="team:east")
    assert [g.grantee for g in list_grants(store, account_id=account.id)] == ["team:east"]
    assert [a.id for a in list_accounts(store)] == [account.id]
