"""The map's legend, in zh and en: one list, drawn by the page (HTML) and by the files (SVG, PDF)."""

from dataclasses import dataclass

from graphmap.model import RelationshipStatus, Team
from graphmap.pages import style
from graphmap.pages.view import ROLE_ORDER


@dataclass(frozen=True)
class LegendItem:
    label: str
    swatch: str  # badge, chip, ours, line, dashed, box, card
    colour: str
    mark: str = ""
    fill: str = ""


@dataclass(frozen=True)
class LegendSection:
    title: str
    items: tuple[LegendItem, ...]


LEGEND: tuple[LegendSection, ...] = (
    LegendSection(
        "角色（卡片上的标签，第一个为主要角色）/ roles (badges on the card, main role first)",
        tuple(LegendItem(f"{r.zh} / {r.en}", "badge", style.ROLE_COLOURS[r], style.ROLE_BADGES[r]) for r in ROLE_ORDER),
    ),
    LegendSection(
        "我方覆盖（卡片上的圆点：一位我方对接人一个，颜色 = 关系状态，圆环 = 关系强度）/ "
        "our coverage (chips on the card: one per contact of ours, colour = status, ring = strength)",
        tuple(LegendItem(f"{s.zh} / {s.en}", "chip", c, "刘") for s, c in style.STATUS_COLOURS.items())
        + (LegendItem("⚠ 薄弱关系 / weak link", "chip", style.GAP_COLOUR, "⚠"),),
    ),
    LegendSection(
        "我方对接人（深色卡片，符号 = 团队）/ our contacts (dark cards, symbol = team)",
        tuple(LegendItem(f"{t.zh} / {t.en}", "ours", style.OUR_CARD[0], style.TEAM_SYMBOLS[t]) for t in Team)
        + (LegendItem("未分团队 / no team", "ours", style.OUR_CARD[0], style.TEAM_SYMBOLS[None]),),
    ),
    LegendSection(
        "其他 / other",
        (
            LegendItem("⚠ 未覆盖的决策者（红框）/ uncovered decision-maker (red frame)", "card", style.GAP_COLOUR, "⚠"),
            LegendItem("已离职（灰色）/ left (grey)", "card", style.LEFT_CARD[2], "—"),
            LegendItem(
                "无有效覆盖的部门 / department nobody on our side really covers",
                "box",
                style.UNCOVERED_DEPARTMENT[1],
                fill=style.UNCOVERED_DEPARTMENT[0],
            ),
            LegendItem("汇报关系（部门内）/ reports to (inside a department)", "line", style.CONNECTOR_COLOUR),
            LegendItem(
                "我方对接连线（选中时显示）/ our link (shown when selected)",
                "line",
                style.STATUS_COLOURS[RelationshipStatus.trusted],
            ),
            LegendItem("影响（选中时显示）/ influences (shown when selected)", "dashed", style.INFLUENCE_COLOUR),
            LegendItem("反对 / opposes", "dashed", style.OPPOSITION_COLOUR),
            LegendItem("引荐路径 / warm path", "line", style.PATH_COLOUR),
        ),
    ),
)
