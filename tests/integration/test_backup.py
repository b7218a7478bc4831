"""Backup and restore on each engine: a restore into an empty graph followed by a backup gives the same
file; a bad file is refused with its line and writes nothing; an interrupted restore converges."""

import json
import os
import stat
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphmap import backup as backup_module
from graphmap.access import AccessRole, add_user, authenticate, create_token, grant, visible_account_ids
from graphmap.backup import backup, check, restore
from graphmap.cli import app
from graphmap.errors import Invalid
from graphmap.exporting import export_template
from graphmap.graph import count_graph, read_account_network, write_portfolio
from graphmap.io.mapping_table import read_mapping_table
from graphmap.model import Portfolio
from graphmap.sample import SAMPLE_AS_OF, portfolio_path
from tests.conftest import WORKED_EXAMPLE

pytestmark = pytest.mark.integration


@pytest.fixture
def loaded(store):
    write_portfolio(store, read_mapping_table(WORKED_EXAMPLE))
    write_portfolio(store, Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8")))
    add_user(store, "east.editor", "East Editor", "east", "test")
    grant(store, "2024-EN-00001", "team:east", "test")
    return store


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_restore_then_a_backup_gives_the_same_file(loaded, tmp_path):
    secret = create_token(loaded, "east.editor", AccessRole.editor, "test")[1]
    first = tmp_path / "first.jsonl"
    counts = backup(loaded, first)
    graph = count_graph(loaded)
    assert sum(counts.nodes.values()) + sum(counts.relationships.values()) == sum(graph.values())
    assert counts.nodes["Change"] > 0 and counts.relationships["WITH"] > 0  # the change log and interactions
    account = read_account_network(loaded, "2024-EN-00001")
    loaded.clear()
    loaded.ensure_schema()
    assert count_graph(loaded) == {}

    restore(loaded, first)
    second = tmp_path / "second.jsonl"
    backup(loaded, second)
    assert second.read_bytes() == first.read_bytes()
    assert count_graph(loaded) == graph
    assert read_account_network(loaded, "2024-EN-00001") == account
    principal = authenticate(loaded, secret)  # access control came back: the token works, the grant holds
    assert visible_account_ids(loaded, principal) == {"2024-EN-00001"}
    entries = lines(first)
    assert entries[0] == {"format": "graphmap-backup", "version": 1}
    assert entries[-1]["end"] is True and entries[-1]["nodes"] == counts.nodes


def test_restoring_twice_or_after_an_interruption_converges(loaded, tmp_path, monkeypatch):
    file = tmp_path / "backup.jsonl"
    backup(loaded, file)
    graph = count_graph(loaded)
    loaded.clear()
    loaded.ensure_schema()

    calls = {"n": 0}
    real_write = loaded.write

    def failing_write(query_name, **params):
        calls["n"] += 1
        if calls["n"] == 4:
            raise ConnectionError("the engine went away")
        return real_write(query_name, **params)

    monkeypatch.setattr(backup_module, "PAGE", 50)  # many small batches
    monkeypatch.setattr(loaded, "write", failing_write)
    with pytest.raises(ConnectionError):
        restore(loaded, file)
    monkeypatch.setattr(loaded, "write", real_write)
    restore(loaded, file)
    restore(loaded, file)
    again = tmp_path / "again.jsonl"
    backup(loaded, again)
    assert again.read_bytes() == file.read_bytes() and count_graph(loaded) == graph


def damaged(file: Path, target: Path, change) -> Path:
    entries = lines(file)
    change(entries)
    target.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e.pop(), "closing count line is missing"),
        (lambda e: e.pop(len(e) // 2), "closing line counts"),
        (lambda e: e[0].update(format="other"), "not a graphmap backup"),
        (lambda e: e[1].update(node="Robot"), "unknown label 'Robot'"),
        (lambda e: e[1]["properties"].update(extra={"a": 1}), "property 'extra'"),
        (lambda e: e[1]["properties"].update(mixed=[1, "a"]), "one type"),
        (lambda e: e[1].update(id="other-id"), "is not the node's id"),
        (lambda e: e.insert(2, e[1]), "appears twice"),
        (
            lambda e: next(x for x in e if x.get("relationship") == "COVERS")["to"].__setitem__(1, "ghost"),
            "Person 'ghost', which this backup does not hold",
        ),
        (
            lambda e: next(x for x in e if x.get("relationship") == "COVERS").update(relationship="LIKES"),
            "unknown relationship type 'LIKES'",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_nothing_is_written(loaded, tmp_path, change, message):
    file = tmp_path / "backup.jsonl"
    backup(loaded, file)
    bad = damaged(file, tmp_path / "bad.jsonl", change)
    before = count_graph(loaded)
    with pytest.raises(Invalid, match=message) as refused:
        restore(loaded, bad)
    assert str(refused.value).startswith(f"{bad}:")
    assert count_graph(loaded) == before


def test_not_json_and_not_a_file_are_clear_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "graphmap-backup", "version": 1}\n{oops\n', encoding="utf-8")
    with pytest.raises(Invalid, match=r"bad.jsonl:2: not JSON"):
        check(bad)
    with pytest.raises(Exception, match="cannot read"):
        check(tmp_path / "missing.jsonl")


def test_the_cli_backs_up_and_restores(cli_env, tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--out", str(tmp_path / "pages")]).exit_code == 0
    file = tmp_path / f"{uuid.uuid4().hex}.jsonl"
    result = runner.invoke(app, ["backup", str(file)])
    assert result.exit_code == 0, result.output
    assert "backed up / 已备份" in result.stdout and file.exists()
    assert not file.with_name(file.name + ".partial").exists()
    result = runner.invoke(app, ["restore", str(file)])
    assert result.exit_code == 0 and "restored / 已恢复" in result.stdout
    broken = tmp_path / "broken.jsonl"
    broken.write_text(file.read_text(encoding="utf-8").rsplit("\n", 2)[0] + "\n", encoding="utf-8")
    result = runner.invoke(app, ["restore", str(broken)])
    assert result.exit_code == 1 and "incomplete" in result.output


def test_backups_and_exports_are_their_owners_alone(loaded, tmp_path):
    old_umask = os.umask(0o022)  # what most machines have: new files readable by everyone
    try:
        written = [tmp_path / "graph.jsonl", tmp_path / "contacts.csv", tmp_path / "maps.xlsx"]
        written[0].write_text("an older backup, readable by all")  # replaced: its mode must not survive
        backup(loaded, written[0])
        export_template(loaded, written[1], "contacts", None, "zh", SAMPLE_AS_OF)
        export_template(loaded, written[2], "mapping", None, "en", SAMPLE_AS_OF)
    finally:
        os.umask(old_umask)
    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in written} == {p.name: 0o600 for p in written}
