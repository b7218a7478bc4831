"""Data flows one way (ARCHITECTURE.md): face -> library -> graph -> queries + store. Checked on the
imports of every module, lazy ones inside functions included."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "graphmap"
FACES = ("graphmap.cli", "graphmap.terminal", "graphmap.api", "graphmap.workbench")


def imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names |= {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
        found[module] = {n for n in names if n.startswith("graphmap")}
    return found


def within(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_imports_are_seen_lazy_ones_included():
    found = imports()
    assert "graphmap.terminal.SHOW" in found["graphmap.cli"]
    assert "graphmap.rendering.render_portfolio" in found["graphmap.cli"]  # imported inside a function


def test_the_library_never_imports_a_face():
    upward = {m: sorted(n for n in names if within(n, *FACES))
              for m, names in imports().items() if not within(m, *FACES)}  # fmt: skip
    assert not {m: n for m, n in upward.items() if n}


def test_the_store_knows_nothing_above_it():
    above = ("graphmap.graph", "graphmap.analysis", "graphmap.io", "graphmap.pages", "graphmap.editing",
             "graphmap.importing", "graphmap.access", "graphmap.rendering", "graphmap.frames")  # fmt: skip
    upward = {m: sorted(n for n in names if within(n, *above))
              for m, names in imports().items() if within(m, "graphmap.store")}  # fmt: skip
    assert not {m: n for m, n in upward.items() if n}


def test_pages_and_frames_never_touch_the_store():
    touching = {m: sorted(n for n in names if within(n, "graphmap.store", "graphmap.queries"))
                for m, names in imports().items() if within(m, "graphmap.pages", "graphmap.frames")}  # fmt: skip
    assert not {m: n for m, n in touching.items() if n}
