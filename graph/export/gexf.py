"""GEXF export (Gephi's own format): attributes scalar (lists joined by the one rule).

GEXF gives a node's ``label`` and an edge's ``type`` their own meanings (the name Gephi shows;
directed or undirected), so a node's type is the attribute ``node_type`` and its ``label`` is its
name, and an edge's type is the attribute ``rel_type`` and also its ``label``. Statuses and
dates (``status``, ``date_from``, ``date_to``, ``date_precision``...) are attributes as stored.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import networkx as nx

from rnkg.graph.export import Exporter, scalar_attrs, write_file


def gexf_node(node_id: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """A node's GEXF attributes: ``label`` its name, ``node_type`` its type.

    >>> gexf_node("vessel:m", {"label": "Vessel", "name": "M", "aliases": ["A", "B"]})
    {'node_type': 'Vessel', 'aliases': 'A; B', 'label': 'M'}
    """
    out = scalar_attrs({k: v for k, v in attrs.items() if k not in ("label", "name")})
    return {"node_type": attrs.get("label", ""), **out,
            "label": str(attrs.get("name", node_id))}


def gexf_edge(attrs: dict[str, Any]) -> dict[str, Any]:
    """An edge's GEXF attributes: ``rel_type`` and ``label`` its type.

    >>> gexf_edge({"type": "OWNS", "status": "reported"})
    {'rel_type': 'OWNS', 'status': 'reported', 'label': 'OWNS'}
    """
    out = scalar_attrs({k: v for k, v in attrs.items() if k != "type"})
    kind = str(attrs.get("type", ""))
    return {"rel_type": kind, **out, "label": kind}


class GexfExporter(Exporter):
    """Collects nodes and edges, then writes one ``.gexf`` file (GEXF 1.2, edge ids as ids)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()

    def write_node(self, node_id: str, attrs: dict[str, Any]) -> None:
        """Add a node (``label`` its name, ``node_type`` its type)."""
        self.graph.add_node(node_id, **gexf_node(node_id, attrs))

    def write_edge(self, edge_id: str, start: str, end: str, attrs: dict[str, Any]) -> None:
        """Add an edge keyed by its export id."""
        self.graph.add_edge(start, end, key=edge_id, **gexf_edge(attrs))

    def finish(self) -> None:
        """Write the file whole."""
        buf = io.BytesIO()
        nx.write_gexf(self.graph, buf, encoding="utf-8")
        write_file(self.path, buf.getvalue())
