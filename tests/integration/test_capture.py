"""Capture on every engine: a week of a sales team's calendars (as Outlook and Google export them) and
mailboxes becomes the interactions it should, once, with no address in the graph (tests/fixtures/capture)."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from graphmap.analysis.strength import relationship_strength
from graphmap.backup import backup, restore
from graphmap.capturing import capture, give_address, ignore_address, review_queue
from graphmap.config import Settings
from graphmap.errors import Invalid
from graphmap.graph import count_graph, read_account_network, write_portfolio
from graphmap.io.captures import CaptureFileError
from graphmap.model import Channel, Portfolio
from graphmap.sample import portfolio_path

pytestmark = pytest.mark.integration
FIXTURES = Path(__file__).parent.parent / "fixtures" / "capture"
FILES = [FIXTURES / name for name in ("outlook-week.ics", "google-week.ics", "inbox.mbox", "sent.mbox")]
LG = "2024-LG-00005"
GM, PURCHASING = f"{LG}-p0000", f"{LG}-p0002"  # 杜娟丽 总经理, 黄涛 采购总监
SONG, CAO = "c00021", "c00024"  # 宋东浩, 曹怡: ours
AS_OF = date(2024, 9, 30)
SETTINGS = Settings(dev=True, our_mail_domains="ourco.com")


@pytest.fixture
def sample(store) -> Portfolio:
    portfolio = Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))
    # 黄涛 writes from the company's domain (the contacts table keeps that much): matched by name there.
    people = [p.model_copy(update={"email": "hengxin-scm.com"}) if p.id == PURCHASING else p for p in portfolio.people]
    portfolio = portfolio.model_copy(update={"people": people})
    write_portfolio(store, portfolio)
    give_address(store, SETTINGS, "DuJuanLi@hengxin-scm.com ", person_id=GM, actor="test")  # given once
    return portfolio


def captured(store) -> dict[tuple[date, Channel | None], tuple[set[str], set[str]]]:
    network = read_account_network(store, LG)
    return {(i.on, i.channel): (set(i.person_ids), set(i.contact_ids))
            for i in network.interactions if i.id.startswith("cap-")}  # fmt: skip


def test_a_week_of_calendars_and_mail_becomes_its_interactions(store, sample):
    report = capture(FILES, store, SETTINGS, actor="test", as_of=AS_OF)
    assert captured(store) == {
        # the weekly meeting, in Outlook's and Google's calendars: one each time, both of ours; 9 September
        # is excluded (EXDATE), 16 September cancelled, 23 September moved to the 24th, 马欣 declined
        (date(2024, 9, 2), Channel.meeting): ({GM}, {SONG, CAO}),
        (date(2024, 9, 24), Channel.meeting): ({GM}, {SONG, CAO}),
        (date(2024, 9, 30), Channel.meeting): ({GM}, {SONG, CAO}),
        (date(2024, 9, 25), Channel.meeting): ({PURCHASING}, {CAO}),  # the all-day visit
        (date(2024, 9, 27), Channel.phone): ({PURCHASING}, {CAO}),  # 17:00 UTC on the 26th is the 27th in Shanghai
        # the quote thread (GB2312 and UTF-8 headers), in the inbox and the sent mailbox: one interaction
        (date(2024, 9, 25), Channel.email): ({GM, PURCHASING}, {CAO}),
    }
    assert (report.new, report.excluded.cancelled, report.excluded.automatic, report.excluded.too_large) == (6, 2, 2, 1)
    assert [(u.domain, u.name, u.seen) for u in review_queue(store)] == [("supplier-x.com.cn", "陈工", 1)]
    summaries = {i.summary for i in read_account_network(store, LG).interactions if i.id.startswith("cap-")}
    assert "报价单确认" in summaries and "电话沟通：采购需求（北京时间周五凌晨）" in summaries


def test_capturing_again_changes_nothing_and_a_backup_keeps_it_without_addresses(store, sample, tmp_path):
    capture(FILES, store, SETTINGS, actor="test", as_of=AS_OF)
    counts = count_graph(store)
    again = capture(FILES, store, SETTINGS, actor="test", as_of=AS_OF)
    assert (again.new, count_graph(store)) == (0, counts)
    assert review_queue(store)[0].seen == 1
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    backup(store, first)
    text = first.read_text(encoding="utf-8")
    assert "@" not in text.replace("@google.com", "")  # keyed hashes and domains only (no UID is kept either)
    assert "dujuanli" not in text.lower() and "hengxin-scm.com" in text
    store.clear()
    store.ensure_schema()
    restore(store, first)
    backup(store, second)
    assert count_graph(store) == counts and len(review_queue(store)) == 1
    assert capture(FILES, store, SETTINGS, actor="test", as_of=AS_OF).new == 0  # the hashes came back too


def test_captured_interactions_feed_strength(store, sample):
    before = {(s.contact_id, s.person_id): s.interactions for s in relationship_strength(store, LG, AS_OF)}
    capture(FILES, store, SETTINGS, actor="test", as_of=AS_OF)
    after = {(s.contact_id, s.person_id): s.interactions for s in relationship_strength(store, LG, AS_OF)}
    assert after[(CAO, PURCHASING)] == before.get((CAO, PURCHASING), 0) + 3
    assert after[(SONG, GM)] == before[(SONG, GM)] + 3


def test_a_bad_file_stops_the_capture_before_anything_is_written(store, sample, tmp_path):
    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:notadate\r\nEND:VCALENDAR\r\n")
    counts = count_graph(store)
    with pytest.raises(CaptureFileError, match="broken.ics"):
        capture([FILES[0], broken], store, SETTINGS, actor="test", as_of=AS_OF)
    assert count_graph(store) == counts


def test_hostile_files_are_bounded_and_refused(store, sample, tmp_path):
    archive = tmp_path / "mails.eml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as packed:
        packed.write(FIXTURES / "inbox.mbox", "inbox.mbox")
    archive.write_bytes(buffer.getvalue())
    refused = r"mails.eml: not a calendar or mail file \(it looks like a compressed archive\)"
    with pytest.raises(CaptureFileError, match=refused):
        capture([archive], store, SETTINGS, actor="test", as_of=AS_OF)
    nested = tmp_path / "nested.eml"  # 50,000 MIME levels: the headers are read, the parts never parsed
    head = (FIXTURES / "sent.mbox").read_text(encoding="utf-8").split("\n", 1)[1].split("Content-Type")[0]
    parts = "".join(f"--b{i}\nContent-Type: multipart/mixed; boundary=b{i + 1}\n\n" for i in range(50_000))
    nested.write_text(head + "Content-Type: multipart/mixed; boundary=b0\n\n" + parts, encoding="utf-8")
    assert capture([nested], store, SETTINGS, actor="test", as_of=AS_OF).interactions == 1
    few = Settings(dev=True, our_mail_domains="ourco.com", capture_items_limit=3)
    with pytest.raises(CaptureFileError, match="outlook-week.ics: .*more than 3"):
        capture([FILES[0]], store, few, actor="test", as_of=AS_OF)
    small = Settings(dev=True, capture_file_limit=1000)
    with pytest.raises(CaptureFileError, match="outlook-week.ics: .* bytes, more than 1,000"):
        capture([FILES[0]], store, small, actor="test", as_of=AS_OF)
    with pytest.raises(Invalid, match="GRAPHMAP_CAPTURE_SECRET"):
        capture(FILES, store, Settings(), actor="test", as_of=AS_OF)


def test_an_editor_captures_into_their_accounts_only_and_ignored_addresses_are_passed_over(store, sample):
    assert capture(FILES, store, SETTINGS, actor="east", as_of=AS_OF, accounts={"2024-EN-00001"}).new == 0
    ignore_address(store, SETTINGS, "chen.gong@supplier-x.com.cn")
    capture(FILES, store, SETTINGS, actor="test", as_of=AS_OF)
    assert review_queue(store) == []
    assert len(review_queue(store, include_ignored=True)) == 1


def test_an_address_in_the_contacts_table_is_kept_as_its_hash_and_matches(store, tmp_path):
    from graphmap.importing import run_import

    portfolio = Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))
    write_portfolio(store, portfolio)
    table = tmp_path / "contacts.csv"
    table.write_text("客户编号,部门,姓名,职位,邮箱\n2024-LG-00005,总部/总经理办公室,杜娟丽,总经理,DuJuanLi@hengxin-scm.com\n",
                     encoding="utf-8")  # fmt: skip
    run_import([table], store, actor="test", source="cli", address_secret=b"graphmap development secret: not for "
               b"real addresses")  # fmt: skip
    assert capture(FILES[:1], store, SETTINGS, actor="test", as_of=AS_OF).by_account == {LG: 3}
    people = {p.id: p for p in read_account_network(store, LG).people}
    assert people[GM].email == "hengxin-scm.com"  # the domain, never the address
    assert len(people) == len([p for p in portfolio.people if p.account_id == LG])  # the same person, updated
    backup(store, tmp_path / "b.jsonl")
    assert "dujuanli" not in (tmp_path / "b.jsonl").read_text(encoding="utf-8").lower()
