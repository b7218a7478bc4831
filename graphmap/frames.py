"""pandas DataFrames for analysts (分析数据表): the library's results as frames with proper dtypes.

Frames take results (models), never the store; graphmap.workbench fetches the results and calls these.
Conventions, the same in every frame:
- ids and text are pandas "string"; dates are datetime64[ns] (moments in UTC); counts int64, scores and
  other numbers that may be missing Int64 / float64; yes-no answers bool ("boolean" where unknown is possible);
- a vocabulary column (status, tier, channel, ...) holds the stable keys as a categorical, beside two
  categoricals with the labels: `status_zh` (关系状态的中文) and `status_en`. Filter on keys, show labels;
- a list of vocabulary keys (roles, reasons) stays a list of keys; `roles_zh` / `roles_en` join the
  labels, and `roles_<key>` says for each key whether it is in the list (roles_decision_maker, ...);
- key columns are named for what they identify (account_id, person_id, contact_id), so frames merge.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeGuard, get_args, get_origin

import pandas as pd
from pydantic import BaseModel

from graphmap.analysis.actions import NextAction
from graphmap.analysis.coverage import AccountCoverage, DepartmentCoverage
from graphmap.analysis.followups import FollowUp
from graphmap.analysis.gaps import AccountStanding, GapReport, PlanProgress, UncoveredStakeholder, WeakLink
from graphmap.analysis.influence import HiddenInfluencer
from graphmap.analysis.lifecycle import AccountLifecycle
from graphmap.analysis.paths import WarmPath
from graphmap.analysis.review import Movement, Review
from graphmap.analysis.segments import Segment
from graphmap.analysis.spof import AccountRisk, LostStakeholder
from graphmap.analysis.strength import LinkStrength
from graphmap.analysis.tasks import TaskItem
from graphmap.analysis.whatif import WhatIf
from graphmap.changelog import Change
from graphmap.errors import Invalid
from graphmap.graph import AccountNetwork, AccountSummary, ContactSummary
from graphmap.model import DepartmentLevel, Interaction, Person, Vocabulary, unwrapped

if TYPE_CHECKING:
    import networkx

LIST_SEPARATOR = {"zh": "、", "en": ", "}


def accounts(summaries: Sequence[AccountSummary]) -> pd.DataFrame:
    """One row per account: the archive fields, with its people and the contacts who cover them."""
    return frame_of(summaries, AccountSummary).rename(columns={"id": "account_id", "name": "account_name"})


def stakeholders(networks: Iterable[AccountNetwork]) -> pd.DataFrame:
    """One row per stakeholder (people who left included, see `status`), with department and our links."""
    fields = {
        "account_id": str,
        "account_name": str,
        "person_id": str,
        **_fields(Person, exclude={"id", "account_id", "email_key"}),
        "department": str,
        "department_level": DepartmentLevel,
        "links": int,
    }
    rows = []
    for network in networks:
        departments = {d.id: d for d in network.departments}
        links: dict[str, int] = {}
        for link in network.coverage:
            links[link.person_id] = links.get(link.person_id, 0) + 1
        for person in network.people:
            department = departments[person.department_id]
            rows.append(
                vars(person)
                | {
                    "account_name": network.account.name,
                    "person_id": person.id,
                    "department": department.name,
                    "department_level": department.level,
                    "links": links.get(person.id, 0),
                }
            )
    return frame(rows, fields)


def contacts(summaries: Sequence[ContactSummary]) -> pd.DataFrame:
    """Our own people (我方对接人), with how many stakeholders and accounts each covers."""
    return frame_of(summaries, ContactSummary).rename(columns={"id": "contact_id"})


def coverage(items: Sequence[AccountCoverage]) -> pd.DataFrame:
    """One row per account: buying-committee completeness and the weighted coverage score."""
    return frame_of(items, AccountCoverage, exclude={"departments"})


def department_coverage(items: Sequence[AccountCoverage]) -> pd.DataFrame:
    """One row per department: its own coverage and that of its subtree (HQ > branch > department)."""
    fields = {"account_id": str, "account_name": str, **_fields(DepartmentCoverage)}
    rows = [
        vars(department) | {"account_id": item.account_id, "account_name": item.account_name}
        for item in items
        for department in item.departments
    ]
    return frame(rows, fields)


def gaps(report: GapReport) -> pd.DataFrame:
    """Every uncovered stakeholder, decision-makers first (`roles_decision_maker` picks them out)."""
    return frame_of(report.uncovered, UncoveredStakeholder)


def plan(progress: Sequence[PlanProgress]) -> pd.DataFrame:
    """One row per target of the account plans: what is planned (status, band, due), the owner's link now
    (status_now, strength_now, band_now) and its state (met, open, overdue, left), what to act on first."""
    return frame_of(progress, PlanProgress)


def tasks(items: Sequence[TaskItem]) -> pd.DataFrame:
    """One row per task: what, whose, about whom, by when, its state (and an introduction's outcome)."""
    return frame_of(items, TaskItem)


def standings(report: GapReport) -> pd.DataFrame:
    """One row per account, most exposed first: score, its change over `trend_days`, the gap counts."""
    return frame(
        [vars(s) | {"trend": s.trend} for s in report.accounts], _fields(AccountStanding) | {"trend": int | None}
    )


def review(answer: Review) -> pd.DataFrame:
    """One row per movement of the weekly review, with its account's standing (an account where nothing
    moved has no row: `standings` of the gap report lists every account)."""
    fields = {"account_id": str, "account_name": str, "risk": int, **_fields(Movement)}
    rows = [
        vars(m) | {"account_id": a.standing.account_id, "account_name": a.standing.account_name,
                   "risk": a.standing.risk}
        for a in answer.accounts
        for m in a.movements
    ]  # fmt: skip
    return frame(rows, fields)


def what_if(answers: Sequence[WhatIf]) -> pd.DataFrame:
    """One row per consequence of someone leaving: `consequence` is loses_all_coverage,
    newly_uncovered_decision_maker or broken_path (`path_after`: the best path left, missing when none),
    each with the account's coverage score before and after."""
    fields = {"account_id": str, "account_name": str, "leaving_id": str, "leaving_name": str, "side": str,
              "score_before": int | None, "score_after": int | None, "consequence": str, "person_id": str,
              "person_name": str, "person_title": str | None, "path_before": str | None,
              "path_after": str | None}  # fmt: skip
    rows = []
    for a in answers:
        common = {"account_id": a.account_id, "account_name": a.account_name, "leaving_id": a.leaving.id,
                  "leaving_name": a.leaving.name, "side": a.side, "score_before": a.score_before,
                  "score_after": a.score_after}  # fmt: skip
        rows += [common | {"consequence": "loses_all_coverage", "person_id": p.id, "person_name": p.name,
                           "person_title": p.title} for p in a.loses_all_coverage]  # fmt: skip
        rows += [common | {"consequence": "newly_uncovered_decision_maker", "person_id": u.person_id,
                           "person_name": u.name, "person_title": u.title}
                 for u in a.newly_uncovered_decision_makers]  # fmt: skip
        rows += [common | {"consequence": "broken_path", "person_id": b.person.id, "person_name": b.person.name,
                           "person_title": b.person.title, "path_before": b.before.explanation_en,
                           "path_after": b.after.explanation_en if b.after else None}
                 for b in a.broken_paths]  # fmt: skip
    return frame(rows, fields)


def weak_links(report: GapReport) -> pd.DataFrame:
    return frame_of(report.weak_links, WeakLink)


def strength(links: Sequence[LinkStrength]) -> pd.DataFrame:
    """One row per COVERS link: score 0-100 (missing when never contacted), band and trend."""
    return frame_of(links, LinkStrength)


def interactions(networks: Iterable[AccountNetwork]) -> pd.DataFrame:
    """One row per dated interaction; person_ids and contact_ids list who took part on each side."""
    fields = {"account_name": str, **_fields(Interaction)}
    rows = [vars(i) | {"account_name": network.account.name} for network in networks for i in network.interactions]
    return frame(rows, fields).rename(columns={"id": "interaction_id"})


def single_points(risks: Sequence[AccountRisk]) -> pd.DataFrame:
    """One row per account: who it depends on (ids, names, shares) and how many critical people it has."""
    fields = {
        **_fields(AccountRisk, exclude={"top_contact", "top_stakeholder", "sole_covered_stakeholder", "exposures",
                                        "critical_people"}),
        "top_contact_id": str, "top_contact_name": str, "top_contact_share": float,
        "top_stakeholder_id": str, "top_stakeholder_name": str, "top_stakeholder_share": float,
        "sole_covered_stakeholder_id": str, "critical_people": int, "stakeholders_with_one_contact": int,
    }  # fmt: skip
    rows = []
    for risk in risks:
        row = vars(risk) | {
            "critical_people": len(risk.critical_people),
            "stakeholders_with_one_contact": sum(len(e.stakeholders_lost) for e in risk.exposures),
            "sole_covered_stakeholder_id": risk.sole_covered_stakeholder.id if risk.sole_covered_stakeholder else None,
        }
        for side in ("top_contact", "top_stakeholder"):
            dependency = getattr(risk, side)
            if dependency is not None:
                row |= {f"{side}_id": dependency.person.id, f"{side}_name": dependency.person.name,
                        f"{side}_share": dependency.share}  # fmt: skip
        rows.append(row)
    return frame(rows, fields)


def coverage_lost(items: Sequence[LostStakeholder]) -> pd.DataFrame:
    return frame_of(items, LostStakeholder)


def influencers(items: Sequence[HiddenInfluencer]) -> pd.DataFrame:
    return frame_of(items, HiddenInfluencer)


def actions(items: Sequence[NextAction]) -> pd.DataFrame:
    """One row per suggested action; `path_contact_id` is who can introduce us, when a warm path was found."""
    fields = {**_fields(NextAction, exclude={"path"}), "path_contact_id": str}
    return frame([vars(a) | {"path_contact_id": a.path.contact_id if a.path else None} for a in items], fields)


def segments(items: Sequence[Segment]) -> pd.DataFrame:
    return frame_of(items, Segment)


def follow_ups(items: Sequence[FollowUp]) -> pd.DataFrame:
    return frame_of(items, FollowUp)


def lifecycle(items: Sequence[AccountLifecycle]) -> pd.DataFrame:
    return frame_of(items, AccountLifecycle)


def changes(items: Sequence[Change]) -> pd.DataFrame:
    return frame_of(items, Change).rename(columns={"id": "change_id"})


def warm_paths(paths: Sequence[WarmPath]) -> pd.DataFrame:
    """One row per path, best first; `route` lists the ids from our contact to the target."""
    fields = {"rank": int, **_fields(WarmPath, exclude={"steps"}), "route": list[str]}
    rows = [
        vars(path) | {"rank": rank, "route": [path.contact_id, *(step.to_id for step in path.steps)]}
        for rank, path in enumerate(paths, start=1)
    ]
    return frame(rows, fields)


def to_networkx(networks: AccountNetwork | Iterable[AccountNetwork]) -> "networkx.MultiDiGraph":
    """The account (or the portfolio) as a networkx MultiDiGraph carrying every property.

    Nodes are keyed by id, with `label` (Account, Department, Person, Contact, Interaction) and the
    record's fields; edges are keyed by relationship type (PART_OF, WORKS_IN, REPORTS_TO, INFLUENCES,
    COVERS, WITH) and carry theirs, in the directions of docs/schema.md.
    """
    try:
        import networkx
    except ImportError as error:
        raise Invalid("to_networkx needs networkx: pip install 'graphmap[notebooks]'") from error
    graph = networkx.MultiDiGraph()
    labels: dict[str, str] = {}

    def node(label: str, record: BaseModel, *exclude: str) -> None:
        node_id = record.id  # type: ignore[attr-defined]
        if labels.setdefault(node_id, label) != label:
            raise Invalid(f"id {node_id!r} names both a {labels[node_id]} and a {label}; networkx keys must differ")
        graph.add_node(node_id, label=label, **record.model_dump(exclude=set(exclude)))

    for network in [networks] if isinstance(networks, AccountNetwork) else networks:
        node("Account", network.account)
        for department in network.departments:
            node("Department", department, "parent_id")
            graph.add_edge(department.id, department.parent_id or network.account.id, key="PART_OF")
        for person in network.people:
            node("Person", person, "department_id")
            graph.add_edge(person.id, person.department_id, key="WORKS_IN")
        for contact in network.contacts:
            node("Contact", contact)
        for link in network.coverage:
            graph.add_edge(
                link.contact_id, link.person_id, key="COVERS", **link.model_dump(exclude={"contact_id", "person_id"})
            )
        for owner in network.owners:
            if owner.id not in graph:
                node("Contact", owner)
        for target in network.plan_targets:
            graph.add_edge(target.contact_id, target.person_id, key="PLANS",
                           **target.model_dump(exclude={"contact_id", "person_id"}))  # fmt: skip
        for line in network.reporting_lines:
            graph.add_edge(line.person_id, line.manager_id, key="REPORTS_TO")
        for influence in network.influences:
            graph.add_edge(
                influence.person_id,
                influence.target_id,
                key="INFLUENCES",
                strength=influence.strength,
                sign=influence.sign,
            )
        for interaction in network.interactions:
            node("Interaction", interaction, "person_ids", "contact_ids")
            for other in (*interaction.person_ids, *interaction.contact_ids):
                graph.add_edge(interaction.id, other, key="WITH")
    return graph


def frame_of(items: Sequence[BaseModel], model: type[BaseModel], exclude: set[str] | None = None) -> pd.DataFrame:
    """A frame of these models, one column per field (see the conventions above), typed even when empty."""
    return frame([vars(item) for item in items], _fields(model, exclude or set()))


def frame(rows: Sequence[Mapping[str, Any]], fields: Mapping[str, Any]) -> pd.DataFrame:
    """A frame of these rows: `fields` maps each column to its Python type, which decides the dtype."""
    columns: dict[str, Any] = {}
    for name, annotation in fields.items():
        columns |= _columns(name, annotation, [row.get(name) for row in rows])
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))


def _fields(model: type[BaseModel], exclude: set[str] | None = None) -> dict[str, Any]:
    return {name: field.annotation for name, field in model.model_fields.items() if name not in (exclude or set())}


def _columns(name: str, annotation: Any, values: list[Any]) -> dict[str, Any]:
    kind, optional = unwrapped(annotation)
    item = unwrapped(get_args(kind)[0])[0] if get_origin(kind) in (list, tuple) else None
    if _is_vocabulary(kind):
        return {name: _categorical(kind, values, "value")} | {
            f"{name}_{language}": _categorical(kind, values, language) for language in ("zh", "en")
        }
    if _is_vocabulary(item):
        keys = [None if value is None else [member.value for member in value] for value in values]
        labels = {
            f"{name}_{language}": pd.array(
                [LIST_SEPARATOR[language].join(getattr(m, language) for m in value or ()) for value in values],
                dtype="string",
            )
            for language in ("zh", "en")
        }
        flags = {
            f"{name}_{member.value}": pd.array([member.value in (k or ()) for k in keys], dtype=bool) for member in item
        }
        return {name: pd.Series(keys, dtype=object)} | labels | flags
    if item is not None:
        return {name: pd.Series([list(value) if value is not None else None for value in values], dtype=object)}
    if kind is datetime:  # moments in UTC, without a zone, like every other datetime64 column here
        return {
            name: pd.to_datetime(pd.Series(values, dtype=object), utc=True)
            .dt.tz_localize(None)
            .astype("datetime64[ns]")
        }
    if kind is date:
        return {name: pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]")}
    if kind is bool:
        return {name: pd.array(values, dtype="boolean" if optional else bool)}
    if kind is int:
        return {name: pd.array(values, dtype="Int64" if optional else "int64")}
    if kind is float:
        return {name: pd.array([float("nan") if v is None else v for v in values], dtype="float64")}
    if kind is str:
        return {name: pd.array(values, dtype="string")}
    raise TypeError(f"no column type for {name}: {annotation!r}")


def _is_vocabulary(kind: Any) -> TypeGuard[type[Vocabulary]]:
    return isinstance(kind, type) and issubclass(kind, Vocabulary)


def _categorical(vocabulary: type[Vocabulary], values: list[Any], attribute: str) -> pd.Categorical:
    categories = [getattr(member, attribute) for member in vocabulary]
    return pd.Categorical([getattr(v, attribute) if v is not None else None for v in values], categories=categories)
