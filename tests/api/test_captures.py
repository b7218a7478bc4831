"""Capture over HTTP: editors add interactions to their own accounts only; the review queue and the
addresses given follow the same grants; nothing is captured without a deployment secret."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graphmap.api import create_app
from graphmap.config import Settings
from graphmap.graph import read_account_network
from tests.api.conftest import WEST, Api, seed

pytestmark = pytest.mark.integration
FIXTURES = Path(__file__).parent.parent / "fixtures" / "capture"
LG = "2024-LG-00005"


def upload(names: tuple[str, ...]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, (FIXTURES / name).read_bytes(), "application/octet-stream")) for name in names]


@pytest.fixture
def api(store, sample):
    tokens = seed(store, sample)
    settings = Settings(dev=True, our_mail_domains="ourco.com")
    with TestClient(create_app(settings, store), raise_server_exceptions=False) as client:
        yield Api(client, store, tokens)


def test_editors_capture_into_their_accounts_and_viewers_not_at_all(api: Api) -> None:
    files = upload(("outlook-week.ics", "google-week.ics", "inbox.mbox"))
    given = {"address": "dujuanli@hengxin-scm.com", "person_id": f"{LG}-p0000"}
    assert api.call("east_editor", "POST", "/captures/addresses", json=given).status_code == 404  # not theirs
    assert api.call("admin", "POST", "/captures/addresses", json=given).status_code == 204
    assert api.call("east_viewer", "POST", "/captures", files=files).status_code == 403
    east = api.call("east_editor", "POST", "/captures?until=2024-09-30", files=files)
    assert east.status_code == 200, east.text
    assert east.json()["new"] == 0  # LG is not granted to team east
    admin = api.call("admin", "POST", "/captures?until=2024-09-30", files=files).json()
    assert admin["by_account"] == {LG: 4}
    assert len([i for i in read_account_network(api.store, LG).interactions if i.id.startswith("cap-")]) == 4
    queue = api.call("west_editor", "GET", "/captures/queue").json()
    assert {u["domain"] for u in queue} == {"hengxin-scm.com", "supplier-x.com.cn"} and "@" not in str(queue)
    assert WEST  # the west editor reads the queue: it names no account


def test_bad_uploads_are_refused_by_name(api: Api) -> None:
    table = [("files", ("map.csv", b"a,b\n", "text/csv"))]
    refused = api.call("admin", "POST", "/captures", files=table)
    assert refused.status_code == 422 and "map.csv" in refused.json()["detail"]
    broken = [("files", ("broken.ics", b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:x\nEND:VCALENDAR\n", "text/calendar"))]
    answer = api.call("admin", "POST", "/captures", files=broken)
    assert answer.status_code == 422 and "broken.ics" in answer.json()["detail"]
    bad = api.call("admin", "POST", "/captures/addresses", json={"address": "nobody", "person_id": f"{LG}-p0000"})
    assert bad.status_code == 422 and "not an e-mail address" in bad.json()["detail"]


def test_an_edit_cannot_set_an_address_hash(api: Api) -> None:
    network = read_account_network(api.store, LG)
    body = {"name": "郑伟", "department_id": network.departments[0].id, "email_key": "0" * 32}
    refused = api.call("admin", "POST", f"/accounts/{LG}/people", json=body)
    assert refused.status_code == 422 and "email_key" in refused.json()["detail"]
