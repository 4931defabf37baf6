"""JSON export: networkx's node-link form (``nx.node_link_graph`` reads it back).

``{"directed": true, "multigraph": true, "graph": {}, "nodes": [{"id", "label", ...}],
"edges": [{"source", "target", "key", "type", ...}]}``: a node's ``label`` is its type and an
edge's ``key`` its export id. JSON holds lists, so list values stay lists here (the exports that
need scalars join them); dates are ISO text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from rnkg.graph.export import Exporter, write_file


class JsonExporter(Exporter):
    """Collects nodes and edges, then writes one node-link ``.json`` file."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()

    def write_node(self, node_id: str, attrs: dict[str, Any]) -> None:
        """Add a node with its attributes as they are (None left out)."""
        self.graph.add_node(node_id, **{k: v for k, v in attrs.items()
                                        if v is not None and k != "id"})

    def write_edge(self, edge_id: str, start: str, end: str, attrs: dict[str, Any]) -> None:
        """Add an edge keyed by its export id."""
        self.graph.add_edge(start, end, key=edge_id,
                            **{k: v for k, v in attrs.items() if v is not None})

    def finish(self) -> None:
        """Write the file whole (strict JSON: no NaN)."""
        data = nx.node_link_data(self.graph, edges="edges")
        write_file(self.path, json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
                   + "\n")
