r"""Cypher for loading, built from the schema: labels and types only from it, values only as
parameters. One builder serves both engines; a dialect says how a parameter is typed.

>>> from rnkg.schema import load_schema
>>> s = load_schema()
>>> print(upsert_rels(s, "SIGNED", "Person", "Agreement", NEO4J).replace(", ", ",\n  "))
UNWIND $rows AS row MATCH (a:Person {id: row.from}) MATCH (b:Agreement {id: row.to}) MERGE (a)-[r:SIGNED {rid: row.rid}]->(b) SET r.status = row.status,
  r.status_by = row.status_by,
  r.date_from = date(row.date_from),
  r.date_to = date(row.date_to),
  r.date_precision = row.date_precision,
  r.date_text = row.date_text,
  r.cite_sources = row.cite_sources,
  r.cite_quotes = row.cite_quotes,
  r.cite_sections = row.cite_sections,
  r.note = row.note,
  r.capacity = row.capacity
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rnkg.schema.ddl import LADYBUG_TYPES
from rnkg.schema.model import REL_KEY, GraphSchema


@dataclass(frozen=True)
class Dialect:
    """How an engine wants a parameter value typed in a SET clause."""

    name: str

    def typed(self, typ: str, expr: str) -> str:
        """An expression that gives ``expr`` the stored type ``typ``."""
        if self.name == "ladybug":
            # LadybugDB infers a parameter column's type from its values (an all-NULL column
            # is STRING); an explicit cast keeps every batch well typed.
            return f"CAST({expr} AS {LADYBUG_TYPES[typ]})"
        return f"date({expr})" if typ == "date" else expr


LADYBUG = Dialect("ladybug")
NEO4J = Dialect("neo4j")


def _sets(var: str, columns: dict[str, str], skip: set[str], dialect: Dialect) -> str:
    return ", ".join(
        f"{var}.{c} = {dialect.typed(t, f'row.{c}')}" for c, t in columns.items() if c not in skip
    )


def upsert_nodes(schema: GraphSchema, label: str, dialect: Dialect) -> str:
    """MERGE a batch of ``$rows`` of one node type on id and set every column."""
    if label not in schema.nodes:
        raise KeyError(label)
    sets = _sets("n", schema.node_columns(label), {"id"}, dialect)
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET {sets}"


def upsert_rels(
    schema: GraphSchema, rel_type: str, from_label: str, to_label: str, dialect: Dialect
) -> str:
    """MERGE a batch of ``$rows`` of one relationship type between two node types, on rid."""
    rt = schema.relationships[rel_type]
    if (from_label, to_label) not in rt.endpoints:
        raise KeyError((rel_type, from_label, to_label))
    sets = _sets("r", schema.rel_columns(rel_type), {REL_KEY}, dialect)
    # Two MATCH clauses, never "MATCH (a), (b)": LadybugDB plans the comma form as a
    # cross product of two scans.
    return (
        f"UNWIND $rows AS row MATCH (a:{from_label} {{id: row.from}}) "
        f"MATCH (b:{to_label} {{id: row.to}}) "
        f"MERGE (a)-[r:{rel_type} {{{REL_KEY}: row.{REL_KEY}}}]->(b) SET {sets}"
    )


def batches(rows: list, size: int) -> list[list]:
    """Split rows into batches of at most ``size``.

    >>> [len(b) for b in batches(list(range(5)), 2)]
    [2, 2, 1]
    """
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def load_steps(
    schema: GraphSchema, dataset: Any, dialect: Dialect, size: int
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Every (statement, rows) batch of a load, nodes first, in a stable order."""
    for label in schema.nodes:
        rows = dataset.node_rows(label)
        if rows:
            statement = upsert_nodes(schema, label, dialect)
            for batch in batches(rows, size):
                yield statement, batch
    for rel_type, rt in schema.relationships.items():
        for from_label, to_label in rt.endpoints:
            rows = dataset.rel_rows(rel_type, from_label, to_label)
            if rows:
                statement = upsert_rels(schema, rel_type, from_label, to_label, dialect)
                for batch in batches(rows, size):
                    yield statement, batch
