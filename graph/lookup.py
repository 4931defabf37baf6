"""Finding entities by id, name or alias, and reading a node's neighbourhood, on any backend.

The Cypher is the backend's dialect's (graph/dialect.py): the subset both engines read alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import networkx as nx

from rnkg.errors import Ambiguous, NotFound, QueryError
from rnkg.graph.backend import Backend
from rnkg.graph.nx import add_node, add_rel
from rnkg.graph.timeline import FactFilter
from rnkg.graph.values import GNode, GRel
from rnkg.schema.values import fold

MAX_CANDIDATES = 12
MAX_NEIGHBOUR_HOPS = 6
_IMO = re.compile(r"(?:IMO[\s:]*)?(\d{7})", re.IGNORECASE)


def resolve_entity(backend: Backend, text: str) -> GNode:
    """The one node an id, name, alias or IMO number names, case- and accent-insensitively.

    Tries an exact id, then an IMO number (``9358010`` or ``IMO 9358010``), then a whole
    folded name or alias, then a folded substring.
    """
    dialect = backend.dialect
    by_id = backend.query(dialect.node_by_id, {"id": text.strip()})
    if by_id.rows:
        return by_id.rows[0][0]
    imo = _IMO.fullmatch(text.strip())
    if imo:
        vessels = [row[0] for row in backend.query(dialect.node_by_imo, {"imo": imo[1]}).rows]
        if len(vessels) == 1:
            return vessels[0]
    key = fold(text)
    if not key:
        raise NotFound(f"no entity named {text!r}")
    for cypher in (dialect.node_by_key, dialect.node_by_key_part):
        found = [row[0] for row in backend.query(cypher, {"key": key}).rows]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise Ambiguous(text, found[:MAX_CANDIDATES])
    raise NotFound(f"no entity named {text!r} (try `rnkg query` with a CONTAINS filter)")


@dataclass(frozen=True)
class Neighbour:
    """One relationship of a node, seen from that node."""

    direction: str  # "out" or "in"
    relationship: GRel
    node: GNode


def neighbourhood(
    backend: Backend, node_id: str, *, as_of: str | date | None = None,
    known_by: str | date | None = None,
) -> list[Neighbour]:
    """Every relationship of a node with the node at its other end, in a stable order; as of
    a day and/or known by a day when given (graph/timeline.py)."""
    filt = FactFilter.build(backend, as_of=as_of, known_by=known_by)
    cypher = (backend.dialect.filtered_neighbourhood(filt) if filt.active
              else backend.dialect.neighbourhood)
    result = backend.query(cypher, {"id": node_id, **filt.params(backend.schema)})
    out = [
        Neighbour("out" if rel.start == node_id else "in", rel, node)
        for rel, node in result.rows
    ]
    return sorted(out, key=lambda n: (n.relationship.type, n.direction, n.node.id,
                                      n.relationship.properties.get("rid", "")))


def neighbourhood_graph(
    backend: Backend, node_id: str, *, hops: int = 1, types: Sequence[str] = (),
    as_of: str | date | None = None, known_by: str | date | None = None,
) -> nx.MultiDiGraph:
    """The nodes within ``hops`` hops of a node (either direction) and the relationships among
    them that were walked, through relationships of ``types`` (all when empty) and the facts
    kept as of / known by a day; one engine query per hop."""
    if isinstance(hops, bool) or not isinstance(hops, int) or not 1 <= hops <= MAX_NEIGHBOUR_HOPS:
        raise QueryError(f"--hops must be a whole number from 1 to {MAX_NEIGHBOUR_HOPS}")
    filt = FactFilter.build(backend, as_of=as_of, known_by=known_by, rel_types=types)
    centre = backend.query(backend.dialect.node_by_id, {"id": node_id}).rows
    if not centre:
        raise NotFound(f"no entity {node_id!r}")
    node = centre[0][0]
    g = nx.MultiDiGraph()
    add_node(g, node)
    if not filt.node_ok(backend.schema, node.labels[0], {**node.properties, "id": node.id}):
        return g
    cypher = backend.dialect.filtered_neighbourhood(filt, frontier=True)
    params = filt.params(backend.schema)
    frontier = [node_id]
    for _ in range(hops):
        rows = backend.query(cypher, {"ids": frontier, **params}).rows
        new: set[str] = set()
        for _, rel, other in rows:
            if other.id not in g:
                add_node(g, other)
                new.add(other.id)
            if not any(a.get("rid") == rel.properties.get("rid")
                       for a in g.get_edge_data(rel.start, rel.end, default={}).values()):
                add_rel(g, rel)
        frontier = sorted(new)
        if not frontier:
            break
    return g
