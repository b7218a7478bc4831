"""Every face is built from the one registry of analyses: the same names, the old spellings kept."""

import pytest
import typer

from graphmap.analysis.registry import ANALYSES, find_analysis, run_analysis
from graphmap.api import create_app
from graphmap.cli import app
from graphmap.config import Settings
from graphmap.errors import Invalid, NotFound
from graphmap.terminal import SHOW
from graphmap.workbench import Workbench


def test_the_cli_has_one_command_per_analysis_and_hides_the_old_spellings():
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for analysis in ANALYSES:
        assert not commands[analysis.name].hidden
        for alias in analysis.aliases:
            assert "_" in alias or commands[alias].hidden
        assert analysis.name in SHOW


def test_the_api_has_one_documented_route_per_analysis():
    spec = create_app(Settings()).openapi()
    documented = {path.removeprefix("/analyses/"): ops["get"]["operationId"]
                  for path, ops in spec["paths"].items() if path.startswith("/analyses/")}  # fmt: skip
    assert documented == {a.name: a.method for a in ANALYSES}


def test_the_workbench_has_one_method_per_analysis():
    assert [a.method for a in ANALYSES if not callable(getattr(Workbench, a.method, None))] == []


def test_names_and_options_are_checked():
    assert find_analysis("spof") is find_analysis("single-points")
    assert find_analysis("followups").name == "follow-ups"
    with pytest.raises(NotFound, match="single-points"):
        find_analysis("single_point")
    with pytest.raises(Invalid, match="takes no option colour"):
        run_analysis(None, "coverage", colour="red")  # type: ignore[arg-type]
