"""Where everything on an account's map stands: an org chart of cards, computed once in Python, the same on
every render of the same data. The page (vis-network), the SVG, the PNG and the PDF all draw this layout.

- Every person is a card of one size (CARD_W x CARD_H). Departments are boxes that contain their people and,
  below them, their child departments (HQ > branch > department), sibling boxes side by side in rows
  ("shelves") so that thirty departments make a block, not a line.
- Inside a department, reporting lines form a tree drawn with right-angled connectors: a manager's card
  above a bus that drops to each report. Three or more reports who manage nobody hang in columns from a
  trunk beside them (the compact org-chart style), so a wide team stays roughly square.
- People without a manager in their department and without reports stand in a grid after the trees.
- Our contacts stand in their own box above the organisation, by team, then id.

Nothing overlaps by construction: a block's size is known before it is placed, blocks are placed side by
side with gaps, and connectors run only through the gaps (tests/unit/test_pages.py checks it on every
shape of organisation, tests/browser on what the browser drew).
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graphmap.graph import AccountNetwork
from graphmap.model import Contact, Person, Team

CARD_W, CARD_H = 200, 68
GAP_X = 24  # between cards or blocks side by side
GAP_Y = 40  # between a manager's card and the row of reports (the bus runs halfway)
STACK_GAP = 14  # between two cards in a hanging column
TRUNK = 22  # the strip left of a hanging column where its trunk runs
PAD = 16  # inside a department box
HEAD = 44  # a department box's header: name, people, coverage, gaps
BOX_GAP = 28  # between sibling department boxes
SECTION_GAP = 60  # between our contacts' box and the organisation
MIN_BOX_W = 240  # wide enough for a department's header
SUMMARY_W, SUMMARY_H = 300, 150  # a collapsed department's summary of its people


@dataclass(frozen=True)
class Box:
    """A rectangle: x, y its top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def shifted(self, dx: float, dy: float) -> "Box":
        return Box(self.x + dx, self.y + dy, self.w, self.h)


Segment = tuple[float, float, float, float]


@dataclass
class Layout:
    cards: dict[str, Box] = field(default_factory=dict)  # page node id (person:, contact:) -> its card
    departments: dict[str, Box] = field(default_factory=dict)  # department id -> its box
    headers: dict[str, Box] = field(default_factory=dict)  # department id -> its header strip
    people_areas: dict[str, Box] = field(default_factory=dict)  # department id -> where its own people stand
    connectors: dict[str, list[Segment]] = field(default_factory=dict)  # department id -> its reporting tree
    team_box: Box | None = None  # our contacts' box
    width: float = 0.0
    height: float = 0.0

    @property
    def segments(self) -> list[Segment]:
        """Every connector, department by department."""
        return [segment for department in sorted(self.connectors) for segment in self.connectors[department]]

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        """Node id -> centre, for vis-network: cards by their id, departments as `dept:` by their header."""
        centres = {node_id: box.centre for node_id, box in self.cards.items()}
        centres |= {f"dept:{d}": box.centre for d, box in self.headers.items()}
        return {node_id: (round(x), round(y)) for node_id, (x, y) in centres.items()}


@dataclass
class _Block:
    """Something of known size, drawn relative to its own top-left corner, ready to be placed."""

    w: float
    h: float
    cards: dict[str, Box] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)
    entry_x: float = CARD_W / 2  # where a connector from above arrives on the top edge
    departments: dict[str, Box] = field(default_factory=dict)
    headers: dict[str, Box] = field(default_factory=dict)
    people_areas: dict[str, Box] = field(default_factory=dict)
    connectors: dict[str, list[Segment]] = field(default_factory=dict)

    def add(self, other: "_Block", dx: float, dy: float) -> None:
        self.cards |= {k: b.shifted(dx, dy) for k, b in other.cards.items()}
        self.segments += _shift(other.segments, dx, dy)
        self.connectors |= {k: _shift(segments, dx, dy) for k, segments in other.connectors.items()}
        self.departments |= {k: b.shifted(dx, dy) for k, b in other.departments.items()}
        self.headers |= {k: b.shifted(dx, dy) for k, b in other.headers.items()}
        self.people_areas |= {k: b.shifted(dx, dy) for k, b in other.people_areas.items()}


def layout(network: AccountNetwork, collapsed: bool = False) -> Layout:
    """The whole map; `collapsed`: the overview of a large account, each department's people replaced
    by a summary box (SUMMARY_W x SUMMARY_H) in the same org chart of boxes."""
    known = {d.id for d in network.departments}
    children: dict[str | None, list[str]] = defaultdict(list)
    for record in sorted(network.departments, key=lambda d: d.id):
        parent = record.parent_id if record.parent_id in known else None
        children[parent].append(record.id)
    members: dict[str, list[Person]] = defaultdict(list)
    for person in sorted(network.people, key=lambda p: p.id):
        members[person.department_id if person.department_id in known else ""].append(person)
    reports = _reports(network, members)

    def department(department_id: str) -> _Block:
        if collapsed:
            people = _Block(SUMMARY_W, SUMMARY_H) if members[department_id] else None
        else:
            people = _people_block(members[department_id], reports)
        shelves = _shelve([department(child) for child in children[department_id]], BOX_GAP)
        inner_w = max(MIN_BOX_W - 2 * PAD, people.w if people else 0, shelves.w if shelves else 0)
        box = _Block(w=inner_w + 2 * PAD, h=HEAD + PAD)
        box.headers[department_id] = Box(0, 0, box.w, HEAD)
        if people:
            x = PAD + (inner_w - people.w) / 2
            box.add(people, x, box.h)
            box.connectors[department_id] = _shift(people.segments, x, box.h)
            box.segments = []
            box.people_areas[department_id] = Box(x, box.h, people.w, people.h)
            box.h += people.h + PAD
        if shelves:
            box.add(shelves, PAD + (inner_w - shelves.w) / 2, box.h + (PAD if people else 0))
            box.h += shelves.h + (2 * PAD if people else PAD)
        box.departments[department_id] = Box(0, 0, box.w, box.h)
        return box

    result = Layout()
    top = 0.0
    if network.contacts:
        team = _grid([_card(f"contact:{c.id}") for c in _by_team(network.contacts)], GAP_X, STACK_GAP)
        result.team_box = Box(0, 0, team.w + 2 * PAD, team.h + HEAD + PAD)
        result.cards |= {k: b.shifted(PAD, HEAD) for k, b in team.cards.items()}
        top = result.team_box.h + SECTION_GAP
    roots: list[_Block | None] = [department(d) for d in children[None]]
    if members[""] and not collapsed:  # people whose department the network does not hold: a block of
        unplaced = _people_block(members[""], reports)  # their own, unnamed
        if unplaced:
            unplaced.connectors[""] = unplaced.segments
        roots.append(unplaced)
    organisation = _shelve(roots, BOX_GAP)
    if organisation:
        result.cards |= {k: b.shifted(0, top) for k, b in organisation.cards.items()}
        result.connectors = {k: _shift(segments, 0, top) for k, segments in organisation.connectors.items()}
        for target, source in (
            (result.departments, organisation.departments),
            (result.headers, organisation.headers),
            (result.people_areas, organisation.people_areas),
        ):
            target |= {k: b.shifted(0, top) for k, b in source.items()}
    boxes = [*result.cards.values(), *result.departments.values(), *([result.team_box] if result.team_box else [])]
    result.width = max((b.x + b.w for b in boxes), default=0.0)
    result.height = max((b.y + b.h for b in boxes), default=0.0)
    return result


def _shift(segments: list[Segment], dx: float, dy: float) -> list[Segment]:
    return [(x1 + dx, y1 + dy, x2 + dx, y2 + dy) for x1, y1, x2, y2 in segments]


def _reports(network: AccountNetwork, members: dict[str, list[Person]]) -> dict[str, list[str]]:
    """Each person's reports within their own department: a tree (a second manager or a cycle is dropped
    here; every reporting line still shows in the side panel and as an edge on selection)."""
    department_of = {p.id: dept for dept, people in members.items() for p in people}
    manager: dict[str, str] = {}
    for line in sorted(network.reporting_lines, key=lambda r: (r.person_id, r.manager_id)):
        same = department_of.get(line.person_id) == department_of.get(line.manager_id) is not None
        if same and line.person_id != line.manager_id:
            manager.setdefault(line.person_id, line.manager_id)
    for person_id in sorted(manager):  # a cycle: the lowest id in it becomes a root
        seen = [person_id]
        here = manager.get(person_id)
        while here is not None and here not in seen:
            seen.append(here)
            here = manager.get(here)
        if here is not None:
            manager.pop(min(seen[seen.index(here) :]), None)
    reports: dict[str, list[str]] = defaultdict(list)
    for person_id, boss in sorted(manager.items()):
        reports[boss].append(person_id)
    return reports


def reporting_depth(network: AccountNetwork) -> dict[str, int]:
    """How many managers stand above each person, following REPORTS_TO (a cycle counts once)."""
    manager: dict[str, str] = {}
    for line in sorted(network.reporting_lines, key=lambda r: (r.person_id, r.manager_id)):
        manager.setdefault(line.person_id, line.manager_id)
    people = {p.id for p in network.people}
    depth: dict[str, int] = {}
    for person_id in sorted(people):
        chain = []
        here: str | None = person_id
        while here is not None and here not in depth and here not in chain:
            chain.append(here)
            above = manager.get(here)
            here = above if above in people else None
        base = depth.get(here, -1) if here is not None else -1
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset
    return depth


def _card(node_id: str) -> _Block:
    return _Block(CARD_W, CARD_H, cards={node_id: Box(0, 0, CARD_W, CARD_H)})


def _people_block(people: Sequence[Person], reports: dict[str, list[str]]) -> _Block | None:
    """A department's own people: its reporting trees side by side, then everyone else in a grid."""
    if not people:
        return None
    ids = {p.id for p in people}
    managed = {r for boss in ids for r in reports.get(boss, ())}
    roots = [p.id for p in people if p.id not in managed]
    trees = [_tree(r, reports) for r in roots if reports.get(r)]
    loose = [_card(f"person:{r}") for r in roots if not reports.get(r)]
    parts = trees + ([_grid(loose, GAP_X, STACK_GAP)] if loose else [])
    return _shelve(parts, GAP_X, GAP_Y)


def _tree(person_id: str, reports: dict[str, list[str]]) -> _Block:
    """A manager's card over their reports: subtrees in a row, reports who manage nobody hanging in columns."""
    below = reports.get(person_id, [])
    if not below:
        return _card(f"person:{person_id}")
    leaves = [r for r in below if not reports.get(r)]
    parts = [_tree(r, reports) for r in below if reports.get(r)]
    if len(leaves) >= 3:
        parts += _hanging_columns([f"person:{r}" for r in leaves])
    else:
        parts += [_card(f"person:{r}") for r in leaves]
    row_w = sum(p.w for p in parts) + GAP_X * (len(parts) - 1)
    width = max(CARD_W, row_w)
    block = _Block(width, CARD_H + GAP_Y + max(p.h for p in parts))
    manager_x = (width - CARD_W) / 2
    block.cards[f"person:{person_id}"] = Box(manager_x, 0, CARD_W, CARD_H)
    block.entry_x = manager_x + CARD_W / 2
    x, row_y, bus_y = (width - row_w) / 2, CARD_H + GAP_Y, CARD_H + GAP_Y / 2
    entries = []
    for part in parts:
        block.add(part, x, row_y)
        entries.append(x + part.entry_x)
        x += part.w + GAP_X
    block.segments.append((block.entry_x, CARD_H, block.entry_x, bus_y))
    block.segments.append((min(entries + [block.entry_x]), bus_y, max(entries + [block.entry_x]), bus_y))
    block.segments += [(e, bus_y, e, row_y) for e in entries]
    return block


def _hanging_columns(node_ids: list[str]) -> list[_Block]:
    """Reports who manage nobody, in columns of at most about twice as many as there are columns, each
    hanging from a trunk on its left; a connector arrives at the top of the trunk."""
    columns = max(1, math.ceil(math.sqrt(len(node_ids) / 3)))
    per_column = math.ceil(len(node_ids) / columns)
    blocks = []
    for start in range(0, len(node_ids), per_column):
        chunk = node_ids[start : start + per_column]
        block = _Block(TRUNK + CARD_W, len(chunk) * CARD_H + (len(chunk) - 1) * STACK_GAP, entry_x=TRUNK / 2)
        for i, node_id in enumerate(chunk):
            y = i * (CARD_H + STACK_GAP)
            block.cards[node_id] = Box(TRUNK, y, CARD_W, CARD_H)
            block.segments.append((TRUNK / 2, y + CARD_H / 2, TRUNK, y + CARD_H / 2))
        block.segments.append((TRUNK / 2, 0, TRUNK / 2, block.h - CARD_H / 2))
        blocks.append(block)
    return blocks


def _grid(cards: list[_Block], gap_x: float, gap_y: float) -> _Block:
    """Cards in rows, about half again as wide as tall."""
    columns = max(1, min(len(cards), math.ceil(math.sqrt(1.5 * len(cards)))))
    block = _Block(0, 0)
    for i, card in enumerate(cards):
        column, row = i % columns, i // columns
        block.add(card, column * (CARD_W + gap_x), row * (CARD_H + gap_y))
    rows = math.ceil(len(cards) / columns)
    block.w = columns * CARD_W + (columns - 1) * gap_x
    block.h = rows * CARD_H + (rows - 1) * gap_y
    return block


def _shelve(blocks: Iterable[_Block | None], gap: float, gap_y: float | None = None) -> _Block | None:
    """Blocks side by side in rows ("shelves"), each shelf centred, the blocks of a shelf aligned at the
    top. Of the row widths worth trying, the one whose result is closest to a landscape screen's shape
    (ASPECT) wins, ties to the one that wastes the least space: blocks of unequal height make the greedy
    rows of one fixed width tall and ragged."""
    parts = [b for b in blocks if b is not None]
    if not parts:
        return None
    gap_y = gap if gap_y is None else gap_y
    widest, total = max(b.w for b in parts), sum(b.w for b in parts) + gap * (len(parts) - 1)
    limits = {widest + (total - widest) * i / 12 for i in range(13)}
    best = min(limits, key=lambda limit: _shelf_cost(_rows(parts, limit, gap), gap, gap_y))
    shelves = _rows(parts, best, gap)
    width = max(_row_width(row, gap) for row in shelves)
    result = _Block(width, 0)
    for row in shelves:
        x = (width - _row_width(row, gap)) / 2
        for part in row:
            result.add(part, x, result.h)
            x += part.w + gap
        result.h += max(b.h for b in row) + gap_y
    result.h -= gap_y
    return result


ASPECT = 2.0  # width over height that reads best on a landscape screen or page, headings and legend above


def _rows(parts: list[_Block], limit: float, gap: float) -> list[list[_Block]]:
    shelves: list[list[_Block]] = [[]]
    for part in parts:
        row = shelves[-1]
        if row and _row_width(row, gap) + gap + part.w > limit + 0.5:
            shelves.append([])
        shelves[-1].append(part)
    return shelves


def _row_width(row: list[_Block], gap: float) -> float:
    return sum(b.w for b in row) + gap * (len(row) - 1)


def _shelf_cost(shelves: list[list[_Block]], gap: float, gap_y: float) -> tuple[float, float, int]:
    width = max(_row_width(row, gap) for row in shelves)
    height = sum(max(b.h for b in row) for row in shelves) + gap_y * (len(shelves) - 1)
    used = sum(b.w * b.h for row in shelves for b in row)
    return round(abs(math.log(width / height / ASPECT)), 1), round(1 - used / (width * height), 2), len(shelves)


def _by_team(contacts: Iterable[Contact]) -> list[Contact]:
    order = list(Team)
    return sorted(contacts, key=lambda c: (order.index(c.team) if c.team else len(order), c.id))
