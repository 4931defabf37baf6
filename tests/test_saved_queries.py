"""Every saved query parses, declares exactly the parameters it uses, answers with its defaults
on the curated graph, and gives the same answer on both engines."""

import pytest

from rnkg.errors import QueryError
from rnkg.graph.values import to_jsonable
from rnkg.queries import QUERY_DIR, load_saved_queries, parse_saved_query

QUERIES = sorted(load_saved_queries())


def test_there_are_saved_queries():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("name", QUERIES)
def test_saved_query_answers_on_the_curated_graph(curated_store, name):
    q = load_saved_queries()[name]
    result = curated_store.query(q.text_for(curated_store.name), q.bind({}))
    assert result.rows, f"{name} returned no rows with its default parameters"


def _answers(backend):
    out = {}
    for name, q in load_saved_queries().items():
        result = backend.query(q.text_for(backend.name), q.bind({}))
        out[name] = to_jsonable(result.records())
    return out


@pytest.mark.neo4j
def test_saved_queries_agree_on_both_engines(curated, tmp_path):
    from tests.fixtures.stores import on_both_engines

    neo_answers, emb_answers = on_both_engines(curated, tmp_path, _answers)
    assert neo_answers == emb_answers


def test_declared_params_must_match_the_text(tmp_path):
    bad = tmp_path / "bad.cypher"
    bad.write_text("// title: Bad\n// param: a (string) A\nMATCH (n) WHERE n.id = $b RETURN n\n")
    with pytest.raises(QueryError, match="differ from those used"):
        parse_saved_query(bad)
    assert QUERY_DIR.is_dir()


def test_engine_variants_are_named_as_the_backends(tmp_path):
    (tmp_path / "q.cypher").write_text("// title: Q\n// param: a (string) A\n"
                                       "MATCH (n) WHERE n.id = $a RETURN n.name\n")
    (tmp_path / "q.embedded.cypher").write_text("MATCH (n) WHERE n.id = $a RETURN n.name AS x\n")
    (tmp_path / "q.neo4j.cypher").write_text("MATCH (n {id: $a}) RETURN n.name\n")
    queries = load_saved_queries(tmp_path)
    assert list(queries) == ["q"]  # variants are not queries of their own
    q = queries["q"]
    assert q.text_for("embedded").endswith("AS x")
    assert q.text_for("neo4j") == "MATCH (n {id: $a}) RETURN n.name"
    (tmp_path / "q.neo4j.cypher").write_text("MATCH (n {id: $b}) RETURN n\n")
    with pytest.raises(QueryError, match=r"q\.neo4j\.cypher: its params differ"):
        load_saved_queries(tmp_path)
