"""The command line starts without the heavy libraries only some commands use (issue 30.9)."""

import json
import subprocess
import sys

HEAVY = ("pyvis", "pandas", "fastapi", "networkx", "openpyxl")


def test_importing_the_command_line_leaves_the_heavy_libraries_for_the_commands_that_use_them():
    code = f"import json, sys, graphmap.cli; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(loaded.stdout) == []
