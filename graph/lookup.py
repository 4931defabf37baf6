"""Finding entities by id, name or alias, and reading a node's neighbourhood, on any backend.

The Cypher here is the subset both engines read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from rnkg.errors import NotFound, RnkgError
from rnkg.graph.backend import Backend
from rnkg.graph.values import GNode, GRel
from rnkg.schema.values import fold

MAX_CANDIDATES = 12


class Ambiguous(RnkgError):
    """A name matches several entities; the message lists them."""

    def __init__(self, text: str, candidates: list[GNode]) -> None:
        self.candidates = candidates
        listed = "; ".join(f"{n.id} ({n.properties.get('name', '')})" for n in candidates)
        super().__init__(f"{text!r} matches {len(candidates)} entities: {listed}")


def resolve_entity(backend: Backend, text: str) -> GNode:
    """The one node an id, name or alias names, case- and accent-insensitively.

    Tries an exact id, then a whole folded name or alias, then a folded substring.
    """
    by_id = backend.query("MATCH (n) WHERE n.id = $id RETURN n", {"id": text.strip()})
    if by_id.rows:
        return by_id.rows[0][0]
    key = fold(text)
    if not key:
        raise NotFound(f"no entity named {text!r}")
    for cypher in (
        "MATCH (n) WHERE $key IN n.search_keys RETURN n ORDER BY n.id",
        # The parameter is bound with WITH first: LadybugDB 0.22 cannot read a parameter
        # inside a list predicate (an internal assertion fails).
        "WITH $key AS key MATCH (n) WHERE any(k IN n.search_keys WHERE k CONTAINS key) "
        "RETURN n ORDER BY n.id",
    ):
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
    result = backend.query(
        "MATCH (n)-[r]->(m) WHERE n.id = $id RETURN r, m "
        "UNION ALL MATCH (m)-[r]->(n) WHERE n.id = $id RETURN r, m",
        {"id": node_id},
    )
    out = [
        Neighbour("out" if rel.start == node_id else "in", rel, node)
        for rel, node in result.rows
    ]
    return sorted(out, key=lambda n: (n.relationship.type, n.direction, n.node.id,
                                      n.relationship.properties.get("rid", "")))
