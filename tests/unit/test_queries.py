"""Every Cypher file: loads, explains itself, passes Neo4j's own parser, and is used by the package."""

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from graphmap.errors import GraphmapError, NotFound
from graphmap.queries import Q, catalog
from graphmap.store.neo4j import built_statements

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "tests" / "cypher_lint"


def test_every_file_loads_and_opens_with_a_header():
    assert len(catalog()) == len(list((ROOT / "cypher").glob("*.cypher")))
    for query in catalog():
        assert query.text.startswith("// "), f"cypher/{query.name}.cypher must open with a // header"
        assert "Columns:" in query.text, f"cypher/{query.name}.cypher must name its columns"


def test_the_names_are_the_files():
    assert [q.value for q in Q] == [query.name for query in catalog()]


def test_every_query_has_a_caller_in_the_package():
    """Exact: a query is used where the package names its member, `Q.<name>` as an attribute."""
    used = {
        node.attr
        for path in (ROOT / "graphmap").rglob("*.py")
        if path.name != "queries.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Q"
    }
    assert used <= {q.name for q in Q}
    unused = [q.name for q in Q if q.name not in used]
    assert not unused, f"queries nobody calls: {unused}"


def lint(
    paths: list[Path] | None = None, statements: dict[str, str] | None = None
) -> dict[str, list[dict[str, object]]]:
    """Neo4j 5's diagnostics for files, or for statements by name."""
    if not (LINT / "node_modules").is_dir():
        pytest.fail("Neo4j's parser is not installed: run `make test` (it runs npm ci in tests/cypher_lint)")
    node = shutil.which("node")
    assert node, "node is required for the Cypher lint"
    arguments = ["--json"] if statements is not None else [str(p) for p in paths or []]
    result = subprocess.run([node, "lint.mjs", *arguments], cwd=LINT, capture_output=True, text=True, check=True,
                            timeout=120, input=json.dumps(statements) if statements is not None else None)  # fmt: skip
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


def test_neo4j_parser_accepts_every_statement_built_in_python():
    statements = built_statements()
    assert any(text.startswith("CREATE CONSTRAINT") for text in statements.values())
    failures = {name: errors(d) for name, d in lint(statements=statements).items() if errors(d)}
    assert not failures, failures


def test_the_lint_knows_neo4j_5s_functions():
    found = lint(statements={"removed": "RETURN id(null) AS id", "misspelt": "RETURN toInteger2('1') AS n",
                             "fine": "RETURN toInteger('1') AS n, elementId(null) AS e"})  # fmt: skip
    assert errors(found["removed"]) and errors(found["misspelt"]) and not errors(found["fine"])


def test_the_lint_catches_a_broken_query(tmp_path):
    broken = tmp_path / "broken.cypher"
    broken.write_text("MATCH (n:Person\nRETURN n.id AS id\n")
    assert errors(lint([broken])[str(broken)])


def test_an_unknown_query_name_is_a_programming_error_not_a_missing_record():
    with pytest.raises(GraphmapError) as raised:
        catalog()["list_peopel"]
    assert not isinstance(raised.value, NotFound) and raised.value.status_code == 500
