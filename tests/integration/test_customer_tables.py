"""Every customer table through the CLI, on each engine: the archive's accounts, contacts and contact log,
the segmentation table and the process cards with their follow-up records. Imported together (several
accounts per file, any order of files), checked against the graph, exported in both languages and as
CSV and XLSX, and imported again: the graph does not change by a byte. Phones and e-mails arrive reduced,
and the originals appear nowhere: not in the graph, the output, the error file."""

import pytest
from openpyxl import Workbook

from graphmap.config import get_settings
from graphmap.exporting import TITLES
from graphmap.graph import list_accounts, read_account_network, write_portfolio
from graphmap.model import (
    Account,
    Channel,
    DatePrecision,
    Department,
    DepartmentLevel,
    Person,
    PersonStatus,
    Portfolio,
    Role,
    Tier,
)
from graphmap.store import open_store
from tests.conftest import WORKED_EXAMPLE, snapshot

pytestmark = pytest.mark.integration

CANARY_PHONE = "13987654321"
CANARY_MAIL = "canary.person@secret-canary.example"

ACCOUNTS = (
    "客户编号,客户名称,客户类型,所属行业\n"
    "2024-IT-001,华东智能科技有限公司,老客户,智能制造\n"
    "2024-FI-002,天津锦程金融服务有限公司,潜在客户,金融\n"
)
CONTACTS = (
    "客户编号,客户名称,部门,姓名,职位,角色类型,在职状态,电话,邮箱\n"
    f"2024-IT-001,,总部/采购部,*某,采购总监,决策者,在职,{CANARY_PHONE},{CANARY_MAIL}\n"
    "2024-IT-001,,总部/技术部,*某,技术经理,影响者、使用者,,021-12345678,li@hd-tech.cn\n"
    "2024-IT-001,,总部/生产部,*某,技术经理,使用者,已离职,,\n"  # same title and name, another department
    ",天津锦程金融服务有限公司,信息科技部,王*,CIO,decision-maker,,+86 22 8765 4321,\n"
)
CARDS = (
    "卡牌编号,客户编号,建档日期,客户来源,负责人,痛点,决策者,预算范围,意向等级,满意度(分)\n"
    "CRM-20240815-1,2024-IT-001,2024-08-15,展会,销售经理*某,产线停机频繁,采购总监*某,50-80万,高,92\n"
    ",2024-FI-002,2024-09-01,转介绍,销售总监*某,,CIO王*,,中,\n"
)
LOG = (
    "记录编号,客户编号,卡牌编号,时间,参与人,沟通方式,沟通内容,后续行动,负责人,截止日期\n"
    ",2024-IT-001,CRM-20240815-1,2024-09-02,采购总监*某、销售经理*某,拜访,现场演示产线方案,发送报价,销售经理*某,2024-09-05\n"
    ",2024-IT-001,,2024-07,总部/技术部/技术经理*某,会议,产品测试反馈三条改进建议,,,\n"
    ",2024-IT-001,,2024年8月20日,生产部/技术经理*某,电话,交接工作,,,\n"
    "L-7,2024-FI-002,,2024/9/3,CIO王*、Alice Wang (Sales),e-mail,首次沟通,,,\n"
)
MAPPING = (  # the same buyer as CONTACTS, with two relationship statuses and undated key interactions
    "客户名称,客户所属行业,映射目标,更新日期,客户编号\n"
    "华东智能科技有限公司,智能制造,扩大产线设备合作,2024-09-30,2024-IT-001\n"
    "部门,角色姓名,职位,角色类型,关系状态,我方对接人,关键互动记录,下一步行动\n"
    '总部/采购部,*某,采购总监,决策者,长期合作信任,销售经理*某,"电话沟通，未记日期\n2024-06-03，3项需求确认",9月底回访\n'
    "总部/采购部,*某,采购总监,决策者,初步接触陌生,技术工程师*某,又一次未记日期的交流,\n"
    "总部/采购部,*某,采购总监,影响者,长期合作信任,销售经理*某、客户成功经理*某,2024年7月：季度回顾,\n"
    "总部/生产部,*某,车间主任,使用者,无直接接触,-,,\n"
)
SEGMENTATION = (
    "客户编号,近12个月营收(万元),近6个月互动次数,合作时长(月),续约意向,近12个月投诉次数,客户分层\n"
    "2024-IT-001,65,12,24,是,0,核心客户\n"
    "2024-FI-002,28,5,,否,1,\n"
)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def network(account_id: str):
    store = open_store(get_settings())
    try:
        return read_account_network(store, account_id)
    finally:
        store.close()


def import_all(run, tmp_path) -> str:
    files = [
        write(tmp_path, "log.csv", LOG),  # the order of files does not matter: accounts are written first
        write(tmp_path, "mapping.csv", MAPPING),
        write(tmp_path, "segmentation.csv", SEGMENTATION),
        write(tmp_path, "cards.csv", CARDS),
        write(tmp_path, "contacts.csv", CONTACTS),
        write(tmp_path, "accounts.csv", ACCOUNTS),
    ]
    return run("import", *map(str, files))


def test_every_table_lands_where_it_belongs(run, tmp_path):
    output = import_all(run, tmp_path)
    assert "contacts.csv: 4 rows (客户联系人 / Account contacts)" in output
    it = network("2024-IT-001")
    people = {(p.department_id, p.title): p for p in it.people}
    assert len(it.people) == 4 and len({p.department_id for p in it.people}) == 3  # the mapping adds one
    buyer = next(p for p in it.people if p.title == "采购总监")
    assert (buyer.phone, buyer.email, buyer.roles) == ("139****4321", "secret-canary.example", (Role.decision_maker,))
    engineer = next(p for p in it.people if p.phone == "021-****5678")
    assert engineer.roles == (Role.influencer, Role.user) and engineer.email == "hd-tech.cn"
    assert next(p for p in people.values() if p.status is PersonStatus.left).phone is None
    visit = next(i for i in it.interactions if i.card_id == "CRM-20240815-1")
    assert visit.person_ids == (buyer.id,) and visit.channel is Channel.visit and visit.follow_up == "发送报价"
    assert visit.owner_id in visit.contact_ids and str(visit.due) == "2024-09-05"
    assert sorted(link.status.value for link in it.coverage if link.person_id == buyer.id) == [
        "initial",
        "trusted",
        "trusted",
    ]
    key = {i.summary: i for i in it.interactions if i.person_ids == (buyer.id,) and i.card_id is None}
    assert key["3项需求确认"].on_text == "2024-06-03" and key["又一次未记日期的交流"].on is None
    assert len(key["季度回顾"].contact_ids) == 2
    month = next(i for i in it.interactions if i.on_text == "2024-07")
    assert month.on_precision is DatePrecision.month and str(month.on) == "2024-07-31"
    store = open_store(get_settings())
    try:
        accounts = {a.id: a for a in list_accounts(store)}
        cards = store.read("list_cards", account_ids=["2024-IT-001", "2024-FI-002"])
    finally:
        store.close()
    assert accounts["2024-IT-001"].tier is Tier.core and accounts["2024-IT-001"].recorded_interactions_6m == 12
    assert accounts["2024-IT-001"].customer_type.value == "existing"  # the archive's, kept by segmentation
    assert [c["properties"]["satisfaction"] for c in cards if c["id"] == "CRM-20240815-1"] == [92]
    generated = next(c["id"] for c in cards if c["account_id"] == "2024-FI-002")
    assert generated.startswith("CRM-20240901-")
    fi = network("2024-FI-002")
    assert {c.name for c in fi.contacts} <= {"Alice Wang"} and len(fi.interactions) == 1


def test_import_again_and_export_import_change_nothing(run, tmp_path):
    run("import", str(WORKED_EXAMPLE))  # interactions from a mapping table go through the log too
    import_all(run, tmp_path)
    first = snapshot(tmp_path, "first.jsonl")
    import_all(run, tmp_path)
    assert snapshot(tmp_path, "again.jsonl") == first
    store = open_store(get_settings())
    try:
        account_ids = [a.id for a in list_accounts(store)]
    finally:
        store.close()
    for language, suffix in (("zh", ".csv"), ("en", ".xlsx")):
        exported = []
        for template in TITLES:
            # A CSV mapping table holds one account; a workbook holds them all, a sheet each.
            for account in account_ids if (template, suffix) == ("mapping", ".csv") else [None]:
                path = tmp_path / f"out-{template}-{account or 'all'}-{language}{suffix}"
                chosen = ["--account", account] if account else []
                run(
                    "export",
                    str(path),
                    "--template",
                    template,
                    *chosen,
                    "--language",
                    language,
                    "--as-of",
                    "2024-09-30",
                )
                exported.append((path, template, chosen))
        run("import", *(str(path) for path, _, _ in exported))
        assert snapshot(tmp_path, f"after-{language}.jsonl") == first, language
        if suffix == ".csv":
            for path, template, chosen in exported:
                again = path.with_name("again-" + path.name)
                run(
                    "export",
                    str(again),
                    "--template",
                    template,
                    *chosen,
                    "--language",
                    language,
                    "--as-of",
                    "2024-09-30",
                )
                assert again.read_bytes() == path.read_bytes(), template


def test_the_original_phone_and_email_are_nowhere(run, tmp_path):
    output = import_all(run, tmp_path)
    broken = write(
        tmp_path,
        "more-contacts.csv",
        "客户编号,部门,姓名,电话,邮箱\n"
        f"2024-IT-001,总部/财务部,*某,{CANARY_PHONE},{CANARY_MAIL}\n"
        f"2024-IT-999,总部/财务部,*某,{CANARY_PHONE},{CANARY_MAIL}\n",  # an unknown account: rejected
    )
    output += run("import", str(broken), code=1)
    output += run("import", str(broken), "--partial")
    error_file = (tmp_path / "more-contacts.errors.csv").read_text(encoding="utf-8-sig")
    assert "2024-IT-999" in error_file and "139****4321" in error_file
    backup_text = snapshot(tmp_path, "all.jsonl").decode()
    for where in (output, error_file, backup_text):
        assert CANARY_PHONE not in where and "canary.person" not in where
    for template in ("contacts", "log"):
        path = tmp_path / f"out-{template}.csv"
        run("export", str(path), "--template", template)
        assert CANARY_PHONE not in path.read_text(encoding="utf-8-sig")


def test_references_that_do_not_resolve_are_located_and_nothing_is_written(run, tmp_path):
    write(tmp_path, "accounts.csv", ACCOUNTS)
    log = write(
        tmp_path,
        "log.csv",
        "客户编号,卡牌编号,时间,参与人,沟通内容\n"
        "2024-IT-001,,2024-09-02,不存在的人,内容\n"
        "2024-IT-404,,2024-09-02,采购总监*某,内容\n"
        "2024-IT-001,CRM-20990101-1,2024-09-02,技术经理*某,内容\n"
        "2024-IT-001,,2024-09-02,技术经理*某,内容\n",
    )
    contacts = write(tmp_path, "contacts.csv", CONTACTS)
    output = run("import", str(tmp_path / "accounts.csv"), str(contacts), str(log), code=1)
    assert "log.csv:2: column D (参与人/Participants): '不存在的人' neither a person of this account" in output
    assert "log.csv:3: column A (客户编号/Account id): '2024-IT-404' no such account" in output
    assert "log.csv:4: column B (卡牌编号/Card id): 'CRM-20990101-1' no such card" in output
    assert "log.csv:5: column D (参与人/Participants): '技术经理*某' 2 people of this account" in output
    assert "nothing was written" in output
    store = open_store(get_settings())
    try:
        assert list_accounts(store) == []
    finally:
        store.close()


MADE_ELSEWHERE = Portfolio(  # as the API or the sample make them: ids of their own, not derived from the path
    accounts=(Account(id="A-1", name="远山制造有限公司"),),
    departments=(
        Department(id="dept-hq", account_id="A-1", name="总部", level=DepartmentLevel.hq),
        Department(id="dept-buy", account_id="A-1", name="采购部", parent_id="dept-hq"),
    ),
    people=(
        Person(id="buyer", account_id="A-1", department_id="dept-buy", name="*某", title="采购总监",
               roles=(Role.decision_maker,)),
        Person(id="ceo-1", account_id="A-1", department_id="dept-hq", name="王*", title="CEO"),
        Person(id="ceo-2", account_id="A-1", department_id="dept-hq", name="王*", title="CEO"),
    ),
)  # fmt: skip


def test_a_contacts_table_finds_the_people_and_departments_made_elsewhere(run, tmp_path):
    store = open_store(get_settings())
    try:
        write_portfolio(store, MADE_ELSEWHERE)
    finally:
        store.close()
    contacts = write(tmp_path, "contacts.csv", "客户编号,部门,姓名,职位,电话\n"
                     "A-1,总部/采购部,*某,采购总监,13812345678\n"  # the buyer, by department + title + name
                     "A-1,总部/采购部/设备组,李*,组长,\n")  # fmt: skip
    run("import", str(contacts))
    account = network("A-1")
    people = {p.id: p for p in account.people}
    assert len(people) == 4 and len(account.departments) == 3
    assert people["buyer"].phone == "138****5678" and people["buyer"].roles == (Role.decision_maker,)
    added = next(p for p in people.values() if p.name == "李*")
    assert next(d for d in account.departments if d.id == added.department_id).parent_id == "dept-buy"
    before = snapshot(tmp_path, "before.jsonl")
    twins = write(tmp_path, "twins.csv", "客户编号,部门,姓名,职位\nA-1,总部,王*,CEO\n")
    output = run("import", str(twins), code=1)
    assert "twins.csv:2: column C (姓名/Name): '王*' 2 people in the graph have this department, title" in output
    assert "(ceo-1, ceo-2)" in output and snapshot(tmp_path, "after.jsonl") == before


def test_an_xlsx_archive_with_one_sheet_per_table(run, tmp_path):
    book = Workbook()
    sheets = {"客户信息": ACCOUNTS, "联系人": CONTACTS, "联系记录": LOG.replace("CRM-20240815-1", "")}
    book.remove(book.active)
    for title, text in sheets.items():
        sheet = book.create_sheet(title)
        for line in text.splitlines():
            sheet.append(line.split(","))
    path = tmp_path / "archive.xlsx"
    book.save(path)
    output = run("import", str(path))
    assert "archive.xlsx[联系记录]: 4 rows" in output
    assert len(network("2024-IT-001").interactions) == 3


def test_a_mapping_table_with_bad_rows_writes_the_good_ones_with_partial(run, tmp_path):
    bad = MAPPING.replace("总部/生产部,*某,车间主任,使用者", "总部/生产部,*某,车间主任,老板")
    path = write(tmp_path, "accounts.csv", ACCOUNTS), write(tmp_path, "mapping.csv", bad)
    output = run("import", *map(str, path), code=1)
    assert "mapping.csv:8: column D (角色类型/Role type): '老板'" in output and "nothing was written" in output
    output = run("import", *map(str, path), "--partial")
    assert "mapping.csv: 3 rows (客户关系映射表 / relationship map)" in output and "1 rejected" in output
    assert {p.title for p in network("2024-IT-001").people} == {"采购总监"}
    errors = tmp_path / "mapping.errors.csv"
    text = errors.read_text(encoding="utf-8-sig")
    assert text.startswith("客户名称,") and "问题 / problems" in text and "采购总监" not in text  # block + bad row
    errors.write_text(text.replace("车间主任,老板", "车间主任,使用者"), encoding="utf-8-sig")
    run("import", str(errors))
    assert {p.title for p in network("2024-IT-001").people} == {"采购总监", "车间主任"}


def test_a_csv_mapping_table_holds_one_account(run, tmp_path):
    import_all(run, tmp_path)
    output = run("export", str(tmp_path / "m.csv"), "--template", "mapping", code=1)
    assert "give --account, or write .xlsx" in output
