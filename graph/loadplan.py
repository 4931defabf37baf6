"""What a load sends: the steps of one write transaction, from the dataset and what is stored.

A full build (``--reset``, or a store holding none of rnkg's rows) writes every row: through
the engine's bulk path where it has one (graph/bulk.py), else with CREATE batches. A reload
compares each row's content hash (``_hash``, loaders/pipeline.py) with the stored one and
sends only new rows (CREATE), changed rows (MERGE on the key) and the removal of rows a load
of the same scope wrote that the facts no longer hold (a fact-folder load, scope ``facts``,
never removes what ``rnkg import`` wrote, and an import removes nothing). Rows without a
stored hash were not written by a load (``rnkg query --write``, another tool): they are spared,
unless the facts hold their key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any

from rnkg.graph.dialect import Dialect

if TYPE_CHECKING:
    from rnkg.loaders.pipeline import Dataset
    from rnkg.schema.model import GraphSchema

Step = tuple[str, dict[str, Any]]
Stored = dict[str, dict[str, str | None]]
"""Per table (node label or relationship type): key (id or rid) -> stored hash, or None."""


@dataclass
class Changes:
    """Rows a load adds, changes and removes (nodes and relationships together)."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    per_table: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def note(self, table: str, added: int, changed: int, removed: int) -> None:
        """Count one table's part."""
        a, c, r = self.per_table.get(table, (0, 0, 0))
        self.per_table[table] = (a + added, c + changed, r + removed)
        self.added += added
        self.changed += changed
        self.removed += removed


def batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of at most ``size`` rows, drawn from ``rows`` as they are needed.

    >>> [len(b) for b in batches(iter(range(5)), 2)]
    [2, 2, 1]
    """
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def is_empty(stored: Stored) -> bool:
    """Whether the store holds no row of rnkg's tables (a first load is a full build)."""
    return not any(stored.values())


def diff(hashes: dict[str, str], stored: dict[str, str | None], prune: str | None = None
         ) -> tuple[set[str], set[str], list[str]]:
    """New keys, changed keys, and the stored keys no longer held that a load of scope
    ``prune`` wrote (their hash starts with ``prune:``; none when ``prune`` is None).

    A table whose hashes equal the stored ones (the usual reload) is one dict comparison;
    else the keys whose hash differs are found in one pass and split into new and changed.

    >>> new, changed, gone = diff({"a": "f:1", "b": "f:2", "c": "f:3"},
    ...     {"a": "f:1", "b": "f:x", "d": "f:4", "e": None, "g": "ftm:5"}, prune="f")
    >>> sorted(new), sorted(changed), gone
    (['c'], ['b'], ['d'])
    >>> diff({"a": "f:1"}, {"a": "f:1"}, prune="f")
    (set(), set(), [])
    """
    if hashes == stored:
        return set(), set(), []
    get = stored.get
    differ = [k for k, h in hashes.items() if get(k) != h]
    new = {k for k in differ if k not in stored}
    changed = set(differ).difference(new)
    mine = None if prune is None else f"{prune}:"
    gone = [] if mine is None or len(stored) == len(hashes) - len(new) else sorted(
        k for k, h in stored.items() if h is not None and h.startswith(mine) and k not in hashes)
    return new, changed, gone


def _split(rows: list[dict[str, Any]], key: str, new: set[str]
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [r for r in rows if r[key] in new], [r for r in rows if r[key] not in new]


def reload_steps(schema: GraphSchema, dataset: Dataset, dialect: Dialect, size: int,
                 stored: Stored, changes: Changes) -> Iterator[Step]:
    """The steps of a load into a store that holds ``stored``: removals first (of rows of the
    dataset's scope, when it prunes), then nodes, then relationships; rows are built only for
    what differs from the store."""
    # A folder with no facts removes nothing (as before change detection: an empty folder
    # loads nothing; `--reset` refuses it unless --allow-empty).
    prune = dataset.scope if dataset.prune and dataset.nodes else None
    node_plans = []
    for label in schema.nodes:
        new, changed, gone = diff(dataset.node_hashes(label), stored.get(label, {}), prune)
        node_plans.append((label, new, changed, gone))
    rel_plans = []
    for rel_type, rt in schema.relationships.items():
        held = stored.get(rel_type, {})
        everything: dict[str, str] = {}
        for a, b in rt.endpoints:  # the rids of a type are unique across its end pairs
            pair_hashes = dataset.rel_hashes(rel_type, a, b)
            if everything:
                everything.update(pair_hashes)
            else:
                everything = pair_hashes
        new, changed, gone = diff(everything, held, prune)
        rel_plans.append((rel_type, new, changed))
        changes.note(rel_type, len(new), len(changed), len(gone))
        for ids in batches(gone, size):
            yield dialect.delete_rels(rel_type), {"rids": ids}
    for label, new, changed, gone in node_plans:
        changes.note(label, len(new), len(changed), len(gone))
        for ids in batches(gone, size):
            yield dialect.delete_nodes(label), {"ids": ids}
    for label, new, changed, _ in node_plans:
        if not new and not changed:
            continue
        created, updated = _split(dataset.node_rows(label, new | changed), "id", new)
        for statement, rows in ((dialect.create_nodes(schema, label), created),
                                (dialect.upsert_nodes(schema, label), updated)):
            for batch in batches(rows, size):
                yield statement, {"rows": batch}
    for rel_type, new, changed in rel_plans:
        if not new and not changed:
            continue
        for a, b in schema.relationships[rel_type].endpoints:
            rows = dataset.rel_rows(rel_type, a, b, new | changed)
            created, updated = _split(rows, "rid", new)
            for make, part in ((dialect.create_rels, created), (dialect.upsert_rels, updated)):
                if part:
                    statement = make(schema, rel_type, a, b)
                    for batch in batches(part, size):
                        yield statement, {"rows": batch}


def full_steps(schema: GraphSchema, dataset: Dataset, dialect: Dialect, size: int,
               changes: Changes) -> Iterator[Step]:
    """Every row with CREATE batches (a store with nothing of rnkg's), nodes first; rows are
    built a batch at a time."""
    for label in schema.nodes:
        changes.note(label, dataset.node_count(label), 0, 0)
        statement = dialect.create_nodes(schema, label)
        for batch in batches(dataset.iter_node_rows(label), size):
            yield statement, {"rows": batch}
    for rel_type, rt in schema.relationships.items():
        for a, b in rt.endpoints:
            changes.note(rel_type, dataset.rel_count(rel_type, a, b), 0, 0)
            statement = dialect.create_rels(schema, rel_type, a, b)
            for batch in batches(dataset.iter_rel_rows(rel_type, a, b), size):
                yield statement, {"rows": batch}
