"""The sample portfolio shipped with graphmap: the template's worked example (a mapping table) and six
generated accounts (bench/generate.py --sample). Its dates lead up to SAMPLE_AS_OF."""

from datetime import date
from importlib.resources import files
from pathlib import Path

SAMPLE_AS_OF = date(2024, 9, 30)


def worked_example_path() -> Path:
    return Path(str(files("graphmap.sample") / "mapping_table_xx.csv"))


def portfolio_path() -> Path:
    return Path(str(files("graphmap.sample") / "portfolio.json"))
