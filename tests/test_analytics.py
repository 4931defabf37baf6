"""Analytics through networkx, and the time and path options on the command line (embedded)."""

import csv
import io
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from rnkg.cli import app
from rnkg.graph.analytics import analyze, bridge_rows, centrality_rows, community_rows, ego_rows
from rnkg.graph.ladybug import release
from rnkg.graph.nx import to_networkx

RUNNER = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A LadybugDB file holding the curated facts, loaded once through the CLI."""
    path = tmp_path_factory.mktemp("analytics") / "a.lbug"
    out = RUNNER.invoke(app, ["--db", str(path), "load"])
    assert out.exit_code == 0, out.output
    yield str(path)
    release(path)


def run(db, *args):
    return RUNNER.invoke(app, ["--db", db, *args])


def test_centrality_is_betweenness_ordered_and_deterministic():
    g = nx.MultiDiGraph()
    # a star around c:hub plus a tail: the hub is the most central, leaves tie and go by id
    for leaf in ("c:b", "c:a", "c:d"):
        g.add_edge("c:hub", leaf, type="LINKED_TO")
        g.add_edge("c:hub", leaf, type="OWNS")  # parallel: counts once
    g.add_edge("c:d", "c:e", type="LINKED_TO")
    rows = centrality_rows(g)
    assert [r[1] for r in rows] == ["c:hub", "c:d", "c:a", "c:b", "c:e"]
    assert rows[0][4] == 3 and rows == centrality_rows(g.copy())
    assert bridge_rows(g)[0][:2] == ["c:a", ""]
    assert {(r[0], r[2]) for r in bridge_rows(g)} == {("c:a", "c:hub"), ("c:b", "c:hub"),
                                                       ("c:d", "c:hub"), ("c:d", "c:e")}
    assert bridge_rows(g)[0][4] == "LINKED_TO, OWNS"
    assert [r[1] for r in ego_rows(g, "c:d", 1)] == ["c:d", "c:e", "c:hub"]


def test_communities_split_two_cliques_the_same_way_every_time():
    g = nx.MultiDiGraph()
    for side in ("a", "b"):
        nodes = [f"{side}:{i}" for i in range(5)]
        g.add_edges_from(((u, v, {"type": "LINKED_TO"}) for i, u in enumerate(nodes)
                          for v in nodes[i + 1:]))
    g.add_edge("a:0", "b:0", type="LINKED_TO")
    rows = community_rows(g)
    assert rows == community_rows(g)
    groups = {}
    for community, size, node, *_ in rows:
        groups.setdefault(community, set()).add(node)
        assert size == 5
    assert sorted(map(sorted, groups.values())) == [[f"a:{i}" for i in range(5)],
                                                     [f"b:{i}" for i in range(5)]]


def test_analyze_on_the_curated_graph_filters_and_formats(db):
    out = run(db, "analyze", "centrality", "--top", "5", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows == sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], r["id"]))
    assert any(r["label"] == "Country" for r in rows)  # the hubs
    out = run(db, "analyze", "centrality", "--top", "5", "--exclude-type", "Country",
              "--format", "csv")
    assert out.exit_code == 0, out.output
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(table) == 5 and all(r["label"] != "Country" for r in table)
    out = run(db, "analyze", "ego", "Maia-1", "--as-of", "2023-01-01", "--format", "json")
    assert out.exit_code == 0, out.output
    ego = [r["id"] for r in json.loads(out.stdout)]
    assert ego[0] == "vessel:maia-1" and "voyage:maia-1-2025-08-pevek-arkhangelsk" not in ego
    out = run(db, "analyze", "bridges", "--status", "confirmed", "--known-by", "2024-06-30")
    assert out.exit_code == 0, out.output
    assert "bridges over" in out.output
    out = run(db, "analyze", "communities", "--top", "2", "--format", "csv")
    assert out.exit_code == 0 and {r["community"] for r in
                                   csv.DictReader(io.StringIO(out.stdout))} == {"1", "2"}


def test_analyze_reads_the_filtered_graph(db):
    from rnkg.graph.ladybug import LadybugBackend

    backend = LadybugBackend(db, read_only=True)
    try:
        g = to_networkx(backend, as_of="2024-06-01", exclude_types=["Source"])
    finally:
        backend.close()
    assert "org:un-poe-dprk" not in g
    assert not any(a["label"] == "Source" for _, a in g.nodes(data=True))
    columns, rows = analyze(g, "ego", "org:unsc", radius=1)
    assert columns[:2] == ["hops", "id"] and rows[0][1] == "org:unsc"


def test_analyze_usage_errors(db):
    assert run(db, "analyze", "pagerank").exit_code == 2
    assert run(db, "analyze", "ego").exit_code == 2
    out = run(db, "analyze", "centrality", "--as-of", "2024-02-30")
    assert out.exit_code == 1 and out.stderr.startswith("rnkg: --as-of: '2024-02-30'")
    out = run(db, "analyze", "centrality", "--exclude-type", "Nation")
    assert out.exit_code == 1 and "unknown node type Nation" in out.stderr


def test_path_options_on_the_command_line(db):
    out = run(db, "path", "Kim Jong Un", "Maia-1", "--exclude-type", "Country", "--max-hops",
              "5", "--format", "json")
    assert out.exit_code == 0, out.output
    (row,) = json.loads(out.stdout)
    assert all(n["labels"] != ["Country"] for n in row["path"]["nodes"])
    today = run(db, "path", "Maia-1", "Panel of Experts", "--format", "json")
    assert today.exit_code == 0 and json.loads(today.stdout)[0]["length"] == 4
    # A designation is in force from its listing on (the US listed Maia-1 on 2022-05-08), so
    # by 2023 Maia-1 reaches the Panel through it; before that listing it does not.
    for option in ("--as-of", "--known-by"):
        out = run(db, "path", "Maia-1", "Panel of Experts", option, "2022-01-01")
        assert out.exit_code == 1 and "no path" in out.stderr and "2022-01-01" in out.stderr
    out = run(db, "path", "Maia-1", "Panel of Experts", "--as-of", "2023-01-01", "--format", "json")
    (row,) = json.loads(out.stdout)
    assert row["path"]["relationships"][0]["type"] == "DESIGNATED"
    out = run(db, "path", "Maia-1", "Lady R", "--limit", "3", "--exclude", "Angara",
              "--status", "confirmed", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert len(rows) == 3 and [r["length"] for r in rows] == sorted(r["length"] for r in rows)
    assert all(n["id"] != "vessel:angara" for r in rows for n in r["path"]["nodes"])


def test_neighbors_and_show_as_of(db):
    out = run(db, "neighbors", "Maia-1", "--hops", "2", "--types", "LINKED_TO", "--format",
              "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows[0] == {"hops": 0, "id": "vessel:maia-1", "label": "Vessel", "name": "Maia-1",
                       "via": ""}
    assert {r["via"] for r in rows[1:]} == {"LINKED_TO"} and max(r["hops"] for r in rows) == 2
    treaty = run(db, "show", "agreement:ru-kp-treaty-2024", "--as-of", "2024-07-01",
                 "--format", "csv")
    assert treaty.exit_code == 0 and "PARTY_TO" not in treaty.stdout
    assert "PARTY_TO" in run(db, "show", "agreement:ru-kp-treaty-2024", "--as-of",
                             "2025-01-01", "--format", "csv").stdout


def test_export_html_as_of(db, tmp_path):
    whole, then = tmp_path / "all.html", tmp_path / "then.html"
    assert run(db, "export", "html", str(whole)).exit_code == 0
    out = run(db, "export", "html", str(then), "--as-of", "2023-01-01")
    assert out.exit_code == 0, out.output
    assert "org:un-poe-dprk" in then.read_text()  # the Panel existed then
    assert "agreement:ru-kp-treaty-2024" in whole.read_text()
    assert "agreement:ru-kp-treaty-2024" not in then.read_text()


def test_entities_resolve_by_imo_number(db):
    for text in ("9358010", "IMO 9358010", "imo:9358010"):
        out = run(db, "neighbors", text, "--format", "json")
        assert out.exit_code == 0, out.output
        assert json.loads(out.stdout)[0]["id"] == "vessel:maia-1"
