"""The scripts and styles an account's page carries: vis-network (through pyvis) and graphmap's own.

A page written to a file carries them inline and needs nothing else (offline, the CLI, notebooks). A page
the API serves links them instead (`linked`): they are most of a page's bytes (0.6 of its 0.7 MB), the
same on every page, and a browser keeps them, since each is served under a name that carries its content's
hash and so never changes (GET /assets/NAME, graphmap/api/routes/assets.py).
"""

import functools
import hashlib
from dataclasses import dataclass
from importlib.resources import files

from pyvis.network import Network

# What pyvis's template includes inline (cdn_resources="in_line"), in its order; then graphmap's own.
PYVIS_PARTS = ("lib/bindings/utils.js", "lib/vis-9.1.2/vis-network.css", "lib/vis-9.1.2/vis-network.min.js")
OWN_PARTS = ("page.css", "page.js", "workspace.js")
PYVIS_TEMPLATES = Network().templateEnv  # thread-safe: jinja's template cache takes a lock
ASSETS_PATH = "/assets"


@dataclass(frozen=True)
class Asset:
    name: str  # as served: vis-network.min.5d1e0a9c2b.js
    text: str

    @property
    def is_style(self) -> bool:
        return self.name.endswith(".css")

    @property
    def media_type(self) -> str:
        return "text/css; charset=utf-8" if self.is_style else "text/javascript; charset=utf-8"

    @property
    def inline(self) -> str:
        """The asset as a page carries it."""
        return f"<style>{self.text}</style>" if self.is_style else f"<script>{self.text}</script>"

    @property
    def link(self) -> str:
        """The asset as a served page links it."""
        url = f"{ASSETS_PATH}/{self.name}"
        return f'<link rel="stylesheet" href="{url}">' if self.is_style else f'<script src="{url}"></script>'


@functools.cache
def _assets_by_part() -> dict[str, Asset]:
    texts = {part: PYVIS_TEMPLATES.get_template(part).render() for part in PYVIS_PARTS}  # as included
    texts |= {part: files("graphmap.pages").joinpath(part).read_text(encoding="utf-8") for part in OWN_PARTS}
    return {part: Asset(_hashed(part, text), text) for part, text in texts.items()}


@functools.cache
def page_assets() -> dict[str, Asset]:
    """Every asset by the name it is served under."""
    return {asset.name: asset for asset in _assets_by_part().values()}


def own_asset(part: str) -> Asset:
    """One of graphmap's own (page.css, page.js, workspace.js)."""
    return _assets_by_part()[part]


def linked(page: str) -> str:
    """The page with each asset it carries inline replaced by a link to it."""
    for asset in page_assets().values():
        page = page.replace(asset.inline, asset.link, 1)
    return page


def _hashed(part: str, text: str) -> str:
    stem, suffix = part.rsplit("/", 1)[-1].rsplit(".", 1)
    return f"{stem}.{hashlib.sha256(text.encode()).hexdigest()[:10]}.{suffix}"
