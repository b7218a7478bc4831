"""The map as files for meetings: SVG (vector), PNG (the SVG rasterised by resvg) and PDF (vector, paged
for A4 or A3 landscape), all drawn from the same layout as the page (graphmap.pages.layout) and the same
card contents (graphmap.pages.view), with the heading and the legend.

Libraries, not hand-written formats: xml.etree writes the SVG (escaping every text), resvg-py (the Rust
resvg renderer, a self-contained wheel using the system's fonts) rasterises it, fpdf2 writes the PDF and
embeds a subset of a CJK font found on the machine (Noto Sans CJK, WenQuanYi, Microsoft YaHei, PingFang).
The drawing is first a list of primitives (a "scene") that each format writes out, so the three agree.
"""

import math
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graphmap.errors import GraphmapError
from graphmap.pages import style
from graphmap.pages.layout import Box, Layout
from graphmap.pages.legend import LEGEND
from graphmap.pages.view import Card, MapView

FORMATS = ("svg", "png", "pdf")
PAPER = {"a4": (842.0, 595.0), "a3": (1191.0, 842.0)}  # landscape, in points
MARGIN = 28.0
READABLE = 0.45  # points per layout pixel: a card's 14 px name prints at 6.3 pt, the smallest we tile at
MAX_PNG_PIXELS = 24e6  # twice the map's size up to this (a 52-person account), less beyond: a 300-person
# account's PNG is then about 1.1x (names at 15 px) and takes about 3 s; memory stays near 100 MB
HEADING_H = 110.0
CJK_FONTS = (  # (file, index in a collection): Linux, then Windows, then macOS
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str | None
    stroke: str | None = None
    width: float = 1.0
    radius: float = 0.0


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    colour: str
    width: float = 1.0


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float
    colour: str
    bold: bool = False
    anchor: str = "start"  # start, middle, end


Primitive = Rect | Line | Text


@dataclass(frozen=True)
class Heading:
    title: str
    lines: tuple[str, ...]


def heading(view: MapView, as_of: date) -> Heading:
    account = view.network.account
    facts = [f"{k}: {v}" for k, v in view.heading_facts()]
    when = f"截至 / as of {as_of.isoformat()}"
    return Heading(account.name, (" · ".join([when, *facts[:3]]), " · ".join(facts[3:])))  # the gap counts apart


def scene(chart: Layout, view: MapView) -> list[Primitive]:
    """Everything on the map, in drawing order, in layout pixels."""
    shapes: list[Primitive] = []
    if chart.team_box:
        t = chart.team_box
        shapes += [Rect(t.x, t.y, t.w, t.h, "#eef2f5", "#90a4ae", 1, 8)]
        shapes += [Text(t.x + 12, t.y + 26, fit("我方团队 / our team", t.w - 24, 14), 14, "#263238", True)]
    depth = {d: len(view.ancestors(d)) for d in chart.departments}
    for department_id in sorted(chart.departments, key=lambda d: (depth[d], d)):
        card = view.department_card(view.departments[department_id])
        palette = style.UNCOVERED_DEPARTMENT if card.uncovered else style.DEPARTMENT
        b, h = chart.departments[department_id], chart.headers[department_id]
        fill = "#ffffff" if depth[department_id] % 2 else "#f7f9fa"
        shapes.append(Rect(b.x, b.y, b.w, b.h, fill, palette[1], 2 if card.uncovered else 1, 8))
        shapes.append(Rect(h.x + 1, h.y + 1, h.w - 2, h.h - 1, palette[0] if card.uncovered else "#e3e8eb"))
        shapes.append(Text(h.x + 12, h.y + 19, fit(card.name, h.w - 24, 14), 14, "#263238", True))
        facts_colour = "#b71c1c" if card.uncovered else "#546e7a"
        shapes.append(Text(h.x + 12, h.y + 36, fit(card.facts, h.w - 24, 11), 11, facts_colour))
    for x1, y1, x2, y2 in chart.segments:
        shapes.append(Line(((x1, y1), (x2, y2)), style.CONNECTOR_COLOUR, 1.5))
    cards = {f"person:{p.id}": view.person_card(p) for p in view.network.people}
    cards |= {f"contact:{c.id}": view.contact_card(c) for c in view.network.contacts}
    for node_id, box in chart.cards.items():
        shapes += _card(box, cards[node_id])
    return shapes


def _card(box: Box, card: Card) -> Iterator[Primitive]:
    if card.ours:
        palette: tuple[str, ...] = (style.OUR_CARD[0], style.OUR_CARD[0], style.OUR_CARD[1], "#cfd8dc")
    else:
        palette = style.LEFT_CARD if card.left else style.CARD
    x, y, w, h = box.x, box.y, box.w, box.h
    border = style.GAP_COLOUR if card.gap else palette[1]
    yield Rect(x, y, w, h, palette[0], border, 3 if card.gap else 1, 6)
    if not card.ours and card.badges:
        yield Rect(x + 1, y + 6, 5, h - 12, palette[1] if card.left else card.badges[0][1])
    name = ("⚠ " if card.gap else "") + (card.symbol + " " if card.ours else "") + card.name
    yield Text(x + 12, y + 20, fit(name, w - 22, 14), 14, palette[2], True)
    yield Text(x + 12, y + 37, fit(card.title, w - 22, 12), 12, palette[3])
    chips_w = len(card.chips) * 19 + (18 if card.more_chips else 0)
    bx = x + 12
    for word, colour in card.badges:
        bw = text_width(word, 10) + 8
        if bx + bw > x + w - 10 - chips_w:
            break
        yield Rect(bx, y + h - 22, bw, 15, palette[1] if card.left else colour, radius=4)
        yield Text(bx + 4, y + h - 11, word, 10, "#ffffff", True)
        bx += bw + 4
    cx = x + w - 18 - (18 if card.more_chips else 0)
    for i, chip in enumerate(card.chips):
        yield from _chip(chip.initial, chip.colour, chip.strength, chip.weak, cx - i * 19, y + h - 15)
    if card.more_chips:
        yield Text(x + w - 8, y + h - 11, f"+{card.more_chips}", 10, "#546e7a", True, "end")


def _chip(initial: str, colour: str, strength: int | None, weak: bool, cx: float, cy: float) -> Iterator[Primitive]:
    r = 8.0
    yield Line(_arc(cx, cy, r, 1.0), "#cfd8dc", 1)
    share = 1.0 if strength is None else max(0.04, min(1.0, strength / 100))
    yield Line(_arc(cx, cy, r - 1, share), colour, 3)
    yield Text(cx, cy + 3.5, initial, 9, colour, True, "middle")
    if weak:
        yield Line(_arc(cx + r - 1, cy - r + 1, 2, 1.0), style.GAP_COLOUR, 4)


def _arc(cx: float, cy: float, r: float, share: float) -> tuple[tuple[float, float], ...]:
    """Points along a circle from twelve o'clock, clockwise, `share` of the way round."""
    steps = max(2, math.ceil(36 * share))
    return tuple(
        (cx + r * math.sin(2 * math.pi * share * i / steps), cy - r * math.cos(2 * math.pi * share * i / steps))
        for i in range(steps + 1)
    )


def text_width(text: str, size: float) -> float:
    """An estimate good enough to keep text inside its card: CJK and full-width characters are one em,
    the rest about half of one."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.58 for ch in text)


def fit(text: str, width: float, size: float) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


# SVG


def svg(chart: Layout, view: MapView, as_of: date) -> str:
    """The whole map as one SVG: the heading above, the legend below, white background."""
    head = heading(view, as_of)
    legend, legend_h = _legend_shapes(max(chart.width, 1000), chart.height + HEADING_H + 30)
    width, height = max(chart.width, 1000) + 2 * MARGIN, chart.height + HEADING_H + legend_h + 60 + MARGIN
    root = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        width=f"{width:.0f}",
        height=f"{height:.0f}",
        viewBox=f"0 0 {width:.0f} {height:.0f}",
        style=f"font-family: {style.FONT_STACK}",
    )
    ET.SubElement(root, "rect", x="0", y="0", width="100%", height="100%", fill="#ffffff")
    title = ET.SubElement(root, "title")
    title.text = xml_text(head.title)
    group = ET.SubElement(root, "g", transform=f"translate({MARGIN:.0f},{MARGIN:.0f})")
    _svg_shapes(group, [Text(0, 30, head.title, 26, "#212121", True)])
    lines = [
        Text(0, 58 + 18 * i, fit(line, width - 2 * MARGIN, 13), 13, "#424242") for i, line in enumerate(head.lines)
    ]
    _svg_shapes(group, lines)
    _svg_shapes(ET.SubElement(group, "g", transform=f"translate(0,{HEADING_H:.0f})"), scene(chart, view))
    _svg_shapes(group, legend)
    return ET.tostring(root, encoding="unicode", xml_declaration=False)


def _svg_shapes(parent: ET.Element, shapes: Sequence[Primitive]) -> None:
    for shape in shapes:
        if isinstance(shape, Rect):
            attributes = {"x": _n(shape.x), "y": _n(shape.y), "width": _n(shape.w), "height": _n(shape.h),
                          "fill": shape.fill or "none"}  # fmt: skip
            if shape.stroke:
                attributes |= {"stroke": shape.stroke, "stroke-width": _n(shape.width)}
            if shape.radius:
                attributes |= {"rx": _n(shape.radius)}
            ET.SubElement(parent, "rect", attributes)
        elif isinstance(shape, Line):
            points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
            line = {"points": points, "fill": "none", "stroke": shape.colour, "stroke-width": _n(shape.width),
                    "stroke-linecap": "round"}  # fmt: skip
            ET.SubElement(parent, "polyline", line)
        else:
            text = {"x": _n(shape.x), "y": _n(shape.y), "fill": shape.colour, "font-size": _n(shape.size),
                    "text-anchor": shape.anchor}  # fmt: skip
            node = ET.SubElement(parent, "text", text)
            if shape.bold:
                node.set("font-weight", "bold")
            node.text = xml_text(shape.text)


# What XML 1.0 cannot hold even escaped (control characters, surrogates, U+FFFE/U+FFFF): a name may carry
# one, and the SVG would not parse (a PNG could not be drawn from it).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _legend_shapes(width: float, top: float) -> tuple[list[Primitive], float]:
    """The legend as rows of swatches and labels, wrapped to `width`."""
    shapes: list[Primitive] = []
    y = top
    for section in LEGEND:
        shapes.append(Text(0, y + 14, section.title, 12, "#424242", True))
        y += 24
        x = 0.0
        for item in section.items:
            label_w = text_width(item.label, 11) + 40
            if x + label_w > width:
                x, y = 0.0, y + 20
            if item.swatch in ("line", "dashed"):
                shapes.append(Line(((x, y + 8), (x + 22, y + 8)), item.colour, 3))
            elif item.swatch == "chip":
                shapes += list(_chip(item.mark, item.colour, 70, False, x + 10, y + 8))
            else:
                fill = item.fill or (item.colour if item.swatch in ("badge", "ours") else "#ffffff")
                shapes.append(Rect(x, y, 24, 15, fill, item.colour, 1.5, 4))
                colour = "#ffffff" if item.swatch in ("badge", "ours") else item.colour
                shapes.append(Text(x + 12, y + 11.5, item.mark, 10, colour, True, "middle"))
            shapes.append(Text(x + 30, y + 12, item.label, 11, "#424242"))
            x += label_w
        y += 26
    return shapes, y - top


# PNG


def png(chart: Layout, view: MapView, as_of: date) -> bytes:
    import resvg_py  # a Rust wheel: loaded only when a PNG is asked for

    cjk_font()  # resvg draws with the system's fonts: without a Chinese one, every name would be boxes
    drawn = svg(chart, view, as_of)
    root = ET.fromstring(drawn)
    width, height = float(root.get("width", "1")), float(root.get("height", "1"))
    zoom = min(2.0, math.sqrt(MAX_PNG_PIXELS / (width * height)))
    return bytes(resvg_py.svg_to_bytes(svg_string=drawn, zoom=zoom, background="#ffffff"))


# PDF


def pdf(chart: Layout, view: MapView, as_of: date, paper: str = "a4") -> bytes:
    """Page 1: the heading, the legend and the whole map. When the map prints too small to read there,
    the next page carries it alone, or, for a large account, the pages after it carry it in tiles at a
    readable size (READABLE), numbered by row and column, each with the account's name."""
    from fpdf import FPDF  # loaded only when a PDF is asked for

    font, index = cjk_font()
    page_w, page_h = PAPER[paper]
    document = FPDF(orientation="landscape", unit="pt", format=paper.upper())
    document.set_auto_page_break(False)
    # One face, embedded once (subsetting a CJK font is most of a PDF's time); bold is drawn by stroking
    # the glyphs' outlines as well as filling them.
    document.add_font("cjk", "", font, collection_font_number=index)
    document.set_title(view.network.account.name)
    head = heading(view, as_of)
    shapes = scene(chart, view)
    legend, legend_h = _legend_shapes((page_w - 2 * MARGIN) / 0.6, 0)

    document.add_page()
    writer = _PdfWriter(document)
    writer.draw([Text(0, 22, head.title, 20, "#212121", True)], 1.0, MARGIN, MARGIN)
    for i, line in enumerate(head.lines):
        writer.draw(
            [Text(0, 0, fit(line, (page_w - 2 * MARGIN) / 0.8, 11), 11, "#424242")], 0.8, MARGIN, MARGIN + 44 + 14 * i
        )
    legend_top = page_h - MARGIN - legend_h * 0.6
    writer.draw(legend, 0.6, MARGIN, legend_top)
    map_top = MARGIN + 44 + 14 * len(head.lines) + 6
    room_w, room_h = page_w - 2 * MARGIN, legend_top - map_top - 12
    overview = min(room_w / max(chart.width, 1), room_h / max(chart.height, 1), 1.0)
    writer.draw(shapes, overview, MARGIN, map_top)
    if overview < READABLE:  # a page of its own, else tiles, at a size that reads
        whole = min((page_w - 2 * MARGIN) / max(chart.width, 1), (page_h - 2 * MARGIN - 20) / max(chart.height, 1))
        scale = min(whole, 1.0) if whole >= READABLE else READABLE
        tile_w, tile_h = (page_w - 2 * MARGIN) / scale, (page_h - 2 * MARGIN - 20) / scale
        rows, columns = math.ceil(chart.height / tile_h), math.ceil(chart.width / tile_w)
        tiles: dict[tuple[int, int], list[Primitive]] = defaultdict(list)  # each shape on the tiles it meets
        for shape in shapes:
            x, y, w, h = _bounds(shape)
            for row in range(max(0, int(y // tile_h)), min(rows, int((y + h) // tile_h) + 1)):
                for column in range(max(0, int(x // tile_w)), min(columns, int((x + w) // tile_w) + 1)):
                    tiles[row, column].append(shape)
        for row in range(rows):
            for column in range(columns):
                document.add_page()
                label = f"{view.network.account.name} · {row + 1}/{rows} 行 row, {column + 1}/{columns} 列 column"
                writer.draw([Text(0, 0, fit(label, page_w, 10), 10, "#616161")], 1.0, MARGIN, MARGIN)
                on_tile = tiles[row, column]
                with document.rect_clip(MARGIN, MARGIN + 20, page_w - 2 * MARGIN, page_h - 2 * MARGIN - 20):
                    writer.draw(on_tile, scale, MARGIN - column * tile_w * scale, MARGIN + 20 - row * tile_h * scale)
    return bytes(document.output())


def _bounds(shape: Primitive) -> tuple[float, float, float, float]:
    """x, y, w, h around what a primitive draws (a text by its estimated width)."""
    if isinstance(shape, Rect):
        return shape.x, shape.y, shape.w, shape.h
    if isinstance(shape, Line):
        xs, ys = [x for x, _ in shape.points], [y for _, y in shape.points]
        return (
            min(xs) - shape.width,
            min(ys) - shape.width,
            max(xs) - min(xs) + 2 * shape.width,
            max(ys) - min(ys) + 2 * shape.width,
        )
    width = text_width(shape.text, shape.size)
    left = shape.x - (width / 2 if shape.anchor == "middle" else width if shape.anchor == "end" else 0)
    return left, shape.y - shape.size, width, shape.size * 1.3


def cjk_font() -> tuple[str, int]:
    for path, index in CJK_FONTS:
        if Path(path).exists():
            return path, index
    raise GraphmapError(
        "no Chinese font on this machine for a PDF or PNG (install fonts-noto-cjk, or use --format svg) / "
        "本机没有可用于 PDF 或 PNG 的中文字体（请安装 fonts-noto-cjk，或改用 --format svg）"
    )


class _PdfWriter:
    def __init__(self, document: object) -> None:
        self.pdf = document

    def draw(self, shapes: list[Primitive], scale: float, ox: float, oy: float) -> None:
        pdf = self.pdf
        for shape in shapes:
            if isinstance(shape, Rect):
                style_ = ("F" if shape.fill else "") + ("D" if shape.stroke else "")
                if not style_:
                    continue
                if shape.fill:
                    pdf.set_fill_color(*_rgb(shape.fill))  # type: ignore[attr-defined]
                if shape.stroke:
                    pdf.set_draw_color(*_rgb(shape.stroke))  # type: ignore[attr-defined]
                    pdf.set_line_width(shape.width * scale)  # type: ignore[attr-defined]
                pdf.rect(ox + shape.x * scale, oy + shape.y * scale, shape.w * scale, shape.h * scale,  # type: ignore[attr-defined]
                         style=style_, round_corners=shape.radius > 0, corner_radius=shape.radius * scale)  # fmt: skip
            elif isinstance(shape, Line):
                pdf.set_draw_color(*_rgb(shape.colour))  # type: ignore[attr-defined]
                pdf.set_line_width(shape.width * scale)  # type: ignore[attr-defined]
                pdf.polyline([(ox + x * scale, oy + y * scale) for x, y in shape.points])  # type: ignore[attr-defined]
            else:
                size = shape.size * scale
                pdf.set_font("cjk", "", size)  # type: ignore[attr-defined]
                pdf.set_text_color(*_rgb(shape.colour))  # type: ignore[attr-defined]
                pdf.text_mode = "FILL_STROKE" if shape.bold else "FILL"  # type: ignore[attr-defined]
                if shape.bold:
                    pdf.set_draw_color(*_rgb(shape.colour))  # type: ignore[attr-defined]
                    pdf.set_line_width(size * 0.04)  # type: ignore[attr-defined]
                x = ox + shape.x * scale
                if shape.anchor != "start":
                    width = pdf.get_string_width(shape.text)  # type: ignore[attr-defined]
                    x -= width / 2 if shape.anchor == "middle" else width
                pdf.text(x, oy + shape.y * scale, shape.text)  # type: ignore[attr-defined]


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
