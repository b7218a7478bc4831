"""Comments on every engine: on the account, a person or one of our links, with @mentions of graphmap users;
changed and deleted by their author alone, audited, masked for viewers, in the weekly review, erased with
the person they are on."""

import json
from datetime import UTC, date, datetime

import pytest

from graphmap.access import add_user
from graphmap.analysis.review import MovementKind, weekly_review
from graphmap.audit import read_audit
from graphmap.backup import backup, restore
from graphmap.editing import COMMENT, PERSON, create_record, delete_record, update_record
from graphmap.errors import Forbidden, Invalid
from graphmap.graph import Scope, read_account_network, write_portfolio
from graphmap.privacy import mask_name
from graphmap.subjects import ERASED, erase_person, export_subject
from tests.integration.test_plans import A, planned

pytestmark = pytest.mark.integration
P1, P2 = f"{A}-p1", f"{A}-p2"


@pytest.fixture
def talking(store):
    write_portfolio(store, planned())
    for user, name in (("east.lead", "王经理"), ("east.editor", "李编辑")):
        add_user(store, user, name, "east", "admin")
    return store


def _comments(store, masked: bool = False):
    return read_account_network(store, A, masked).comments


def test_a_comment_mentions_users_and_only_its_author_changes_it(talking):
    text = "@east.lead 周建国下周出差，@nobody 请改约吴海燕。"
    made = create_record(talking, COMMENT, A, {"text": text, "person_id": P1}, "east.editor")
    assert (made.author, made.mentions, made.edited_at) == ("east.editor", ("east.lead",), None)
    assert made.written_at.date() == datetime.now(UTC).date() and made.id.startswith("m-")
    with pytest.raises(Forbidden, match="只有评论的作者"):
        update_record(talking, COMMENT, A, (made.id,), {"text": "改写"}, "east.lead")
    with pytest.raises(Forbidden):
        delete_record(talking, COMMENT, A, (made.id,), "east.lead")
    changed = update_record(talking, COMMENT, A, (made.id,), {"text": "改约了，@east.editor 知悉"}, "east.editor")
    assert changed.mentions == ("east.editor",) and changed.edited_at is not None
    assert [c.text for c in _comments(talking)] == ["改约了，@east.editor 知悉"]
    kinds = [
        c.kind.value for c in read_audit(talking, date(2000, 1, 1), actor="east.editor") if c.subject_id == made.id
    ]
    assert sorted(kinds) == ["record_created", "record_updated"]
    delete_record(talking, COMMENT, A, (made.id,), "east.editor")
    assert _comments(talking) == ()


def test_a_comment_on_a_link_needs_the_link_and_bad_ones_are_refused_whole(talking):
    on_link = create_record(
        talking, COMMENT, A, {"text": "关系很好", "person_id": P2, "contact_id": "c2"}, "east.editor"
    )
    assert (on_link.person_id, on_link.contact_id) == (P2, "c2")
    refused = [
        ({"person_id": P1, "contact_id": "c2"}, "no link of contact"),
        ({"contact_id": "c1"}, "须同时写明"),
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"person_id": "nobody"}, "person_id"),
    ]
    for fields, words in refused:
        with pytest.raises(Invalid, match=words):
            create_record(talking, COMMENT, A, {"text": "甲"} | fields, "east.editor")
    assert [c.id for c in _comments(talking)] == [on_link.id]


def test_comments_are_masked_for_viewers_in_the_review_and_erased_with_their_person(talking):
    create_record(talking, COMMENT, A, {"text": "吴海燕支持我们的方案", "person_id": P1}, "east.editor")
    create_record(talking, COMMENT, A, {"text": "整体推进顺利"}, "east.lead")  # on the account
    on_p2 = create_record(talking, COMMENT, A, {"text": "需要高层拜访", "person_id": P2}, "east.lead")
    (masked,) = [c.text for c in _comments(talking, masked=True) if c.person_id == P1]
    assert "吴海燕" not in masked and mask_name("吴海燕") in masked
    today = datetime.now(UTC).date()
    review = weekly_review(talking, Scope(frozenset([A]), masked=True), today, today)
    said = [(m.person_name, m.before, m.after) for m in review.accounts[0].movements if m.kind is MovementKind.comment]
    assert ("计划科技有限公司", "east.lead", "整体推进顺利") in said and len(said) == 3
    assert not [s for s in said if "吴海燕" in (s[2] or "")]  # masked in the viewer's review too
    assert [c.id for c in export_subject(talking, A, P2).comments] == [on_p2.id]
    erase_person(talking, A, P2, "admin")  # 吴海燕
    texts = {c.text for c in _comments(talking)}
    assert texts == {f"{ERASED}支持我们的方案", "整体推进顺利"}
    delete_record(talking, PERSON, A, (P1,), "admin")
    assert {c.text for c in _comments(talking)} == {"整体推进顺利"}


def test_a_backup_holds_the_comments(talking, tmp_path):
    create_record(talking, COMMENT, A, {"text": "@east.lead 看一下", "person_id": P1}, "east.editor")
    before = _comments(talking)
    path = tmp_path / "graph.jsonl"
    assert backup(talking, path).nodes["Comment"] == 1
    talking.clear()
    restore(talking, path)
    assert _comments(talking) == before
    line = next(json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if '"Comment"' in x)
    assert line["properties"]["mentions"] == ["east.lead"]
