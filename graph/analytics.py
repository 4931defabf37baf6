"""Network analytics over a (filtered) networkx view of the graph: centrality, communities,
bridges and ego networks, each as table rows in a deterministic order.

Every measure reads the graph as undirected and simple (parallel relationships count once,
self-loops not at all): "who connects whom", whatever the direction of the facts. Filter the
graph first with ``to_networkx(backend, as_of=..., known_by=..., exclude_types=...,
statuses=...)`` (graph/nx.py).

>>> g = nx.MultiDiGraph()
>>> for u, v in [("a:1", "a:2"), ("a:2", "a:3"), ("a:3", "a:1"), ("a:3", "a:4")]:
...     _ = g.add_edge(u, v, type="LINKED_TO")
>>> [row[1] for row in centrality_rows(g)]
['a:3', 'a:1', 'a:2', 'a:4']
>>> bridge_rows(g)
[['a:3', '', 'a:4', '', 'LINKED_TO']]
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from rnkg.errors import NotFound, QueryError

MEASURES = ("centrality", "communities", "bridges", "ego")
CENTRALITY_COLUMNS = ["rank", "id", "label", "name", "degree", "betweenness"]
COMMUNITY_COLUMNS = ["community", "size", "id", "label", "name"]
BRIDGE_COLUMNS = ["from", "from_name", "to", "to_name", "types"]
EGO_COLUMNS = ["hops", "id", "label", "name", "degree"]
#: the seed of the community search, so the same graph always splits the same way
SEED = 0


def simple_graph(g: nx.MultiDiGraph[str]) -> nx.Graph[str]:
    """``g`` as an undirected simple graph with the same node attributes and no self-loops."""
    s: nx.Graph[str] = nx.Graph()
    s.add_nodes_from(sorted(g.nodes(data=True)))
    s.add_edges_from(sorted((u, v) if u < v else (v, u) for u, v in g.edges() if u != v))
    return s


def _who(g: nx.Graph[str], n: str) -> list[Any]:
    a = g.nodes[n]
    return [n, a.get("label", ""), a.get("name", "")]


def centrality_rows(g: nx.MultiDiGraph[str], top: int | None = None) -> list[list[Any]]:
    """[rank, id, label, name, degree, betweenness] per node, most central first (betweenness,
    then degree, then id); betweenness normalised, rounded to 6 places."""
    s = simple_graph(g)
    between = nx.betweenness_centrality(s, normalized=True)
    order = sorted(s.nodes, key=lambda n: (-round(between[n], 9), -s.degree(n), n))
    return [[rank, *_who(s, n), s.degree(n), round(between[n], 6)]
            for rank, n in enumerate(order[:top] if top else order, 1)]


def community_rows(g: nx.MultiDiGraph[str], top: int | None = None) -> list[list[Any]]:
    """[community, size, id, label, name] per node: Louvain communities (fixed seed), numbered
    from 1 by size (largest first) then smallest id; ``top`` keeps that many communities."""
    s = simple_graph(g)
    if s.number_of_nodes() == 0:
        return []
    groups = sorted((sorted(c) for c in nx.community.louvain_communities(s, seed=SEED)),
                    key=lambda c: (-len(c), c[0]))
    return [[i, len(c), *_who(s, n)]
            for i, c in enumerate(groups[:top] if top else groups, 1) for n in c]


def bridge_rows(g: nx.MultiDiGraph[str]) -> list[list[Any]]:
    """[from, from_name, to, to_name, types] per bridge: a link whose removal splits the graph
    (counting parallel relationships as one link, so a doubled link is still a bridge)."""
    s = simple_graph(g)
    rows = []
    for u, v in sorted(tuple(sorted(e)) for e in nx.bridges(s)):
        types = sorted({d["type"] for d in (g.get_edge_data(u, v) or {}).values()}
                       | {d["type"] for d in (g.get_edge_data(v, u) or {}).values()})
        rows.append([u, s.nodes[u].get("name", ""), v, s.nodes[v].get("name", ""),
                     ", ".join(types)])
    return rows


def ego_rows(g: nx.MultiDiGraph[str], centre: str, radius: int = 1) -> list[list[Any]]:
    """[hops, id, label, name, degree] per node within ``radius`` hops of ``centre`` (the
    centre first), nearest first, then by id; degree counts links within the ego network."""
    if centre not in g:
        raise NotFound(f"{centre} is not in the graph as filtered")
    if isinstance(radius, bool) or not isinstance(radius, int) or radius < 1:
        raise QueryError("--radius must be a whole number from 1")
    s = simple_graph(g)
    dist = nx.single_source_shortest_path_length(s, centre, cutoff=radius)
    ego = s.subgraph(dist)
    return [[d, *_who(s, n), ego.degree(n)]
            for n, d in sorted(dist.items(), key=lambda kv: (kv[1], kv[0]))]


def analyze(g: nx.MultiDiGraph[str], measure: str, entity: str | None = None, *,
            top: int | None = None, radius: int = 1) -> tuple[list[str], list[list[Any]]]:
    """The columns and rows of one measure (see :data:`MEASURES`) on a graph."""
    if measure not in MEASURES:
        raise QueryError(f"{measure!r} is not one of {', '.join(MEASURES)}")
    if measure == "ego":
        if not entity:
            raise QueryError("analyze ego needs an ENTITY")
        return EGO_COLUMNS, ego_rows(g, entity, radius)
    if measure == "centrality":
        return CENTRALITY_COLUMNS, centrality_rows(g, top)
    if measure == "communities":
        return COMMUNITY_COLUMNS, community_rows(g, top)
    return BRIDGE_COLUMNS, bridge_rows(g)
