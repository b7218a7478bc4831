"""Two people editing one account at the same moment (issue 29), on both engines, through the API.

- An editor changes a person's title while an admin changes their next action: both changes stay, in every
  round, and each audit entry's "before" is the record as it was just before that change.
- A PATCH or DELETE whose If-Match names a version someone else has replaced gets 412 with the current record.
- An editor deletes an empty department while another creates a person in it: exactly one of the two
  succeeds, in every round, and no person is ever left without a department.
Each round starts both requests together from two threads with their own clients (a barrier releases them).
"""

import json
import threading
from collections.abc import Callable, Iterator
from functools import partial
from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graphmap.api import create_app
from graphmap.config import Settings
from graphmap.graph import read_account_network
from graphmap.model import Portfolio
from graphmap.sample import portfolio_path
from graphmap.store import GraphStore
from tests.api.conftest import EAST, seed
from tests.reliability import scale

pytestmark = pytest.mark.integration

EN = EAST[0]
ROUNDS = scale(20, 100)
DEPARTMENT_ROUNDS = scale(30, 100)


class Clients:
    """One TestClient per thread, each on its own app over the shared store, as two API workers would be."""

    def __init__(self, store: GraphStore, tokens: dict[str, str]) -> None:
        self.store, self.tokens = store, tokens
        self.clients = [TestClient(create_app(Settings(), store), raise_server_exceptions=False) for _ in range(2)]

    def call(self, who: str, method: str, url: str, which: int = 0, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {}) | {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.clients[which].request(method, url, headers=headers, **kwargs)

    def together(self, first: Callable[..., Any], second: Callable[..., Any]) -> tuple[Any, Any]:
        """Runs both at once, each on its own thread and client; their answers."""
        barrier = threading.Barrier(2)
        answers: list[Any] = [None, None]

        def run(index: int, action: Callable[..., Any]) -> None:
            barrier.wait()
            answers[index] = action(which=index)

        threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate((first, second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return answers[0], answers[1]


@pytest.fixture
def clients(store: GraphStore) -> Iterator[Clients]:
    tokens = seed(store, Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8")))
    both = Clients(store, tokens)
    with both.clients[0], both.clients[1]:
        yield both


def test_two_editors_changing_one_person_keep_both_changes(clients: Clients) -> None:
    person = clients.call("east_editor", "GET", f"/accounts/{EN}/people?limit=1").json()["data"][0]["id"]
    url = f"/accounts/{EN}/people/{person}"
    start = clients.call("east_editor", "GET", url).json()
    states = [(start["title"], start["next_action"])]  # after each round
    for round_number in range(ROUNDS):
        title, action = f"总监 {round_number}", f"回访 {round_number}"
        first, second = clients.together(
            partial(clients.call, "east_editor", "PATCH", url, json={"title": title}),
            partial(clients.call, "admin", "PATCH", url, json={"next_action": action}),
        )
        assert first.status_code == second.status_code == 200, (first.text, second.text)
        stored = clients.call("east_editor", "GET", url).json()
        assert (stored["title"], stored["next_action"]) == (title, action), f"round {round_number}: a change was lost"
        states.append((title, action))
    # Each audit entry's "before" is the record as it was just before that change: in each round, the
    # second change's "before" is the first's "after", and the first's is the last round's end.
    audit = clients.call("admin", "GET", "/audit?limit=500").json()["data"]
    pairs = [(json.loads(e["before"]), json.loads(e["after"])) for e in audit if e["subject_id"] == person]
    shown = [(tuple(b[k] for k in ("title", "next_action")), tuple(a[k] for k in ("title", "next_action")))
             for b, a in pairs]  # fmt: skip
    for previous, (title, action) in pairwise(states):
        ends = [pair for pair in shown if pair[1] == (title, action)]
        assert len(ends) == 1, ends
        middle = ends[0][0]
        assert middle in {(title, previous[1]), (previous[0], action)}, (previous, ends)
        assert (previous, middle) in shown


def test_a_stale_if_match_gets_412_with_the_current_record(clients: Clients) -> None:
    person = clients.call("east_editor", "GET", f"/accounts/{EN}/people?limit=1").json()["data"][0]["id"]
    url = f"/accounts/{EN}/people/{person}"
    read = clients.call("east_editor", "GET", url)
    version = read.headers["ETag"]
    changed = clients.call(
        "admin", "PATCH", url, which=1, json={"next_action": "周五回访"}, headers={"If-Match": version}
    )
    assert changed.status_code == 200 and changed.headers["ETag"] != version
    stale = clients.call("east_editor", "PATCH", url, json={"title": "CTO"}, headers={"If-Match": version})
    assert stale.status_code == 412, stale.text
    body = stale.json()
    assert body["error"] == "precondition_failed" and body["current"]["next_action"] == "周五回访"
    assert stale.headers["ETag"] == changed.headers["ETag"]
    assert clients.call("east_editor", "GET", url).json()["title"] == read.json()["title"]  # nothing written
    gone = clients.call("east_editor", "DELETE", url, headers={"If-Match": version})
    assert gone.status_code == 412
    again = clients.call(
        "east_editor", "PATCH", url, json={"title": "CTO"}, headers={"If-Match": stale.headers["ETag"]}
    )
    assert again.status_code == 200 and again.json()["title"] == "CTO"


def test_deleting_a_department_while_someone_joins_it_lets_exactly_one_through(clients: Clients) -> None:
    departments = clients.call("east_editor", "GET", f"/accounts/{EN}/departments?limit=1").json()["data"]
    parent = departments[0]["id"]
    outcomes: dict[str, int] = {"person created": 0, "department deleted": 0}
    for round_number in range(DEPARTMENT_ROUNDS):
        body = {"name": f"临时部门 {round_number}", "parent_id": parent}
        department = clients.call("east_editor", "POST", f"/accounts/{EN}/departments", json=body).json()["id"]
        person = {"name": f"*新人{round_number}", "title": "工程师", "department_id": department}
        deleted, created = clients.together(
            partial(clients.call, "east_editor", "DELETE", f"/accounts/{EN}/departments/{department}"),
            partial(clients.call, "admin", "POST", f"/accounts/{EN}/people", json=person),
        )
        assert (deleted.status_code, created.status_code) in {(204, 422), (409, 201)}, (deleted.text, created.text)
        outcomes["department deleted" if deleted.status_code == 204 else "person created"] += 1
        network = read_account_network(clients.store, EN)
        departments_now = {d.id for d in network.departments}
        assert all(p.department_id in departments_now for p in network.people), f"round {round_number}"
        if created.status_code == 201:
            assert created.json()["id"] in {p.id for p in network.people}  # acknowledged, so written
    assert sum(outcomes.values()) == DEPARTMENT_ROUNDS
