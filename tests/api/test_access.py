"""No access across teams, on every object route and verb; erasure leaves no trace of a person."""

import json
import logging
from pathlib import Path

import pytest

from graphmap.access import grant, withdraw_grant
from graphmap.backup import backup
from graphmap.exporting import export_template
from graphmap.graph import read_account_network
from graphmap.store.embedded import EmbeddedStore
from tests.api.conftest import EAST, WEST, Api

pytestmark = pytest.mark.integration
EN = EAST[0]
MD = WEST[0]
NOWHERE = "2099-XX-99999"


def object_routes(api: Api, account_id: str) -> list[tuple[str, str, dict[str, object] | None]]:
    """Every object route and verb on one account, with ids that exist in it and valid bodies."""
    network = read_account_network(api.store, account_id)
    person, department = network.people[0], network.departments[0]
    coverage, interaction = network.coverage[0], network.interactions[0]
    line = network.reporting_lines[0]
    base = f"/accounts/{account_id}"
    keys = {
        "departments": department.id,
        "people": person.id,
        "coverage": f"{coverage.contact_id}/{coverage.person_id}",
        "reporting-lines": f"{line.person_id}/{line.manager_id}",
        "interactions": interaction.id,
    }
    bodies: dict[str, dict[str, object]] = {
        "departments": {"name": "新部门"},
        "people": {"name": "新人", "department_id": department.id},
        "coverage": {"contact_id": coverage.contact_id, "person_id": network.people[-1].id, "status": "initial"},
        "reporting-lines": {"person_id": network.people[-1].id, "manager_id": person.id},
        "interactions": {"summary": "拜访", "person_ids": [person.id]},
    }
    routes: list[tuple[str, str, dict[str, object] | None]] = [
        ("GET", base, None), ("PATCH", base, {"industry": "能源"}), ("DELETE", base, None),
        ("GET", f"{base}/page", None), ("GET", f"{base}/cards", None),
        ("GET", f"/analyses/gaps?account_id={account_id}", None),
        ("GET", f"/analyses/coverage?account_id={account_id}", None),
        ("GET", f"/analyses/warm-paths?account_id={account_id}&person_id={person.id}", None),
        ("GET", f"{base}/people/{person.id}/subject-export", None),
        ("POST", f"{base}/people/{person.id}/erasure", None),
    ]  # fmt: skip
    for path, key in keys.items():
        routes += [
            ("GET", f"{base}/{path}", None),
            ("POST", f"{base}/{path}", bodies[path]),
            ("GET", f"{base}/{path}/{key}", None),
            ("PATCH", f"{base}/{path}/{key}", {}),
            ("DELETE", f"{base}/{path}/{key}", None),
        ]
    return routes


@pytest.mark.parametrize("who", ["east_viewer", "east_editor"])
def test_no_route_reaches_another_teams_account(api: Api, who: str, tmp_path: Path) -> None:
    """Refused, changing nothing, and answered exactly as for an account that does not exist."""
    before = backup_text(api, tmp_path / "before.jsonl")
    for method, url, body in object_routes(api, MD):
        reply = api.call(who, method, url, json=body)
        assert reply.status_code in (403, 404), (method, url, reply.status_code, reply.text)
        if reply.status_code == 403:  # the role may not do this anywhere: said alike for every account
            assert "admin" in reply.json()["detail"] or "read" in reply.json()["detail"]
        missing = api.call(who, method, url.replace(MD, NOWHERE), json=body)
        assert (missing.status_code, missing.text.replace(NOWHERE, MD)) == (reply.status_code, reply.text), url
    assert backup_text(api, tmp_path / "after.jsonl") == before


def test_an_account_granted_to_one_user_is_theirs_alone(api: Api) -> None:
    grant(api.store, MD, "user:east.viewer", "test")
    try:
        for url in (f"/accounts/{MD}", f"/accounts/{MD}/people", f"/analyses/gaps?account_id={MD}"):
            assert api.call("east_viewer", "GET", url).status_code == 200, url
            assert api.call("east_editor", "GET", url).status_code == 404, url  # not granted to their team
        listed = api.call("east_viewer", "GET", "/accounts").json()["data"]
        assert {a["id"] for a in listed} == {*EAST, MD}
    finally:
        withdraw_grant(api.store, MD, "user:east.viewer", "test")
    assert api.call("east_viewer", "GET", f"/accounts/{MD}").status_code == 404


def test_the_same_routes_answer_within_the_own_team(api: Api) -> None:
    refused = {403, 409}  # subject requests are for admins; a department with people is not deleted
    routes = object_routes(api, MD)
    deletions = [r for r in routes if r[0] == "DELETE"][::-1]  # last, links before what they link
    for method, url, body in [r for r in routes if r[0] != "DELETE"] + deletions:
        if method == "DELETE" and url.endswith(MD) or "erasure" in url:
            continue  # would remove what the other routes use
        reply = api.call("west_editor", method, url, json=body)
        assert reply.status_code < 300 or reply.status_code in refused, (method, url, reply.text)


def backup_text(api: Api, path: Path) -> str:
    backup(api.store, path)
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if '"recorded_at"' not in line)


def test_erasure_leaves_no_trace_of_the_person(api: Api, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # what a deployment logs (driver wire traces at DEBUG are not)
    caplog.set_level(logging.DEBUG, logger="graphmap")
    canary = "金丝雀Canary"
    network = read_account_network(api.store, EN)
    department, colleague = network.departments[0].id, network.people[0].id
    created = api.call("east_editor", "POST", f"/accounts/{EN}/people",
                       json={"name": canary, "department_id": department, "title": "CTO",
                             "next_action": f"约{canary}吃饭", "roles": ["decision_maker"]}).json()  # fmt: skip
    pid = created["id"]
    contact = network.contacts[0].id
    for body in (
        {"summary": f"与{canary}会面", "person_ids": [pid], "contact_ids": [contact], "on": "2025-03-01"},
        {"summary": f"{canary}和同事一起参会", "person_ids": [pid, colleague], "on": "2025-03-02"},
    ):
        assert api.call("east_editor", "POST", f"/accounts/{EN}/interactions", json=body).status_code == 201
    assert api.call("east_editor", "POST", f"/accounts/{EN}/coverage",
                    json={"contact_id": contact, "person_id": pid, "status": "trusted"}).status_code == 201  # fmt: skip
    assert api.call("east_editor", "PATCH", f"/accounts/{EN}/people/{colleague}",
                    json={"next_action": f"请{canary}引荐"}).status_code == 200  # fmt: skip
    assert api.call("east_editor", "PATCH", f"/accounts/{EN}", json={"risks": f"依赖{canary}"}).status_code == 200
    exported = api.call("admin", "GET", f"/accounts/{EN}/people/{pid}/subject-export")
    assert exported.status_code == 200 and canary in exported.text
    assert len(exported.json()["interactions"]) == 2

    erased = api.call("admin", "POST", f"/accounts/{EN}/people/{pid}/erasure")
    assert erased.status_code == 200, erased.text
    assert canary not in erased.text and pid not in erased.text

    assert canary not in backup_text(api, tmp_path / "after.jsonl")
    assert pid not in backup_text(api, tmp_path / "after.jsonl")
    for url in (f"/accounts/{EN}/page", f"/accounts/{EN}/interactions?limit=500", f"/accounts/{EN}/people?limit=500",
                "/audit?limit=500", f"/analyses/changes?since=2000-01-01&account_id={EN}",
                f"/analyses/actions?account_id={EN}"):  # fmt: skip
        reply = api.call("admin", "GET", url)
        assert reply.status_code == 200 and canary not in reply.text, url
    for template in ("archive", "mapping", "contacts", "log"):
        path = tmp_path / f"{template}.xlsx"
        export_template(api.store, path, template, EN, "zh", __import__("datetime").date(2025, 6, 1))
        assert canary.encode() not in _xlsx_text(path), template
    assert canary not in caplog.text
    kinds = [e["kind"] for e in api.call("admin", "GET", "/audit?limit=500").json()["data"]]
    assert "person_erased" in kinds
    assert colleague in {p.id for p in read_account_network(api.store, EN).people}
    if isinstance(api.store, EmbeddedStore):  # the engine's own files forget them too, across a restart
        server = api.store.server
        assert files_naming(server.data_dir, canary, pid) == []
        server.stop()
        server.ensure_running()
        assert files_naming(server.data_dir, canary, pid) == []
        assert colleague in {p.id for p in read_account_network(api.store, EN).people}


def files_naming(folder: Path, *texts: str) -> list[str]:
    """The files under `folder` that hold any of `texts` as UTF-8."""
    needles = [text.encode() for text in texts]
    return [str(path) for path in folder.rglob("*") if path.is_file() and any(n in path.read_bytes() for n in needles)]


def _xlsx_text(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as book:
        return b"".join(book.read(name) for name in book.namelist())


def test_unknown_and_foreign_accounts_answer_alike(api: Api) -> None:
    foreign = api.call("east_editor", "GET", f"/accounts/{MD}").json()
    missing = api.call("east_editor", "GET", "/accounts/2099-XX-99999").json()
    assert foreign["error"] == missing["error"] == "not_found"
    assert json.dumps(foreign).replace(MD, "X") == json.dumps(missing).replace("2099-XX-99999", "X")
