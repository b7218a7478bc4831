"""The API on each engine, through TestClient: the sample portfolio, two teams and a token per role.

Team east is granted the first two accounts, team west the third; the admin belongs to neither.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graphmap.access import AccessRole, add_user, create_token, grant
from graphmap.api import create_app
from graphmap.config import Settings
from graphmap.graph import write_portfolio
from graphmap.model import Portfolio
from graphmap.sample import portfolio_path
from graphmap.store import GraphStore

EAST = ("2024-EN-00001", "2024-FI-00002")
WEST = ("2024-MD-00003",)
SETUP = "test-setup"


@dataclass
class Api:
    client: TestClient
    store: GraphStore
    tokens: dict[str, str]  # east_viewer, east_editor, west_editor, admin

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def call(self, who: str, method: str, url: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self.client.request(method, url, headers=(headers or {}) | self.as_(who), **kwargs)


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))


def seed(store: GraphStore, portfolio: Portfolio) -> dict[str, str]:
    write_portfolio(store, portfolio)
    tokens = {}
    for user_id, team in (("east.viewer", "east"), ("east.editor", "east"), ("west.editor", "west"), ("boss", "hq")):
        add_user(store, user_id, user_id.replace(".", " ").title(), team, SETUP)
    for who, user_id, role in (
        ("east_viewer", "east.viewer", AccessRole.viewer),
        ("east_editor", "east.editor", AccessRole.editor),
        ("west_editor", "west.editor", AccessRole.editor),
        ("admin", "boss", AccessRole.admin),
    ):
        tokens[who] = create_token(store, user_id, role, SETUP)[1]
    for account_id in EAST:
        grant(store, account_id, "team:east", SETUP)
    for account_id in WEST:
        grant(store, account_id, "team:west", SETUP)
    return tokens


@pytest.fixture
def api(store: GraphStore, sample: Portfolio) -> Iterator[Api]:
    tokens = seed(store, sample)
    with TestClient(create_app(Settings(), store), raise_server_exceptions=False) as client:
        yield Api(client, store, tokens)


@pytest.fixture
def call(api: Api) -> Callable[..., object]:
    return api.call
