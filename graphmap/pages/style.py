"""The visual encoding shared by the page, the SVG, the PNG and the PDF: colours, badges, symbols, fonts."""

from graphmap.model import RelationshipStatus, Role, Team

# Chinese first, for every system our users run: Windows, macOS, then Linux (.ci/run installs Noto Sans CJK).
FONT_STACK = (
    '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", "Droid Sans Fallback", "Segoe UI", -apple-system, sans-serif'
)

ROLE_COLOURS: dict[Role, str] = {
    Role.decision_maker: "#7b2cbf",
    Role.influencer: "#1f77b4",
    Role.purchaser: "#ff7f0e",
    Role.user: "#2ca02c",
    Role.champion: "#17becf",
    Role.blocker: "#8c564b",
    Role.unknown: "#7f7f7f",
}
ROLE_BADGES: dict[Role, str] = {  # the short word on a card's badge; the legend spells each out
    Role.decision_maker: "决策",
    Role.influencer: "影响",
    Role.purchaser: "采购",
    Role.user: "使用",
    Role.champion: "支持",
    Role.blocker: "反对",
    Role.unknown: "未知",
}
STATUS_COLOURS: dict[RelationshipStatus, str] = {
    RelationshipStatus.trusted: "#2e7d32",
    RelationshipStatus.referred: "#1565c0",
    RelationshipStatus.initial: "#f9a825",
    RelationshipStatus.competitor: "#c62828",
    RelationshipStatus.none: "#9e9e9e",
}
OUR_CARD = ("#263238", "#ffffff")  # our contacts' cards: background, text; no role uses either
TEAM_SYMBOLS: dict[Team | None, str] = {
    Team.sales: "◆",
    Team.service: "■",
    Team.success: "▲",
    Team.marketing: "★",
    None: "●",
}
GAP_COLOUR = "#e53935"
DEPARTMENT = ("#eceff1", "#b0bec5")  # background, border
UNCOVERED_DEPARTMENT = ("#ffebee", "#e57373")  # a department nobody on our side really covers
PATH_COLOUR = "#ffb300"
REPORTS_TO_COLOUR = "#424242"
INFLUENCE_COLOUR = "#8e8e8e"
OPPOSITION_COLOUR = "#c62828"
CARD = ("#ffffff", "#b0bec5", "#212121", "#616161")  # background, border, name, title
LEFT_CARD = ("#f5f5f5", "#e0e0e0", "#9e9e9e", "#bdbdbd")  # people who left
CONNECTOR_COLOUR = "#78909c"
