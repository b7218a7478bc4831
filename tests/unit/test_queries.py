"""Every Cypher file: loads, explains itself, passes Neo4j's own parser, and is used by the package."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from graphmap.errors import GraphmapError, NotFound
from graphmap.queries import catalog

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "tests" / "cypher_lint"


def test_every_file_loads_and_opens_with_a_header():
    assert len(catalog()) == len(list((ROOT / "cypher").glob("*.cypher")))
    for query in catalog():
        assert query.text.startswith("// "), f"cypher/{query.name}.cypher must open with a // header"
        assert "Columns:" in query.text, f"cypher/{query.name}.cypher must name its columns"


def test_every_query_has_a_caller_in_the_package():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "graphmap").rglob("*.py"))
    unused = [q.name for q in catalog() if f'"{q.name}"' not in source]
    assert not unused, f"queries nobody calls: {unused}"


def lint(paths: list[Path]) -> dict[str, list[dict[str, object]]]:
    if not (LINT / "node_modules").is_dir():
        pytest.fail("Neo4j's parser is not installed: run `make test` (it runs npm ci in tests/cypher_lint)")
    node = shutil.which("node")
    assert node, "node is required for the Cypher lint"
    result = subprocess.run(
        [node, "lint.mjs", *map(str, paths)], cwd=LINT, capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(result.stdout)


def errors(diagnostics: list[dict[str, object]]) -> list[str]:
    # Parameters are supplied at run time; the parser only cannot see them.
    return [
        f"line {d['line']}:{d['character']}: {d['message']}"
        for d in diagnostics
        if not re.match(r"Parameter \$\w+ is not defined", str(d["message"]))
    ]


def test_neo4j_parser_accepts_every_file():
    files = sorted((ROOT / "cypher").glob("*.cypher"))
    results = lint(files)
    assert set(results) == {str(f) for f in files}
    failures = {Path(f).name: errors(d) for f, d in results.items() if errors(d)}
    assert not failures, failures


def test_the_lint_catches_a_broken_query(tmp_path):
    broken = tmp_path / "broken.cypher"
    broken.write_text("MATCH (n:Person\nRETURN n.id AS id\n")
    assert errors(lint([broken])[str(broken)])


def test_an_unknown_query_name_is_a_programming_error_not_a_missing_record():
    with pytest.raises(GraphmapError) as raised:
        catalog()["list_peopel"]
    assert not isinstance(raised.value, NotFound) and raised.value.status_code == 500
