"""Interactive HTML network views: one offline file, vis-network inlined, data as escaped JSON
(in a ``<script type="application/json">`` element the page reads with ``JSON.parse``).

pyvis ships the vis-network build that is inlined; the records are rnkg's own
(graph/export/page.py: pyvis's record builder checks each id against a list, quadratic on big
views) and so is the page (``template.html`` beside this module; pyvis's template links CDNs and
renders titles as HTML). Text from the data only ever reaches the page as JSON and is shown
with ``textContent``.
Node colours are the schema's (``color:`` in ``types.yaml``). A page that could not draw (a
duplicate id, an edge to a node that is not there) is refused before anything is written.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx

from rnkg.errors import OutputError
from rnkg.graph.export import LIST_SEPARATOR, Exporter, export_graph, write_file
from rnkg.graph.export.page import HUB_DEGREE, PHYSICS_MAX_NODES, STATUS_STYLE, PageData
from rnkg.schema import GraphSchema, load_schema

_PLACEHOLDER = re.compile(r"\{\{(css|js|data)\}\}")

#: Record fields whose values repeat across records (a type's colour, a status's style, the same
#: dates, one citation backing many facts): the page ships each distinct value once, in
#: ``shared``, and the records hold its index (``cites``: a list of indexes, one a citation). The
#: page puts the values back right after it parses the data (template.html ``unshare``).
SHARED_FIELDS = ("color", "time", "dates", "status_by", "font", "shapeProperties", "smooth")


def share_values(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the :data:`SHARED_FIELDS` of its records (and each citation) replaced by
    indexes into one ``shared`` list of distinct values: a 5,000-node page is about half the
    size, so it is read and parsed sooner. The records in ``data`` are left as they are.

    >>> d = share_values({"nodes": [{"id": "a", "color": "red", "cites": [{"q": 1}]},
    ...                             {"id": "b", "color": "red", "cites": []}],
    ...                   "edges": [], "reserve": {"nodes": [], "edges": []}})
    >>> d["shared"], [(n["color"], n["cites"]) for n in d["nodes"]]
    (['red', {'q': 1}], [(0, [1]), (0, [])])
    """
    shared: list[Any] = []
    index: dict[str, int] = {}

    def ref(value: Any) -> int:
        key = json.dumps(value, sort_keys=True, allow_nan=False)
        if key not in index:
            index[key] = len(shared)
            shared.append(value)
        return index[key]

    def pack(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for rec in records:
            rec = dict(rec)
            for field in SHARED_FIELDS:
                if field in rec:
                    rec[field] = ref(rec[field])
            if "cites" in rec:
                rec["cites"] = [ref(c) for c in rec["cites"]]
            out.append(rec)
        return out

    reserve = data["reserve"]
    return {**data, "nodes": pack(data["nodes"]), "edges": pack(data["edges"]),
            "reserve": {"nodes": pack(reserve["nodes"]), "edges": pack(reserve["edges"])},
            "shared": shared, "shared_fields": list(SHARED_FIELDS)}


def js_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (and strict: no NaN): no ``<``, ``>``
    or ``&`` in it, so no ``</script`` or ``<!--`` can end or change the element.

    >>> js_json({"t": "</script><b>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _vis_assets() -> tuple[str, str]:
    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise OutputError("pyvis (which ships vis-network) is not installed")
    lib = Path(spec.origin).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    # The vendored script is inlined as it is, so "</script" must not occur in it.
    if "</script" in js.lower():
        raise OutputError("the vis-network build contains </script>")
    return js, (lib / "vis-network.css").read_text(encoding="utf-8")


def page_template() -> str:
    """The page, with ``{{css}}``, ``{{js}}`` and ``{{data}}`` where the parts go."""
    return importlib.resources.files(__package__).joinpath("template.html").read_text("utf-8")


class HtmlExporter(Exporter):
    """Collects the view's nodes and edges, then writes the page on :meth:`finish`.

    ``focus`` and ``depth`` (a view around one entity) mark the focus and make the layout
    radial; ``context`` (the filtered graph the view was taken from) supplies the neighbours a
    double click adds and the Sources that citations name; ``filters`` are shown in the page.
    """

    def __init__(self, path: Path, title: str, schema: GraphSchema | None = None, *,
                 focus: str | None = None, depth: int | None = None,
                 context: nx.MultiDiGraph[str] | None = None,
                 filters: dict[str, Any] | None = None) -> None:
        super().__init__(path)
        self.title = title
        self.schema = schema or load_schema()
        self.focus, self.depth, self.context = focus, depth, context
        self.filters = filters or {}
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self.ids: list[tuple[str, str, str]] = []
        self.duplicate: str | None = None
        self.edge_seen: set[str] = set()
        self.bad_edge: str | None = None

    def write_node(self, node_id: str, attrs: dict[str, Any]) -> None:
        """Take a node."""
        if node_id in self.graph:
            self.duplicate = node_id
        self.graph.add_node(node_id, **attrs)

    def write_edge(self, edge_id: str, start: str, end: str, attrs: dict[str, Any]) -> None:
        """Take an edge under its export id."""
        if edge_id in self.edge_seen or edge_id in (None, ""):
            self.bad_edge = edge_id
        self.edge_seen.add(edge_id)
        self.graph.add_edge(start, end, key=edge_id, **attrs)
        self.ids.append((edge_id, start, end))

    def data(self) -> dict[str, Any]:
        """Everything the page reads, as one JSON-able object."""
        if self.duplicate is not None:
            raise OutputError(f"the page would not draw: node id {self.duplicate!r} twice")
        if self.bad_edge is not None:
            raise OutputError(f"the page would not draw: edge id {self.bad_edge!r} is not unique")
        for edge_id, start, end in self.ids:
            for node_id in (start, end):
                if node_id not in self.graph.nodes or "label" not in self.graph.nodes[node_id]:
                    raise OutputError(f"the page would not draw: edge {edge_id!r} ends at "
                                      f"{node_id!r}, which is not in the view")
        pd = PageData(self.schema, self.graph, focus=self.focus, depth=self.depth,
                      context=self.context)
        pos = pd.positions()
        nodes = []
        for n in sorted(self.graph.nodes, key=str):
            rec = pd.node(n, dict(self.graph.nodes[n]))
            rec["x"], rec["y"] = pos[n]
            nodes.append(rec)
        edges = pd.edges((k, u, v, dict(a)) for u, v, k, a in self.graph.edges(keys=True,
                                                                               data=True))
        extra_nodes, extra_edges = pd.reserve()
        types = sorted({r["type"] for r in nodes + extra_nodes})
        rel_types = sorted({r["type"] for r in edges + extra_edges})
        statuses = [s for s in self.schema.statuses
                    if any(r.get("status") == s for r in nodes + edges + extra_nodes + extra_edges)]
        return {
            "title": self.title, "nodes": nodes, "edges": edges,
            "reserve": {"nodes": extra_nodes, "edges": extra_edges},
            "legend": [{"label": t, "color": self.schema.color_of(t)} for t in types],
            "rel_types": rel_types,
            "statuses": [{"status": s, **STATUS_STYLE.get(s, {})} for s in statuses],
            "sources": pd.sources, "names": pd.names, "focus": pd.focus, "depth": self.depth,
            "filters": self.filters, "layout": pd.layout_text(),
            "physics_allowed": self.graph.number_of_nodes() <= PHYSICS_MAX_NODES,
            "hub_degree": HUB_DEGREE, "separator": LIST_SEPARATOR,
        }

    def render(self) -> str:
        """The whole page, refused if vis-network could not draw it."""
        data = self.data()
        _check_drawable(data["nodes"], data["edges"])
        js, css = _vis_assets()
        parts = {"css": css, "js": js, "data": js_json(share_values(data))}
        # One pass: text put in is never scanned for placeholders again.
        return _PLACEHOLDER.sub(lambda m: parts[m[1]], page_template())

    def finish(self) -> None:
        """Write the page whole (or raise OutputError and write nothing)."""
        try:
            page = self.render()
        except OutputError as exc:
            raise OutputError(f"cannot write {self.path}: {exc}") from None
        write_file(self.path, page)


def _check_drawable(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """vis-network throws on a repeated id and drops an edge to a missing node."""
    node_ids: set[Any] = set()
    for n in nodes:
        if n["id"] in node_ids:
            raise OutputError(f"the page would not draw: node id {n['id']!r} twice")
        node_ids.add(n["id"])
    edge_ids: set[Any] = set()
    for e in edges:
        if e.get("id") in (None, "") or e["id"] in edge_ids:
            raise OutputError(f"the page would not draw: edge id {e.get('id')!r} is not unique")
        edge_ids.add(e["id"])
        for end in (e["from"], e["to"]):
            if end not in node_ids:
                raise OutputError(f"the page would not draw: edge {e['id']!r} ends at "
                                  f"{end!r}, which is not in the view")


def write_html(g: nx.MultiDiGraph[str], path: Path, title: str, **view: Any) -> Path:
    """Write a view of ``g`` to ``path`` (parents created); :class:`OutputError` if it cannot.

    ``view``: ``focus``, ``depth``, ``context`` and ``filters``, as :class:`HtmlExporter` takes.
    """
    export_graph(g, HtmlExporter(path, title, **view))
    return Path(path)
