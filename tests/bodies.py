"""Writes graphmap/api/bodies.py, the declared bodies of the record routes, from graphmap/model.py.

    python -m tests.bodies          # (make bodies) after changing a record in graphmap/model.py

tests/unit/test_bodies.py fails while the file differs from what this writes. Each field is taken from
the record's source as written (its annotation, default and constraints): a create body is the record
without what the server sets; an update body has the same fields, each optional and None by default, with
the record's constraints and description, without a link's two ends (a different link is another
record). What a record checks as a whole (an influence's sign) is checked on the record a body makes.
"""

import ast
import builtins
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from graphmap import model

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "graphmap" / "api" / "bodies.py"
# The id, the account, an address's hash; a comment's author, when it was written and edited, whom it mentions.
SERVER_SET = frozenset({"id", "account_id", "email_key", "author", "written_at", "edited_at", "mentions"})


@dataclass(frozen=True)
class Kind:
    record: str  # the class in graphmap/model.py
    key: tuple[str, ...] = ()  # the fields an update cannot change (a link's two ends)


# The accounts, our contacts, and the records kept inside an account (graphmap.editing's kinds).
KINDS = (
    Kind("Account"),
    Kind("Contact"),
    Kind("Department", ("id",)),
    Kind("Person", ("id",)),
    Kind("Coverage", ("contact_id", "person_id")),
    Kind("ReportingLine", ("person_id", "manager_id")),
    Kind("Influence", ("person_id", "target_id")),
    Kind("PlanTarget", ("contact_id", "person_id")),
    Kind("Task", ("id",)),
    Kind("Comment", ("id",)),
    Kind("Interaction", ("id",)),
)

HEADER = '''"""The bodies of the create (POST) and update (PATCH) routes, one pair per kind of record.

Written by `python -m tests.bodies` (make bodies) from the records in graphmap/model.py; do not edit by
hand: tests/unit/test_bodies.py fails while this file differs from what it writes. A create body is the
record without what the server sets (the id, the account, an address's hash: graphmap/addresses.py; a
comment's author, times and mentions); an update body has the same fields, each optional, without a link's
two ends (a different link is another record). What a record checks as a whole (an influence's sign) is
checked on the record a body makes (graphmap.editing).
"""
'''

BASE = '''

class Body(BaseModel):
    """A request body: unknown fields are refused (422), amounts are finite."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
'''


def fields_of(tree: ast.Module, record: str) -> list[ast.AnnAssign]:
    (found,) = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == record]
    return [node for node in found.body if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)]


def name_of(field: ast.AnnAssign) -> str:
    assert isinstance(field.target, ast.Name)
    return field.target.id


def optional(annotation: ast.expr) -> ast.expr:
    """The annotation with `| None`, unless it has it."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.right, ast.Constant):
        if annotation.right.value is None:
            return annotation
    return ast.BinOp(left=annotation, op=ast.BitOr(), right=ast.Constant(None))


def update_value(value: ast.expr | None) -> ast.expr:
    """None by default, with the field's constraints and description (a Field(...) call's other keywords)."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "Field"):
        return ast.Constant(None)
    assert not value.args, "give a Field's default by keyword"
    kept = [k for k in value.keywords if k.arg != "default"]
    return ast.Call(func=ast.Name("Field"), args=[], keywords=[ast.keyword("default", ast.Constant(None)), *kept])


def body_class(name: str, doc: str, fields: list[ast.stmt]) -> ast.ClassDef:
    body: list[ast.stmt] = [ast.Expr(ast.Constant(doc)), *fields]
    return ast.ClassDef(name=name, bases=[ast.Name("Body")], keywords=[], body=body, decorator_list=[], type_params=[])


def classes(tree: ast.Module, kind: Kind) -> list[ast.ClassDef]:
    fields = [f for f in fields_of(tree, kind.record) if name_of(f) not in SERVER_SET]
    create: list[ast.stmt] = [
        ast.AnnAssign(target=f.target, annotation=f.annotation, value=f.value, simple=1) for f in fields
    ]
    update: list[ast.stmt] = [
        ast.AnnAssign(target=f.target, annotation=optional(f.annotation), value=update_value(f.value), simple=1)
        for f in fields
        if name_of(f) not in kind.key
    ]  # fmt: skip
    return [
        body_class(f"{kind.record}Create", f"POST: a new {kind.record} (graphmap.model.{kind.record}).", create),
        body_class(f"{kind.record}Update", f"PATCH: the {kind.record}'s fields to change.", update),
    ]


def source() -> str:
    """bodies.py as it should be, formatted as `ruff format` leaves it."""
    tree = ast.parse(Path(model.__file__).read_text(encoding="utf-8"))
    defined = [c for kind in KINDS for c in classes(tree, kind)]
    written = [
        part for c in defined for f in c.body if isinstance(f, ast.AnnAssign) for part in (f.annotation, f.value)
    ]
    used = {n.id for part in written if part is not None for n in ast.walk(part) if isinstance(n, ast.Name)}
    names = ", ".join(sorted(used - {"Field"} - set(dir(builtins))))
    imports = f"from pydantic import BaseModel, ConfigDict, Field\n\nfrom graphmap.model import {names}\n"
    text = HEADER + "\n" + imports + BASE + "".join("\n\n" + ast.unparse(c) + "\n" for c in defined)
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(TARGET), "-"],
        input=text, capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return formatted.stdout


if __name__ == "__main__":
    TARGET.write_text(source(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
