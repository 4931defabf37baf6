"""Interactive HTML network views: one offline file, vis-network inlined, data as escaped JSON.

pyvis builds the node and edge records and ships the vis-network build; the page is rnkg's
own (``template.html`` beside this module; pyvis's template links CDNs and renders titles as
HTML). Text from the data only ever reaches the page as JSON and is shown with ``textContent``.
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
from rnkg.output import citations, status_text
from rnkg.schema import GraphSchema, load_schema
from rnkg.schema.values import Citation

_PLACEHOLDER = re.compile(r"\{\{(css|js|data)\}\}")


def js_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (and strict: no NaN).

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


_RAW = frozenset({*Citation.column_docs(), "status", "status_by"})


def details(attrs: dict[str, Any]) -> dict[str, Any]:
    """What the side panel shows: properties, with status and citations as readable lines."""
    out = {k: v for k, v in attrs.items() if k not in _RAW}
    out["status"] = status_text(attrs)
    out["sources"] = citations(attrs)
    return out


class HtmlExporter(Exporter):
    """Builds the vis-network records with pyvis and writes the page on :meth:`finish`."""

    def __init__(self, path: Path, title: str, schema: GraphSchema | None = None,
                 **view: Any) -> None:
        from pyvis.network import Network

        super().__init__(path)
        self.title = title
        self.schema = schema or load_schema()
        self.net = Network(directed=True)
        self.node_details: dict[str, dict[str, Any]] = {}
        self.edge_details: dict[str, dict[str, Any]] = {}
        self.counts: dict[str, int] = {}

    def write_node(self, node_id: str, attrs: dict[str, Any]) -> None:
        """Add a node, coloured by its type."""
        label = str(attrs.get("label", ""))
        name = attrs.get("name", node_id)
        self.net.add_node(node_id, label=str(name), title=f"{name}\n{node_id} ({label})",
                          color=self.schema.color_of(label))
        self.node_details[node_id] = details(attrs)
        self.counts[label] = self.counts.get(label, 0) + 1

    def write_edge(self, edge_id: str, start: str, end: str, attrs: dict[str, Any]) -> None:
        """Add an edge under its export id."""
        kind = str(attrs.get("type", ""))
        self.net.add_edge(start, end, label=kind, title=kind, id=edge_id, arrows="to")
        self.edge_details[edge_id] = details(attrs)

    def records(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The vis-network node and edge records, each with its ``details``."""
        nodes = [dict(n, details=self.node_details[n["id"]]) for n in self.net.nodes]
        edges = [dict(e, details=self.edge_details[e["id"]]) for e in self.net.edges]
        return nodes, edges

    def render(self) -> str:
        """The whole page, refused if vis-network could not draw it."""
        nodes, edges = self.records()
        _check_drawable(nodes, edges)
        legend = [{"label": k, "color": self.schema.color_of(k), "count": v}
                  for k, v in sorted(self.counts.items())]
        data = {"title": self.title, "nodes": nodes, "edges": edges, "legend": legend,
                "separator": LIST_SEPARATOR}
        js, css = _vis_assets()
        parts = {"css": css, "js": js, "data": js_json(data)}
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


def write_html(g: nx.MultiDiGraph[str], path: Path, title: str) -> Path:
    """Write a view of ``g`` to ``path`` (parents created); :class:`OutputError` if it cannot."""
    export_graph(g, HtmlExporter(path, title))
    return Path(path)
