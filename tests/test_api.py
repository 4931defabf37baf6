"""The Python front door, ``rnkg.open()``, on a real LadybugDB file and a real Neo4j server."""

from __future__ import annotations

import html
import importlib.util
import re
from pathlib import Path

import networkx as nx
import pytest

import rnkg
from rnkg.errors import Ambiguous, QueryError, RnkgError
from rnkg.graph.lookup import neighbourhood
from rnkg.graph.nx import to_networkx
from rnkg.graph.paths import shortest_paths
from tests.fixtures.environment import MINI
from tests.fixtures.neo4j_server import neo4j_or_skip, neo4j_settings
from tests.test_html_view import CHROMIUM_ARGS, browser  # noqa: F401  (the fixture)


@pytest.fixture
def mini_db(tmp_path):
    """An embedded store holding the mini facts, loaded through the front door."""
    path = tmp_path / "api.lbug"
    with rnkg.open(db=path) as g:
        report = g.load(MINI, reset=True)
    assert report.counts["Vessel"] == 1
    yield path
    from rnkg.graph.ladybug import release

    release(path)


@pytest.fixture
def g(mini_db):
    with rnkg.open(db=mini_db) as graph:
        yield graph


def test_open_is_the_package_front_door_and_closes_the_store(mini_db):
    assert rnkg.open is rnkg.api.open
    with rnkg.open(db=mini_db) as g:
        assert isinstance(g, rnkg.Graph)
        assert repr(g) == f"<rnkg.Graph on embedded store {mini_db}>"
        assert g.query("MATCH (v:Vessel) RETURN v.id AS id").rows == [["vessel:maia-1"]]
    with pytest.raises(QueryError, match="Connection is closed"):
        g.query("RETURN 1 AS one")


def test_query_takes_keyword_params_and_gives_rows_and_records(g):
    rows = g.query("MATCH (p:Person)-[:SIGNED]->(a:Agreement) WHERE a.id = $id "
                   "RETURN p.name AS name, p.id AS id ORDER BY name", id="agreement:treaty-2024")
    assert rows.columns == ["name", "id"]
    assert rows.rows == [["Kim Jong Un", "person:kim-jong-un"],
                         ["Vladimir Putin", "person:vladimir-putin"]]
    assert rows.records() == [{"name": "Kim Jong Un", "id": "person:kim-jong-un"},
                              {"name": "Vladimir Putin", "id": "person:vladimir-putin"}]
    with pytest.raises(QueryError, match="read-only unless --write"):
        g.query("CREATE (:Person {id: 'person:x'})")
    with pytest.raises(QueryError, match=r"^cannot read this query: "):
        g.query("MATCH (n RETURN n")


def test_saved_query_matches_its_cypher_run_directly(g):
    from rnkg.queries import get_saved_query

    saved = get_saved_query("vessel-voyages")
    direct = g.backend.query(saved.text_for(g.backend.name), {"vessel": "vessel:maia-1"})
    rows = g.saved("vessel-voyages", vessel="vessel:maia-1")
    assert rows.columns == direct.columns and rows.rows == direct.rows
    assert len(rows) == len(direct.rows) > 0
    with pytest.raises(QueryError, match="has no parameter nope"):
        g.saved("vessel-voyages", vessel="vessel:maia-1", nope=1)


@pytest.mark.parametrize("name", ["Maia-1", "maya 1", "9358010", "IMO 9358010", "vessel:maia-1"])
def test_show_resolves_ids_names_aliases_and_imo(g, name):
    shown = g.show(name)
    assert shown.node.id == "vessel:maia-1"
    expected = neighbourhood(g.backend, "vessel:maia-1")
    assert shown.links == expected
    data = shown.to_dict()
    assert list(data) == ["node", "citations", "relationships", "claims"]
    assert [(r["direction"], r["relationship"], r["other"]) for r in data["relationships"]] == [
        (n.direction, n.relationship, n.node) for n in expected]
    assert str(shown).startswith("Maia-1  [Vessel]  vessel:maia-1")


def test_show_of_a_claimant_lists_its_claims(g):
    found = g.query("MATCH (a)-[r]->(b) WHERE $id IN r.status_by RETURN r.rid AS rid "
                    "UNION ALL MATCH (n) WHERE $id IN n.status_by RETURN n.id AS rid",
                    id="org:osc")
    shown = g.show("Open Source Centre")
    assert sorted(c.fact.properties.get("rid") or c.fact.id for c in shown.claims) == sorted(
        r[0] for r in found.rows)
    assert shown.claims and all(c.fact.properties["status_by"] == ["org:osc"]
                                for c in shown.claims)
    assert "Claims made by org:osc" in str(shown)


def test_ambiguous_names_raise_with_every_candidate(g):
    with pytest.raises(Ambiguous) as info:
        g.show("kim")
    assert [n.id for n in info.value.candidates] == [
        "person:kim-jong-un", "person:kim-yong-bok", "person:kim-yong-chol"]


def test_paths_resolve_names_and_pass_filters_through(g):
    paths = g.paths("MG-Flot", "Najin", max_hops=4)
    expected = shortest_paths(g.backend, "org:mg-flot", "place:rajin", max_hops=4)
    assert paths.paths == expected and expected
    hops = sum(len(p.relationships) for p in expected)
    assert len(paths.rows) == hops
    assert paths.columns[:3] == ["path", "hop", "from"]
    assert hops == 3 and paths.records()[0]["from"] == "MG-Flot LLC (org:mg-flot)"
    signed = g.paths("Poutine", "Kim Jong Un", via=["SIGNED"], all_shortest=True)
    assert signed.paths == shortest_paths(g.backend, "person:vladimir-putin",
                                          "person:kim-jong-un", via=["SIGNED"], all_shortest=True)
    assert signed.paths and {r.type for p in signed.paths for r in p.relationships} == {"SIGNED"}
    with pytest.raises(QueryError, match="--max-hops"):
        g.paths("MG-Flot", "Najin", max_hops=99)


def test_networkx_and_neighbors(g):
    whole = g.networkx()
    direct = to_networkx(g.backend)
    assert set(whole.nodes) == set(direct.nodes)
    assert set(whole.edges(keys=True)) == set(direct.edges(keys=True))
    around = g.neighbors("Maia-1", hops=1)
    expected = {"vessel:maia-1"} | {n.node.id for n in neighbourhood(g.backend, "vessel:maia-1")}
    assert set(around.nodes) == expected
    sailed = g.neighbors("Maia-1", hops=1, types=["SAILED"])
    assert {t for _, _, t in sailed.edges(data="type")} == {"SAILED"}
    assert set(sailed.nodes) < expected


def test_view_saves_a_page_and_shows_inline_in_an_escaped_iframe(g, tmp_path):
    view = g.view("Maia-1", depth=1)
    assert view.title == "rnkg: Maia-1 within 1 hops"
    assert set(view.graph.nodes) == set(g.neighbors("Maia-1").nodes)
    assert "source:doc-a" not in g.view().graph  # Source nodes only with sources=True
    assert set(g.view(sources=True).graph.nodes) == set(g.networkx().nodes)
    out = view.save(tmp_path / "v" / "maia.html")
    page = out.read_text(encoding="utf-8")
    assert page == view.html
    inline = view._repr_html_()
    m = re.fullmatch(r'<iframe srcdoc="([^"]*)" sandbox="allow-scripts" title="[^"]*"'
                     r' style="[^"]*"></iframe>', inline)
    assert m, inline[:200]
    assert "<" not in m[1] and html.unescape(m[1]) == page


def test_to_dataframe_with_or_without_pandas(g):
    rows = g.query("MATCH (p:Person) RETURN p.id AS id, p.name AS name ORDER BY id")
    if importlib.util.find_spec("pandas") is None:
        with pytest.raises(RnkgError, match="pip install pandas"):
            rows.to_dataframe()
    else:
        frame = rows.to_dataframe()
        assert list(frame.columns) == ["id", "name"]
        assert frame.values.tolist() == rows.rows


def test_the_inline_view_draws_in_chromium_isolated_from_its_host(browser, tmp_path):  # noqa: F811
    g = nx.MultiDiGraph()
    evil = "Evil </script><script>parent.__xss=1</script> Ltd"
    g.add_node("org:evil", label="Organization", name=evil)
    g.add_node("vessel:maia-1", label="Vessel", name="Maia-1")
    g.add_edge("org:evil", "vessel:maia-1", key="r1", type="OWNS", rid="r1")
    host = tmp_path / "notebook.html"
    cell = rnkg.api.View(g, evil)._repr_html_()
    host.write_text(f"<!doctype html><html><body><p>cell</p>{cell}"
                    "</body></html>", encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(host.resolve().as_uri())
        frame = page.frame_locator("iframe")
        frame.locator("#mynetwork canvas").wait_for(timeout=15_000)
        inner = next(f for f in page.frames if f != page.main_frame)
        inner.wait_for_function("typeof network !== 'undefined'")
        assert sorted(inner.evaluate("network.body.data.nodes.getIds()")) == sorted(g.nodes)
        assert inner.evaluate("document.getElementById('title').textContent") == evil
        assert page.evaluate("typeof network") == "undefined"  # the page's scripts stay inside
        assert page.evaluate("window.__xss") is None
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.neo4j
def test_open_neo4j_with_credentials_from_the_environment(monkeypatch, mini):
    neo4j_or_skip().close()  # fails under CI=true when the server is not there
    settings = neo4j_settings()
    monkeypatch.setenv("NEO4J_USERNAME", settings.neo4j_user)
    monkeypatch.setenv("NEO4J_PASSWORD", settings.neo4j_password)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with rnkg.open(backend="neo4j", uri=settings.neo4j_uri,
                   database=settings.neo4j_database) as g:
        assert settings.neo4j_password not in repr(g) + repr(g.settings)
        g.load(MINI, reset=True)
        assert g.show("9358010").node.id == "vessel:maia-1"
        assert g.saved("vessel-voyages", vessel="vessel:maia-1").rows
        paths = g.paths("Kim Jong Un", "Maia-1", max_hops=5)
        assert paths.paths == shortest_paths(g.backend, "person:kim-jong-un", "vessel:maia-1",
                                             max_hops=5)


def test_readme_example_is_the_front_door():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    code = readme.split("## From Python", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    assert "rnkg.open(" in code and "from rnkg.graph" not in code


def test_analyze_gives_what_rnkg_analyze_prints(g, mini_db):
    """The front door's analytics and `rnkg analyze` agree, filters included."""
    import json

    from tests.fixtures.cli import rnkg as rnkg_cli

    for measure, filters, args in (
        ("centrality", {}, []),
        ("centrality", {"exclude_types": ["Country"]}, ["--exclude-type", "Country"]),
        ("bridges", {"as_of": "2023-01-01"}, ["--as-of", "2023-01-01"]),
    ):
        rows = g.analyze(measure, **filters)
        out = rnkg_cli("--db", str(mini_db), "analyze", measure, *args, "--format", "json")
        assert out.returncode == 0, out.stderr
        assert rows.records() == json.loads(out.stdout), (measure, filters)
    assert g.analyze("centrality").rows, "the mini graph has central nodes"
    assert g.analyze("ego", "MG-Flot").records()[0]
