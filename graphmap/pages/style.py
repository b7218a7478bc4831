"""The visual encoding shared by every page: colours and shapes, with their legend labels."""

from graphmap.model import RelationshipStatus, Role, Team

ROLE_COLOURS: dict[Role, str] = {
    Role.decision_maker: "#7b2cbf",
    Role.influencer: "#1f77b4",
    Role.purchaser: "#ff7f0e",
    Role.user: "#2ca02c",
    Role.champion: "#17becf",
    Role.blocker: "#8c564b",
    Role.unknown: "#7f7f7f",
}
STATUS_COLOURS: dict[RelationshipStatus, str] = {
    RelationshipStatus.trusted: "#2e7d32",
    RelationshipStatus.referred: "#1565c0",
    RelationshipStatus.initial: "#f9a825",
    RelationshipStatus.competitor: "#c62828",
    RelationshipStatus.none: "#9e9e9e",
}
TEAM_COLOURS: dict[Team | None, str] = {
    Team.sales: "#37474f",
    Team.service: "#6d4c41",
    Team.success: "#00897b",
    Team.marketing: "#ad1457",
    None: "#546e7a",
}
TEAM_SHAPES: dict[Team | None, str] = {
    Team.sales: "diamond",
    Team.service: "square",
    Team.success: "triangle",
    Team.marketing: "star",
    None: "hexagon",
}
TEAM_SYMBOLS: dict[Team | None, str] = {
    Team.sales: "◆",
    Team.service: "■",
    Team.success: "▲",
    Team.marketing: "★",
    None: "⬢",
}
GAP_COLOUR = "#e53935"
LEFT_COLOUR = "#cfcfcf"
DEPARTMENT = ("#eceff1", "#b0bec5")  # background, border
UNCOVERED_DEPARTMENT = ("#ffebee", "#e57373")  # a department nobody on our side really covers
DEPARTMENT_EDGE = "#cfd8dc"
PATH_COLOUR = "#ffb300"
REPORTS_TO_COLOUR = "#424242"
INFLUENCE_COLOUR = "#8e8e8e"
OPPOSITION_COLOUR = "#c62828"
