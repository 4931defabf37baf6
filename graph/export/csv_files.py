"""CSV export: a nodes file and an edges file, for spreadsheets and Gephi's import.

``rnkg export csv OUT.csv`` writes ``OUT.nodes.csv`` (``id``, ``label`` — the node type — then
every other attribute, columns sorted) and ``OUT.edges.csv`` (``id``, ``source``, ``target``,
``type``, then the rest). Lists are joined by the one rule (``"; "``); an absent value is an
empty cell. Both files are written, or neither.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from rnkg.errors import OutputError
from rnkg.graph.export import Exporter, scalar_attrs, write_file

NODE_HEAD = ("id", "label")
EDGE_HEAD = ("id", "source", "target", "type")


def csv_paths(path: Path) -> tuple[Path, Path]:
    """The two files one ``OUT`` names: ``OUT.nodes.csv`` and ``OUT.edges.csv``.

    >>> [p.name for p in csv_paths(Path("out/graph.csv"))]
    ['graph.nodes.csv', 'graph.edges.csv']
    """
    stem = path.name[:-4] if path.name.lower().endswith(".csv") else path.name
    return path.with_name(f"{stem}.nodes.csv"), path.with_name(f"{stem}.edges.csv")


def _table(head: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    rest = sorted({k for r in rows for k in r} - set(head))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[*head, *rest], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class CsvExporter(Exporter):
    """Collects rows, then writes the nodes file and the edges file."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []

    def write_node(self, node_id: str, attrs: dict[str, Any]) -> None:
        """Take a node as one row."""
        self.nodes.append({**scalar_attrs(attrs), "id": node_id})

    def write_edge(self, edge_id: str, start: str, end: str, attrs: dict[str, Any]) -> None:
        """Take an edge as one row."""
        self.edges.append({**scalar_attrs(attrs), "id": edge_id, "source": start, "target": end})

    def finish(self) -> None:
        """Write both files (the second failing removes the first)."""
        nodes_path, edges_path = csv_paths(self.path)
        nodes, edges = _table(NODE_HEAD, self.nodes), _table(EDGE_HEAD, self.edges)
        write_file(nodes_path, nodes)
        try:
            write_file(edges_path, edges)
        except OutputError:
            nodes_path.unlink(missing_ok=True)
            raise
