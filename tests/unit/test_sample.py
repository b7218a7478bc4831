"""The packaged sample is the generator's output and has the shape the demo promises."""

from collections import Counter

from bench.generate import generate_chunks, generate_portfolio, mapping_table_rows, sample_portfolio
from graphmap.io.mapping_table import read_mapping_table
from graphmap.model import DepartmentLevel, Portfolio
from graphmap.sample import portfolio_path, worked_example_path


def packaged() -> Portfolio:
    return Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))


def test_the_packaged_sample_is_what_the_generator_makes():
    assert packaged() == sample_portfolio(), "run `make sample` after changing bench/generate.py"


def test_the_sample_is_big_and_varied_enough_for_the_demo():
    sample = packaged()
    example = read_mapping_table(worked_example_path())
    assert len(sample.accounts) >= 5 and len({a.industry for a in sample.accounts}) == len(sample.accounts)
    assert len(sample.people) + len(example.people) >= 150
    assert len(sample.contacts) + len(example.contacts) >= 30
    dated = [i for i in (*sample.interactions, *example.interactions) if i.on]
    assert len(dated) >= 400
    levels = Counter(d.level for d in sample.departments)
    assert levels[DepartmentLevel.hq] and levels[DepartmentLevel.branch] and levels[DepartmentLevel.department]
    sizes = Counter(p.account_id for p in sample.people)
    assert max(sizes.values()) >= 4 * min(sizes.values())  # large groups and small firms


def test_the_generator_is_deterministic_and_scales():
    assert generate_portfolio(20, seed=3) == generate_portfolio(20, seed=3)
    assert generate_portfolio(20, seed=3) != generate_portfolio(20, seed=4)
    big = generate_portfolio(200, seed=3)
    assert len(big.accounts) == 200 and len(big.people) > 200 * 15


def test_the_generator_in_chunks_makes_the_same_portfolio():
    whole = generate_portfolio(25, seed=3)
    chunks = list(generate_chunks(25, seed=3, chunk_accounts=10))
    assert [len(c.accounts) for c in chunks] == [10, 10, 5]
    assert all(c.contacts == whole.contacts for c in chunks)  # each chunk's coverage names them
    for kind in Portfolio.model_fields:
        if kind != "contacts":
            assert tuple(r for c in chunks for r in getattr(c, kind)) == getattr(whole, kind), kind
    assert [t for c in chunks for t in mapping_table_rows(c)] == list(mapping_table_rows(whole))


def test_generated_tables_import_back(tmp_path):
    portfolio = generate_portfolio(3, seed=5)
    for account, rows in mapping_table_rows(portfolio):
        path = tmp_path / f"{account.id}.csv"
        path.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in rows), encoding="utf-8")
        table = read_mapping_table(path)
        in_table = {"id", "name", "industry", "mapping_goal", "updated_on"}  # the archive's fields are not
        assert table.accounts[0].model_dump(include=in_table) == account.model_dump(include=in_table)
        assert len(table.people) == sum(1 for p in portfolio.people if p.account_id == account.id)
