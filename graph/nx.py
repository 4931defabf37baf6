"""A networkx view of the graph (or of part of it), for analytics and exports.

Node and edge attributes are the JSON contract's values: scalars or lists of scalars, dates as
ISO text. JSON writers take them as they are; networkx's GraphML and GEXF writers do not take
lists, so write those through ``rnkg.graph.export`` (``GraphMLExporter``), which joins a list's
items with ``"; "``. Edges are keyed by their ``rid``; one written without a ``rid`` (by ``rnkg
query --write``) gets a key built from its ends, so it never merges into another edge.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from rnkg.graph.backend import Backend
from rnkg.graph.values import GNode, GRel, to_jsonable
from rnkg.schema.values import relationship_id


def _attrs(props: dict[str, Any]) -> dict[str, Any]:
    return {k: to_jsonable(v) for k, v in props.items()}


def add_node(g: nx.MultiDiGraph[str], node: GNode) -> None:
    """Add a node keyed by its rnkg id, with ``label`` and its properties."""
    g.add_node(node.id, label=node.labels[0], **_attrs(node.properties))


def add_rel(g: nx.MultiDiGraph[str], rel: GRel) -> None:
    """Add a relationship as an edge keyed by its rid, with ``type`` and its properties.

    >>> g = nx.MultiDiGraph()
    >>> for _ in range(2):
    ...     add_rel(g, GRel("NATIONAL_OF", "person:a", "country:b", {"note": "no rid"}))
    >>> sorted(k for _, _, k in g.edges(keys=True))
    ['person:a-NATIONAL_OF->country:b', 'person:a-NATIONAL_OF->country:b#2']
    """
    props = _attrs(rel.properties)
    key = props.get("rid") or relationship_id(rel.start, rel.type, rel.end)
    base, n = key, 1
    while g.has_edge(rel.start, rel.end, key):
        n += 1
        key = f"{base}#{n}"
    g.add_edge(rel.start, rel.end, key=key, type=rel.type, **props)


def to_networkx(backend: Backend) -> nx.MultiDiGraph[str]:
    """The whole stored graph as a MultiDiGraph.

    >>> # g = to_networkx(open_backend(Settings.resolve())); g.nodes["vessel:maia-1"]["imo"]
    """
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for (node,) in backend.query("MATCH (n) RETURN n").rows:
        add_node(g, node)
    for (rel,) in backend.query("MATCH ()-[r]->() RETURN r").rows:
        add_rel(g, rel)
    return g


def ego_graph(g: nx.MultiDiGraph[str], center: str, radius: int = 1) -> nx.MultiDiGraph[str]:
    """The part of ``g`` within ``radius`` hops of ``center``, ignoring direction."""
    part: nx.MultiDiGraph[str] = nx.ego_graph(g, center, radius=radius, undirected=True)
    return part.copy()
