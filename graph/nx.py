"""A networkx view of the graph (or of part of it), for analytics and exports.

Node and edge attributes are scalars or lists of scalars (dates as ISO text), so GraphML,
GEXF and JSON writers take them as they are.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from rnkg.graph.backend import Backend
from rnkg.graph.values import GNode, GRel, to_jsonable


def _attrs(props: dict[str, Any]) -> dict[str, Any]:
    return {k: to_jsonable(v) for k, v in props.items()}


def add_node(g: nx.MultiDiGraph, node: GNode) -> None:
    """Add a node keyed by its rnkg id, with ``label`` and its properties."""
    g.add_node(node.id, label=node.labels[0], **_attrs(node.properties))


def add_rel(g: nx.MultiDiGraph, rel: GRel) -> None:
    """Add a relationship as an edge keyed by its rid, with ``type`` and its properties."""
    props = _attrs(rel.properties)
    g.add_edge(rel.start, rel.end, key=props.get("rid"), type=rel.type, **props)


def to_networkx(backend: Backend) -> nx.MultiDiGraph:
    """The whole stored graph as a MultiDiGraph.

    >>> # g = to_networkx(open_backend(Settings.resolve())); g.nodes["vessel:maia-1"]["imo"]
    """
    g = nx.MultiDiGraph()
    for (node,) in backend.query("MATCH (n) RETURN n").rows:
        add_node(g, node)
    for (rel,) in backend.query("MATCH ()-[r]->() RETURN r").rows:
        add_rel(g, rel)
    return g


def ego_graph(g: nx.MultiDiGraph, center: str, radius: int = 1) -> nx.MultiDiGraph:
    """The part of ``g`` within ``radius`` hops of ``center``, ignoring direction."""
    return nx.ego_graph(g, center, radius=radius, undirected=True).copy()
