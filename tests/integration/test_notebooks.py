"""Every notebook runs top to bottom on the demo portfolio, on each engine, and its key figures are the
library's. The notebooks are kept in git without outputs."""

import ast
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from typer.testing import CliRunner

from graphmap.analysis.coverage import coverage
from graphmap.analysis.followups import follow_ups
from graphmap.analysis.gaps import find_gaps
from graphmap.analysis.paths import warm_paths
from graphmap.cli import app
from graphmap.config import get_settings
from graphmap.model import Role
from graphmap.sample import SAMPLE_AS_OF
from graphmap.store import open_store

pytestmark = pytest.mark.integration

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture
def demo_env(cli_env, tmp_path, monkeypatch):
    """The CLI's settings, pointing at the demo portfolio on one engine, on the sample's day."""
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "pages")])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("GRAPHMAP_AS_OF", SAMPLE_AS_OF.isoformat())
    get_settings.cache_clear()
    store = open_store()
    yield store
    store.close()


def run_notebook(name: str) -> dict:
    """Executes the notebook in a fresh kernel with this process's environment; returns its `summary`."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute(env=dict(os.environ))
    last = notebook.cells[-1]
    assert "summary" in last.source, f"{name}: the last cell shows the key figures"
    return ast.literal_eval(last.outputs[-1]["data"]["text/plain"])


def test_the_portfolio_review_shows_the_library_figures(demo_env):
    summary = run_notebook("portfolio_coverage_review.ipynb")
    reports = coverage(demo_env, as_of=SAMPLE_AS_OF)
    scores = [r.score for r in reports if r.score is not None]
    assert summary["accounts"] == len(reports)
    assert summary["mean_score"] == round(sum(scores) / len(scores), 2)
    weakest = sorted(reports, key=lambda r: (r.score is not None, r.score or 0, r.account_id))[:5]
    assert summary["weakest"] == [r.account_id for r in weakest]
    gaps = find_gaps(demo_env, as_of=SAMPLE_AS_OF)
    assert summary["uncovered_decision_makers"] == len(gaps.uncovered_decision_makers)


def test_the_account_deep_dive_shows_the_library_figures(demo_env):
    summary = run_notebook("account_deep_dive.ipynb")
    reports = coverage(demo_env, as_of=SAMPLE_AS_OF)
    weakest = min(reports, key=lambda r: (r.score is not None, r.score or 0, r.account_id))
    assert summary["account_id"] == weakest.account_id
    gaps = find_gaps(demo_env, weakest.account_id, SAMPLE_AS_OF)
    decision_makers = sorted(u.person_id for u in gaps.uncovered if Role.decision_maker in u.roles)
    assert summary["uncovered_decision_makers"] == decision_makers
    paths = [p for person in decision_makers for p in warm_paths(demo_env, person, k=2, as_of=SAMPLE_AS_OF)]
    assert summary["paths"] == len(paths)
    plan = follow_ups(demo_env, weakest.account_id, SAMPLE_AS_OF)
    assert summary["overdue"] == sum(1 for f in plan if f.overdue_days > 0)


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_kept_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"
    assert "Workbench.connect()" in notebook.cells[1].source, f"{path.name}: opens by connecting"
