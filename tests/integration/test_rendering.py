"""Pages and map files from the store, on both engines: the same map, and progress a face can show."""

from datetime import date

from graphmap.graph import write_portfolio
from graphmap.io.mapping_table import read_mapping_table
from graphmap.model import Portfolio
from graphmap.rendering import render_file, render_portfolio
from graphmap.sample import portfolio_path
from tests.conftest import WORKED_EXAMPLE

AS_OF = date(2024, 8, 31)


def test_rendering_tells_its_progress_account_by_account(store, tmp_path):
    portfolio = read_mapping_table(WORKED_EXAMPLE)
    write_portfolio(store, portfolio)
    heard: list[str] = []
    rendered = render_portfolio(store, tmp_path, AS_OF, progress=heard.append)
    account = portfolio.accounts[0].id
    assert heard[0].startswith("0/1 accounts: reading / 读取")
    assert any(f"1/1 accounts: drawing {account} (4 people) / 绘制" == h for h in heard), heard
    assert len(rendered.written) == 2
    heard.clear()
    render_file(store, account, AS_OF, "svg", progress=heard.append)
    assert [h.split(": ")[1].split(" / ")[0] for h in heard] == [
        "reading",
        "4 people, analysing",
        "laying out and drawing svg",
    ]


def test_a_viewers_map_files_hold_no_stakeholders_name(store):
    portfolio = Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8"))
    write_portfolio(store, portfolio)
    people = [p for p in portfolio.people if p.account_id == "2024-EN-00001"]
    plain = render_file(store, "2024-EN-00001", AS_OF, "svg").decode()
    masked = render_file(store, "2024-EN-00001", AS_OF, "svg", masked=True).decode()
    for contact in portfolio.contacts:  # our staff's names stay (graphmap/privacy.py); 刘浩华 holds 刘浩
        plain, masked = plain.replace(contact.name, ""), masked.replace(contact.name, "")
    assert len(people) == 52 and all(p.name in plain for p in people)
    assert not [p.name for p in people if p.name in masked]
