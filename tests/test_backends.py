"""The same behaviour on both engines: a real LadybugDB file and a real Neo4j server."""

import datetime as dt

import pytest

from rnkg.errors import QueryError
from rnkg.graph.values import GNode, GPath, GRel, to_jsonable


def _nonzero(counts):
    return {k: v for k, v in counts.items() if v}


def _all_properties(backend):
    nodes = {n.id: n.properties for (n,) in backend.query("MATCH (n) RETURN n").rows}
    rels = {r.properties["rid"]: (r.type, r.start, r.end, r.properties)
            for (r,) in backend.query("MATCH ()-[r]->() RETURN r").rows}
    return nodes, rels


def test_load_writes_exactly_the_dataset(engine, mini):
    report = engine.load(mini, reset=True)
    assert _nonzero(report.counts) == mini.counts()


def test_loading_twice_changes_nothing(engine, mini):
    engine.load(mini, reset=True)
    first = _all_properties(engine)
    counts = engine.counts()
    engine.load(mini)
    assert engine.counts() == counts
    assert _all_properties(engine) == first


def test_reset_rebuilds_from_scratch(engine, mini):
    engine.load(mini, reset=True)
    engine.query("MATCH (n:Person) WHERE n.id = 'person:kim-yong-bok' DETACH DELETE n", write=True)
    assert engine.counts()["Person"] == 3
    engine.load(mini, reset=True)
    assert engine.counts()["Person"] == 4


@pytest.mark.parametrize("reset", [False, True], ids=["merge", "reset"])
def test_a_load_failing_on_its_last_step_leaves_the_store_as_it_was(engine, mini, curated, reset,
                                                                    tmp_path):
    engine.load(mini, reset=True)
    before = engine.counts()
    before_props = _all_properties(engine)
    steps = []
    original = engine._run_step

    def failing(*args):
        steps.append(1)
        if len(steps) == total:
            raise RuntimeError("injected failure on the last step")
        return original(*args)

    from rnkg.graph.loadplan import Changes, is_empty

    stored = {} if reset else engine.stored_hashes()
    full = reset or is_empty(stored)
    total = sum(1 for _ in engine.load_steps(curated, reset, full, stored, Changes(), tmp_path))
    assert total > 1  # the failure comes after steps that did run
    engine._run_step = failing
    with pytest.raises(RuntimeError, match="injected"):
        engine.load(curated, reset=reset)
    engine._run_step = original
    assert len(steps) == total
    assert engine.counts() == before
    assert _all_properties(engine) == before_props


@pytest.mark.parametrize("reset", [False, True], ids=["merge", "reset"])
def test_a_load_whose_rows_fail_to_build_midway_leaves_the_store_as_it_was(engine, mini,
                                                                          curated, reset):
    # Neo4j builds the next steps in a thread while the server runs the current one: an error
    # there must still end the load at that step, roll it back, and reach the caller.
    engine.load(mini, reset=True)
    before, before_props = engine.counts(), _all_properties(engine)
    original, ran = engine.load_steps, []

    def failing(*args):
        for i, step in enumerate(original(*args)):
            if i == 3:
                raise ValueError("injected failure while building rows")
            ran.append(step[0])
            yield step

    engine.load_steps = failing
    try:
        with pytest.raises(ValueError, match="injected"):
            engine.load(curated, reset=reset)
    finally:
        engine.load_steps = original
    assert len(ran) == 3
    assert engine.counts() == before
    assert _all_properties(engine) == before_props


def test_queries_are_read_only_unless_asked(engine, mini):
    engine.load(mini, reset=True)
    with pytest.raises(QueryError, match="read-only unless --write"):
        engine.query("CREATE (:Person {id: 'person:intruder', name: 'x'})")
    assert engine.query("MATCH (n:Person) WHERE n.id = 'person:intruder' RETURN n").rows == []
    with pytest.raises(QueryError, match="read-only unless --write"):
        engine.query("MATCH (n:Person) SET n.note = 'sneaky'")
    assert engine.query("MATCH (n:Person) WHERE n.note = 'sneaky' RETURN n").rows == []
    engine.query("MATCH (n:Person {id: 'person:kim-yong-bok'}) SET n.note = 'edited'", write=True)
    note = engine.query("MATCH (n:Person {id: 'person:kim-yong-bok'}) RETURN n.note").scalar()
    assert note == "edited"


def test_a_missing_parameter_is_an_error_not_null(engine, mini):
    engine.load(mini, reset=True)
    with pytest.raises(QueryError, match=r"missing parameter \$who"):
        engine.query("MATCH (n) WHERE n.id = $who RETURN n")


def test_values_convert_to_the_json_contract(engine, mini):
    engine.load(mini, reset=True)
    result = engine.query(
        "MATCH p = (a:Person)-[r:SIGNED]->(b:Agreement) WHERE a.id = $id "
        "RETURN a, r, p, r.date_from",
        {"id": "person:vladimir-putin"},
    )
    a, r, p, date = result.rows[0]
    assert isinstance(a, GNode) and a.labels == ("Person",) and a.id == "person:vladimir-putin"
    assert isinstance(r, GRel) and (r.type, r.start, r.end) == (
        "SIGNED", "person:vladimir-putin", "agreement:treaty-2024")
    assert isinstance(p, GPath) and [n.id for n in p.nodes] == [
        "person:vladimir-putin", "agreement:treaty-2024"]
    assert date == dt.date(2024, 6, 19)
    j = to_jsonable(result.records()[0])
    assert j["r"]["start"] == "person:vladimir-putin"
    assert j["r"]["properties"]["date_from"] == "2024-06-19"
    assert j["p"]["relationships"][0]["type"] == "SIGNED"
    assert j["a"]["properties"]["aliases"] == ["Vladimir Poutine"]


def test_a_relationship_alone_still_names_its_ends(engine, mini):
    engine.load(mini, reset=True)
    (rel,) = engine.query("MATCH ()-[r:OWNS]->() RETURN r").rows[0]
    assert (rel.start, rel.end) == ("org:mg-flot", "vessel:maia-1")


def test_every_relationship_in_the_loaded_curated_graph_has_a_citation(curated_store, curated):
    rows = curated_store.query(
        "MATCH (a)-[r]->(b) RETURN r.rid, r.cite_sources, r.cite_quotes, r.cite_sections"
    ).rows
    assert len(rows) == len(curated.relationships)
    bad = [rid for rid, sources, quotes, sections in rows
           if not sources or len(sources) != len(quotes) != len(sections)
           or not all(q or s for q, s in zip(quotes, sections, strict=True))]
    assert bad == []
    sources = {n for (n,) in curated_store.query("MATCH (s:Source) RETURN s.id").rows}
    cited = {s for _, srcs, _, _ in rows for s in srcs}
    assert cited <= sources


def test_every_node_but_sources_has_a_citation(curated_store):
    rows = curated_store.query("MATCH (n) RETURN n").rows
    missing = [n.id for (n,) in rows
               if "Source" not in n.labels and not n.properties.get("cite_sources")]
    assert rows and missing == []


@pytest.mark.parametrize(("text", "expected"), [
    ("person:vladimir-putin", "person:vladimir-putin"),
    ("Poutine", "person:vladimir-putin"),
    ("COREE du nord", "country:kp"),
    ("maia 1", "vessel:maia-1"),
    ("Najin", "place:rajin"),
    ("Kim Jong-un", "person:kim-jong-un"),
])
def test_entities_resolve_by_any_name_on_each_engine(engine, mini, text, expected):
    from rnkg.graph.lookup import resolve_entity

    engine.load(mini, reset=True)
    assert resolve_entity(engine, text).id == expected


def test_ambiguous_and_unknown_names_on_each_engine(engine, mini):
    from rnkg.errors import Ambiguous, NotFound
    from rnkg.graph.lookup import resolve_entity

    engine.load(mini, reset=True)
    with pytest.raises(Ambiguous) as info:
        resolve_entity(engine, "kim")
    assert [n.id for n in info.value.candidates] == [
        "person:kim-jong-un", "person:kim-yong-bok", "person:kim-yong-chol"]
    with pytest.raises(NotFound):
        resolve_entity(engine, "nobody")


def test_neighbourhood_and_networkx_view_on_each_engine(engine, mini):
    from rnkg.graph.lookup import neighbourhood
    from rnkg.graph.nx import to_networkx

    engine.load(mini, reset=True)
    links = neighbourhood(engine, "vessel:maia-1")
    assert [(n.direction, n.relationship.type, n.node.id) for n in links] == [
        ("in", "OWNS", "org:mg-flot"),
        ("out", "SAILED", "voyage:maia-1-2023-rajin-vostochny"),
    ]
    g = to_networkx(engine)
    assert (g.number_of_nodes(), g.number_of_edges()) == (
        len(mini.nodes), len(mini.relationships))
    assert g.nodes["vessel:maia-1"]["imo"] == "9358010"
    assert g.edges["org:mg-flot", "vessel:maia-1",
                   "org:mg-flot-OWNS->vessel:maia-1#2023-10/"]["date_from"] == "2023-10-01"


@pytest.mark.parametrize("cypher", [
    "COMMIT; CREATE (:Person {id: 'person:escape', name: 'x'})",
    "ROLLBACK; CREATE (:Person {id: 'person:escape', name: 'x'})",
    "MATCH (n) RETURN n; CREATE (:Person {id: 'person:escape', name: 'x'})",
    "COPY (MATCH (p:Person) RETURN p.id) TO '{out}'",
])
def test_read_only_cannot_be_escaped(engine, mini, tmp_path, cypher):
    engine.load(mini, reset=True)
    out = tmp_path / "leak.csv"
    with pytest.raises(QueryError):
        engine.query(cypher.replace("{out}", str(out)))
    assert engine.query("MATCH (p:Person) WHERE p.id = 'person:escape' RETURN p").rows == []
    assert not out.exists()


def test_counts_are_one_query_with_every_declared_type(engine, mini):
    schema = engine.schema
    declared = [*schema.nodes, *schema.relationships]
    assert engine.counts() == dict.fromkeys(declared, 0)  # nothing of rnkg's yet
    engine.load(mini, reset=True)
    reads = []
    original = engine._read

    def counting(*args, **kwargs):
        reads.append(args[0])
        return original(*args, **kwargs)

    engine._read = counting
    try:
        counts = engine.counts()
    finally:
        engine._read = original
    assert len(reads) == 1
    assert list(counts) == declared
    # the same numbers as one count query a type
    each = {name: engine.query(f"MATCH (n:{name}) RETURN count(n)").scalar()
            for name in schema.nodes}
    each.update({name: engine.query(f"MATCH ()-[r:{name}]->() RETURN count(r)").scalar()
                 for name in schema.relationships})
    assert counts == each
    assert _nonzero(counts) == mini.counts()


def test_a_committed_load_is_reported_committed_when_the_counts_fail(engine, mini):
    from rnkg.errors import BackendUnavailable

    original = engine.counts

    def lost(*args):
        raise BackendUnavailable("lost the server (injected after the commit)")

    engine.counts = lost
    try:
        report = engine.load(mini, reset=True)
    finally:
        engine.counts = original
    assert report.counts == {} and "injected after the commit" in report.counts_error
    assert _nonzero(engine.counts()) == mini.counts()  # the load did commit


def test_relationship_ends_resolve_after_writes(engine, mini):
    engine.load(mini, reset=True)
    before = engine.query("MATCH ()-[r:OWNS]->() RETURN r").rows
    assert [(r.start, r.end) for (r,) in before] == [("org:mg-flot", "vessel:maia-1")]
    engine.query("CREATE (:Organization {id: 'org:new-owner', name: 'New owner'})", write=True)
    engine.query("MATCH (o:Organization {id: 'org:new-owner'}) "
                 "MATCH (v:Vessel {id: 'vessel:maia-1'}) CREATE (o)-[:OWNS {rid: 'r-new'}]->(v)",
                 write=True)
    rels = engine.query("MATCH ()-[r:OWNS]->() RETURN r ORDER BY r.rid").rows
    assert sorted((r.start, r.end) for (r,) in rels) == [
        ("org:mg-flot", "vessel:maia-1"), ("org:new-owner", "vessel:maia-1")]


def test_importing_the_neo4j_backend_leaves_the_driver_logger_alone():
    import subprocess
    import sys

    code = ("import logging; import rnkg.graph.neo4j; log = logging.getLogger('neo4j'); "
            "print(log.propagate, log.handlers)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "True []"


@pytest.mark.neo4j
def test_the_driver_logger_is_quiet_only_during_rnkg_calls():
    import logging

    from tests.fixtures.neo4j_server import neo4j_or_skip

    log = logging.getLogger("neo4j")
    handlers, propagate = list(log.handlers), log.propagate
    backend = neo4j_or_skip()
    try:
        assert backend.query("RETURN 1 AS one").scalar() == 1
        assert (log.handlers, log.propagate) == (handlers, propagate)
    finally:
        backend.close()
    assert (log.handlers, log.propagate) == (handlers, propagate)
