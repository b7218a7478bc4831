"""Calendars and mailboxes as exported by the clients people use: what each meeting or message says about
who met whom, and when. Nothing else is kept: a message is read up to the end of its headers (its body,
and the MIME parts inside it, are never parsed), a meeting's description is never read.

- iCalendar (.ics, RFC 5545; Outlook, Google, Apple, DingTalk, Feishu, WeCom): parsed by `icalendar`;
  recurring meetings expanded within a window by `recurring-ical-events` (RRULE, RDATE, EXDATE, moved or
  cancelled occurrences, Google's X-WR-TIMEZONE). Each occurrence is known by its UID and start.
- Mail (.eml, one RFC 5322 message; mbox, many): the standard library's `email` (RFC 2047 encoded
  headers in any charset Python knows: GB2312, GBK, GB18030, Big5, UTF-8) and `mailbox`. A message is
  known by its Message-ID; messages of one thread (References, In-Reply-To) on one day are one item.
Every file is bounded before it is parsed: its size, its number of events or messages; a compressed or
archived file (zip of mails) is refused for what it is.
"""

import email.policy
import hashlib
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events

from graphmap.errors import Invalid
from graphmap.io.tables import looks_like

CALENDAR_SUFFIXES = (".ics", ".ical", ".ifb", ".icalendar")
MAIL_SUFFIXES = (".eml", ".mbox", ".mbx", ".mbs")
SUBJECT_LIMIT = 200
NAME_LIMIT = 100
# Control characters (NUL ends a query's text on the embedded engine) and bidirectional controls.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*)+", re.IGNORECASE)
_ARCHIVES = (b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf\x27\x1c", b"\xfd7zXZ\x00", b"Rar!")
_AUTOMATIC_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}


@dataclass(frozen=True)
class Participant:
    address: str  # normalised: stripped, lower case
    name: str | None
    declined: bool = False

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]


@dataclass(frozen=True)
class CapturedItem:
    """One meeting occurrence, or one day of one mail thread."""

    key: str  # the item's identity in every file it comes from (a UID and start; a thread and day)
    kind: str  # "meeting", "call" or "email"
    on: date
    subject: str
    participants: tuple[Participant, ...]
    where: str  # the file and the item, for messages: "week.ics, event 12"
    cancelled: bool = False
    automatic: bool = False  # newsletters, auto-replies: never an interaction


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    items: int


class CaptureFileError(Invalid):
    """A file that cannot be read as a calendar or a mailbox; the message names the file and the item."""


def read_captures(path: Path, limits: Limits, window: tuple[date, date]) -> list[CapturedItem]:
    """The items of one calendar or mail file (told by its name, then by its first bytes)."""
    data = _bounded(path, limits)
    if path.suffix.lower() in CALENDAR_SUFFIXES or data.lstrip()[:15].upper() == b"BEGIN:VCALENDAR":
        return read_calendar(data, path.name, limits, window)
    if path.suffix.lower() in MAIL_SUFFIXES or _looks_like_mail(data):
        return read_mail(path, data, limits)
    raise CaptureFileError(f"{path.name}: not a calendar (.ics) or mail (.eml, mbox) file / 不是日历或邮件文件")


def read_calendar(data: bytes, name: str, limits: Limits, window: tuple[date, date]) -> list[CapturedItem]:
    events = data.upper().count(b"BEGIN:VEVENT")
    if events > limits.items:
        raise CaptureFileError(f"{name}: {events:,} events, more than {limits.items:,} / 日历中的事件过多")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as error:
        raise CaptureFileError(f"{name}: not a valid iCalendar file ({_short(error)}) / 不是有效的日历文件") from None
    if not isinstance(calendar, icalendar.Calendar):
        raise CaptureFileError(f"{name}: not a calendar / 不是日历文件")
    whole_calendar_cancelled = str(calendar.get("METHOD", "")).upper() == "CANCEL"
    start, end = window
    try:
        occurrences = recurring_ical_events.of(calendar, skip_bad_series=True).between(start, end + timedelta(days=1))
    except (ValueError, TypeError, recurring_ical_events.InvalidCalendar) as error:
        raise CaptureFileError(
            f"{name}: its recurring events cannot be read ({_short(error)}) / 重复事件无法解析"
        ) from None
    items: list[CapturedItem] = []
    for number, event in enumerate(occurrences, start=1):
        if number > limits.items:
            raise CaptureFileError(f"{name}: more than {limits.items:,} occurrences in the window / 事件过多")
        item = _meeting(event, f"{name}, event {number}", whole_calendar_cancelled)
        if item is not None and start <= item.on <= end:
            items.append(item)
    return items


def _meeting(event: Any, where: str, cancelled: bool) -> CapturedItem | None:
    uid = str(event.get("UID") or "").strip()
    began = event.get("DTSTART")
    if not uid or began is None:
        return None  # nothing to know it by, or no day: not a meeting that happened
    moment = began.dt
    day = moment.date() if isinstance(moment, datetime) else moment  # a day in the event's own time zone
    original = event.get("RECURRENCE-ID")
    first = original.dt if original is not None else moment
    # In UTC: Outlook writes a meeting in its Windows zone, Google in UTC; the same occurrence is one key.
    occurrence = (
        first.astimezone(UTC).isoformat() if isinstance(first, datetime) and first.tzinfo else first.isoformat()
    )
    subject = str(event.get("SUMMARY") or "").strip()
    people = [_attendee(a, event.get("ORGANIZER") == a) for a in _as_list(event.get("ATTENDEE"))]
    organizer = event.get("ORGANIZER")
    if organizer is not None and not any(p.address == _address_of(organizer) for p in people):
        people.append(_attendee(organizer, True))
    location = str(event.get("LOCATION") or "")
    kind = "call" if re.search(r"电话|call\b|phone|tel:", f"{subject} {location}", re.IGNORECASE) else "meeting"
    return CapturedItem(
        key=f"ics|{uid}|{occurrence}",
        kind=kind,
        on=day,
        subject=_subject(subject),
        participants=tuple(p for p in people if p.address),
        where=where,
        cancelled=cancelled or str(event.get("STATUS") or "").upper() == "CANCELLED",
    )


def _attendee(value: Any, organizer: bool) -> Participant:
    params = getattr(value, "params", {})
    answer = str(params.get("PARTSTAT", "")).upper()
    name = params.get("CN")
    return Participant(_address_of(value), _name(name), declined=answer == "DECLINED" and not organizer)


def _address_of(value: Any) -> str:
    text = str(value or "").strip()
    return text[7:].strip().lower() if text.lower().startswith("mailto:") else text.lower()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def read_mail(path: Path, data: bytes, limits: Limits) -> list[CapturedItem]:
    """The messages of an .eml file or an mbox, one item per thread and day."""
    by_key: dict[str, CapturedItem] = {}
    for number, (raw, where) in enumerate(_messages(path, data), start=1):
        if number > limits.items:
            raise CaptureFileError(f"{path.name}: more than {limits.items:,} messages / 邮件过多")
        item = _message(raw, where)
        if item is None:
            continue
        known = by_key.get(item.key)
        if known is not None:  # the same thread on the same day: one item with everyone in it
            people = {p.address: p for p in (*known.participants, *item.participants)}
            item = CapturedItem(known.key, "email", known.on, known.subject, tuple(people.values()), known.where,
                                automatic=known.automatic and item.automatic)  # fmt: skip
        by_key[item.key] = item
    return list(by_key.values())


def _messages(path: Path, data: bytes) -> Iterator[tuple[bytes, str]]:
    if not data.startswith(b"From "):
        yield data, f"{path.name}, message 1"
        return
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            yield box.get_bytes(key), f"{path.name}, message {number}"
    finally:
        box.close()


_HEADERS = BytesHeaderParser(policy=email.policy.default)


def _message(raw: bytes, where: str) -> CapturedItem | None:
    try:
        message: EmailMessage = _HEADERS.parsebytes(raw)
        sent = message["Date"].datetime if message["Date"] is not None else None
        subject = str(message["Subject"] or "")
        people = [
            Participant(a.addr_spec.strip().lower(), _name(a.display_name))
            for field in ("From", "Sender", "To", "Cc")
            for header in message.get_all(field) or []
            for a in getattr(header, "addresses", ())
            if isinstance(a, Address) and "@" in a.addr_spec
        ]
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        raise CaptureFileError(f"{where}: unreadable headers ({_short(error)}) / 邮件头无法解析") from None
    if sent is None:
        return None  # a message with no date happened on no day
    thread = _thread_root(message) or hashlib.sha256(raw[:4096]).hexdigest()[:24]
    return CapturedItem(
        key=f"mail|{thread}|{sent.date().isoformat()}",
        kind="email",
        on=sent.date(),  # the day in the sender's own time zone, as the Date header writes it
        subject=_subject(_REPLY_PREFIX.sub("", subject)),
        participants=tuple({p.address: p for p in people}.values()),
        where=where,
        automatic=_automatic(message),
    )


def _thread_root(message: EmailMessage) -> str | None:
    """The first message of the thread: the first of References, else In-Reply-To, else this one."""
    for field in ("References", "In-Reply-To", "Message-ID"):
        found = re.findall(r"<([^<>\s]{1,500})>", str(message[field] or ""))
        if found:
            return str(found[0]).lower()
    return None


def _automatic(message: EmailMessage) -> bool:
    """Newsletters and automatic replies (RFC 3834 Auto-Submitted, RFC 2919 List-Id, Precedence)."""
    if message["List-Id"] is not None or message["List-Unsubscribe"] is not None:
        return True
    if str(message["Auto-Submitted"] or "no").strip().lower() != "no":
        return True
    if str(message["Precedence"] or "").strip().lower() in _AUTOMATIC_PRECEDENCE:
        return True
    return any(message[h] is not None for h in ("X-Autoreply", "X-Autorespond", "X-Autogenerated"))


def _subject(text: str) -> str:
    text = " ".join(_UNPRINTABLE.sub(" ", text).split())
    return text[:SUBJECT_LIMIT] if text else "（无主题 / no subject）"


def _name(text: object) -> str | None:
    """A name as written beside an address, without what would hide or reorder text (NUL, bidi controls)."""
    cleaned = " ".join(_UNPRINTABLE.sub(" ", str(text)).split())[:NAME_LIMIT] if text else ""
    return cleaned or None


def _looks_like_mail(data: bytes) -> bool:
    head = data[:2048]
    return head.startswith(b"From ") or bool(re.search(rb"^(Message-ID|From|Date|Subject|Received):", head,
                                                         re.IGNORECASE | re.MULTILINE))  # fmt: skip


def _bounded(path: Path, limits: Limits) -> bytes:
    """The file's bytes, unless it is too large or an archive (a zip of mails is refused, not unpacked)."""
    try:
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise CaptureFileError(f"{path.name}: {size:,} bytes, more than {limits.file_bytes:,} / 文件过大")
        data = path.read_bytes()
    except OSError as error:
        raise CaptureFileError(f"{path.name}: cannot be read ({error.strerror}) / 无法读取文件") from None
    if not data.strip():
        raise CaptureFileError(f"{path.name}: the file is empty / 文件为空")
    # Archives first: puremagic names a zip after the Office formats built on it, which says nothing here.
    found = ("a compressed archive", "压缩包") if data.startswith(_ARCHIVES) else looks_like(data[:8192], 2)
    if found is not None:
        english, chinese = found
        raise CaptureFileError(f"{path.name}: not a calendar or mail file (it looks like {english}); an archive is "
                               f"not unpacked / 不是日历或邮件文件（看起来是{chinese}）")  # fmt: skip
    return data


def _short(error: Exception) -> str:
    return " ".join(str(error).split())[:120] or type(error).__name__
