"""GraphML, GEXF, JSON and CSV exports: each file read back (networkx, csv) equals the graph
written, nodes, edges and attributes; the selection options pick the same graph on both engines.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from rnkg.graph.export import edge_ids, scalar_attrs
from rnkg.graph.export.csv_files import csv_paths
from rnkg.graph.export.formats import write_view
from rnkg.graph.export.gexf import gexf_edge, gexf_node
from rnkg.graph.nx import to_networkx
from rnkg.graph.selection import Selection, View, select
from tests.fixtures.cli import loaded_file, rnkg
from tests.fixtures.environment import MINI


def _expected(g: nx.MultiDiGraph, node: Any = None, edge: Any = None) -> tuple[dict, dict]:
    """{node id: attrs} and {edge id: (start, end, attrs)} after each format's mapping."""
    node = node or (lambda n, a: scalar_attrs(a))
    edge = edge or (lambda a: scalar_attrs(a))
    nodes = {n: node(n, dict(a)) for n, a in g.nodes(data=True)}
    ids = edge_ids(g)
    edges = {ids[(u, v, k)]: (u, v, edge(dict(a))) for u, v, k, a in g.edges(keys=True, data=True)}
    return nodes, edges


def _read_back(h: Any, drop: tuple[str, ...] = ()) -> tuple[dict, dict]:
    nodes = {n: {k: v for k, v in a.items() if k not in drop} for n, a in h.nodes(data=True)}
    edges = {k: (u, v, {x: y for x, y in a.items() if x not in drop})
             for u, v, k, a in h.edges(keys=True, data=True)}
    return nodes, edges


def _assert_same(got: tuple[dict, dict], want: tuple[dict, dict]) -> None:
    (gn, ge), (wn, we) = got, want
    assert sorted(gn) == sorted(wn)
    for n in wn:
        assert gn[n] == wn[n], n
    assert sorted(ge) == sorted(we)
    for e in we:
        assert ge[e] == we[e], e


@pytest.fixture
def whole(curated_store: Any) -> View:
    return select(curated_store, Selection())


def test_graphml_round_trip(whole: View, tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    write_view("graphml", whole, out)
    h = nx.read_graphml(out, force_multigraph=True)
    assert whole.graph.number_of_edges() > 800  # the curated graph, Sources included
    _assert_same(_read_back(h), _expected(whole.graph))


def test_gexf_round_trip(whole: View, tmp_path: Path) -> None:
    out = tmp_path / "g.gexf"
    write_view("gexf", whole, out)
    h = nx.read_gexf(out)
    assert isinstance(h, nx.MultiDiGraph)
    # read_gexf gives each edge its id as an attribute too
    _assert_same(_read_back(h, drop=("id",)),
                 _expected(whole.graph, lambda n, a: {k: v for k, v in gexf_node(n, a).items()
                                                      if k != "id"},
                           gexf_edge))
    maia = h.nodes["vessel:maia-1"]
    assert (maia["label"], maia["node_type"], maia["imo"]) == ("Maia-1", "Vessel", "9358010")
    assert "Майя-1" in maia["aliases"].split("; ")
    statuses = {a["status"] for *_, a in h.edges(data=True)}
    assert {"confirmed", "alleged", "denied"} <= statuses
    assert all("rel_type" in a for *_, a in h.edges(data=True))


def test_json_round_trip_keeps_lists(whole: View, tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    write_view("json", whole, out)
    h = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    want = _expected(whole.graph, lambda n, a: {k: v for k, v in a.items() if k != "id"},
                     lambda a: a)
    _assert_same(_read_back(h), want)
    assert isinstance(h.nodes["vessel:maia-1"]["aliases"], list)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_csv_nodes_and_edges_files(whole: View, tmp_path: Path) -> None:
    written = write_view("csv", whole, tmp_path / "g.csv")
    nodes_path, edges_path = csv_paths(tmp_path / "g.csv")
    assert written == [nodes_path, edges_path]
    h: nx.MultiDiGraph = nx.MultiDiGraph()
    for row in _csv_rows(nodes_path):
        h.add_node(row["id"], **{k: v for k, v in row.items() if v != ""})
    for row in _csv_rows(edges_path):
        start, end, key = row.pop("source"), row.pop("target"), row.pop("id")
        h.add_edge(start, end, key=key, **{k: v for k, v in row.items() if v != ""})

    def text(a: dict) -> dict:
        return {k: str(v).lower() if isinstance(v, bool) else str(v)
                for k, v in scalar_attrs(a).items() if str(v) != ""}

    _assert_same(_read_back(h), _expected(whole.graph, lambda n, a: text(a), text))
    assert list(_csv_rows(edges_path)[0])[:4] == ["id", "source", "target", "type"]


def _ids(view: View) -> tuple[set[str], set[str]]:
    return set(view.graph.nodes), {k for _, _, k in view.graph.edges(keys=True)}


def test_selection_focus_filters_on_both_engines(curated_stores: dict) -> None:
    """--focus/--depth with --as-of, --status and --exclude-type: the same graph on both
    engines, equal to filtering the networkx view and then taking the neighbourhood."""
    from rnkg.graph.nx import ego_graph, filter_graph
    from rnkg.graph.timeline import FactFilter

    sel = Selection(focus="Maia-1", depth=2, as_of="2024-03-01", exclude_types=("Country",),
                    statuses=("confirmed", "reported"), sources=False)
    got = {name: _ids(select(store, sel)) for name, store in curated_stores.items()}
    assert got["neo4j"] == got["embedded"]
    store = curated_stores["embedded"]
    g = to_networkx(store)
    filter_graph(g, store.schema, FactFilter.build(
        store, as_of="2024-03-01", exclude_types=("Country",), statuses=("confirmed", "reported")))
    g.remove_nodes_from([n for n, a in g.nodes(data=True) if a["label"] == "Source"])
    want = ego_graph(g, "vessel:maia-1", 2)
    assert got["embedded"] == (set(want.nodes), {k for _, _, k in want.edges(keys=True)})
    assert "vessel:maia-1" in got["embedded"][0]
    assert not any(n.startswith("country:") for n in got["embedded"][0])


def test_selection_query_and_cypher_on_both_engines(curated_stores: dict) -> None:
    saved = Selection(query="vessel-voyages", params={"vessel": "Maia-1"}, sources=False)
    cypher = Selection(cypher="MATCH p = (:Vessel {id: $v})-[:SAILED]->(:Voyage) RETURN p",
                       cypher_params={"v": "vessel:maia-1"})
    for sel in (saved, cypher):
        got = {name: _ids(select(store, sel)) for name, store in curated_stores.items()}
        assert got["neo4j"] == got["embedded"], sel
        nodes, _ = got["embedded"]
        assert "vessel:maia-1" in nodes and any(n.startswith("voyage:") for n in nodes), nodes
    view = select(curated_stores["embedded"], cypher)
    assert {a["type"] for *_, a in view.graph.edges(data=True)} == {"SAILED"}
    whole = to_networkx(curated_stores["embedded"])
    assert view.graph.number_of_edges() == sum(
        1 for _, _, a in whole.out_edges("vessel:maia-1", data=True) if a["type"] == "SAILED")


def test_selection_refusals(curated_store: Any) -> None:
    from rnkg.errors import QueryError

    with pytest.raises(QueryError, match="read-only"):
        select(curated_store, Selection(cypher="MATCH (n) DETACH DELETE n"))
    with pytest.raises(QueryError, match="no nodes, relationships or paths"):
        select(curated_store, Selection(cypher="RETURN 1"))
    with pytest.raises(QueryError, match="unknown status"):
        select(curated_store, Selection(statuses=("rumoured",)))
    with pytest.raises(ValueError, match="not --focus and --query"):
        Selection(focus="Maia-1", query="vetoes").check()


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv", "html"])
def test_cli_export_every_format_same_options(fmt: str, tmp_path: Path) -> None:
    """`rnkg export FMT OUT` takes the one set of selection options; a bad one is exit 2 or 1."""
    with loaded_file(tmp_path / "m.lbug", MINI) as db:
        env = {"RNKG_DB": str(db), "RNKG_BACKEND": "embedded"}
        out = tmp_path / f"maia.{fmt}"
        done = rnkg("export", fmt, str(out), "--focus", "Maia-1", "--depth", "1",
                    "--as-of", "2024-06-01", "--status", "confirmed", "--title", "T", env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("wrote "), done.stdout
        assert all(p.stat().st_size > 0 for p in
                   (csv_paths(out) if fmt == "csv" else (out,)))
        bad = rnkg("export", fmt, str(tmp_path / "x"), "--query", "vetoes", "--focus", "Maia-1",
                   env=env)
        assert bad.returncode == 2, bad.stderr
        bad = rnkg("export", fmt, str(tmp_path / "x"), "--cypher", "CREATE (n:Person) RETURN n",
                   env=env)
        assert bad.returncode == 1 and bad.stderr.count("\n") == 1, bad.stderr
        assert not (tmp_path / "x").exists()
