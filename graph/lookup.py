"""Finding entities by id, name, alias or IMO number, and reading a node's neighbourhood, on any
backend.

The Cypher is the backend's dialect's (graph/dialect.py): the subset both engines read alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import networkx as nx

from rnkg.errors import Ambiguous, NotFound, QueryError
from rnkg.graph.backend import Backend
from rnkg.graph.nx import add_node, add_rel
from rnkg.graph.timeline import FactFilter
from rnkg.graph.values import GNode, GRel
from rnkg.schema.values import fold

MAX_CANDIDATES = 12
MAX_NEIGHBOUR_HOPS = 6
_IMO = re.compile(r"(?:imo[\s:#-]*)?(\d{7})", re.IGNORECASE)


def resolve_entity(backend: Backend, text: str) -> GNode:
    """The one node an id, name, alias or IMO number names, case- and accent-insensitively.

    Tries an exact id, an IMO number (``9358010``, ``IMO 9358010``), then a whole folded name
    or alias, then a folded substring. Among substring matches, a Person with the text as whole
    words of a name (a surname: ``Shoigu``) wins when it is the only such Person. Otherwise
    several matches raise :class:`Ambiguous` with every match, closest first
    (:func:`rank_candidates`).
    """
    dialect = backend.dialect
    by_id = backend.query(dialect.node_by_id, {"id": text.strip()})
    if by_id.rows:
        return cast(GNode, by_id.rows[0][0])
    imo = _IMO.fullmatch(text.strip())
    if imo:
        vessels = [row[0] for row in backend.query(dialect.node_by_imo, {"imo": imo[1]}).rows]
        if len(vessels) == 1:
            return cast(GNode, vessels[0])
    key = fold(text)
    if not key:
        raise NotFound(f"no entity named {text!r}")
    exact = [row[0] for row in backend.query(dialect.node_by_key, {"key": key}).rows]
    if len(exact) == 1:
        return cast(GNode, exact[0])
    if len(exact) > 1:
        raise Ambiguous(text, rank_candidates(exact, key), MAX_CANDIDATES)
    found = [row[0] for row in backend.query(dialect.node_by_key_part, {"key": key}).rows]
    if len(found) == 1:
        return cast(GNode, found[0])
    if found:
        people = [n for n in found if n.labels[0] == "Person" and _has_words(n, key)]
        if len(people) == 1:
            return cast(GNode, people[0])
        raise Ambiguous(text, rank_candidates(found, key), MAX_CANDIDATES)
    raise NotFound(f"no entity named {text!r} (try `rnkg query` with a CONTAINS filter)")


def _names(node: GNode) -> list[str]:
    p = node.properties
    return [fold(str(x)) for x in [p.get("name", ""), *(p.get("aliases") or [])] if x]


def _has_words(node: GNode, key: str) -> bool:
    """Whether ``key`` is a run of whole words in one of the node's folded names.

    >>> n = GNode("person:s", ("Person",), {"name": "Sergei Shoigu"})
    >>> _has_words(n, "shoigu"), _has_words(n, "shoig")
    (True, False)
    """
    words = key.split()
    for name in _names(node):
        parts = name.split()
        if any(parts[i:i + len(words)] == words for i in range(len(parts))):
            return True
    return False


def _closeness(node: GNode, key: str) -> int:
    names = _names(node)
    if key in names:
        return 0
    if any(n.startswith(key) for n in names):
        return 1
    return 2


def rank_candidates(nodes: list[GNode], key: str) -> list[GNode]:
    """Matches closest first: an exact folded name, then a prefix, then a substring; within
    each, Persons before others and Sources last, then by name.

    >>> nodes = [GNode("source:kim", ("Source",), {"name": "Kim's letter"}),
    ...          GNode("event:kim", ("Event",), {"name": "Kim Jong Un visits"}),
    ...          GNode("person:kju", ("Person",), {"name": "Kim Jong Un"}),
    ...          GNode("person:kji", ("Person",), {"name": "Kim Jong Il"})]
    >>> [n.id for n in rank_candidates(nodes, "kim jong un")]
    ['person:kju', 'event:kim', 'person:kji', 'source:kim']
    """
    def order(node: GNode) -> tuple[int, int, str, str]:
        label = node.labels[0] if node.labels else ""
        kind = 0 if label == "Person" else 2 if label == "Source" else 1
        return (_closeness(node, key), kind, fold(str(node.properties.get("name", ""))), node.id)

    return sorted(nodes, key=order)


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
) -> nx.MultiDiGraph[str]:
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
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
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
            edges: dict[Any, dict[str, Any]] = g.get_edge_data(rel.start, rel.end, default={})
            if not any(a.get("rid") == rel.properties.get("rid") for a in edges.values()):
                add_rel(g, rel)
        frontier = sorted(new)
        if not frontier:
            break
    return g
