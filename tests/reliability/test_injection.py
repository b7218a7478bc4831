"""Cypher injection: 249 payloads (payloads.py) in every string input of the API, on both engines.

Free text is stored and read back exactly as sent; every id, filter, sort key and path segment answers a
4xx or a normal answer; nothing answers a 5xx; and the graph's nodes and relationships are the same
afterwards, apart from the records a test created and the audit entries (:Change) every change writes.

The inputs come from the OpenAPI document, so an input added later is covered without editing this file.
Small scale (`make test`): a fifth of the payloads in every body field, a spread of them over the other
inputs; large (`make bench`): every payload in every input.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from graphmap.api import create_app
from graphmap.config import Settings
from graphmap.graph import count_graph
from graphmap.model import Comment, Portfolio
from graphmap.sample import portfolio_path
from graphmap.store import GraphStore
from tests.api.conftest import Api, seed
from tests.reliability import LARGE
from tests.reliability.payloads import PAYLOADS

pytestmark = pytest.mark.integration

ACCOUNT = "2024-EN-00001"
# One record of each kind in ACCOUNT of the sample, for the paths that name one.
PATH_VALUES = {
    "account_id": ACCOUNT,
    "contact_id": "c00010",
    "person_id": f"{ACCOUNT}-p0000",
    "manager_id": f"{ACCOUNT}-p0001",
    "target_id": f"{ACCOUNT}-p0001",
    "card_id": "missing-card",
    "user_id": "boss",
    "token_id": "0" * 32,
    "template": "mapping",
}
RECORD_IDS = {
    "departments": f"{ACCOUNT}-d000",
    "people": f"{ACCOUNT}-p0000",
    "interactions": f"{ACCOUNT}-i00000",
    "tasks": f"t-{ACCOUNT}-1",
    "comments": "m-injection",
}  # the sample's task; the fixture's comment
# Where the API writes a new record, a body it accepts, and the nodes it adds (a new account is granted
# to its creator's team).
CREATES = {
    "/accounts": ({"name": "x"}, {"Account": 1, "Grant": 1}),
    f"/accounts/{ACCOUNT}/people": ({"department_id": f"{ACCOUNT}-d000", "name": "x"}, {"Person": 1}),
    f"/accounts/{ACCOUNT}/departments": ({"name": "x"}, {"Department": 1}),
    f"/accounts/{ACCOUNT}/interactions": (
        {"on": "2024-09-01", "channel": "visit", "summary": "x", "person_ids": [f"{ACCOUNT}-p0000"]},
        {"Interaction": 1},
    ),
    f"/accounts/{ACCOUNT}/tasks": ({"title": "x", "owner_id": "c00010"}, {"Task": 1}),
    f"/accounts/{ACCOUNT}/comments": ({"text": "x"}, {"Comment": 1}),
    "/contacts": ({"name": "x", "team": "sales"}, {"Contact": 1}),
    "/users": ({"id": "someone", "name": "x", "team": "east"}, {"User": 1}),
}
NOT_DATA = ("Change",)  # audit entries: every accepted change adds one


@pytest.fixture
def api(store: GraphStore) -> Iterator[Api]:
    sample = Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))
    # A comment of the admin's, whom the tests call as: only its author may change it.
    mine = Comment(id="m-injection", account_id=ACCOUNT, author="boss", text="x", written_at=datetime.now(UTC))
    tokens = seed(store, sample.model_copy(update={"comments": (mine,)}))
    with TestClient(create_app(Settings(), store), raise_server_exceptions=False) as client:
        yield Api(client, store, tokens)


def data_counts(store: GraphStore) -> dict[str, int]:
    return {key: n for key, n in count_graph(store).items() if key not in NOT_DATA}


def _spec(api: Api) -> dict[str, Any]:
    spec: dict[str, Any] = api.client.app.openapi()  # type: ignore[attr-defined]
    return spec


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


CHECKED_TEXT = ("phone", "email")  # reduced to the archive's form and refused if no phone or e-mail at all


def _is_free_text(spec: dict[str, Any], name: str, schema: dict[str, Any]) -> bool:
    """A string a user types (a name, a note), as opposed to an id, a day, a vocabulary key or a phone."""
    alternatives = [_resolve(spec, s) for s in schema.get("anyOf", [schema])]
    text = [s for s in alternatives if s.get("type") == "string"]
    plain = all(not {"pattern", "format", "enum"} & s.keys() for s in text)
    return bool(text) and not name.endswith("_id") and name not in CHECKED_TEXT and plain


def body_fields(spec: dict[str, Any], operation: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The JSON body's free-text fields and its other string-taking fields (ids, days, keys)."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return [], []
    properties = _resolve(spec, content["application/json"]["schema"]).get("properties", {})
    free = [name for name, schema in properties.items() if _is_free_text(spec, name, schema)]
    return free, [name for name in properties if name not in free]


def concrete(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    kind = path.split("/")[3] if path.count("/") >= 3 else ""
    return path.replace("{record_id}", RECORD_IDS.get(kind, "missing"))


def spread(inputs: list[Any]) -> Iterator[tuple[Any, str]]:
    """Every payload in every input (large), or each input with every 25th payload, offset per input."""
    for index, item in enumerate(inputs):
        chosen = PAYLOADS if LARGE else PAYLOADS[index % 25 :: 25]
        for payload in chosen:
            yield item, payload


def test_free_text_is_stored_and_read_back_verbatim(api: Api) -> None:
    spec = _spec(api)
    before = data_counts(api.store)
    changed = 0
    for path, operations in spec["paths"].items():
        if "patch" not in operations:
            continue
        free, _ = body_fields(spec, operations["patch"])
        if not free:
            continue
        url = concrete(path)
        for payload in PAYLOADS if LARGE else PAYLOADS[::5]:
            reply = api.call("admin", "PATCH", url, json=dict.fromkeys(free, payload))
            assert reply.status_code == 200, (url, payload, reply.text)
            stored = api.call("admin", "GET", url).json()
            assert {name: stored[name] for name in free} == dict.fromkeys(free, payload), (url, payload)
            changed += 1
    assert changed >= 6 * len(
        PAYLOADS if LARGE else PAYLOADS[::5]
    )  # accounts, departments, people, coverage, interactions, contacts
    assert data_counts(api.store) == before


def test_new_records_hold_the_payload_and_nothing_else_appears(api: Api) -> None:
    spec = _spec(api)
    chosen = PAYLOADS if LARGE else PAYLOADS[::10]
    for url, (base, added) in CREATES.items():
        free, _ = body_fields(spec, spec["paths"][url.replace(ACCOUNT, "{account_id}")]["post"])
        for number, payload in enumerate(chosen):
            before = data_counts(api.store)
            body = base | dict.fromkeys(free, payload) | ({"id": f"someone-{number}"} if "id" in base else {})
            reply = api.call("admin", "POST", url, json=body)
            assert reply.status_code == 201, (url, payload, reply.text)
            created = reply.json()
            assert {name: created[name] for name in free} == dict.fromkeys(free, payload)
            nodes = {k: v for k, v in data_counts(api.store).items() if not k.isupper()}  # edges may grow
            assert nodes == {k: v + added.get(k, 0) for k, v in before.items() if not k.isupper()}, payload


def test_ids_filters_and_path_segments_refuse_or_answer_but_change_nothing(api: Api) -> None:
    spec = _spec(api)
    before = data_counts(api.store)
    inputs: list[tuple[str, str, str, dict[str, Any]]] = []  # (method, path, where, name)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                inputs.append((method, path, parameter["in"], parameter["name"]))
            if method in ("post", "patch"):
                _, other = body_fields(spec, operation)
                inputs += [(method, path, "body", name) for name in other]
    answered: dict[str, int] = {}
    for (method, path, where, name), payload in spread(inputs):
        url, params, body, headers = concrete(path), {}, None, {}
        if where == "header":  # If-Match: a version that is none (`*`, any version, is not among the payloads)
            if payload == "*" or not payload.isascii() or any(c in payload for c in "\r\n\x00"):
                continue  # no client can send it as a header
            headers = {name: payload}
        elif where == "path":
            url = concrete(path.replace("{" + name + "}", quote(payload, safe="")))
        elif where == "query":
            params = {name: payload}
        elif where == "body":
            base = next((b for u, (b, _) in CREATES.items() if u == url), {}) if method == "post" else {}
            body = base | {name: [payload] if name.endswith("_ids") else payload}
        reply = api.call("admin", method.upper(), url, params=params, json=body, headers=headers)
        assert reply.status_code < 500, (method, url, where, name, payload, reply.text)
        if where in ("path", "body", "header"):
            assert 400 <= reply.status_code < 500, (method, url, where, name, payload, reply.status_code)
        answered[str(reply.status_code)] = answered.get(str(reply.status_code), 0) + 1
    assert data_counts(api.store) == before, answered
    assert len(inputs) > 100
