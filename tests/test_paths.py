"""Shortest paths on each engine, checked against networkx on the same graph."""

import json

import networkx as nx
import pytest

from rnkg.errors import QueryError
from rnkg.graph.dialect import EMBEDDED, NEO4J
from rnkg.graph.nx import to_networkx
from rnkg.graph.paths import path_query, shortest_paths
from rnkg.schema import load_schema

PAIRS = [
    ("person:vladimir-putin", "vessel:maia-1", 5),
    ("person:kim-jong-un", "org:un-poe-dprk", 4),
    ("vessel:lady-r", "sanction:eu-14-vessels", 3),
]


def _reference(backend):
    g = to_networkx(backend)
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes)
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return simple


@pytest.mark.parametrize(("a", "b", "hops"), PAIRS)
def test_shortest_path_has_the_networkx_length_and_is_a_real_walk(curated_store, a, b, hops):
    ref = _reference(curated_store)
    expected = nx.shortest_path_length(ref, a, b)
    (path,) = shortest_paths(curated_store, a, b, max_hops=hops)
    assert len(path.relationships) == expected
    assert (path.nodes[0].id, path.nodes[-1].id) == (a, b)
    for rel, left, right in zip(path.relationships, path.nodes, path.nodes[1:], strict=False):
        assert {rel.start, rel.end} == {left.id, right.id}
        assert rel.properties["cite_sources"], rel


@pytest.mark.parametrize(("a", "b", "hops"), PAIRS)
def test_all_shortest_paths_match_networkx(curated_store, a, b, hops):
    ref = _reference(curated_store)
    expected = {tuple(p) for p in nx.all_shortest_paths(ref, a, b)}
    paths = shortest_paths(curated_store, a, b, max_hops=hops, all_shortest=True)
    found = {tuple(n.id for n in p.nodes) for p in paths}
    assert found == expected


def test_via_restricts_the_relationship_types(curated_store):
    paths = shortest_paths(curated_store, "vessel:maia-1", "vessel:lady-r", max_hops=4,
                           via=["LINKED_TO"], all_shortest=True)
    assert paths and all(r.type == "LINKED_TO" for p in paths for r in p.relationships)
    assert shortest_paths(curated_store, "vessel:maia-1", "country:kp", max_hops=2,
                          via=["OWNS"]) == []


def test_bad_path_requests_are_refused():
    schema = load_schema()
    with pytest.raises(QueryError, match="from 1 to 8"):
        path_query(schema, NEO4J, "person:a", "person:b", 0)
    with pytest.raises(QueryError, match="unknown relationship type OWNED_BY"):
        path_query(schema, NEO4J, "person:a", "person:b", 2, ["OWNED_BY"])
    with pytest.raises(QueryError, match="two different"):
        path_query(schema, EMBEDDED, "person:a", "person:a", 2)


def test_path_command_json_and_csv(tmp_path):
    from typer.testing import CliRunner

    from rnkg.cli import app
    from rnkg.graph.ladybug import release

    runner = CliRunner()
    db = str(tmp_path / "p.lbug")
    assert runner.invoke(app, ["--db", db, "load"]).exit_code == 0
    out = runner.invoke(app, ["--db", db, "path", "Lady R", "Maia-1", "--via", "LINKED_TO",
                              "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows[0]["length"] == 1
    assert rows[0]["path"]["relationships"][0]["type"] == "LINKED_TO"
    assert {rows[0]["path"]["nodes"][0]["id"], rows[0]["path"]["nodes"][-1]["id"]} == {
        "vessel:lady-r", "vessel:maia-1"}
    none = runner.invoke(app, ["--db", db, "path", "Lady R", "Maia-1", "--via", "SIGNED"])
    assert none.exit_code == 1 and "no path between" in none.stderr
    release(tmp_path / "p.lbug")
