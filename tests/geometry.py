"""Overlap checks for the map: cards, headers, boxes, texts and connectors, as rectangles and segments.

Used on the layout computed in Python (tests/unit/test_pages.py) and on what the browser drew, read back
from the page (tests/browser/test_pages.py). A rectangle is (x, y, w, h), x and y its top-left corner.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

Rect = Sequence[float]
Segment = Sequence[float]
EPS = 0.5  # touching is not overlapping
CELL = 400.0


def overlapping(rects: Mapping[str, Rect]) -> list[tuple[str, str]]:
    """Every pair of rectangles whose insides meet (a sweep along x)."""
    found: list[tuple[str, str]] = []
    active: list[tuple[str, Rect]] = []
    for key, r in sorted(rects.items(), key=lambda item: item[1][0]):
        active = [(k, a) for k, a in active if a[0] + a[2] > r[0] + EPS]
        found += [(k, key) for k, a in active if a[1] < r[1] + r[3] - EPS and r[1] < a[1] + a[3] - EPS]
        active.append((key, r))
    return found


def inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner[0] >= outer[0] - EPS
        and inner[1] >= outer[1] - EPS
        and inner[0] + inner[2] <= outer[0] + outer[2] + EPS
        and inner[1] + inner[3] <= outer[1] + outer[3] + EPS
    )


def badly_nested(boxes: Mapping[str, Rect]) -> list[tuple[str, str]]:
    """Pairs of boxes that overlap without one holding the other."""
    return [(a, b) for a, b in overlapping(boxes) if not inside(boxes[a], boxes[b]) and not inside(boxes[b], boxes[a])]


def segments_through(rects: Mapping[str, Rect], segments: Iterable[Segment]) -> list[tuple[Segment, str]]:
    """(segment, rectangle) pairs where the segment runs through the rectangle's inside; a segment may end
    on a rectangle's edge (a connector arriving at its card)."""
    grid: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key, r in rects.items():
        for cx in range(int(r[0] // CELL), int((r[0] + r[2]) // CELL) + 1):
            for cy in range(int(r[1] // CELL), int((r[1] + r[3]) // CELL) + 1):
                grid[cx, cy].append(key)
    found = []
    for segment in segments:
        x1, y1, x2, y2 = segment
        near: set[str] = set()
        for cx in range(int(min(x1, x2) // CELL), int(max(x1, x2) // CELL) + 1):
            for cy in range(int(min(y1, y2) // CELL), int(max(y1, y2) // CELL) + 1):
                near.update(grid.get((cx, cy), ()))
        found += [(segment, key) for key in sorted(near) if _crosses(segment, rects[key])]
    return found


def _crosses(segment: Segment, r: Rect) -> bool:
    """Liang-Barsky clipping against the rectangle shrunk by EPS: any part of the segment inside it."""
    x1, y1, x2, y2 = segment
    left, top, right, bottom = r[0] + EPS, r[1] + EPS, r[0] + r[2] - EPS, r[1] + r[3] - EPS
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True
