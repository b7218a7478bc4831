"""The README shows the two set-up commands first and every CLI command, subcommands included; every
command and option explains itself in --help (as sqlite-utils' test_docs.py checks its commands)."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer import _click as click
from typer.core import TyperOption
from typer.testing import CliRunner

from graphmap.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def commands(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every visible command, by its path under `graphmap` (hidden ones are old spellings)."""
    for name, command in sorted(getattr(group, "commands", {}).items()):
        if command.hidden:
            continue
        yield (*path, name), command
        yield from commands(command, (*path, name))


COMMANDS = dict(commands(typer.main.get_command(app)))


def test_setup_commands_come_first():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]


def test_subcommands_are_walked():
    assert {("user", "add"), ("token", "create"), ("token", "revoke"), ("warm-paths",)} <= set(COMMANDS)


def test_every_cli_command_is_in_the_readme():
    missing = [" ".join(path) for path, command in COMMANDS.items() if not hasattr(command, "commands")]
    missing = [name for name in missing if f"graphmap {name}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_and_option_has_help(path: tuple[str, ...]):
    command = COMMANDS[path]
    assert (command.help or "").strip(), f"graphmap {' '.join(path)} has no help text"
    for param in command.params:
        if isinstance(param, TyperOption):
            assert (param.help or "").strip(), f"graphmap {' '.join(path)} {param.opts[0]} has no help text"
    shown = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert not re.search(r"<(bool|str|int|float|path|list\[\w+\])>", shown.output), shown.output
