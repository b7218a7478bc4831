"""Deterministic synthetic portfolios: accounts with nested departments, stakeholders with roles and
reporting lines, our contacts, coverage and dated interactions. Same arguments, same portfolio.

    python -m bench.generate --accounts 1000 --out portfolio.json        # a Portfolio as JSON
    python -m bench.generate --accounts 1000 --tables DIR                 # mapping tables, one CSV each
    python -m bench.generate --sample                                     # rewrites graphmap/sample/portfolio.json
"""

import argparse
import csv
import hashlib
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from graphmap.model import (
    Account,
    Band,
    Channel,
    Contact,
    Coverage,
    CustomerType,
    Department,
    DepartmentLevel,
    Influence,
    Intent,
    Interaction,
    Lifecycle,
    Person,
    PlanTarget,
    Portfolio,
    RelationshipStatus,
    ReportingLine,
    Role,
    Stage,
    Task,
    TaskOrigin,
    Team,
)
from graphmap.sample import SAMPLE_AS_OF

T = TypeVar("T")

SAMPLE_PATH = Path(__file__).resolve().parent.parent / "graphmap" / "sample" / "portfolio.json"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅文斌海燕晓东宇浩然欣怡子涵雨婷俊杰"
CITIES = [
    "上海",
    "北京",
    "深圳",
    "杭州",
    "苏州",
    "成都",
    "武汉",
    "南京",
    "天津",
    "重庆",
    "西安",
    "青岛",
    "宁波",
    "合肥",
]
BRANDS = [
    "恒信",
    "华拓",
    "中联",
    "锦程",
    "瑞丰",
    "博远",
    "启明",
    "海川",
    "天衡",
    "鼎盛",
    "凯越",
    "宏图",
    "聚源",
    "众诚",
]
BRANCH_REGIONS = ["华东", "华南", "华北", "西南", "华中", "西北"]

# industry -> (company suffix, departments specific to it with the role their members usually hold)
INDUSTRIES: dict[str, tuple[str, list[tuple[str, Role]]]] = {
    "智能制造": (
        "智能装备有限公司",
        [("生产车间", Role.user), ("技术部", Role.influencer), ("质量部", Role.influencer), ("设备部", Role.user)],
    ),
    "金融": (
        "金融服务有限公司",
        [
            ("风险管理部", Role.influencer),
            ("信息科技部", Role.influencer),
            ("零售业务部", Role.user),
            ("运营中心", Role.user),
        ],
    ),
    "医疗": (
        "医疗科技有限公司",
        [
            ("临床事业部", Role.user),
            ("研发中心", Role.influencer),
            ("信息中心", Role.influencer),
            ("质量管理部", Role.influencer),
        ],
    ),
    "零售": (
        "商贸有限公司",
        [
            ("门店运营部", Role.user),
            ("商品部", Role.influencer),
            ("电商事业部", Role.user),
            ("信息技术部", Role.influencer),
        ],
    ),
    "能源": (
        "能源集团有限公司",
        [
            ("生产运行部", Role.user),
            ("安全环保部", Role.influencer),
            ("工程技术部", Role.influencer),
            ("数字化中心", Role.influencer),
        ],
    ),
    "物流": (
        "供应链管理有限公司",
        [
            ("运输调度中心", Role.user),
            ("仓储部", Role.user),
            ("信息技术部", Role.influencer),
            ("客户服务部", Role.user),
        ],
    ),
    "教育": (
        "教育科技有限公司",
        [
            ("教学研究院", Role.influencer),
            ("校区运营部", Role.user),
            ("信息中心", Role.influencer),
            ("招生部", Role.user),
        ],
    ),
}
COMMON_DEPARTMENTS: list[tuple[str, Role]] = [("采购部", Role.purchaser), ("财务部", Role.influencer)]
HEAD_TITLES = {"总经理办公室": "副总经理", "采购部": "采购总监", "财务部": "财务总监"}
MEMBER_TITLES = ["经理", "主管", "高级工程师", "专员", "组长", "工程师"]
OUR_TITLES = [
    ("销售经理", Team.sales),
    ("销售总监", Team.sales),
    ("大客户经理", Team.sales),
    ("技术支持工程师", Team.service),
    ("客户服务经理", Team.service),
    ("解决方案工程师", Team.service),
    ("客户成功经理", Team.success),
    ("市场经理", Team.marketing),
]
SUMMARIES = {
    Channel.visit: ["上门拜访，了解年度规划", "现场调研设备使用情况", "拜访并介绍新产品方案", "陪同参观生产基地"],
    Channel.meeting: ["方案评审会，反馈优化意见", "季度业务回顾会议", "联合技术交流会", "合同条款沟通会议"],
    Channel.phone: ["电话跟进报价", "电话回访使用满意度", "电话确认交付计划", "电话沟通续约意向"],
    Channel.email: ["发送产品资料与案例", "邮件确认会议纪要", "发送优化方案", "邮件答复技术问题"],
    Channel.event: ["参加行业研讨会交流", "受邀参加产品发布会", "参加客户培训活动"],
}
CHANNEL_WEIGHTS = [(Channel.visit, 2), (Channel.meeting, 3), (Channel.phone, 4), (Channel.email, 3), (Channel.event, 1)]
STATUS_WEIGHTS = {  # a stakeholder's most likely relationship with us, by role
    Role.decision_maker: [
        (RelationshipStatus.trusted, 4),
        (RelationshipStatus.referred, 2),
        (RelationshipStatus.initial, 2),
        (RelationshipStatus.competitor, 1),
    ],
    Role.purchaser: [
        (RelationshipStatus.trusted, 5),
        (RelationshipStatus.initial, 2),
        (RelationshipStatus.competitor, 1),
    ],
    Role.influencer: [
        (RelationshipStatus.trusted, 3),
        (RelationshipStatus.initial, 3),
        (RelationshipStatus.referred, 1),
        (RelationshipStatus.competitor, 1),
    ],
    Role.user: [(RelationshipStatus.trusted, 2), (RelationshipStatus.initial, 3), (RelationshipStatus.none, 1)],
}
COVER_PROBABILITY = {Role.decision_maker: 0.7, Role.purchaser: 0.85, Role.influencer: 0.6, Role.user: 0.3}


@dataclass(frozen=True)
class Shape:
    """How an account is built: how many stakeholders, and whether it has branches."""

    industry: str
    people: int
    branches: int = 0


def generate_portfolio(
    accounts: int = 10,
    seed: int = 7,
    as_of: date = SAMPLE_AS_OF,
    shapes: list[Shape] | None = None,
    people_per_account: int = 30,
) -> Portfolio:
    return next(generate_chunks(accounts, seed, as_of, shapes, people_per_account))


def generate_chunks(
    accounts: int = 10,
    seed: int = 7,
    as_of: date = SAMPLE_AS_OF,
    shapes: list[Shape] | None = None,
    people_per_account: int = 30,
    chunk_accounts: int | None = None,
) -> Iterator[Portfolio]:
    """generate_portfolio's portfolio `chunk_accounts` accounts at a time (all at once if None), for sizes
    that do not fit in memory: the chunks' records, in order, are the whole portfolio's. Every chunk holds
    all of our contacts, as its coverage and its mapping tables name them."""
    rng = random.Random(seed)
    if shapes is None:
        industries = list(INDUSTRIES)
        shapes = [
            Shape(
                industry=rng.choice(industries),
                people=max(6, int(rng.lognormvariate(0, 0.5) * people_per_account)),
                branches=rng.choice([0, 0, 0, 1, 2, 3]),
            )
            for _ in range(accounts)
        ]
    n_contacts = max(30, len(shapes) // 2)
    contacts = tuple(_our_contact(rng, i) for i in range(n_contacts))
    size = chunk_accounts or max(1, len(shapes))
    for start in range(0, max(1, len(shapes)), size):
        indices = range(start, min(start + size, len(shapes)))
        parts = [_account(rng, index, shapes[index], contacts, as_of) for index in indices]
        yield Portfolio(
            accounts=tuple(
                _with_archive(p[0], p[3], random.Random(f"{seed}:{i}"), as_of)
                for i, p in zip(indices, parts, strict=True)
            ),
            departments=tuple(d for p in parts for d in p[1]),
            people=tuple(x for p in parts for x in p[2]),
            contacts=contacts,
            coverage=tuple(x for p in parts for x in p[3]),
            reporting_lines=tuple(x for p in parts for x in p[4]),
            influences=tuple(x for p in parts for x in p[5]),
            interactions=tuple(x for p in parts for x in p[6]),
        )


def sample_portfolio() -> Portfolio:
    """The portfolio shipped with graphmap: six accounts of different industries and shapes."""
    shapes = [
        Shape("能源", people=52, branches=3),  # a group with regional branches
        Shape("金融", people=38, branches=2),
        Shape("医疗", people=30, branches=1),
        Shape("零售", people=22),
        Shape("物流", people=14),
        Shape("教育", people=8),  # small, thinly covered
    ]
    portfolio = generate_portfolio(seed=2024, as_of=SAMPLE_AS_OF, shapes=shapes)
    plan = _sample_plan(portfolio, SAMPLE_AS_OF)
    return portfolio.model_copy(update={"plan_targets": plan, "tasks": _sample_tasks(portfolio, plan, SAMPLE_AS_OF)})


PLANNED_PER_ACCOUNT = 3
# The days the sample's targets are due, around its as-of day: one already past, one this quarter, one later.
PLAN_DAYS = (-20, 45, 120)


def _sample_plan(portfolio: Portfolio, as_of: date) -> tuple[PlanTarget, ...]:
    """Each account's plan as a planner might set it: its first decision-makers and influencers, each asked
    of the contact who covers them best (the account's owner where nobody does yet): trusted and strong
    with a decision-maker, trusted with an influencer; due around the as-of day, so some are overdue."""
    best: dict[str, Coverage] = {}
    for link in portfolio.coverage:
        if link.person_id not in best or (link.strength or 0) > (best[link.person_id].strength or 0):
            best[link.person_id] = link
    owners = {a.id: a.owner_id for a in portfolio.accounts}
    targets = []
    for account in portfolio.accounts:
        key_people = [p for p in portfolio.people if p.account_id == account.id
                      and {Role.decision_maker, Role.influencer} & set(p.roles)][:PLANNED_PER_ACCOUNT]  # fmt: skip
        for person, days in zip(key_people, PLAN_DAYS, strict=False):
            owner = best[person.id].contact_id if person.id in best else owners[account.id]
            if owner is None:
                continue
            deciding = Role.decision_maker in person.roles
            targets.append(
                PlanTarget(
                    contact_id=owner,
                    person_id=person.id,
                    status=RelationshipStatus.trusted,
                    band=Band.strong if deciding else None,
                    due=as_of + timedelta(days=days),
                    note="季度拜访，争取高层支持" if deciding else "技术交流，邀请参加产品研讨会",
                )
            )
    return tuple(targets)


def _sample_tasks(portfolio: Portfolio, plan: Sequence[PlanTarget], as_of: date) -> tuple[Task, ...]:
    """A task for each account's first target, the visit that should meet it: due three days before the
    as-of day, so the weekly review lists it as fallen due."""
    people = {p.id: p for p in portfolio.people}
    accounts = {p.id: p.account_id for p in portfolio.people}
    tasks, seen = [], set()
    for target in plan:
        account_id = accounts[target.person_id]
        if account_id in seen:
            continue
        seen.add(account_id)
        person = people[target.person_id]
        tasks.append(
            Task(
                id=f"t-{account_id}-1",
                account_id=account_id,
                title=f"拜访{person.title or ''}{person.name}，推进长期合作",
                owner_id=target.contact_id,
                person_id=person.id,
                due=as_of - timedelta(days=3),
                origin=TaskOrigin.plan,
            )
        )
    return tuple(tasks)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _our_contact(rng: random.Random, index: int) -> Contact:
    title, team = OUR_TITLES[index % len(OUR_TITLES)]
    return Contact(id=f"c{index:05d}", name=_name(rng), title=title, team=team)


def _account(
    rng: random.Random, index: int, shape: Shape, contacts: Sequence[Contact], as_of: date
) -> tuple[
    Account, list[Department], list[Person], list[Coverage], list[ReportingLine], list[Influence], list[Interaction]
]:
    account_id = f"{as_of.year}-{_industry_code(shape.industry)}-{index + 1:05d}"
    suffix, specific = INDUSTRIES[shape.industry]
    account = Account(
        id=account_id,
        name=f"{rng.choice(CITIES)}{rng.choice(BRANDS)}{suffix}",
        industry=shape.industry,
        mapping_goal=rng.choice(["扩大设备采购合作", "推进数字化平台项目", "续签年度服务合同", "拓展新业务线合作"]),
        updated_on=as_of - timedelta(days=rng.randint(0, 20)),
    )
    departments: list[Department] = []
    hq_id = f"{account_id}-d000"
    departments.append(Department(id=hq_id, account_id=account_id, name="总部", level=DepartmentLevel.hq))
    units: list[tuple[Department, Role]] = []  # departments that hold people, with their members' usual role
    office = Department(id=f"{account_id}-d001", account_id=account_id, name="总经理办公室", parent_id=hq_id)
    departments.append(office)
    units.append((office, Role.decision_maker))
    for name, role in COMMON_DEPARTMENTS + specific:
        d = Department(id=f"{account_id}-d{len(departments):03d}", account_id=account_id, name=name, parent_id=hq_id)
        departments.append(d)
        units.append((d, role))
    branch_units: list[tuple[Department, Role]] = []
    for region in rng.sample(BRANCH_REGIONS, min(shape.branches, len(BRANCH_REGIONS))):
        branch = Department(
            id=f"{account_id}-d{len(departments):03d}",
            account_id=account_id,
            name=f"{region}分公司",
            level=DepartmentLevel.branch,
            parent_id=hq_id,
        )
        departments.append(branch)
        for name, role in [("综合管理部", Role.decision_maker), rng.choice(specific), ("采购部", Role.purchaser)]:
            d = Department(
                id=f"{account_id}-d{len(departments):03d}", account_id=account_id, name=name, parent_id=branch.id
            )
            departments.append(d)
            branch_units.append((d, role))
    all_units = units + branch_units

    people: list[Person] = []
    heads: dict[str, str] = {}
    reporting: list[ReportingLine] = []
    gm_id = f"{account_id}-p0000"
    people.append(
        Person(
            id=gm_id,
            account_id=account_id,
            department_id=office.id,
            name=_name(rng),
            title="总经理",
            roles=(Role.decision_maker,),
        )
    )
    for unit, role in all_units:
        if len(people) >= shape.people:
            break
        title = HEAD_TITLES.get(unit.name) or (
            f"{unit.name.removesuffix('部').removesuffix('中心')}总监" if unit.name != "综合管理部" else "分公司总经理"
        )
        head_roles = [Role.decision_maker] if role in (Role.decision_maker, Role.purchaser) else [role]
        if role is Role.purchaser and rng.random() < 0.5:
            head_roles = [Role.decision_maker, Role.purchaser]
        head = Person(
            id=f"{account_id}-p{len(people):04d}",
            account_id=account_id,
            department_id=unit.id,
            name=_name(rng),
            title=title,
            roles=tuple(head_roles),
        )
        people.append(head)
        heads[unit.id] = head.id
        # HQ heads and branch managers report to the general manager; other branch heads to their branch manager.
        boss = gm_id
        if unit.parent_id != hq_id and unit.name != "综合管理部":
            manager_unit = next(
                (d for d, _ in branch_units if d.parent_id == unit.parent_id and d.name == "综合管理部")
            )
            boss = heads.get(manager_unit.id, gm_id)
        reporting.append(ReportingLine(person_id=head.id, manager_id=boss))
    while len(people) < shape.people:
        unit, role = rng.choice(all_units)
        roles = [role if role is not Role.decision_maker else Role.influencer]
        extra = rng.random()
        if extra < 0.08:
            roles.append(Role.champion)
        elif extra < 0.12:
            roles.append(Role.blocker)
        person = Person(
            id=f"{account_id}-p{len(people):04d}",
            account_id=account_id,
            department_id=unit.id,
            name=_name(rng),
            title=unit.name.removesuffix("部") + rng.choice(MEMBER_TITLES),
            roles=tuple(dict.fromkeys(roles)),
            status="left" if rng.random() < 0.04 else "active",
        )
        people.append(person)
        if unit.id in heads:
            reporting.append(ReportingLine(person_id=person.id, manager_id=heads[unit.id]))

    influences: list[Influence] = []
    for _ in range(max(1, len(people) // 6)):
        a, b = rng.sample(people, 2)
        if not any(i.person_id == a.id and i.target_id == b.id for i in influences):
            opposed = Role.blocker in a.roles or rng.random() < 0.15
            influences.append(
                Influence(person_id=a.id, target_id=b.id, strength=rng.randint(30, 90), sign=-1 if opposed else 1)
            )

    team = rng.sample(contacts, min(len(contacts), rng.randint(2, 5)))
    coverage: list[Coverage] = []
    interactions: list[Interaction] = []
    thin = shape.people <= 10  # small accounts get little attention: that is where the gaps are
    for person in people:
        main_role = next((r for r in person.roles if r in COVER_PROBABILITY), Role.user)
        if rng.random() > COVER_PROBABILITY[main_role] * (0.4 if thin else 1.0):
            continue
        for contact in rng.sample(team, 1 if rng.random() < 0.8 else min(2, len(team))):
            status = _weighted(rng, STATUS_WEIGHTS[main_role])
            prior = {"trusted": 75, "referred": 55, "initial": 35, "competitor": 25, "none": 10}[status]
            since = as_of - timedelta(days=rng.randint(60, 900))
            coverage.append(
                Coverage(
                    contact_id=contact.id,
                    person_id=person.id,
                    status=status,
                    since=since,
                    strength=max(5, min(100, prior + rng.randint(-20, 20))),
                    referred_by=f"{rng.choice(['行业协会', '合作伙伴', '老客户'])}{_name(rng)}"
                    if status is RelationshipStatus.referred
                    else None,
                )
            )
            # Recent, frequent contact for healthy links; a cold tail for some.
            cold = rng.random() < 0.2
            for _ in range(rng.randint(0, 2) if cold else rng.randint(2, 7)):
                ago = rng.randint(120, 500) if cold else int(rng.expovariate(1 / 45))
                on = max(since, as_of - timedelta(days=ago))
                channel = _weighted(rng, CHANNEL_WEIGHTS)
                interaction_id = f"{account_id}-i{len(interactions):05d}"
                others = (
                    [p.id for p in rng.sample(people, min(2, len(people))) if p.id != person.id]
                    if channel is Channel.meeting
                    else []
                )
                interactions.append(
                    Interaction(
                        id=interaction_id,
                        account_id=account_id,
                        on=on,
                        channel=channel,
                        summary=rng.choice(SUMMARIES[channel]),
                        person_ids=(person.id, *others[:1]),
                        contact_ids=(contact.id,),
                    )
                )
    return account, departments, people, coverage, reporting, influences, interactions


def _with_archive(account: Account, coverage: list[Coverage], rng: random.Random, as_of: date) -> Account:
    """The archive's fields (客户关系信息管理表), from a random stream of their own so that adding them left
    the rest of every generated portfolio as it was."""
    customer_type = _weighted(rng, [(CustomerType.existing, 5), (CustomerType.new, 2), (CustomerType.potential, 2),
                                    (CustomerType.lost, 1)])  # fmt: skip
    stage = {
        CustomerType.existing: _weighted(rng, [(Stage.active, 8), (Stage.paused, 1)]),
        CustomerType.new: _weighted(rng, [(Stage.active, 2), (Stage.negotiating, 1)]),
        CustomerType.potential: Stage.negotiating,
        CustomerType.lost: Stage.terminated,
    }[customer_type]
    dealing = customer_type in (CustomerType.existing, CustomerType.new)
    revenue = round(rng.lognormvariate(3.0, 0.9), 1) if dealing else (round(rng.uniform(0, 4), 1) if customer_type
                                                                      is CustomerType.lost else 0.0)  # fmt: skip
    owners = Counter(c.contact_id for c in coverage).most_common(1)
    return account.model_copy(
        update={
            "customer_type": customer_type,
            "stage": stage,
            "lifecycle": Lifecycle.churn if customer_type is CustomerType.lost else None,
            "owner_id": owners[0][0] if owners else None,
            "intent": _weighted(rng, [(Intent.high, 2), (Intent.medium, 3), (Intent.low, 2)]),
            "revenue_12m": revenue,
            "first_deal_on": as_of - timedelta(days=rng.randint(60, 2400))
            if customer_type is not CustomerType.potential
            else None,
            "last_inquiry_on": as_of - timedelta(days=rng.randint(1, 400)) if rng.random() < 0.4 else None,
            "renewal_intent": None if customer_type is CustomerType.potential else rng.random() < 0.7,
        }
    )


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    values = [value for value, _ in options]
    return rng.choices(values, weights=[weight for _, weight in options])[0]


def _industry_code(industry: str) -> str:
    return {"智能制造": "MF", "金融": "FI", "医疗": "MD", "零售": "RT", "能源": "EN", "物流": "LG", "教育": "ED"}.get(
        industry, hashlib.sha256(industry.encode()).hexdigest()[:2].upper()
    )


def mapping_table_rows(portfolio: Portfolio) -> Iterator[tuple[Account, list[list[str]]]]:
    """Each account as the template's table (header block, header, rows), a row per person and contact."""
    departments = {d.id: d for d in portfolio.departments}
    contacts = {c.id: c for c in portfolio.contacts}
    by_person: dict[str, list[Coverage]] = {}
    for cover in portfolio.coverage:
        by_person.setdefault(cover.person_id, []).append(cover)
    latest: dict[str, Interaction] = {}
    for i in portfolio.interactions:
        for pid in i.person_ids:
            if i.on and (pid not in latest or (latest[pid].on or date.min) < i.on):
                latest[pid] = i
    people_by_account: dict[str, list[Person]] = {}
    for p in portfolio.people:
        people_by_account.setdefault(p.account_id, []).append(p)
    # A table knows people and our contacts by name and title alone: namesakes get a number, as people
    # keeping such tables write them (王伟（2）), or the import would take them for one person.
    contact_names = _numbered_namesakes((c.id, (c.title or "") + c.name) for c in portfolio.contacts)
    for account in portfolio.accounts:
        people_names = _numbered_namesakes((p.id, f"{p.name}/{p.title}") for p in people_by_account.get(account.id, []))
        rows = [
            ["客户名称", "客户所属行业", "映射目标", "更新日期", "客户编号"],  # generated names may repeat; ids do not
            [
                account.name,
                account.industry or "",
                account.mapping_goal or "",
                account.updated_on.isoformat() if account.updated_on else "",
                account.id,
            ],
            ["部门", "角色姓名", "职位", "角色类型", "关系状态", "我方对接人", "关键互动记录", "下一步行动"],
        ]
        for person in people_by_account.get(account.id, []):
            path = []
            department: Department | None = departments[person.department_id]
            while department is not None:
                path.append(department.name)
                department = departments.get(department.parent_id or "")
            last = latest.get(person.id)
            key = f"{last.on.isoformat()} {last.summary}" if last and last.on else ""
            roles = "、".join(r.zh for r in person.roles)
            links: Sequence[Coverage | None] = by_person.get(person.id) or [None]
            for link in links:
                contact = contacts[link.contact_id] if link else None
                rows.append(
                    [
                        "/".join(reversed(path)),
                        person.name + people_names[person.id],
                        person.title or "",
                        roles,
                        link.status.zh if link else RelationshipStatus.none.zh,
                        f"{contact.title or ''}{contact.name}{contact_names[contact.id]}" if contact else "-",
                        key,
                        "",
                    ]
                )
        yield account, rows


def _numbered_namesakes(identities: Iterable[tuple[str, str]]) -> dict[str, str]:
    """For each id, the suffix that tells it from earlier records of the same identity ("" for the first)."""
    seen: Counter[str] = Counter()
    suffixes = {}
    for record_id, identity in identities:
        seen[identity] += 1
        suffixes[record_id] = f"（{seen[identity]}）" if seen[identity] > 1 else ""
    return suffixes


def write_mapping_tables(portfolio: Portfolio, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for account, rows in mapping_table_rows(portfolio):
        path = folder / f"{account.id}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--people-per-account", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write the Portfolio as JSON here")
    parser.add_argument("--tables", type=Path, help="write one mapping-table CSV per account into this folder")
    parser.add_argument("--sample", action="store_true", help=f"rewrite {SAMPLE_PATH}")
    args = parser.parse_args()
    if args.sample:
        SAMPLE_PATH.write_text(sample_portfolio().model_dump_json(indent=1) + "\n", encoding="utf-8")
        return
    portfolio = generate_portfolio(args.accounts, args.seed, people_per_account=args.people_per_account)
    if args.out:
        args.out.write_text(portfolio.model_dump_json(), encoding="utf-8")
    if args.tables:
        write_mapping_tables(portfolio, args.tables)


if __name__ == "__main__":
    main()
