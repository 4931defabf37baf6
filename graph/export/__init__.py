"""Exports of a graph (a networkx view of the store) through one small interface.

An :class:`Exporter` receives every node, then every edge, then ``finish()`` writes its file;
:func:`export_graph` drives one over a graph, giving each edge an id that is unique in the
export (its ``rid``, or one built from its ends when a relationship written by ``rnkg query
--write`` has none). Formats whose attributes are scalars take list values through the one
rule, :func:`scalar`: items joined with ``"; "``.

>>> import networkx as nx, tempfile, pathlib
>>> from rnkg.graph.export.graphml import GraphMLExporter
>>> g = nx.MultiDiGraph()
>>> g.add_node("person:a", label="Person", name="A", aliases=["Aa", "Ab"])
>>> g.add_node("country:b", label="Country", name="B")
>>> _ = g.add_edge("person:a", "country:b", key="r1", type="NATIONAL_OF", rid="r1")
>>> out = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
>>> export_graph(g, GraphMLExporter(out))
>>> nx.read_graphml(out).nodes["person:a"]["aliases"]
'Aa; Ab'
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import networkx as nx

from rnkg.errors import OutputError
from rnkg.schema.values import relationship_id

LIST_SEPARATOR = "; "


def scalar(value: Any) -> Any:
    """The one rule for a list where a format needs a scalar: items joined with ``"; "``.

    None stays None (the attribute is left out); other scalars pass unchanged.

    >>> scalar(["a", "b"]), scalar([]), scalar(3), scalar([1, True])
    ('a; b', '', 3, '1; True')
    """
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def scalar_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """Attributes with every list joined by :func:`scalar` and None values left out."""
    return {k: scalar(v) for k, v in attrs.items() if v is not None}


class Exporter(ABC):
    """Writes one export file: nodes first, then edges, then :meth:`finish`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @abstractmethod
    def write_node(self, node_id: str, attrs: dict[str, Any]) -> None:
        """Take one node: its rnkg id and attributes (``label`` and its properties)."""

    @abstractmethod
    def write_edge(self, edge_id: str, start: str, end: str, attrs: dict[str, Any]) -> None:
        """Take one edge: an id unique in this export, its ends, ``type`` and properties."""

    @abstractmethod
    def finish(self) -> None:
        """Check what was received and write the file (all of it, or nothing)."""


def edge_ids(g: nx.MultiDiGraph[str]) -> dict[tuple[str, str, Any], str]:
    """An id per edge of ``g``, unique in the graph: its ``rid``, else built from its ends.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", type="T"); _ = g.add_edge("a", "b", type="T")
    >>> _ = g.add_edge("c", "d", type="T", rid="x")
    >>> sorted(edge_ids(g).values())
    ['a-T->b', 'a-T->b#2', 'x']
    """
    out: dict[tuple[str, str, Any], str] = {}
    used: set[str] = set()
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for start, end, key, attrs in edges:
        base = str(attrs.get("rid") or relationship_id(start, str(attrs.get("type", "")), end))
        edge_id, n = base, 1
        while edge_id in used:
            n += 1
            edge_id = f"{base}#{n}"
        used.add(edge_id)
        out[(start, end, key)] = edge_id
    return out


def export_graph(g: nx.MultiDiGraph[str], exporter: Exporter) -> None:
    """Feed every node (sorted by id) and edge of ``g`` to ``exporter``, then finish it."""
    for node_id, attrs in sorted(g.nodes.items(), key=lambda n: str(n[0])):
        exporter.write_node(node_id, dict(attrs))
    ids = edge_ids(g)
    for (start, end, key), edge_id in sorted(ids.items(), key=lambda kv: kv[1]):
        exporter.write_edge(edge_id, start, end, dict(g.edges[start, end, key]))
    exporter.finish()


def write_file(path: Path, data: str | bytes) -> Path:
    """Write an export file whole, or raise :class:`OutputError` (``cannot write PATH: why``).

    A regular file is written beside its target and renamed into place, so a failed write
    leaves no half-written file; a device (``/dev/stdout``) is written directly.
    """
    path = Path(path)
    try:
        if path.is_dir():  # an existing folder, or "" (which names the working directory)
            raise IsADirectoryError(21, "is a directory, not a file name")
        payload = data.encode("utf-8") if isinstance(data, str) else data
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():
            with open(path, "wb") as fh:
                fh.write(payload)
            return path
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
