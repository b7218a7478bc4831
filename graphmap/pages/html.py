"""Small pieces every page needs: escaping, safe JSON in a script tag, the offline check."""

import html
import json
import re
from html.parser import HTMLParser
from typing import Any

from graphmap.errors import GraphmapError

# What makes a browser fetch from another machine: an attribute naming another host, or a stylesheet's
# url() or @import. Looked for in the markup as a browser parses it, never in text: a title that reads
# "IT lead (site: src=//intranet/it)" is text, escaped, and fetches nothing.
_ANOTHER_HOST = re.compile(r"""^\s*(?:https?:)?//""", re.IGNORECASE)
_CSS_FETCH = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)\s*(?:https?:)?//""", re.IGNORECASE)
_FETCHING_ATTRIBUTES = frozenset(
    ("src", "href", "action", "formaction", "data", "poster", "background", "srcset", "xlink:href", "ping", "manifest")
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


class _ExternalReferences(HTMLParser):
    """Collects the markup of a page that would make an external request: the tag and attribute only,
    never their values, which may hold a stakeholder's name and end up in a log."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            candidates = value.split(",") if name == "srcset" else [value]
            if name in _FETCHING_ATTRIBUTES and any(_ANOTHER_HOST.match(c) for c in candidates):
                self.found.append(f"<{tag} {name}=...>")
            elif name == "style" and _CSS_FETCH.search(value):
                self.found.append(f"<{tag} style=...>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and _CSS_FETCH.search(data):
            self.found.append("<style>")


def assert_offline(page: str, what: str) -> str:
    """Refuses to hand out a page whose markup would load anything from the network."""
    parser = _ExternalReferences()
    parser.feed(page)
    parser.close()
    if parser.found:
        raise GraphmapError(f"{what} would make an external request: {parser.found[0]}")
    return page
