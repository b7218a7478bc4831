"""The README shows the two set-up commands first and every CLI command."""

import re
from pathlib import Path

from graphmap.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_setup_commands_come_first():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]


def test_every_cli_command_is_in_the_readme():
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    missing = {n for n in names if f"graphmap {n}" not in README}
    assert not missing, f"commands missing from README.md: {sorted(missing)}"
