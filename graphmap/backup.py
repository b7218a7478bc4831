"""The whole graph to one JSON Lines file and back (docs/backup.md): every node, relationship and property,
the change log included.

A backup is deterministic: nodes by label then id, relationships by type, source id, target label and
id, property keys sorted, so restoring it into an empty graph and backing up again gives the same file.
It is written to a temporary name and renamed when complete; its last line counts what it holds, so a
truncated file is refused. A restore reads the file twice: first it checks every line (and that every
relationship joins two nodes the file holds) and writes nothing if one is wrong, then it writes in
batches, nodes before relationships, merging on ids, so a restore cut short converges when run again.
"""

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphmap.errors import GraphmapError, Invalid
from graphmap.io.private import open_private
from graphmap.queries import Q
from graphmap.store import GraphStore

FORMAT = "graphmap-backup"
VERSION = 1
PAGE = 5000  # nodes per read; rows per write

# label -> (dump query, restore query), in the order a backup holds them
NODES: dict[str, tuple[Q, Q]] = {
    "Account": (Q.dump_account_nodes, Q.restore_account_nodes),
    "Department": (Q.dump_department_nodes, Q.restore_department_nodes),
    "Person": (Q.dump_person_nodes, Q.restore_person_nodes),
    "Contact": (Q.dump_contact_nodes, Q.restore_contact_nodes),
    "Interaction": (Q.dump_interaction_nodes, Q.restore_interaction_nodes),
    "Task": (Q.dump_task_nodes, Q.restore_task_nodes),
    "Comment": (Q.dump_comment_nodes, Q.restore_comment_nodes),
    "Change": (Q.dump_change_nodes, Q.restore_change_nodes),
    "Card": (Q.dump_card_nodes, Q.restore_card_nodes),
    # Access control, so that a restore keeps who may see what (docs/api.md)
    "User": (Q.dump_user_nodes, Q.restore_user_nodes),
    "Token": (Q.dump_token_nodes, Q.restore_token_nodes),
    "Grant": (Q.dump_grant_nodes, Q.restore_grant_nodes),
    # What the store remembers for every face: the day the sample is as of (graphmap/asof.py)
    "Setting": (Q.dump_setting_nodes, Q.restore_setting_nodes),
    # The review queue of capture: unmatched addresses, as keyed hashes (docs/capture.md)
    "Unmatched": (Q.dump_unmatched_nodes, Q.restore_unmatched_nodes),
}


@dataclass(frozen=True)
class Relationship:
    type: str
    source: str
    dump: Q
    restore: dict[str, Q]  # target label -> restore query


RELATIONSHIPS = (
    Relationship(
        "PART_OF",
        "Department",
        Q.dump_part_of_relationships,
        {"Account": Q.restore_part_of_account, "Department": Q.restore_part_of_department},
    ),
    Relationship("WORKS_IN", "Person", Q.dump_works_in_relationships, {"Department": Q.restore_works_in}),
    Relationship("REPORTS_TO", "Person", Q.dump_reports_to_relationships, {"Person": Q.restore_reports_to}),
    Relationship("INFLUENCES", "Person", Q.dump_influences_relationships, {"Person": Q.restore_influences}),
    Relationship("COVERS", "Contact", Q.dump_covers_relationships, {"Person": Q.restore_covers}),
    Relationship("PLANS", "Contact", Q.dump_plans_relationships, {"Person": Q.restore_plans}),
    Relationship(
        "WITH",
        "Interaction",
        Q.dump_with_relationships,
        {"Person": Q.restore_with_person, "Contact": Q.restore_with_contact},
    ),
)
BY_TYPE = {r.type: r for r in RELATIONSHIPS}


@dataclass
class BackupCounts:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)


def backup(store: GraphStore, path: Path) -> BackupCounts:
    """Writes the whole graph to `path` (replaced only once the new file is complete; its owner's alone)."""
    counts = BackupCounts()
    partial = path.with_name(path.name + ".partial")
    with open_private(partial, encoding="utf-8") as out:
        out.write(_line({"format": FORMAT, "version": VERSION}))
        for label, (dump, _) in NODES.items():
            counts.nodes[label] = 0
            for row in _pages(store, dump, "id"):
                out.write(_line({"node": label, "id": row["id"], "properties": row["properties"]}))
                counts.nodes[label] += 1
        for relationship in RELATIONSHIPS:
            counts.relationships[relationship.type] = 0
            for line in _relationship_lines(store, relationship):
                out.write(_line(line))
                counts.relationships[relationship.type] += 1
        out.write(_line({"end": True, "nodes": counts.nodes, "relationships": counts.relationships}))
    os.replace(partial, path)
    return counts


def restore(store: GraphStore, path: Path) -> BackupCounts:
    """Loads a backup into the store, merging on ids: into an empty graph it reproduces the backup exactly."""
    counts = check(path)
    nodes: dict[Q, list[dict[str, Any]]] = {restore: [] for _, restore in NODES.values()}
    relationships: dict[Q, list[dict[str, Any]]] = {}

    def write_relationships(query: Q) -> None:
        for node_query, pending in nodes.items():  # every node first: relationships MATCH their ends
            _write(store, node_query, pending)
        _write(store, query, relationships[query])

    for _, entry in _entries(path):
        if "node" in entry:
            query = NODES[entry["node"]][1]
            nodes[query].append({"id": entry["id"], "properties": entry["properties"]})
            if len(nodes[query]) == PAGE:
                _write(store, query, nodes[query])
        elif "relationship" in entry:
            query = BY_TYPE[entry["relationship"]].restore[entry["to"][0]]
            relationships.setdefault(query, []).append(
                {"from_id": entry["from"][1], "to_id": entry["to"][1], "properties": entry["properties"]}
            )
            if len(relationships[query]) == PAGE:
                write_relationships(query)
    for query, pending in [*nodes.items(), *relationships.items()]:  # nodes first, as above
        _write(store, query, pending)
    return counts


def check(path: Path) -> BackupCounts:
    """Reads the whole backup and raises Invalid, naming the file and line, at the first thing wrong."""
    seen: dict[str, set[str]] = {label: set() for label in NODES}
    counted = BackupCounts(dict.fromkeys(NODES, 0), {r.type: 0 for r in RELATIONSHIPS})
    end: dict[str, Any] | None = None
    number = 0

    def wrong(what: str) -> Invalid:
        return Invalid(f"{path}:{number}: {what}")  # the line being read

    for number, entry in _entries(path):
        if end is not None:
            raise wrong("a line after the closing count line")
        if number == 1:
            if entry.get("format") != FORMAT or entry.get("version") != VERSION:
                raise wrong(
                    f'not a graphmap backup: the first line must be {{"format": "{FORMAT}", "version": {VERSION}}}'
                )
            continue
        if "node" in entry:
            label, node_id, properties = entry.get("node"), entry.get("id"), entry.get("properties")
            if label not in NODES:
                raise wrong(f"unknown label {label!r}; expected one of {', '.join(NODES)}")
            if not isinstance(node_id, str) or not node_id:
                raise wrong("a node needs a non-empty string id")
            properties = _check_properties(properties, wrong)
            if properties.get("id") != node_id:
                raise wrong(f"the properties' id {properties.get('id')!r} is not the node's id {node_id!r}")
            if node_id in seen[label]:
                raise wrong(f"{label} {node_id!r} appears twice")
            seen[label].add(node_id)
            counted.nodes[label] += 1
        elif "relationship" in entry:
            relationship = BY_TYPE.get(entry.get("relationship", ""))
            if relationship is None:
                raise wrong(
                    f"unknown relationship type {entry.get('relationship')!r}; expected one of {', '.join(BY_TYPE)}"
                )
            ends = entry.get("from"), entry.get("to")
            if not all(isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e) for e in ends):
                raise wrong('a relationship needs "from" and "to" as [label, id]')
            (source, source_id), (target, target_id) = ends  # type: ignore[misc]
            if source != relationship.source or target not in relationship.restore:
                raise wrong(f"{relationship.type} cannot run from {source} to {target}")
            for label, node_id in ((source, source_id), (target, target_id)):
                if node_id not in seen[label]:
                    raise wrong(f"{relationship.type} refers to {label} {node_id!r}, which this backup does not hold")
            _check_properties(entry.get("properties"), wrong)
            counted.relationships[relationship.type] += 1
        elif entry.get("end") is True:
            end = entry
        else:
            raise wrong('expected a "node", a "relationship" or the closing count line')
    if end is None:
        raise Invalid(f"{path}:{number}: the closing count line is missing: the backup is incomplete")
    if _counts(end.get("nodes"), NODES) != counted.nodes or _counts(end.get("relationships"), BY_TYPE) != (
        counted.relationships
    ):
        raise Invalid(f"{path}:{number}: the closing line counts {end}, the file holds {counted}: incomplete or edited")
    return counted


def _counts(claimed: object, known: Iterable[str]) -> object:
    """A closing line's counts, with the labels and types a backup made before they existed (Task, PLANS)
    does not name counted as none."""
    return dict.fromkeys(known, 0) | claimed if isinstance(claimed, dict) else claimed


def _entries(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with path.open(encoding="utf-8") as lines:
            for number, text in enumerate(lines, start=1):
                try:
                    entry = json.loads(text)
                except json.JSONDecodeError as error:
                    raise Invalid(f"{path}:{number}: not JSON ({error.msg} at column {error.colno})") from None
                if not isinstance(entry, dict):
                    raise Invalid(f"{path}:{number}: expected a JSON object")
                yield number, entry
    except UnicodeDecodeError as error:
        raise Invalid(f"{path}: not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise GraphmapError(f"cannot read {path}: {error.strerror}") from None


def _check_properties(properties: object, wrong: Any) -> dict[str, Any]:
    """Property values as both engines store them: scalars, or lists of scalars of one type."""
    if not isinstance(properties, dict):
        raise wrong('"properties" must be an object')
    for key, value in properties.items():
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str | int | float | bool) for v in items):
            raise wrong(f"property {key!r}: {value!r} is not a scalar or a list of scalars")
        if len({type(v) for v in items}) > 1:
            raise wrong(f"property {key!r}: a list must hold values of one type")
    return properties


def _pages(store: GraphStore, query: Q, key: str) -> Iterator[dict[str, Any]]:
    after = ""
    while True:
        rows = store.read(query, after=after, limit=PAGE)
        if not rows:
            return
        yield from rows
        after = rows[-1][key]


def _relationship_lines(store: GraphStore, relationship: Relationship) -> Iterator[dict[str, Any]]:
    after = ""
    while True:
        rows = store.read(relationship.dump, after=after, limit=PAGE)
        if not rows:
            return
        found = [row for row in rows if row["to_id"] is not None]
        found.sort(key=lambda r: (r["from_id"], sorted(r["to_labels"]), r["to_id"]))
        for row in found:
            (target,) = sorted(row["to_labels"])
            yield {
                "relationship": relationship.type,
                "from": [relationship.source, row["from_id"]],
                "to": [target, row["to_id"]],
                "properties": row["properties"],
            }
        after = max(row["from_id"] for row in rows)


def _write(store: GraphStore, query: Q, batch: list[dict[str, Any]]) -> None:
    if batch:
        store.write(query, rows=batch)
        batch.clear()


def _line(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
