"""The day analyses are judged on when a command or a request names none.

In order: the day given (--as-of, ?as_of=), GRAPHMAP_AS_OF, the day the store remembers, today. A store
remembers a day when its data describe one: `graphmap demo` records the sample's (its links would all be
stale judged on today), and `graphmap as-of` sets or forgets it. Kept in the graph, so that every face and
every machine using the store sees the same day, and a backup carries it.
"""

from datetime import UTC, date, datetime

from graphmap.model import Vocabulary
from graphmap.queries import Q
from graphmap.store import GraphStore, Reads

SETTING = "as_of"


class DaySource(Vocabulary):
    given = "given", "指定", "given"
    configured = "configured", "GRAPHMAP_AS_OF", "GRAPHMAP_AS_OF"
    remembered = "remembered", "本存储记录的日期", "the day this store remembers"
    today = "today", "今天", "today"


def remembered_day(store: Reads) -> date | None:
    rows = store.read(Q.get_setting, id=SETTING)
    value = rows[0]["value"] if rows else None
    return date.fromisoformat(value) if value else None


def remember_day(store: GraphStore, day: date | None, actor: str) -> None:
    """Record the day this store's data are as of; None forgets it (analyses are then judged on today)."""
    store.write(Q.merge_setting, id=SETTING, value=day.isoformat() if day else None, set_by=actor,
                set_at=datetime.now(UTC).replace(microsecond=0).isoformat())  # fmt: skip


def analysis_day(store: Reads, given: date | None, configured: date | None) -> tuple[date, DaySource]:
    """The day to judge on, and where it came from."""
    if given is not None:
        return given, DaySource.given
    if configured is not None:
        return configured, DaySource.configured
    remembered = remembered_day(store)
    if remembered is not None:
        return remembered, DaySource.remembered
    return date.today(), DaySource.today
