"""The CLI's start-up (issue 30, item 9; target 0.3 s wall for `graphmap --help` and a one-account gaps
answer), beside the floor of what any CLI on the same libraries pays, measured alternately in one run:

- `graphmap --help`, and the floor of a help: Python with typer and graphmap.model imported (the options
  of the analysis commands are typed with its vocabularies), thirty commands registered, --help rendered;
- `graphmap gaps --account ID` on the sample (the embedded engine already running), and the floor of an
  answer: Python importing the libraries it cannot answer without (typer, rich, pydantic, the FalkorDB
  client and redis), then the same with graphmap's models and settings; neither reads anything;
- `python -c pass`, the interpreter alone.

    python -m bench.startup [--runs 9]

Wall-clock medians of separate processes; writes bench/results/startup.json.
"""

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
GRAPHMAP = Path(sys.executable).parent / "graphmap"
ACCOUNT = "2024-EN-00001"  # the sample's largest account

HELP_FLOOR = """
import typer
import graphmap.model  # noqa: F401  (the types of the analyses' options)

app = typer.Typer(add_completion=False)
for number in range(30):
    def command(account: str = typer.Option(None, help="one account's id"), as_json: bool = False) -> None:
        "An analysis of every account, most exposed first (一行说明)."
    app.command(f"command-{number}")(command)
app()
"""
LIBRARIES = "import typer, rich.console, pydantic, redis, falkordb"


def wall(command: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        environment = {"GRAPHMAP_DATA_DIR": folder, "PATH": str(Path(python).parent), "GRAPHMAP_NEO4J_URI": ""}
        demo = [str(GRAPHMAP), "demo", "--out", str(Path(folder) / "pages")]  # the sample, in its own store
        subprocess.run(demo, env=environment, capture_output=True, check=True)
        floor = Path(folder) / "help_floor.py"
        floor.write_text(HELP_FLOOR, encoding="utf-8")
        commands = {
            "graphmap_help": [str(GRAPHMAP), "--help"],
            "floor_help": [python, str(floor), "--help"],
            "graphmap_gaps_one_account": [str(GRAPHMAP), "gaps", "--account", ACCOUNT],
            "floor_libraries": [python, "-c", LIBRARIES],
            "floor_libraries_and_models": [python, "-c", LIBRARIES + ", graphmap.model, graphmap.config"],
            "python_alone": [python, "-c", "pass"],
        }
        try:
            for command in commands.values():  # warm the file cache and start the engine once
                wall(command, environment)
            times: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(args.runs):
                for name, command in commands.items():
                    times[name].append(wall(command, environment))
        finally:
            subprocess.run([str(GRAPHMAP), "stop"], env=environment, capture_output=True, check=False)
    medians = {name: round(statistics.median(values), 3) for name, values in times.items()}
    result: dict[str, Any] = {
        "seconds": medians,
        "help_over_its_floor": round(medians["graphmap_help"] / medians["floor_help"], 2),
        "gaps_over_its_floor": round(medians["graphmap_gaps_one_account"] / medians["floor_libraries"], 2),
        "target_s": 0.3,
        "runs": args.runs,
        "machine": platform.platform(),
    }
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
