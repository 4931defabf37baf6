"""Saved queries: each one's answer on the curated graph equals its golden answer
(queries/expected/NAME.json) on both engines; parameters are typed, coerced and resolved; user
folders cannot shadow shipped queries; ``rnkg queries check`` names failing files."""

import json

import pytest
from typer.testing import CliRunner

from rnkg.cli import app
from rnkg.errors import QueryError
from rnkg.queries import (
    EXPECTED_DIR,
    QUERY_DIR,
    Param,
    check_folder,
    coerce,
    golden_answer,
    golden_path,
    load_all_queries,
    load_saved_queries,
    parse_saved_query,
)
from tests.fixtures.cli import loaded_file
from tests.fixtures.environment import MINI

QUERIES = sorted(load_saved_queries())
runner = CliRunner()


def test_there_are_at_least_25_saved_queries():
    assert len(QUERIES) >= 25


def test_every_golden_answer_belongs_to_a_query():
    goldens = sorted(p.stem for p in EXPECTED_DIR.glob("*.json"))
    assert goldens == QUERIES


@pytest.mark.parametrize("name", QUERIES)
def test_saved_query_gives_its_golden_answer(curated_store, name):
    q = load_saved_queries()[name]
    path = golden_path(name)
    assert path.exists(), f"{name} has no golden answer: run `make goldens` and read it"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert golden_answer(q.run(curated_store, q.example_params())) == expected


@pytest.mark.parametrize("given", ["Maia-1", "vessel:maia-1", "MAIA 1", "9358010", "IMO 9358010"])
def test_an_entity_parameter_takes_a_name_alias_id_or_imo(curated_store, given):
    q = load_saved_queries()["vessel-voyages"]
    answer = golden_answer(q.run(curated_store, {"vessel": given}))
    assert answer == json.loads(golden_path("vessel-voyages").read_text(encoding="utf-8"))
    assert len(answer) >= 5


def test_an_unknown_entity_names_the_parameter(curated_store):
    q = load_saved_queries()["vessel-voyages"]
    with pytest.raises(QueryError, match=r"^--param vessel: no entity named 'Nautilus'"):
        q.run(curated_store, {"vessel": "Nautilus"})


def test_the_as_of_rule_keeps_terms_that_hold_on_the_day(curated_store):
    q = load_saved_queries()["council-members-as-of"]
    members = {r["member"] for r in golden_answer(q.run(curated_store, {"as_of": "2022-06-01"}))}
    assert {"Russia", "China", "United States"} <= members
    assert "Japan" not in members  # elected for 2023/2024
    later = {r["member"] for r in golden_answer(q.run(curated_store, {"as_of": "2025-06-01"}))}
    assert "South Korea" in later and "Japan" not in later  # 2024/2025 in, 2023/2024 out


@pytest.mark.parametrize(("typ", "raw", "value"), [
    ("date", "2024-06-19", "2024-06-19"),
    ("int", "-3", -3),
    ("float", "1.5", 1.5),
    ("bool", "false", False),
    ("bool", "Yes", True),
    ("list", "a, b ,c", ["a", "b", "c"]),
    ("list", '["a,b", "c"]', ["a,b", "c"]),
    ("string", "3", "3"),
    ("entity", "Maia-1", "Maia-1"),
])
def test_parameters_are_coerced_by_their_declared_type(typ, raw, value):
    got = coerce(Param("p", typ, ""), raw)
    assert (got.isoformat() if typ == "date" else got) == value


@pytest.mark.parametrize(("typ", "raw", "what"), [
    ("date", "x", "a date"),
    ("date", "2024-02-30", "a date"),
    ("date", "2024-06", "a date"),
    ("int", "1.5", "an integer"),
    ("float", "ten", "a number"),
    ("bool", "maybe", "true or false"),
    ("list", "[1,", "a list (a JSON array or comma-separated)"),
])
def test_a_wrong_type_is_one_line_naming_the_parameter(typ, raw, what):
    with pytest.raises(QueryError) as info:
        coerce(Param("since", typ, ""), raw)
    assert str(info.value) == f"--param since: not {what}: {raw!r}"


def test_an_int_parameter_stays_within_64_bits():
    assert coerce(Param("n", "int", ""), str(2**63 - 1)) == 2**63 - 1
    with pytest.raises(QueryError, match=r"^--param n: an integer outside 64 bits: 9223372036"):
        coerce(Param("n", "int", ""), str(2**63))


def test_examples_must_name_declared_params_and_have_their_types(tmp_path):
    path = tmp_path / "q.cypher"
    path.write_text("// title: Q\n// param: d (date) D\n// example: e=1\nRETURN $d AS d\n")
    with pytest.raises(QueryError, match="undeclared params e"):
        parse_saved_query(path)
    path.write_text("// title: Q\n// param: d (date) D\n// example: d=soon\nRETURN $d AS d\n")
    with pytest.raises(QueryError, match="--param d: not a date: 'soon'"):
        parse_saved_query(path)


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


def test_a_user_folder_adds_queries_but_cannot_shadow_shipped_ones(tmp_path):
    (tmp_path / "my-vessels.cypher").write_text("// title: Mine\nMATCH (v:Vessel) RETURN v.id\n")
    queries = load_all_queries([tmp_path])
    assert "my-vessels" in queries and "vessel-voyages" in queries
    (tmp_path / "vessel-voyages.cypher").write_text("// title: Shadow\nRETURN 1 AS x\n")
    with pytest.raises(QueryError, match="the name 'vessel-voyages' is taken by"):
        load_all_queries([tmp_path])


def test_check_offline_names_each_bad_file(tmp_path):
    (tmp_path / "good.cypher").write_text("// title: Good\n// param: n (int) N\n"
                                          "// example: n=2\nRETURN $n AS n\n")
    (tmp_path / "untitled.cypher").write_text("RETURN 1 AS x\n")
    (tmp_path / "undeclared.cypher").write_text("// title: U\nRETURN $x AS x\n")
    problems = check_folder(tmp_path, None)
    assert len(problems) == 2
    assert "untitled.cypher" in problems[1] and "title" in problems[1]
    assert "undeclared.cypher" in problems[0] and "differ from those used" in problems[0]


@pytest.fixture
def mini_db(tmp_path):
    """A LadybugDB file holding the tiny test facts (it has Maia-1 and its voyages)."""
    with loaded_file(tmp_path / "mini.lbug", MINI) as path:
        yield path


def test_cli_run_resolves_a_vessel_by_name(mini_db):
    result = runner.invoke(app, ["--db", str(mini_db), "queries", "run", "vessel-voyages",
                                 "--param", "vessel=Maia-1", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(set(r) >= {"voyage", "date", "sources"} for r in rows)


def test_cli_wrong_type_is_exit_1_with_one_line(mini_db):
    result = runner.invoke(app, ["--db", str(mini_db), "queries", "run", "changes-between",
                                 "-p", "since=x", "-p", "until=2024-01-01"])
    assert result.exit_code == 1
    assert result.stderr == "rnkg: --param since: not a date: 'x'\n"


def test_cli_check_runs_each_file_and_names_failures(mini_db, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "ok.cypher").write_text("// title: Ok\n// param: v (entity) V\n// example: v=Maia-1\n"
                                      "MATCH (n) WHERE n.id = $v RETURN n.id\n")
    (folder / "broken.cypher").write_text("// title: Broken\nMATCH (n RETURN n\n")
    result = runner.invoke(app, ["--db", str(mini_db), "queries", "check", str(folder)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and "broken.cypher" in lines[0] and lines[1].endswith("failed")
    (folder / "broken.cypher").unlink()
    result = runner.invoke(app, ["--db", str(mini_db), "queries", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 queries" in result.stdout


def test_cli_queries_option_and_env_add_a_folder(tmp_path):
    (tmp_path / "mine.cypher").write_text("// title: Mine\nRETURN 1 AS x\n")
    by_option = runner.invoke(app, ["queries", "list", "--queries", str(tmp_path), "-f", "json"])
    by_env = runner.invoke(app, ["queries", "list", "-f", "json"],
                           env={"RNKG_QUERIES": str(tmp_path)})
    for result in (by_option, by_env):
        assert result.exit_code == 0, result.output
        names = [r["name"] for r in json.loads(result.stdout)]
        assert "mine" in names and len(names) == len(QUERIES) + 1
