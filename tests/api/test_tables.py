"""Customer tables over HTTP: upload and import (admins), export (editors, their own accounts)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from graphmap.graph import count_graph, list_accounts
from tests.api.conftest import EAST, WEST, Api
from tests.conftest import WORKED_EXAMPLE

pytestmark = pytest.mark.integration
EN = EAST[0]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def records(api: Api) -> dict[str, int]:
    """Nodes and links by kind, but the change log (each import adds its audit entry there)."""
    return {kind: count for kind, count in count_graph(api.store).items() if kind != "Change"}


def upload(api: Api, who: str, files: list[tuple[str, bytes]], **query: str) -> object:
    parts = [("files", (name, content, "application/octet-stream")) for name, content in files]
    return api.call(who, "POST", "/imports", files=parts, params=query)


def test_an_admin_imports_a_mapping_table_and_the_audit_says_so(api: Api) -> None:
    before = {a.name for a in list_accounts(api.store)}
    reply = upload(api, "admin", [("映射表.csv", WORKED_EXAMPLE.read_bytes())])
    assert reply.status_code == 200, reply.text
    report = reply.json()
    assert report["written"] > 0 and report["problems"] == [] and report["files"] == ["映射表.csv"]
    assert report["tables"][0]["kind_en"] and report["tables"][0]["rejected"] == 0
    assert {a.name for a in list_accounts(api.store)} - before == {"XX科技有限公司"}
    audit = api.call("admin", "GET", "/audit?limit=500").json()["data"]
    entry = next(e for e in audit if e["kind"] == "tables_imported")
    assert entry["actor"] == "boss" and "映射表.csv" in entry["subject_name"]


def test_a_dry_run_checks_and_writes_nothing(api: Api) -> None:
    graph = count_graph(api.store)
    reply = upload(api, "admin", [("table.csv", WORKED_EXAMPLE.read_bytes())], dry_run="true")
    assert reply.status_code == 200 and reply.json()["written"] == 0 and reply.json()["dry_run"] is True
    assert count_graph(api.store) == graph


def test_a_bad_row_is_named_by_the_uploads_name_and_line_and_nothing_is_written(api: Api) -> None:
    graph = count_graph(api.store)
    broken = WORKED_EXAMPLE.read_text(encoding="utf-8").replace("长期合作信任", "说不清", 1).encode()
    reply = upload(api, "admin", [("ok.csv", WORKED_EXAMPLE.read_bytes()), ("broken.csv", broken)])
    assert reply.status_code == 422
    body = reply.json()
    assert body["error"] == "invalid" and "broken.csv:4" in body["detail"] and "说不清" in body["detail"]
    assert "graphmap-upload" not in body["detail"]  # where the server kept the files is not shown
    assert count_graph(api.store) == graph


def test_a_partial_import_writes_the_valid_rows_and_lists_the_others(api: Api) -> None:
    broken = WORKED_EXAMPLE.read_text(encoding="utf-8").replace("长期合作信任", "说不清", 1).encode()
    reply = upload(api, "admin", [("broken.csv", broken)], partial="true")
    assert reply.status_code == 200, reply.text
    report = reply.json()
    assert report["written"] == 3 and report["tables"][0]["rejected"] == 1
    assert len(report["problems"]) == 1 and report["problems"][0].startswith("broken.csv:4")
    assert "XX科技有限公司" in {a.name for a in list_accounts(api.store)}


@pytest.mark.parametrize("name", ["notes.txt", "../../etc/passwd", ""])
def test_only_csv_and_xlsx_files_are_taken(api: Api, name: str) -> None:
    reply = upload(api, "admin", [(name, b"a,b\n")])
    assert reply.status_code == 422 and "files" in reply.json()["detail"]


def test_imports_are_for_admins(api: Api) -> None:
    graph = count_graph(api.store)
    for who in ("east_viewer", "east_editor"):
        assert upload(api, who, [("t.csv", WORKED_EXAMPLE.read_bytes())]).status_code == 403
    assert count_graph(api.store) == graph


def export(api: Api, template: str, fmt: str) -> object:
    reply = api.call("east_editor", "GET", f"/exports/{template}?account_id={EN}&format={fmt}&language=en")
    assert reply.status_code == 200, (template, reply.text)
    assert reply.headers["content-type"].startswith(XLSX if fmt == "xlsx" else "text/csv")
    assert f'filename="{template}-{EN}.{fmt}"' in reply.headers["content-disposition"]
    return reply


TEMPLATES = [("mapping", "csv"), ("archive", "xlsx"), ("log", "csv"), ("contacts", "csv")]


@pytest.mark.parametrize(("template", "fmt"), TEMPLATES)
def test_an_export_imported_back_is_a_fixed_point(api: Api, template: str, fmt: str) -> None:
    # Tables carry no ids for people: the first import of records made elsewhere (the sample portfolio)
    # gives them the tables' own identities; from then on export and import change nothing.
    assert upload(api, "admin", [(f"t.{fmt}", export(api, template, fmt).content)]).status_code == 200
    graph = records(api)
    second = export(api, template, fmt).content
    back = upload(api, "admin", [(f"t.{fmt}", second)])
    assert back.status_code == 200 and back.json()["written"] > 0, back.text
    assert records(api) == graph
    if fmt == "csv":
        assert export(api, template, fmt).content == second


def test_exports_keep_to_the_callers_accounts(api: Api) -> None:
    assert api.call("east_viewer", "GET", f"/exports/archive?account_id={EN}").status_code == 403
    other = api.call("east_editor", "GET", f"/exports/archive?account_id={WEST[0]}")
    missing = api.call("east_editor", "GET", "/exports/archive?account_id=NO-SUCH-ACCOUNT")
    assert other.status_code == missing.status_code == 404 and other.json() == {
        **missing.json(),
        "detail": missing.json()["detail"].replace("NO-SUCH-ACCOUNT", WEST[0]),
    }
    everything = api.call("east_editor", "GET", "/exports/archive")
    assert everything.status_code == 422 and "account_id" in everything.json()["detail"]
    assert api.call("admin", "GET", "/exports/archive?format=csv").status_code == 200


FORMULAS = ('=HYPERLINK("http://x","c")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_formula_typed_into_a_record_is_exported_as_text_and_imported_back_unchanged(api: Api, fmt: str) -> None:
    # OWASP's CSV injection: a spreadsheet would run these; an export must hand them over as text.
    typed = dict(zip(titles(api), FORMULAS, strict=False))
    for person_id, formula in typed.items():
        reply = api.call("east_editor", "PATCH", f"/accounts/{EN}/people/{person_id}", json={"title": formula})
        assert reply.status_code == 200, reply.text
    content = export(api, "contacts", fmt).content
    cells = _cells(content, fmt)
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert {f"'{formula}" for formula in FORMULAS} <= set(cells)
    reply = upload(api, "admin", [(f"contacts.{fmt}", content)])
    assert reply.status_code == 200 and reply.json()["written"] > 0, reply.text
    back = titles(api)
    assert {person_id: back[person_id] for person_id in typed} == typed
    assert export(api, "contacts", fmt).content == content or fmt == "xlsx"  # a workbook's zip differs by time


def titles(api: Api) -> dict[str, str]:
    people = api.call("east_editor", "GET", f"/accounts/{EN}/people?limit=500").json()["data"]
    return {person["id"]: person["title"] for person in people}


def _cells(content: bytes, fmt: str) -> list[str]:
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    book = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells} <= {"s", "n"}  # text (and numbers), never "f", a formula
    return [str(cell.value) for cell in cells]
