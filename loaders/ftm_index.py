"""The schema's FtM mapping indexed for reading: which rnkg type an FtM schema is read as.

Built from the ``ftm:`` blocks of types.yaml alone (schema/ftm.py); an FtM schema without a
mapping of its own is read as its nearest mapped ancestor (a Passport is an Identification).
"""

from __future__ import annotations

from typing import Any

from rnkg.schema import GraphSchema
from rnkg.schema.ftm import FtmNodeMap, FtmRelMap
from rnkg.schema.model import NodeType, RelType


class FtmIndex:
    """The schema's FtM mapping, indexed by FtM schema name (read from types.yaml only)."""

    def __init__(self, schema: GraphSchema) -> None:
        self.schema = schema
        self.nodes: dict[str, tuple[NodeType, dict[str, str]]] = {}
        self.rels: dict[str, list[RelType]] = {}
        for nt in schema.nodes.values():
            for name, implied in (nt.ftm.schemata.items() if nt.ftm else ()):
                self.nodes[name] = (nt, implied)
        for rt in schema.relationships.values():
            if rt.ftm:
                self.rels.setdefault(rt.ftm.schema, []).append(rt)
        for candidates in self.rels.values():  # the most specific ``when`` first
            candidates.sort(key=lambda r: -len(rel_mapping_of(r).when))
        self._lineages: dict[str, list[str]] = {}

    def lineage(self, ftm_schema: Any) -> list[str]:
        """An FtM schema's name, then its ancestors' (worked out once per schema)."""
        held = self._lineages.get(ftm_schema.name)
        if held is None:
            held = self._lineages[ftm_schema.name] = _lineage(ftm_schema)
        return held

    def node_for(self, ftm_schema: Any) -> tuple[NodeType, dict[str, str]] | None:
        """The node type an FtM schema (or its nearest mapped ancestor) is read as."""
        for name in self.lineage(ftm_schema):
            if name in self.nodes:
                return self.nodes[name]
        return None

    def rel_for(self, ftm_schema: Any, props: dict[str, list[str]]) -> RelType | None:
        """The relationship type an interval entity is: the one whose ``when`` it meets."""
        for name in self.lineage(ftm_schema):
            for rt in self.rels.get(name, []):
                if all(v.casefold() in (x.casefold() for x in props.get(k, []))
                       for k, v in rel_mapping_of(rt).when.items()):
                    return rt
        return None


def rel_mapping_of(rt: RelType) -> FtmRelMap:
    """The FtM mapping of a relationship type that has one."""
    assert rt.ftm is not None
    return rt.ftm


def mapping_of(nt: NodeType) -> FtmNodeMap:
    """The FtM mapping of a node type that has one."""
    assert nt.ftm is not None
    return nt.ftm


def _lineage(ftm_schema: Any) -> list[str]:
    """An FtM schema's name, then its ancestors' (nearest first, ties by name)."""
    seen = [ftm_schema.name]
    frontier = sorted(ftm_schema.extends, key=lambda s: s.name)
    while frontier:
        seen += [s.name for s in frontier if s.name not in seen]
        frontier = sorted({p for s in frontier for p in s.extends}, key=lambda s: s.name)
    return seen
