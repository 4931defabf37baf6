"""The data an HTML view ships: node and edge records for vis-network, and what the page's
panel, legend, filters, date slider and "expand" read.

Everything here is plain JSON, put in the page as escaped JSON (``html.js_json``) and shown
with ``textContent``. Per node and edge it carries its time (``date_from``, ``date_to``,
``seen_from`` and the type's ``time: period|event``) so the page's slider applies the same
rule as ``--as-of`` (graph/timeline.py); its status, drawn as :data:`STATUS_STYLE` says; and its
citations, whose Sources (title, outlet, date, link) are shipped once in ``sources``.

Parallel edges (several between the same two nodes, either direction) are each curved with
their own offset (:func:`bundle_offsets`), so each is drawn apart and clicked on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from rnkg.graph.export.layout import describe, layout
from rnkg.schema import GraphSchema
from rnkg.schema.values import Citation

LABEL_CHARS = 34       # a longer name is cut on the canvas (whole in the tooltip and panel)
HUB_DEGREE = 10        # a Country with this many links in a view is a hub (a toggle hides it)
PHYSICS_MAX_NODES = 400  # above this the page offers no physics at all
TIME_KEYS = ("date_from", "date_to", "seen_from")

# How each status is drawn: edge width, dashes (vis-network), colour; and its legend words.
STATUS_STYLE: dict[str, dict[str, Any]] = {
    "confirmed": {"width": 2.2, "dashes": False, "color": "#607d8b", "says": "solid"},
    "stated": {"width": 1.6, "dashes": False, "color": "#78909c", "says": "solid, thinner"},
    "reported": {"width": 0.8, "dashes": False, "color": "#90a4ae", "says": "thin"},
    "assessed": {"width": 1.4, "dashes": [2, 4], "color": "#6d4c41", "says": "dotted"},
    "alleged": {"width": 1.8, "dashes": [8, 6], "color": "#ef6c00", "says": "dashed, orange"},
    "denied": {"width": 2.2, "dashes": [3, 3], "color": "#d50000", "says": "red, dashed"},
}
_DEFAULT_STYLE = STATUS_STYLE["confirmed"]
_PANEL_SKIP = frozenset({*Citation.column_docs(), "search_keys", "status", "status_by", "label",
                         "type", *TIME_KEYS, "date_to", "seen_to", "date_text", "date_precision",
                         "seen_text"})


def bundle_offsets(n: int, step: float = 0.22) -> list[float]:
    """Signed curvatures for ``n`` edges between one pair: apart from each other, none twice.

    The first of an odd bundle is straight; the rest alternate sides, further out each time,
    with the step shrunk so that a big bundle still fits (vis-network's roundness is <= 1).

    >>> bundle_offsets(1), bundle_offsets(2), bundle_offsets(3)
    ([0.0], [0.22, -0.22], [0.0, 0.22, -0.22])
    >>> len(set(bundle_offsets(32))) == 32 and max(bundle_offsets(32)) <= 1.0
    True
    """
    per_side = n // 2
    step = min(step, 0.95 / per_side) if per_side else step
    out = [0.0] if n % 2 else []
    for i in range(1, per_side + 1):
        out += [round(i * step, 4), round(-i * step, 4)]
    return out


def smooth_of(offset: float, start: str, end: str) -> dict[str, Any] | bool:
    """vis-network's ``smooth`` for one offset, measured from the pair's first id: the same
    signed offset curves to the same side whichever way the edge points.

    >>> smooth_of(0.22, "a", "b"), smooth_of(0.22, "b", "a")["type"]
    ({'enabled': True, 'type': 'curvedCW', 'roundness': 0.22}, 'curvedCCW')
    """
    if offset == 0:
        return False
    clockwise = (offset > 0) == (start <= end)
    return {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
            "roundness": abs(offset)}


def short(name: str) -> str:
    """A name as the canvas shows it: cut at a word near :data:`LABEL_CHARS`.

    >>> short("Maia-1"), short("Four Russian ships: at least 32 trips between Rajin and Russia")
    ('Maia-1', 'Four Russian ships: at least 32…')
    """
    if len(name) <= LABEL_CHARS:
        return name
    cut = name[:LABEL_CHARS].rsplit(" ", 1)[0]
    return (cut if len(cut) > LABEL_CHARS // 2 else name[:LABEL_CHARS]).rstrip(" ,:;-") + "…"


def _time(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: attrs[k] for k in TIME_KEYS if attrs.get(k) is not None}


def dates_text(attrs: dict[str, Any]) -> list[str]:
    """The dates of a fact as the panel reads them, with their precision.

    >>> dates_text({"date_text": "2023-10/2024", "date_precision": "year", "seen_text": "2024"})
    ['date: 2023-10/2024 (year precision)', 'seen: 2024 (an attestation, not a validity)']
    """
    out = []
    if attrs.get("date_text"):
        prec = f" ({attrs['date_precision']} precision)" if attrs.get("date_precision") else ""
        out.append(f"date: {attrs['date_text']}{prec}")
    if attrs.get("seen_text"):
        out.append(f"seen: {attrs['seen_text']} (an attestation, not a validity)")
    return out


def panel_properties(attrs: dict[str, Any]) -> dict[str, Any]:
    """The properties the panel lists as ``key: value`` (status, dates, cites shown apart)."""
    return {k: v for k, v in attrs.items()
            if k not in _PANEL_SKIP and v is not None and v != [] and v != ""}


def cites(attrs: dict[str, Any]) -> list[dict[str, str]]:
    """A fact's citations as ``{"source", "quote", "section"}`` records."""
    return [c.model_dump() for c in Citation.from_columns(attrs)]


def source_record(source_id: str, attrs: dict[str, Any] | None) -> dict[str, Any]:
    """What a citation shows of its Source: title, outlet, date, kind and URL (if any)."""
    a = attrs or {}
    return {"id": source_id, "title": a.get("title") or a.get("name") or source_id,
            "outlet": a.get("outlet") or "", "date": a.get("date_text") or a.get("undated") or "",
            "kind": a.get("kind") or "", "url": a.get("url") or ""}


class PageData:
    """Builds the page's records from a view's graph and the filtered graph around it."""

    def __init__(self, schema: GraphSchema, g: nx.MultiDiGraph[str], *,
                 focus: str | None = None, depth: int | None = None,
                 context: nx.MultiDiGraph[str] | None = None,
                 lookup: nx.MultiDiGraph[str] | None = None) -> None:
        self.schema = schema
        self.g = g
        self.focus = focus if focus in g else None
        self.depth = depth
        self.context = context
        self.lookup = lookup if lookup is not None else (context if context is not None else g)
        self.degree = {n: d for n, d in g.to_undirected(as_view=True).degree()}
        und = g.to_undirected(as_view=True)
        self.hops: dict[str, int] = (nx.single_source_shortest_path_length(und, self.focus)
                                     if self.focus else {})
        self.sources: dict[str, dict[str, Any]] = {}
        self.names: dict[str, str] = {}
        self.main_part = self._main_part(und)

    def _main_part(self, und: Any) -> frozenset[str]:
        """The biggest connected part (hubs aside), where a view without a focus opens."""
        if self.focus or self.g.number_of_nodes() == 0:
            return frozenset()
        hubs = [n for n, a in self.g.nodes(data=True) if self.is_hub(n, a)]
        core = und.subgraph([n for n in self.g if n not in hubs])
        parts = sorted((sorted(c) for c in nx.connected_components(core)),
                       key=lambda c: (-len(c), c[0]))
        if len(parts) < 2 or len(parts[0]) < 2:
            return frozenset()
        return frozenset(parts[0])

    # ------------------------------------------------------------------ records
    def _remember(self, attrs: dict[str, Any]) -> None:
        for sid in attrs.get("cite_sources") or ():
            if sid not in self.sources:
                known = self.lookup.nodes[sid] if sid in self.lookup else None
                self.sources[sid] = source_record(sid, dict(known) if known else None)
        for who in attrs.get("status_by") or ():
            if who not in self.names:
                known = self.lookup.nodes[who] if who in self.lookup else {}
                self.names[who] = str(known.get("name", who))

    def _size(self, n: str) -> float:
        if self.focus:
            hop = self.hops.get(n, (self.depth or 2) + 1)
            return float({0: 40, 1: 18}.get(hop, 7))
        return float(1 + self.degree.get(n, 0))

    def node(self, n: str, attrs: dict[str, Any], reserve: bool = False) -> dict[str, Any]:
        """One node record (``reserve``: shipped for "expand", not drawn at first)."""
        label = str(attrs.get("label", ""))
        name = str(attrs.get("name", n))
        nt = self.schema.nodes.get(label)
        self._remember(attrs)
        status = attrs.get("status")
        rec: dict[str, Any] = {
            "id": n, "label": short(name), "name": name, "title": f"{name}\n{n} ({label})",
            "type": label,
            "color": {"background": self.schema.color_of(label),
                      "border": "#000000" if n == self.focus else self.schema.color_of(label)},
            "kind": nt.time if nt else "event", "time": _time(attrs), "status": status,
            "keys": sorted({*(attrs.get("search_keys") or ())}),
            "value": 3.0 if reserve else self._size(n),
            "props": panel_properties(attrs), "dates": dates_text(attrs),
            "status_by": list(attrs.get("status_by") or ()), "cites": cites(attrs),
            # Drawing options every node has (the page hands vis-network a fixed field list).
            "borderWidth": 1.5, "font": {}, "shapeProperties": {"borderDashes": False},
        }
        if n == self.focus:
            rec.update(focus=True, borderWidth=5, font={"size": 26, "bold": True})
        if self.focus and not reserve:
            rec["hop"] = self.hops.get(n)
        if not reserve and self.is_hub(n, attrs):
            rec["hub"] = True
        if status in ("alleged", "denied", "assessed"):
            rec["shapeProperties"] = {"borderDashes": [5, 4]}
        if reserve:
            rec["reserve"] = True
        elif n in self.main_part:
            rec["main"] = True
        return rec

    def edge(self, edge_id: str, u: str, v: str, attrs: dict[str, Any],
             offset: float = 0.0) -> dict[str, Any]:
        """One edge record, styled by status and curved by its offset in its bundle."""
        kind = str(attrs.get("type", ""))
        rt = self.schema.relationships.get(kind)
        status = attrs.get("status")
        style = STATUS_STYLE.get(str(status), _DEFAULT_STYLE)
        self._remember(attrs)
        title = f"{kind}" + (f" ({status})" if status else "")
        return {
            "id": edge_id, "from": u, "to": v, "label": kind, "title": title, "type": kind,
            "arrows": "to", "width": style["width"], "dashes": style["dashes"],
            "color": {"color": style["color"], "highlight": "#000000", "hover": "#263238"},
            "smooth": smooth_of(offset, u, v), "kind": rt.time if rt else "event",
            "time": _time(attrs), "status": status, "props": panel_properties(attrs),
            "dates": dates_text(attrs), "status_by": list(attrs.get("status_by") or ()),
            "cites": cites(attrs),
        }

    def edges(self, items: Iterable[tuple[str, str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Edge records, each bundle of parallel edges spread by :func:`bundle_offsets`."""
        bundles: dict[tuple[str, str], list[tuple[str, str, str, dict[str, Any]]]] = {}
        for item in sorted(items, key=lambda e: e[0]):
            _, u, v, _ = item
            bundles.setdefault((min(u, v), max(u, v)), []).append(item)
        out = []
        for members in bundles.values():
            for offset, (edge_id, u, v, attrs) in zip(bundle_offsets(len(members)), members,
                                                      strict=True):
                out.append(self.edge(edge_id, u, v, attrs, offset))
        return sorted(out, key=lambda e: str(e["id"]))

    def reserve(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The neighbours of drawn nodes that the view leaves out, and the edges to them: what
        a double click adds (from the filtered graph around the view)."""
        if self.context is None:
            return [], []
        ctx = self.context
        ring = sorted({m for n in self.g for m in nx.all_neighbors(ctx, n)
                       if n in ctx and m not in self.g})
        if not ring:
            return [], []
        nodes = [self.node(m, dict(ctx.nodes[m]), reserve=True) for m in ring]
        ringset = set(ring)
        items = []
        for u, v, k, a in ctx.edges(keys=True, data=True):
            if (u in ringset and v in self.g) or (v in ringset and u in self.g):
                items.append((str(k), u, v, dict(a)))
        return nodes, self.edges(items)

    def positions(self) -> dict[str, tuple[float, float]]:
        """Deterministic positions (graph/export/layout.py)."""
        hubs = frozenset(n for n, a in self.g.nodes(data=True) if self.is_hub(n, a))
        return layout(self.g, self.focus, hubs)

    def is_hub(self, n: str, attrs: dict[str, Any]) -> bool:
        """A Country with :data:`HUB_DEGREE` links or more in the view (not the focus)."""
        return (attrs.get("label") == "Country" and self.degree.get(n, 0) >= HUB_DEGREE
                and n != self.focus)

    def layout_text(self) -> str:
        """How the page was laid out, as it says."""
        return describe(self.focus, self.g.number_of_nodes())
