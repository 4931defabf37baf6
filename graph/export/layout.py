"""Where each node of a view is drawn, computed in Python so that the same data gives the same
picture: the page ships the positions and the browser only draws them.

- a view around one entity (``--focus``) is radial: the focus in the centre, the nodes one hop
  away on a ring around it (grouped by type, then by name), those two hops away on a wider ring,
  each placed next to its neighbours of the ring inside;
- any other view uses networkx's spring layout (Fruchterman–Reingold) with a fixed seed; above
  :data:`SPRING_MAX_NODES` nodes (where each spring iteration costs seconds) networkx's spectral
  layout, with each axis's sign fixed (an eigenvector's sign is arbitrary).

Rings and the spring layout are scaled with the number of nodes so that labels have room.

>>> g = nx.MultiDiGraph(); g.add_edge("a", "b"); g.add_edge("a", "c")
0
0
>>> pos = radial_layout(g, "a"); pos["a"]
(0.0, 0.0)
>>> spring(g) == spring(g)
True
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

SEED = 7
RING = 260.0     # the distance between rings of a radial layout
NODE_ROOM = 95.0  # the arc each node of a ring gets, at least (two staggered rows)
STAGGER = 150.0   # a crowded ring alternates between two radii this far apart
CROWDED = 16
SPRING_MAX_NODES = 1500
MIN_EDGE = 160.0  # a spring layout is scaled up until its mean edge is at least this long


def describe(focus: str | None, n: int) -> str:
    """How a view was laid out, as the page says it.

    >>> describe(None, 10)
    'networkx spring layout (seed 7, 100 iterations), computed when the file was written'
    """
    if focus:
        return (f"radial by hops from {focus}, computed when the file was written "
                "(rings of the same distance; each node beside its neighbours inside)")
    if n > SPRING_MAX_NODES:
        return ("networkx spectral layout (signs fixed), computed when the file was written; "
                f"more than {SPRING_MAX_NODES} nodes")
    return (f"networkx spring layout (seed {SEED}, {iterations(n)} iterations), computed when "
            "the file was written")


def iterations(n: int) -> int:
    """Spring-layout iterations for ``n`` nodes: fewer on big graphs (each costs n²)."""
    return 100 if n <= 1000 else 40 if n <= 5000 else 15


def spring(g: nx.MultiDiGraph[str], leave_out: frozenset[str] = frozenset()
           ) -> dict[str, tuple[float, float]]:
    """A seeded spring layout, scaled so labels have room, per connected part: the biggest part
    in the middle, the smaller ones in rows below it, nodes with no link in rows below those.
    Nodes in ``leave_out`` (hubs the page hides at first, which would pull all else into a
    knot) are laid out after the rest, beside their neighbours."""
    if g.number_of_nodes() == 0:
        return {}
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in g.edges() if u != v))
    core = _induced(simple, [n for n in simple if n not in leave_out])
    parts = sorted((sorted(c) for c in nx.connected_components(core) if len(c) > 1),
                   key=lambda c: (-len(c), c[0]))
    lone = sorted(n for n in core if core.degree(n) == 0)
    out: dict[str, tuple[float, float]] = {}
    if parts:
        out.update(_spring_part(_induced(core, parts[0])))
    bottom = max((p[1] for p in out.values()), default=0.0) + 250.0
    left = min((p[0] for p in out.values()), default=0.0)
    x, row_height = left, 0.0
    right = max((p[0] for p in out.values()), default=0.0)
    for part in parts[1:]:
        pos = _spring_part(_induced(core, part))
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if x > left and x + w > max(right, left + 1500.0):
            x, bottom, row_height = left, bottom + row_height + 150.0, 0.0
        for n, (px, py) in pos.items():
            out[n] = (round(x + px - min(xs), 1), round(bottom + py - min(ys), 1))
        x += w + 200.0
        row_height = max(row_height, h)
    bottom += row_height + 200.0
    # hubs: beside their neighbours (the mean of their positions), pushed out a little
    for hub in sorted(leave_out & set(simple)):
        near = [out[m] for m in simple[hub] if m in out]
        if near:
            out[hub] = (round(sum(p[0] for p in near) / len(near) * 1.1, 1),
                        round(sum(p[1] for p in near) / len(near) * 1.1, 1))
        else:
            lone.append(hub)
    width = max(1, int(math.sqrt(max(len(lone), 1)) * 2))
    for i, node in enumerate(sorted(lone)):
        out[node] = (round(left + (i % width) * 160.0, 1), round(bottom + (i // width) * 60.0, 1))
    return out


def _induced(g: nx.Graph[str], nodes: list[str]) -> nx.Graph[str]:
    """The subgraph on ``nodes`` as a new graph in sorted order. (A networkx subgraph view of
    a few nodes iterates its node set, whose order changes from one process to the next.)"""
    keep = set(nodes)
    out: nx.Graph[str] = nx.Graph()
    out.add_nodes_from(sorted(keep))
    out.add_edges_from(sorted((u, v) if u <= v else (v, u) for u, v in g.edges()
                              if u in keep and v in keep))
    return out


def _spring_part(sub: nx.Graph[str]) -> dict[str, tuple[float, float]]:
    """One connected part: spring (spectral when big), scaled so its mean edge has room."""
    n = sub.number_of_nodes()
    pos: dict[Any, Any] = (
        nx.spring_layout(sub, seed=SEED, iterations=iterations(n), k=2.0 / math.sqrt(n))
        if n <= SPRING_MAX_NODES else _spectral(sub))
    scale = 90.0 * math.sqrt(n)
    lengths = [math.dist(pos[u], pos[v]) for u, v in sub.edges()]
    mean = sum(lengths) / len(lengths) if lengths else 0.0
    if mean and mean * scale < MIN_EDGE:
        scale = MIN_EDGE / mean
    return {str(k): (round(float(x) * scale, 1), round(float(y) * scale, 1))
            for k, (x, y) in pos.items()}


def _spectral(g: nx.Graph[str]) -> dict[Any, Any]:
    """networkx's spectral layout with each axis's sign fixed: its largest coordinate > 0."""
    pos: dict[Any, Any] = nx.spectral_layout(g)
    for axis in (0, 1):
        big = max(pos.values(), key=lambda p: abs(float(p[axis])))
        if float(big[axis]) < 0:
            for p in pos.values():
                p[axis] = -p[axis]
    return pos


def radial_layout(g: nx.MultiDiGraph[str], focus: str) -> dict[str, tuple[float, float]]:
    """Rings by hops from ``focus``; a node unreachable from it goes on an outer ring."""
    und = g.to_undirected(as_view=True)
    hops: dict[str, int] = nx.single_source_shortest_path_length(und, focus)
    far = max(hops.values(), default=0) + 1
    rings: dict[int, list[str]] = {}
    for n in sorted(g.nodes):
        rings.setdefault(hops.get(n, far), []).append(n)
    pos: dict[str, tuple[float, float]] = {focus: (0.0, 0.0)}
    angle: dict[str, float] = {focus: 0.0}
    radius = 0.0
    for k in sorted(r for r in rings if r > 0):
        members = rings[k]
        crowded = len(members) > CROWDED
        radius = max(radius + RING, NODE_ROOM * len(members) / (2 * math.pi)
                     / (1.6 if crowded else 1.0))

        def wanted(n: str, k: int = k) -> tuple[float, str, str]:
            inner = sorted(angle[m] for m in und[n] if m in angle and hops.get(m) == k - 1)
            target = _mean_angle(inner) if inner else 0.0
            return (target, str(g.nodes[n].get("label", "")), str(g.nodes[n].get("name", n)))

        if k == 1:
            members = sorted(members, key=lambda n: (str(g.nodes[n].get("label", "")),
                                                     str(g.nodes[n].get("name", n)), n))
        else:
            members = sorted(members, key=lambda n: (*wanted(n), n))
        start = wanted(members[0])[0] if k > 1 else -math.pi / 2
        step = 2 * math.pi / len(members)
        for i, n in enumerate(members):
            a = start + i * step
            angle[n] = a % (2 * math.pi)
            r = radius + (STAGGER if crowded and i % 2 else 0.0)
            pos[n] = (round(r * math.cos(a), 1), round(r * math.sin(a), 1))
        radius += STAGGER if crowded else 0.0
    return pos


def _mean_angle(angles: list[float]) -> float:
    x = sum(math.cos(a) for a in angles)
    y = sum(math.sin(a) for a in angles)
    return math.atan2(y, x) % (2 * math.pi) if (x or y) else angles[0]


def layout(g: nx.MultiDiGraph[str], focus: str | None,
           hubs: frozenset[str] = frozenset()) -> dict[str, tuple[float, float]]:
    """The positions of a view: radial around ``focus`` when there is one, else spring (with
    ``hubs`` placed after the rest)."""
    if focus and focus in g:
        return radial_layout(g, focus)
    return spring(g, hubs)
