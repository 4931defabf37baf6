"""Finding entities by id, name or alias, and reading a node's neighbourhood, on any backend.

The Cypher is the backend's dialect's (graph/dialect.py): the subset both engines read alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rnkg.errors import Ambiguous, NotFound
from rnkg.graph.backend import Backend
from rnkg.graph.values import GNode, GRel
from rnkg.schema.values import fold

MAX_CANDIDATES = 12
# An IMO number, bare or written "IMO 9358010": vessels are found by their `imo` property.
_IMO = re.compile(r"^(?:IMO[\s:]*)?(\d{7})$", re.IGNORECASE)
NODE_BY_IMO = "MATCH (n:Vessel) WHERE n.imo = $imo RETURN n ORDER BY n.id"


def resolve_entity(backend: Backend, text: str) -> GNode:
    """The one node an id, name, alias or IMO number names, case- and accent-insensitively.

    Tries an exact id, then an IMO number (``9358010`` or ``IMO 9358010``), then a whole
    folded name or alias, then a folded substring.
    """
    dialect = backend.dialect
    by_id = backend.query(dialect.node_by_id, {"id": text.strip()})
    if by_id.rows:
        return by_id.rows[0][0]
    imo = _IMO.match(text.strip())
    if imo:
        by_imo = backend.query(NODE_BY_IMO, {"imo": imo[1]})
        if len(by_imo.rows) == 1:
            return by_imo.rows[0][0]
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


def neighbourhood(backend: Backend, node_id: str) -> list[Neighbour]:
    """Every relationship of a node with the node at its other end, in a stable order."""
    result = backend.query(backend.dialect.neighbourhood, {"id": node_id})
    out = [
        Neighbour("out" if rel.start == node_id else "in", rel, node)
        for rel, node in result.rows
    ]
    return sorted(out, key=lambda n: (n.relationship.type, n.direction, n.node.id,
                                      n.relationship.properties.get("rid", "")))
