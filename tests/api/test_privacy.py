"""One masking policy (graphmap/privacy.py) on every face a viewer can reach: every analysis of the
registry, the pages and the records. Stakeholders' names, phones and e-mails never reach a viewer; our own
staff's names do; the numbers are the editor's."""

import pytest

from graphmap.analysis.registry import ANALYSES, Analysis
from graphmap.audit import audit_entry, write_audit
from graphmap.changelog import ChangeKind
from graphmap.graph import read_account_network
from graphmap.model import Role
from tests.api.conftest import EAST, WEST, Api

pytestmark = pytest.mark.integration
EN = EAST[0]


def url_of(api: Api, analysis: Analysis) -> str:
    network = read_account_network(api.store, EN)
    options = {
        "warm-paths": {"person_id": next(p.id for p in network.people if Role.decision_maker in p.roles)},
        "coverage-lost": {"contact_id": network.coverage[0].contact_id},
        "what-if": {"leaves": network.coverage[0].contact_id},
        "changes": {"since": "2000-01-01"},
    }.get(analysis.name, {})
    query = "&".join(f"{k}={v}" for k, v in ({"account_id": EN} | options).items())
    return f"/analyses/{analysis.name}?{query}"


def secrets_of(api: Api) -> list[str]:
    """What a viewer must not read: every stakeholder's name (of two characters or more), phone, e-mail."""
    network = read_account_network(api.store, EN)
    return [v for p in network.people for v in (p.name, p.phone, p.email) if v and len(v) > 1]


def leaked(api: Api, text: str) -> list[str]:
    """The secrets in a viewer's answer, our staff's names taken out first (刘浩华 of ours holds 刘浩 of theirs)."""
    for contact in read_account_network(api.store, EN).contacts:
        text = text.replace(contact.name, "")
    return [s for s in secrets_of(api) if s in text]


@pytest.mark.parametrize("analysis", ANALYSES, ids=lambda a: a.name)
def test_no_analysis_shows_a_viewer_what_the_policy_masks(api: Api, analysis: Analysis) -> None:
    person = read_account_network(api.store, EN).people[0]
    # an audit entry that keeps a person's record (with phone and e-mail) before and after
    write_audit(api.store, [audit_entry("t", ChangeKind.record_updated, "person", person.id, person.name, EN,
                                        before=person, after=person)])  # fmt: skip
    url = url_of(api, analysis)
    viewer, editor = api.call("east_viewer", "GET", url), api.call("east_editor", "GET", url)
    assert viewer.status_code == editor.status_code == 200, (url, viewer.text, editor.text)
    assert not leaked(api, viewer.text), url
    assert len(viewer.json()) == len(editor.json())  # masked, not left out


def test_a_viewer_sees_our_staffs_names_in_pages_and_analyses(api: Api) -> None:
    network = read_account_network(api.store, EN)
    staff = {c.name for c in network.contacts}
    page = api.call("east_viewer", "GET", f"/accounts/{EN}/page").text
    strength = api.call("east_viewer", "GET", f"/analyses/strength?account_id={EN}").json()
    assert staff <= {name for name in staff if name in page}
    assert {link["contact_name"] for link in strength} <= staff and strength
    assert not leaked(api, page)


def test_the_map_files_are_masked_for_viewers_as_the_page_is(api: Api) -> None:
    page = api.call("east_viewer", "GET", f"/accounts/{EN}/page").text
    assert all(f'href="page.{format}"' in page for format in ("svg", "png", "pdf"))  # the page links them
    svg = api.call("east_viewer", "GET", f"/accounts/{EN}/page.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert not leaked(api, svg.text)
    editor = api.call("east_editor", "GET", f"/accounts/{EN}/page.svg").text
    assert leaked(api, editor)  # the same file unmasked holds the names: the check above can fail
    for format, media, magic in (("png", "image/png", b"\x89PNG"), ("pdf", "application/pdf", b"%PDF")):
        reply = api.call("east_viewer", "GET", f"/accounts/{EN}/page.{format}?paper=a3")
        assert reply.status_code == 200 and reply.headers["content-type"] == media and reply.content.startswith(magic)
    assert api.call("east_viewer", "GET", f"/accounts/{EN}/page.docx").status_code in (404, 422)
    assert api.call("east_viewer", "GET", f"/accounts/{EN}/page.pdf?paper=letter").status_code == 422


def test_old_spellings_answer_as_the_registry_name(api: Api) -> None:
    for analysis in ANALYSES:
        for alias in analysis.aliases:
            old = api.call("east_editor", "GET", url_of(api, analysis).replace(analysis.name, alias, 1))
            assert old.status_code == 200 and old.json() == api.call("east_editor", "GET", url_of(api, analysis)).json()


def test_an_analysis_over_every_granted_account_runs_once_on_them_all(api: Api) -> None:
    coverage = api.call("east_viewer", "GET", "/analyses/coverage").json()
    assert [c["account_id"] for c in coverage] == [
        c["account_id"] for c in api.call("east_editor", "GET", "/analyses/coverage").json()
    ]
    assert {c["account_id"] for c in coverage} == set(EAST)


def test_the_weekly_review_keeps_to_the_callers_accounts_and_masks_for_viewers(api: Api) -> None:
    as_of = "as_of=2024-09-30"
    viewer = api.call("east_viewer", "GET", f"/review?{as_of}")
    assert viewer.status_code == 200, viewer.text
    assert {a["standing"]["account_id"] for a in viewer.json()["accounts"]} == set(EAST)
    assert api.call("east_viewer", "GET", f"/analyses/review?{as_of}").json() == viewer.json()  # one answer
    for shape in ("md", "html"):
        text = api.call("east_viewer", "GET", f"/review?{as_of}&format={shape}&account_id={EN}")
        assert text.status_code == 200 and text.headers["content-type"].startswith(
            f"text/{'markdown' if shape == 'md' else 'html'}"
        )
        assert not leaked(api, text.text) and "周报 / Weekly review" in text.text
    editor = api.call("east_editor", "GET", f"/review?{as_of}&format=md&account_id={EN}").text
    assert leaked(api, editor)  # the editor reads the names the viewer does not
    admin = api.call("admin", "GET", f"/review?{as_of}&team=west").json()
    assert [a["standing"]["account_id"] for a in admin["accounts"]] == list(WEST)
    assert api.call("east_viewer", "GET", f"/review?{as_of}&team=west").json()["accounts"] == []  # not theirs
    assert api.call("admin", "GET", f"/review?{as_of}&format=pdf").status_code == 422
    assert api.call("admin", "GET", f"/review?{as_of}&since=2024-10-30").status_code == 422
