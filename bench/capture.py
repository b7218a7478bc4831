"""Capture speed: a year of calendar for 50 of our people (25,000 meeting occurrences, a tenth of them from
weekly series) captured into a generated portfolio on the embedded engine (target: under 10 s), beside
what its parts cost in the same run: reading and expanding the calendars alone, and writing the same
interactions with write_portfolio alone.

    python -m bench.capture [--events 25000] [--runs 3]

Writes bench/results/capture.json (medians of the runs; each capture runs on a fresh graph).
"""

import argparse
import json
import platform
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.generate import generate_portfolio
from graphmap.capturing import capture
from graphmap.config import Settings
from graphmap.graph import read_scope, write_portfolio
from graphmap.io.captures import Limits, read_captures
from graphmap.model import Contact, Portfolio
from graphmap.store.embedded import EmbeddedStore
from graphmap.store.server import EmbeddedServer

RESULTS = Path(__file__).resolve().parent / "results"
AS_OF = date(2024, 9, 30)
CALENDARS = 50


def portfolio() -> Portfolio:
    """50 accounts; every stakeholder writes from their account's domain (matched by name there)."""
    generated = generate_portfolio(50, seed=17, people_per_account=30)
    domains = {a.id: f"acct{i}.example.cn" for i, a in enumerate(generated.accounts)}
    people = [p.model_copy(update={"email": domains[p.account_id]}) for p in generated.people]
    # 50 of our people, each with a calendar: the generated ones, and more to make up the number
    extra = [Contact(id=f"bench-c{n:02d}", name=f"同事{n:02d}") for n in range(CALENDARS - len(generated.contacts))]
    return generated.model_copy(update={"people": people, "contacts": (*generated.contacts, *extra)})


def calendars(folder: Path, data: Portfolio, events: int) -> list[Path]:
    """One .ics per our person, as Outlook exports it: single meetings, and weekly series of 10."""
    rng = random.Random(3)
    ours = data.contacts[:CALENDARS]
    by_account: dict[str, list[Any]] = {}
    for person in data.people:
        by_account.setdefault(person.account_id, []).append(person)
    domains = {p.account_id: p.email for p in data.people}
    paths, per_calendar = [], events // len(ours)
    for number, contact in enumerate(ours):
        lines = ["BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "VERSION:2.0"]
        made = 0
        while made < per_calendar:
            account = rng.choice(data.accounts)
            guests = rng.sample(by_account[account.id], k=min(3, len(by_account[account.id])))[: rng.randint(1, 3)]
            start = datetime(2023, 10, 2, 9) + timedelta(days=rng.randrange(350), hours=rng.randrange(8))
            series = made + 10 <= per_calendar and rng.random() < 0.01
            lines += ["BEGIN:VEVENT", f"UID:bench-{number}-{made}", f"SUMMARY:拜访 {account.name}",
                      f"DTSTART:{start:%Y%m%dT%H%M%S}", f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%S}",
                      f"ORGANIZER;CN={contact.name}:mailto:c{number}@ourco.com"]  # fmt: skip
            if series:
                lines.append("RRULE:FREQ=WEEKLY;COUNT=10")
            lines += [f"ATTENDEE;CN={g.name};PARTSTAT=ACCEPTED:mailto:p{g.id[-6:]}@{domains[account.id]}"
                      for g in guests] + ["END:VEVENT"]  # fmt: skip
            made += 10 if series else 1
        lines.append("END:VCALENDAR")
        path = folder / f"calendar-{number:02d}.ics"
        path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
        paths.append(path)
    return paths


def run(server: EmbeddedServer, folder: Path, data: Portfolio, events: int, round_: int) -> dict[str, float]:
    """One capture on a fresh graph; then, on another fresh graph, the same interactions written alone."""
    paths = calendars(folder, data, events)
    settings = Settings(dev=True, our_mail_domains="ourco.com", capture_window_days=400)
    window = (AS_OF - timedelta(days=400), AS_OF)
    started = time.perf_counter()
    items = [i for p in paths for i in read_captures(p, Limits(10**9, 10**6), window)]
    read_s = time.perf_counter() - started

    store = EmbeddedStore(server, f"bench-capture-{round_}")
    store.ensure_schema()
    write_portfolio(store, data)
    started = time.perf_counter()
    report = capture(paths, store, settings, actor="bench", as_of=AS_OF, parallel=True)  # as the CLI does
    capture_s = time.perf_counter() - started
    written = [i for network in read_scope(store) for i in network.interactions if i.id.startswith("cap-")]
    store.clear()

    alone = EmbeddedStore(server, f"bench-capture-alone-{round_}")
    alone.ensure_schema()
    write_portfolio(alone, data)
    started = time.perf_counter()
    write_portfolio(alone, Portfolio.model_construct(interactions=tuple(written)))
    write_s = time.perf_counter() - started
    alone.clear()
    for opened in (store, alone):
        opened.close()
    return {"items": len(items), "interactions": report.interactions, "read_s": read_s, "capture_s": capture_s,
            "write_only_s": write_s}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=25_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = portfolio()
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedServer(Path(tmp) / "data", idle_timeout=0)
        server.ensure_running()
        try:
            runs = []
            for round_ in range(args.runs):
                folder = Path(tmp) / f"run{round_}"
                folder.mkdir()
                runs.append(run(server, folder, data, args.events, round_))
        finally:
            server.stop()
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    result = {
        "events": args.events,
        "calendars": len(data.contacts[:CALENDARS]),
        "occurrences_read": int(median["items"]),
        "interactions": int(median["interactions"]),
        "capture_s": round(median["capture_s"], 2),
        "read_and_expand_s": round(median["read_s"], 2),
        "write_portfolio_alone_s": round(median["write_only_s"], 2),
        "capture_per_read": round(median["capture_s"] / median["read_s"], 2),
        "target_s": 10,
        "runs": args.runs,
        "machine": platform.platform(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "capture.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
