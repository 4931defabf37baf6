"""The export formats by name: ``write_view(FORMAT, view, OUT)`` writes one selection's graph.

Every format takes the same :class:`~rnkg.graph.selection.View`; the HTML page also uses its
focus, depth, filters and context (the neighbours shipped for "expand").
"""

from __future__ import annotations

from pathlib import Path

from rnkg.errors import OutputError
from rnkg.graph.export import Exporter, export_graph
from rnkg.graph.selection import View

FORMATS = ("html", "graphml", "gexf", "json", "csv")


def exporter_for(fmt: str, view: View, out: Path) -> Exporter:
    """The exporter of one format, writing to ``out``."""
    if fmt == "html":
        from rnkg.graph.export.html import HtmlExporter

        return HtmlExporter(out, view.title, focus=view.focus, depth=view.depth,
                            context=view.context, filters=view.filters)
    if fmt == "graphml":
        from rnkg.graph.export.graphml import GraphMLExporter

        return GraphMLExporter(out)
    if fmt == "gexf":
        from rnkg.graph.export.gexf import GexfExporter

        return GexfExporter(out)
    if fmt == "json":
        from rnkg.graph.export.node_link import JsonExporter

        return JsonExporter(out)
    if fmt == "csv":
        from rnkg.graph.export.csv_files import CsvExporter

        return CsvExporter(out)
    raise OutputError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")


def written_paths(fmt: str, out: Path) -> list[Path]:
    """The files one export writes (two for CSV)."""
    if fmt == "csv":
        from rnkg.graph.export.csv_files import csv_paths

        return list(csv_paths(out))
    return [out]


def write_view(fmt: str, view: View, out: Path) -> list[Path]:
    """Write ``view`` as ``fmt`` to ``out``; the paths written, or :class:`OutputError`."""
    export_graph(view.graph, exporter_for(fmt, view, Path(out)))
    return written_paths(fmt, Path(out))
