"""GraphML export: every attribute a scalar (lists joined by the one rule), readable by networkx,
Gephi, yEd and Neo4j's APOC."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import networkx as nx

from rnkg.graph.export import Exporter, scalar_attrs, write_file


class GraphMLExporter(Exporter):
    """Collects nodes and edges, then writes one ``.graphml`` file (edge ids as keys)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()

    def write_node(self, node_id: str, attrs: dict[str, Any]) -> None:
        """Add a node with scalar attributes."""
        self.graph.add_node(node_id, **scalar_attrs(attrs))

    def write_edge(self, edge_id: str, start: str, end: str, attrs: dict[str, Any]) -> None:
        """Add an edge keyed by its export id, with scalar attributes."""
        self.graph.add_edge(start, end, key=edge_id, **scalar_attrs(attrs))

    def finish(self) -> None:
        """Write the file whole."""
        buf = io.BytesIO()
        nx.write_graphml(self.graph, buf, encoding="utf-8")
        write_file(self.path, buf.getvalue())
