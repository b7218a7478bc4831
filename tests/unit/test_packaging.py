"""A plain `pip install .` carries the queries and the sample: the wheel holds them."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_ships_cypher_and_the_sample(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path],
        check=True,
        timeout=300,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("graphmap-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    queries = {f"graphmap/cypher/{p.name}" for p in (ROOT / "cypher").glob("*.cypher")}
    assert queries and queries <= names
    assert {"graphmap/sample/portfolio.json", "graphmap/sample/mapping_table_xx.csv"} <= names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
