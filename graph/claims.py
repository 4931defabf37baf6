"""What a claimant said: the facts whose status names it (``alleged by country:us``...).

A fact is a node (an event, a voyage) or a relationship whose ``status_by`` lists the claimant's
id. Both queries are the subset of Cypher both engines read alike, the id a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from rnkg.graph.backend import Backend
from rnkg.graph.values import GNode, GRel

NODES_CLAIMED_BY = "MATCH (n) WHERE $id IN n.status_by RETURN n ORDER BY n.id"
RELS_CLAIMED_BY = ("MATCH (a)-[r]->(b) WHERE $id IN r.status_by RETURN a, r, b "
                   "ORDER BY r.rid")


@dataclass(frozen=True)
class Claim:
    """One fact a claimant made a claim about: a node, or a relationship with its two ends."""

    fact: GNode | GRel
    start: GNode | None = None
    end: GNode | None = None

    @property
    def status(self) -> str:
        """The fact's status: alleged, denied, stated, assessed, reported..."""
        return str(self.fact.properties.get("status") or "")

    @property
    def date(self) -> str:
        """The fact's date as written (``2023-10/2024``), or ``""``."""
        return str(self.fact.properties.get("date_text") or "")

    def to_dict(self) -> dict[str, object]:
        """The claim for JSON: status, date and the fact (a node, or a relationship and ends).

        >>> Claim(GNode("event:e", ("Event",), {"status": "denied"})).to_dict()["status"]
        'denied'
        """
        out: dict[str, object] = {"status": self.status, "date": self.date, "fact": self.fact}
        if isinstance(self.fact, GRel):
            out["start"], out["end"] = self.start, self.end
        return out


def claims_by(backend: Backend, node_id: str) -> list[Claim]:
    """Every fact whose ``status_by`` names ``node_id``: nodes first, then relationships."""
    nodes = [Claim(row[0]) for row in backend.query(NODES_CLAIMED_BY, {"id": node_id}).rows]
    rels = [Claim(r, a, b) for a, r, b in backend.query(RELS_CLAIMED_BY, {"id": node_id}).rows]
    return nodes + rels
