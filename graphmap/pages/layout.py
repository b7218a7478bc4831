"""Where each node of an account's page stands: an org chart computed once in Python, the same on every
render of the same data, so the browser needs no physics.

- Departments form a tree (HQ > branch > department). Each department is a block: its box on top, its
  people below in rows, managers above the people who report to them (depth in the account's reporting
  lines), then by id. Child departments sit side by side below their parent's block, the parent centred
  over them (a tidy tree); trees of several roots stand side by side.
- Our contacts stand in a column to the left, by team, then id.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graphmap.graph import AccountNetwork
from graphmap.model import Contact, Person, Team

X_STEP = 130  # between two people in a row
Y_STEP = 95  # between two rows
BLOCK_GAP = 90  # between sibling department blocks
CONTACT_GAP = 320  # between the contacts' column and the organisation


@dataclass
class Layout:
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # page node id -> (x, y)

    def place(self, node_id: str, x: float, y: float) -> None:
        self.positions[node_id] = (round(x), round(y))


def layout(network: AccountNetwork) -> Layout:
    result = Layout()
    children: dict[str | None, list[str]] = defaultdict(list)
    known = {d.id for d in network.departments}
    for department in sorted(network.departments, key=lambda d: d.id):
        parent = department.parent_id if department.parent_id in known else None
        children[parent].append(department.id)
    members: dict[str, list[Person]] = defaultdict(list)
    for person in network.people:
        members[person.department_id].append(person)
    depth = reporting_depth(network)
    rows = {
        department.id: _rows(sorted(members[department.id], key=lambda p: (depth[p.id], p.id)), depth)
        for department in network.departments
    }
    sizes: dict[str | None, tuple[float, float]] = {}

    def own(department_id: str | None) -> tuple[float, float]:
        if department_id is None:  # the roots hang from an invisible top
            return 0.0, -Y_STEP
        return max([len(row) for row in rows[department_id]] + [1]) * X_STEP, Y_STEP * (1 + len(rows[department_id]))

    def size(department_id: str | None) -> tuple[float, float]:
        width, height = own(department_id)
        shelves = _shelves(children[department_id])
        if shelves:
            for shelf in shelves:
                for child in shelf:
                    size(child)
            width = max(width, max(_shelf_width(shelf, sizes) for shelf in shelves))
            height += sum(max(sizes[c][1] for c in shelf) + Y_STEP for shelf in shelves)
        sizes[department_id] = (width, height)
        return sizes[department_id]

    def place(department_id: str | None, left: float, top: float) -> None:
        width = sizes[department_id][0]
        centre = left + width / 2
        y = top
        if department_id is not None:
            result.place(f"dept:{department_id}", centre, top)
            for row in rows[department_id]:
                y += Y_STEP
                start = centre - (len(row) - 1) * X_STEP / 2
                for i, person in enumerate(row):
                    result.place(f"person:{person.id}", start + i * X_STEP, y)
        else:
            y -= 2 * Y_STEP
        for shelf in _shelves(children[department_id]):
            y += 2 * Y_STEP
            x = left + (width - _shelf_width(shelf, sizes)) / 2
            for child in shelf:
                place(child, x, y)
                x += sizes[child][0] + BLOCK_GAP
            y += max(sizes[c][1] for c in shelf) - Y_STEP

    size(None)
    place(None, 0.0, 0.0)
    _place_contacts(result, network.contacts)
    return result


def _shelves(children: list[str]) -> list[list[str]]:
    """Sibling departments in rows ("shelves") of about the square root of their number, so that thirty
    departments under one HQ make a block, not a line thirty departments wide."""
    if not children:
        return []
    per_shelf = max(3, math.ceil(math.sqrt(1.5 * len(children))))
    return [children[i : i + per_shelf] for i in range(0, len(children), per_shelf)]


def _shelf_width(shelf: list[str], sizes: dict[str | None, tuple[float, float]]) -> float:
    return sum(sizes[c][0] for c in shelf) + BLOCK_GAP * (len(shelf) - 1)


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


def _rows(people: list[Person], depth: dict[str, int]) -> list[list[Person]]:
    """One row per reporting depth, wrapped so that a large department stays roughly square."""
    width = min(30, max(6, math.ceil(math.sqrt(2 * len(people)))))
    rows: list[list[Person]] = []
    level = None
    for person in people:
        if depth[person.id] != level or len(rows[-1]) == width:
            rows.append([])
            level = depth[person.id]
        rows[-1].append(person)
    return rows


def _place_contacts(result: Layout, contacts: Iterable[Contact]) -> None:
    """A column left of the organisation, spread over its height so that our links fan out across it."""
    order = list(Team)
    ranked = sorted(contacts, key=lambda c: (order.index(c.team) if c.team else len(order), c.id))
    xs = [x for x, _ in result.positions.values()] or [0]
    ys = [y for _, y in result.positions.values()] or [0]
    step = max(Y_STEP, (max(ys) - min(ys)) / max(1, len(ranked) - 1))
    x = min(xs) - CONTACT_GAP
    for i, contact in enumerate(ranked):
        result.place(f"contact:{contact.id}", x, min(ys) + i * step)
