"""What a view or an export draws: one :class:`Selection`, read the same way by every format.

A selection names a part of the graph, then filters it:

- the part: the whole graph; ``focus`` and ``depth`` (the nodes within ``depth`` hops of one
  entity, either direction); a saved query's result (``query`` with ``params``); or the result of
  read-only Cypher (``cypher``, screened by graph/readonly.py). From a query, every node,
  relationship and path in any cell is drawn, with both ends of each relationship;
- the filters (graph/timeline.py, the rule of ``--as-of`` everywhere): ``as_of``, ``known_by``,
  ``statuses``, ``exclude_types``; and ``sources`` (Source nodes drawn or not).

Filters apply first, then the part is taken from what is left: ``--focus X --as-of D`` is the
neighbourhood of X in the graph as of D, so a node reached only through a fact of another time
is not in it. :func:`select` also returns the filtered graph around the part (``context``), from
which an HTML view ships each drawn node's further neighbours for "expand on double click".

>>> Selection(focus="Maia-1", depth=2, as_of="2024-01-01").describe()
' (as of 2024-01-01)'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from rnkg.errors import NotFound, QueryError
from rnkg.graph.backend import Backend
from rnkg.graph.nx import add_rel, ego_graph, filter_graph, to_networkx
from rnkg.graph.timeline import FactFilter
from rnkg.graph.values import GNode, GPath, GRel

DEFAULT_TITLE = "rnkg: Russia–North Korea knowledge graph"


@dataclass(frozen=True)
class Selection:
    """The options every export takes (``rnkg export FORMAT OUT ...``), as one value."""

    focus: str | None = None
    depth: int = 2
    query: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    cypher: str | None = None
    cypher_params: Mapping[str, Any] = field(default_factory=dict)
    as_of: str | None = None
    known_by: str | None = None
    statuses: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    sources: bool = True
    title: str | None = None
    query_dirs: tuple[Any, ...] = ()

    def check(self) -> None:
        """Refuse options that do not go together (a usage error: :class:`ValueError`)."""
        parts = [name for name, on in (("--focus", self.focus), ("--query", self.query),
                                       ("--cypher", self.cypher)) if on]
        if len(parts) > 1:
            raise ValueError("give one of --focus, --query and --cypher, not "
                             + " and ".join(parts))
        if self.params and not self.query and not self.cypher:
            raise ValueError("--param needs --query or --cypher")

    def describe(self) -> str:
        """The filters, for a title: ``" (as of 2024-01-01; status alleged)"``."""
        parts = [f"as of {self.as_of}"] if self.as_of else []
        parts += [f"known by {self.known_by}"] if self.known_by else []
        parts += [f"without {', '.join(self.exclude_types)}"] if self.exclude_types else []
        parts += [f"status {', '.join(self.statuses)}"] if self.statuses else []
        return f" ({'; '.join(parts)})" if parts else ""


@dataclass
class View:
    """A selection's result: the graph to draw, its title, and the graph around it."""

    graph: nx.MultiDiGraph[str]
    title: str
    context: nx.MultiDiGraph[str]
    focus: str | None = None
    depth: int | None = None
    filters: dict[str, Any] = field(default_factory=dict)


def select(backend: Backend, sel: Selection) -> View:
    """The graph ``sel`` names on ``backend``, filtered (see the module doc)."""
    sel.check()
    filt = FactFilter.build(backend, as_of=sel.as_of, known_by=sel.known_by,
                            statuses=sel.statuses, exclude_types=sel.exclude_types)
    full = to_networkx(backend)
    if filt.active:
        filter_graph(full, backend.schema, filt)
    if not sel.sources:
        full.remove_nodes_from([n for n, a in full.nodes(data=True) if a.get("label") == "Source"])
    suffix = sel.describe()
    focus: str | None = None
    if sel.focus:
        from rnkg.graph.lookup import resolve_entity

        node = resolve_entity(backend, sel.focus)
        if node.id not in full:
            raise NotFound(f"{node.id} is not in the graph{suffix}")
        g = ego_graph(full, node.id, sel.depth)
        focus = node.id
        title = f"rnkg: {node.properties.get('name', node.id)} within {sel.depth} hops"
    elif sel.query or sel.cypher:
        g = result_graph(_run(backend, sel), full)
        title = f"rnkg: query {sel.query}" if sel.query else "rnkg: Cypher query"
    else:
        g = full.copy()
        title = DEFAULT_TITLE
    filters = {"as_of": sel.as_of, "known_by": sel.known_by, "statuses": list(sel.statuses),
               "exclude_types": list(sel.exclude_types), "sources": sel.sources}
    return View(g, sel.title if sel.title is not None else title + suffix, full, focus,
                sel.depth if focus else None, filters)


def _run(backend: Backend, sel: Selection) -> list[list[Any]]:
    """The query's rows, and for a saved query a last row with its entity parameters' ids."""
    if sel.query:
        from rnkg.queries import get_saved_query, resolve_entities

        saved = get_saved_query(sel.query, list(sel.query_dirs))
        params = resolve_entities(saved, backend, saved.bind(dict(sel.params)))
        rows = backend.query(saved.text_for(backend.name), params).rows
        entities = [params[p.name] for p in saved.params if p.type == "entity"]
        return [*rows, entities] if entities else rows
    return backend.query(str(sel.cypher), dict(sel.cypher_params)).rows


def graph_values(rows: Iterable[Iterable[Any]]) -> tuple[list[GNode], list[GRel]]:
    """Every node and relationship in a result's cells (paths and lists opened).

    >>> n = GNode("person:a", ("Person",)); r = GRel("NATIONAL_OF", "person:a", "country:b")
    >>> nodes, rels = graph_values([[n, "x"], [[r], GPath((n,), ())]])
    >>> [x.id for x in nodes], [x.type for x in rels]
    (['person:a', 'person:a'], ['NATIONAL_OF'])
    """
    nodes: list[GNode] = []
    rels: list[GRel] = []

    def visit(value: Any) -> None:
        if isinstance(value, GNode):
            nodes.append(value)
        elif isinstance(value, GRel):
            rels.append(value)
        elif isinstance(value, GPath):
            nodes.extend(value.nodes)
            rels.extend(value.relationships)
        elif isinstance(value, list | tuple):
            for v in value:
                visit(v)
        elif isinstance(value, dict):
            for v in value.values():
                visit(v)

    for row in rows:
        visit(list(row))
    return nodes, rels


def result_graph(rows: Iterable[Iterable[Any]], full: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """The part of ``full`` (the filtered graph) that a query's rows name.

    Nodes, relationships and paths in the cells are drawn, each relationship with both ends. A
    text cell (or list item) that is a node id, a relationship ``rid`` or the name of exactly one
    node names that node or relationship too (saved queries return names and ids). When the rows
    name no relationship, the relationships among the named nodes are drawn. What the filters
    left out of ``full`` stays out. Nothing to draw is a :class:`QueryError`.

    >>> full = nx.MultiDiGraph()
    >>> full.add_node("vessel:m", name="M"); full.add_node("voyage:v", name="V 2024")
    >>> _ = full.add_edge("vessel:m", "voyage:v", key="r1", type="SAILED", rid="r1")
    >>> sorted(result_graph([["V 2024", "a note"], ["vessel:m"]], full).edges(keys=True))
    [('vessel:m', 'voyage:v', 'r1')]
    """
    nodes, rels = graph_values(rows)
    texts = _texts(rows)
    by_rid = {a["rid"]: (u, v) for u, v, a in full.edges(data=True) if a.get("rid")}
    names: dict[str, list[str]] = {}
    for n, a in full.nodes(data=True):
        names.setdefault(str(a.get("name", "")), []).append(n)
    named = [t for t in texts if t in full]
    named += [names[t][0] for t in texts if len(names.get(t, ())) == 1]
    rids = [t for t in texts if t in by_rid]
    if not (nodes or rels or named or rids):
        raise QueryError("the query returned no nodes, relationships or paths to draw")
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node_id in [n.id for n in nodes] + named:
        if node_id in full and node_id not in g:
            g.add_node(node_id, **full.nodes[node_id])
    for rel in rels:
        _add_rel(g, full, rel.start, rel.end, rel.properties.get("rid"), rel)
    for rid in rids:
        _add_rel(g, full, *by_rid[rid], rid, None)
    if not rels and not rids:
        for u, v, k, a in full.subgraph(list(g)).edges(keys=True, data=True):
            g.add_edge(u, v, key=k, **a)
    return g


def _texts(rows: Iterable[Iterable[Any]]) -> list[str]:
    out: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list | tuple):
            for v in value:
                visit(v)

    for row in rows:
        visit(list(row))
    return out


def _add_rel(g: nx.MultiDiGraph[str], full: nx.MultiDiGraph[str], start: str, end: str,
             rid: Any, rel: GRel | None) -> None:
    if start not in full or end not in full:
        return
    kept: dict[Any, dict[str, Any]] = full.get_edge_data(start, end, default={})
    if rid is not None and rid not in kept:
        return  # filtered out
    for node_id in (start, end):
        if node_id not in g:
            g.add_node(node_id, **full.nodes[node_id])
    if rid is not None:
        if not g.has_edge(start, end, rid):
            g.add_edge(start, end, key=rid, **kept[rid])
    elif rel is not None:
        add_rel(g, rel)
