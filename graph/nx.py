"""A networkx view of the graph (or of part of it), for analytics and exports.

Node and edge attributes are the JSON contract's values: scalars or lists of scalars, dates as
ISO text. JSON writers take them as they are; networkx's GraphML and GEXF writers do not take
lists, so write those through ``rnkg.graph.export`` (``GraphMLExporter``), which joins a list's
items with ``"; "``. Edges are keyed by their ``rid``; one written without a ``rid`` (by ``rnkg
query --write``) gets a key built from its ends, so it never merges into another edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import networkx as nx

from rnkg.graph.backend import Backend
from rnkg.graph.timeline import FactFilter
from rnkg.graph.values import GNode, GRel, to_jsonable
from rnkg.schema import GraphSchema
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


def to_networkx(
    backend: Backend, *, as_of: str | date | None = None, known_by: str | date | None = None,
    exclude_types: Sequence[str] = (), statuses: Sequence[str] = (), exclude: Sequence[str] = (),
) -> nx.MultiDiGraph[str]:
    """The stored graph as a MultiDiGraph: all of it, or the facts the filters keep
    (graph/timeline.py: as of a day, known by a day, node types and entities left out,
    statuses kept).

    >>> # g = to_networkx(open_backend(Settings.resolve())); g.nodes["vessel:maia-1"]["imo"]
    """
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for (node,) in backend.query("MATCH (n) RETURN n").rows:
        add_node(g, node)
    for (rel,) in backend.query("MATCH ()-[r]->() RETURN r").rows:
        add_rel(g, rel)
    filt = FactFilter.build(backend, as_of=as_of, known_by=known_by, statuses=statuses,
                            exclude_types=exclude_types, exclude=exclude)
    return filter_graph(g, backend.schema, filt) if filt.active else g


def filter_graph(
    g: nx.MultiDiGraph[str], schema: GraphSchema, filt: FactFilter
) -> nx.MultiDiGraph[str]:
    """``g`` without the nodes and edges ``filt`` drops (an edge goes with either end), in place.

    >>> from datetime import date
    >>> from rnkg.schema import load_schema
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("org:x", label="Organization", date_from="2009-06-12", date_to="2024-04-30")
    >>> g.add_node("country:y", label="Country")
    >>> g.add_edge("country:y", "org:x", type="MEMBER_OF")
    0
    >>> sorted(filter_graph(g, load_schema(), FactFilter(as_of=date(2024, 6, 1))).nodes)
    ['country:y']
    """
    drop = [n for n, a in g.nodes(data=True)
            if not filt.node_ok(schema, a.get("label", ""), {**a, "id": n})]
    g.remove_nodes_from(drop)
    g.remove_edges_from([(u, v, k) for u, v, k, a in g.edges(keys=True, data=True)
                         if not filt.rel_ok(schema, a.get("type", ""), a)])
    return g


def ego_graph(g: nx.MultiDiGraph[str], center: str, radius: int = 1) -> nx.MultiDiGraph[str]:
    """The part of ``g`` within ``radius`` hops of ``center``, ignoring direction."""
    part: nx.MultiDiGraph[str] = nx.ego_graph(g, center, radius=radius, undirected=True)
    return part.copy()
