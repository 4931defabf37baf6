"""The Python front door: ``import rnkg; g = rnkg.open()``, then ask the graph in a line each.

``rnkg.open()`` opens the store the environment names, as the ``rnkg`` command does (the
embedded LadybugDB file at ``$RNKG_DB``, or Neo4j with ``backend="neo4j"``; the Neo4j user and
password come only from ``NEO4J_USERNAME`` and ``NEO4J_PASSWORD`` and are never printed). The
:class:`Graph` it returns closes the store on :meth:`Graph.close` or at the end of a ``with``
block. Entities are named as on the command line: an id, a name or alias in any script, an IMO
number. Tabular answers are :class:`Rows` (``.rows``, ``.records()``, ``.to_dataframe()`` when
pandas is installed); views are :class:`View` objects that show inline in Jupyter.

>>> import networkx as nx
>>> rows = Rows(["name", "imo"], [["Maia-1", "9358010"]])
>>> rows.records()
[{'name': 'Maia-1', 'imo': '9358010'}]
>>> g = nx.MultiDiGraph()
>>> g.add_node("vessel:maia-1", label="Vessel", name="Maia-1")
>>> view = View(g, "Maia-1 <alone>")
>>> html = view._repr_html_()
>>> html.startswith('<iframe srcdoc="') and "&lt;/script&gt;" in html and "</script>" not in html
True
"""

from __future__ import annotations

import html
import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from rnkg.errors import RnkgError

if TYPE_CHECKING:  # the engines, networkx and pandas load when first used: `rnkg --help` is quick
    import networkx as nx
    import pandas

    from rnkg.graph.backend import Backend, LoadReport, Settings
    from rnkg.graph.values import GNode, GPath
    from rnkg.show import Shown

__all__ = ["Graph", "Paths", "Rows", "View", "open"]


@dataclass(frozen=True)
class Rows:
    """A tabular answer: column names and rows (nodes, relationships and paths as rnkg values).

    >>> Rows(["a"], [[1], [2]]).rows
    [[1], [2]]
    """

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        """One dict per row, keyed by column name.

        >>> Rows(["a", "b"], [[1, None]]).records()
        [{'a': 1, 'b': None}]
        """
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_dataframe(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (pandas is optional: ``pip install pandas``)."""
        if importlib.util.find_spec("pandas") is None:
            raise RnkgError("to_dataframe needs pandas, which is not installed: "
                            "pip install pandas")
        import pandas

        return pandas.DataFrame(self.rows, columns=list(self.columns))

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Paths(Rows):
    """Paths between two entities: ``.paths`` (each a GPath), and one row per hop as ``Rows``
    (path, hop, from, relationship, to, date, status, sources)."""

    paths: list[GPath] = field(default_factory=list)


@dataclass(frozen=True)
class View:
    """An interactive HTML network view of a graph: inline in Jupyter, or ``.save(path)``.

    In a notebook the page is an ``<iframe srcdoc>``, sandboxed and escaped, so its own
    content-security policy and scripts stay apart from the notebook's.
    """

    graph: nx.MultiDiGraph[str]
    title: str

    @property
    def html(self) -> str:
        """The whole offline page (vis-network inlined, the data as escaped JSON)."""
        from rnkg.graph.export import export_graph
        from rnkg.graph.export.html import HtmlExporter

        class _Page(HtmlExporter):
            page = ""

            def finish(self) -> None:
                self.page = self.render()

        exporter = _Page(Path("view.html"), self.title)
        export_graph(self.graph, exporter)
        return exporter.page

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` whole (or raise ``OutputError`` and write nothing)."""
        from rnkg.graph.export.html import write_html

        return write_html(self.graph, Path(path), self.title)

    def _repr_html_(self) -> str:
        page = html.escape(self.html, quote=True)
        return (f'<iframe srcdoc="{page}" sandbox="allow-scripts" title="{html.escape(self.title)}"'
                ' style="width: 100%; height: 640px; border: 0"></iframe>')


class Graph:
    """An open rnkg graph. Use :func:`open`; close it with :meth:`close` or a ``with`` block."""

    def __init__(self, backend: Backend, settings: Settings) -> None:
        self.backend = backend
        self.settings = settings

    def __repr__(self) -> str:
        return f"<rnkg.Graph on {self.settings.describe()}>"

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release the store (the embedded file's lock, or the Neo4j driver)."""
        self.backend.close()

    def load(self, facts: str | Path | None = None, *, reset: bool = False) -> LoadReport:
        """Validate a folder of fact files (default: the curated facts), then write all of it
        in one transaction, or nothing."""
        from rnkg.loaders.pipeline import build_dataset, default_facts_dir

        return self.backend.load(build_dataset(Path(facts) if facts else default_facts_dir()),
                                 reset=reset)

    def query(self, cypher: str, **params: Any) -> Rows:
        """Run read-only Cypher with ``$parameters`` given as keywords."""
        result = self.backend.query(cypher, params)
        return Rows(list(result.columns), result.rows)

    def saved(self, name: str, **params: Any) -> Rows:
        """Run a saved query (``rnkg queries list``) with its parameters as keywords."""
        from rnkg.queries import get_saved_query

        saved = get_saved_query(name)
        result = self.backend.query(saved.text_for(self.backend.name), saved.bind(params))
        return Rows(list(result.columns), result.rows)

    def entity(self, entity: str) -> GNode:
        """The node an id, name, alias or IMO number names (``Ambiguous`` lists candidates)."""
        from rnkg.graph.lookup import resolve_entity

        return resolve_entity(self.backend, entity)

    def show(self, entity: str) -> Shown:
        """An entity as ``rnkg show`` gives it: ``.node``, ``.links`` (its relationships),
        ``.claims`` (facts whose status names it), ``.to_dict()``; ``print()`` it for the
        tables."""
        from rnkg.show import read_entity

        return read_entity(self.backend, entity)

    def paths(self, start: str, end: str, **filters: Any) -> Paths:
        """Shortest paths between two entities, in either direction; ``filters`` are those of
        ``rnkg.graph.paths.shortest_paths`` (``max_hops``, ``via``, ``all_shortest``...)."""
        from rnkg.graph.paths import shortest_paths
        from rnkg.show import hop_rows

        a, b = self.entity(start), self.entity(end)
        found = shortest_paths(self.backend, a.id, b.id, **filters)
        columns, rows = hop_rows(found)
        return Paths(columns, rows, found)

    def analyze(self, measure: str, entity: str | None = None, *, top: int | None = None,
                radius: int = 1, **filters: Any) -> Rows:
        """A network measure through networkx (``centrality``, ``communities``, ``bridges`` or
        ``ego`` around ``entity``), as ``rnkg analyze`` prints it; ``filters`` are those of
        :meth:`networkx` (``as_of``, ``known_by``, ``exclude_types``, ``statuses``)."""
        from rnkg.graph.analytics import analyze

        centre = self.entity(entity).id if entity else None
        columns, rows = analyze(self.networkx(**filters), measure, centre, top=top,
                                radius=radius)
        return Rows(list(columns), rows)

    def networkx(self, **filters: Any) -> nx.MultiDiGraph[str]:
        """The graph as a networkx MultiDiGraph (nodes keyed by rnkg id, edges by ``rid``);
        ``filters`` are those of ``rnkg.graph.nx.to_networkx``."""
        from rnkg.graph.nx import to_networkx

        return to_networkx(self.backend, **filters)

    def neighbors(self, entity: str, hops: int = 1, *, types: Sequence[str] = (),
                  **filters: Any) -> nx.MultiDiGraph[str]:
        """The part of the graph within ``hops`` of an entity (either direction), as networkx;
        ``types``: keep only relationships of these types; other ``filters`` as
        :meth:`networkx`."""
        from rnkg.graph.nx import ego_graph

        node = self.entity(entity)
        g = self.networkx(**filters)
        if types:
            g.remove_edges_from([(u, v, k) for u, v, k, d in g.edges(keys=True, data=True)
                                 if d.get("type") not in types])
        return ego_graph(g, node.id, hops)

    def view(self, focus: str | None = None, *, depth: int = 2, sources: bool = False,
             **filters: Any) -> View:
        """An HTML view of the whole graph, or of ``depth`` hops around ``focus``; Source nodes
        only with ``sources=True``."""
        title = "rnkg: Russia–North Korea knowledge graph"
        if focus:
            node = self.entity(focus)
            g = self.neighbors(node.id, depth, **filters)
            title = f"rnkg: {node.properties.get('name', node.id)} within {depth} hops"
        else:
            g = self.networkx(**filters)
        if not sources:
            g.remove_nodes_from([n for n, d in g.nodes(data=True) if d.get("label") == "Source"])
        return View(g, title)


def open(backend: str | None = None, *, db: str | Path | None = None, uri: str | None = None,
         database: str | None = None, read_only: bool = False) -> Graph:
    """Open the graph: the embedded store (``db``, else ``$RNKG_DB``, else the default file),
    or Neo4j with ``backend="neo4j"`` (``uri``, else ``$NEO4J_URI``; ``database``, else
    ``$NEO4J_DATABASE``). ``read_only`` opens an embedded file for reading only, so another
    process may hold it too."""
    from rnkg.graph.backend import Settings, open_backend

    settings = Settings.resolve(backend=backend, db=db, neo4j_uri=uri, neo4j_database=database)
    return Graph(open_backend(settings, read_only=read_only), settings)
