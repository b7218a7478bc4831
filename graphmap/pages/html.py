"""Small pieces every page needs: escaping, safe JSON in a script tag, the offline check."""

import html
import json
import re
from typing import Any

from graphmap.errors import GraphmapError

# Any reference that would make the browser fetch something from another machine.
_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|data)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+["']?\s*(?:https?:)?//)""",
    re.IGNORECASE,
)


def text(value: object) -> str:
    """Any user string on its way into HTML text or an attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def script_json(data: Any) -> str:
    """JSON that can sit inside <script type="application/json"> whatever the strings hold."""
    return (
        json.dumps(data, ensure_ascii=False, sort_keys=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def assert_offline(page: str, what: str) -> str:
    """Refuses to hand out a page that would load anything from the network."""
    if match := _EXTERNAL.search(page):
        context = page[max(0, match.start() - 60) : match.end() + 60]
        raise GraphmapError(f"{what} would make an external request near: {context!r}")
    return page
