"""The map as files for meetings: SVG, PNG and PDF from the same layout as the page, masked for viewers."""

import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from graphmap.pages import drawing
from graphmap.pages.layout import layout
from graphmap.pages.view import MapView
from graphmap.privacy import masked_network
from tests.unit.test_pages import XSS, gaps, network, org

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AS_OF = date(2024, 8, 31)


def test_the_svg_draws_every_card_where_the_page_puts_it_and_escapes_every_text():
    chart = layout(network(XSS))
    drawn = drawing.svg(chart, MapView(network(XSS), gaps(XSS)), AS_OF)
    root = ET.fromstring(drawn)  # well-formed whatever the names hold
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any(t.startswith("王<img") or t.startswith("⚠ 王<img") for t in texts)  # the text, not markup
    assert "<img" not in drawn.replace("&lt;img", "")
    rects = {(r.get("x"), r.get("y")) for r in root.iter("{http://www.w3.org/2000/svg}rect")}
    for box in chart.cards.values():
        assert (drawing._n(box.x), drawing._n(box.y)) in rects  # the page's layout, card for card
    assert "截至 / as of 2024-08-31" in drawn and "决策者 / decision-maker" in drawn  # heading and legend


def test_a_name_with_a_control_character_still_makes_a_well_formed_svg():
    # Found by the API fuzz test: an account named with \x01 made /page.png fail to parse its own SVG.
    named = network("王\x01五\ufffe")
    drawn = drawing.svg(layout(named), MapView(named, gaps("王\x01五\ufffe")), AS_OF)
    assert "王\ufffd五\ufffd" in "".join(t.text or "" for t in ET.fromstring(drawn).iter())


def test_a_viewers_files_are_masked():
    plain = drawing.svg(layout(org()), MapView(org(), gaps()), AS_OF)
    masked = drawing.svg(layout(org()), MapView(masked_network(org()), gaps()), AS_OF)
    for person in org().people:
        assert person.name in plain and person.name not in masked


def test_the_png_is_the_svg_rasterised():
    data = drawing.png(layout(org()), MapView(org(), gaps()), AS_OF)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert width > layout(org()).width


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="no pdftoppm (.ci/run installs poppler-utils)")
def test_the_pdf_has_the_heading_legend_and_map_then_readable_tiles_for_a_large_account(tmp_path):
    from bench.generate import Shape, generate_portfolio
    from graphmap.graph import AccountNetwork

    p = generate_portfolio(seed=5, shapes=[Shape("智能制造", people=300, branches=2)])
    big = AccountNetwork(account=p.accounts[0], departments=p.departments, people=p.people, contacts=p.contacts,
                         coverage=p.coverage, reporting_lines=p.reporting_lines, influences=p.influences,
                         interactions=p.interactions)  # fmt: skip
    for name, net, pages in (("small", org(), 2), ("300", big, None)):
        data = drawing.pdf(layout(net), MapView(net, gaps()), AS_OF, "a4")
        assert data.startswith(b"%PDF")
        file = tmp_path / f"{name}.pdf"
        file.write_bytes(data)
        text = subprocess.run(["pdftotext", "-layout", str(file), "-"], capture_output=True, text=True).stdout
        assert net.account.name in text and "决策者 / decision-maker" in text
        count = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(file)], capture_output=True,
                    text=True).stdout.splitlines() if line.startswith("Pages:")))  # fmt: skip
        assert count == pages if pages else count > 2  # small: the map alone on page 2; large: tiles
        ARTIFACTS.mkdir(exist_ok=True)
        shots = ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(file), str(ARTIFACTS / f"map_pdf_{name}")]
        subprocess.run(shots, check=True)


def test_an_unknown_format_or_paper_is_refused_in_both_languages():
    from graphmap.errors import GraphmapError
    from graphmap.rendering import render_file

    with pytest.raises(GraphmapError, match="svg, png or pdf / 不支持的格式"):
        render_file(None, "a1", AS_OF, "docx")  # type: ignore[arg-type]  # refused before any read
    with pytest.raises(GraphmapError, match="a4 or a3 / 不支持的纸张"):
        render_file(None, "a1", AS_OF, "pdf", paper="letter")  # type: ignore[arg-type]


def test_without_a_chinese_font_the_pdf_and_png_are_refused_not_drawn_as_boxes(monkeypatch):
    from graphmap.errors import GraphmapError

    monkeypatch.setattr(drawing, "CJK_FONTS", (("/nowhere/font.ttc", 0),))
    for draw in (drawing.pdf, drawing.png):
        with pytest.raises(GraphmapError, match="install fonts-noto-cjk.*请安装 fonts-noto-cjk"):
            draw(layout(org()), MapView(org(), gaps()), AS_OF)
    assert drawing.svg(layout(org()), MapView(org(), gaps()), AS_OF)  # the SVG names the fonts, the viewer draws
