"""What analysts hit on the command line: `show` JSON and claims, ambiguous names, tables that fit
the terminal and print data as data, `query` parse errors and --file, `--version`."""

from __future__ import annotations

import json
from importlib.metadata import version

import pytest
from typer.testing import CliRunner

from rnkg.cli import app
from rnkg.errors import Ambiguous, QueryError
from rnkg.graph.lookup import _closeness, resolve_entity
from rnkg.schema.values import fold
from tests.fixtures.cli import loaded_file, rnkg
from tests.fixtures.environment import CURATED, MINI

runner = CliRunner()
BOX = "│┃"


@pytest.fixture
def db(tmp_path):
    with loaded_file(tmp_path / "fixes.lbug", MINI) as path:
        yield path


@pytest.fixture(scope="module")
def curated_db(tmp_path_factory):
    with loaded_file(tmp_path_factory.mktemp("curated") / "curated.lbug", CURATED) as path:
        yield path


@pytest.fixture(scope="module")
def curated_store(curated_db):
    from rnkg.graph.ladybug import LadybugBackend

    store = LadybugBackend(curated_db, read_only=True)
    yield store
    store.close()


def _run(db, *args, input=None):
    return runner.invoke(app, ["--db", str(db), *args], input=input)


def _add_lonely_person(db, note="see [sic] here"):
    created = _run(db, "query", "--write", "--param", f"note={json.dumps(note)}",
                   "CREATE (:Person {id: 'person:lonely', name: 'Lonely Person', note: $note, "
                   "status: 'confirmed', search_keys: ['lonely person', 'person:lonely']})")
    assert created.exit_code == 0, created.output


# ---------------------------------------------------------------- show --format json / csv


def test_show_json_is_one_object_even_without_relationships(db):
    _add_lonely_person(db)
    result = _run(db, "show", "Lonely Person", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["node", "citations", "relationships", "claims"]
    assert data["node"]["id"] == "person:lonely" and data["node"]["labels"] == ["Person"]
    assert data["relationships"] == [] and data["claims"] == []
    assert data["citations"] == []  # the lonely node cites nothing


def test_show_json_relationships_are_every_relationship_of_the_node(db):
    expected = _run(db, "query", "--format", "json", "--param", "id=vessel:maia-1",
                    "MATCH (v)-[r]-(m) WHERE v.id = $id RETURN r.rid AS rid, m.id AS other")
    want = sorted((r["rid"], r["other"]) for r in json.loads(expected.stdout))
    result = _run(db, "show", "Maia-1", "--format", "json")
    assert result.exit_code == 0, result.output
    rels = json.loads(result.stdout)["relationships"]
    assert sorted((r["relationship"]["properties"]["rid"], r["other"]["id"]) for r in rels) == want
    for r in rels:
        assert set(r) == {"direction", "relationship", "other", "citations"}
        end = "start" if r["direction"] == "in" else "end"
        assert r["relationship"][end] == r["other"]["id"]
    csv = _run(db, "show", "Maia-1", "--format", "csv")
    lines = csv.stdout.splitlines()
    assert lines[0] == "node,direction,relationship,other" and len(lines) == len(want) + 1


def test_show_of_a_claimant_lists_the_claims_it_made(db):
    made = _run(db, "query", "--format", "json", "--param", "id=org:osc",
                "MATCH (a)-[r]->(b) WHERE $id IN r.status_by RETURN r.rid AS fact, r.status AS s, "
                "r.date_text AS d UNION ALL MATCH (n) WHERE $id IN n.status_by "
                "RETURN n.id AS fact, n.status AS s, n.date_text AS d")
    want = sorted((r["fact"], r["s"], r["d"] or "") for r in json.loads(made.stdout))
    assert want
    result = _run(db, "show", "Open Source Centre", "--format", "json")
    claims = json.loads(result.stdout)["claims"]
    got = sorted((c["fact"].get("id") or c["fact"]["properties"]["rid"], c["status"], c["date"])
                 for c in claims)
    assert got == want
    table = _run(db, "show", "Open Source Centre")
    section = table.stdout.split("Claims made by org:osc\n", 1)
    assert len(section) == 2, table.stdout
    assert section[1].rstrip().endswith(f"{len(want)} claims")
    for _, status, _ in want:
        assert f"{status} by org:osc" in section[1]


# ---------------------------------------------------------------- names


def _matching(store, key: str) -> list[str]:
    rows = store.query("WITH $key AS key MATCH (n) WHERE any(k IN n.search_keys "
                       "WHERE k CONTAINS key) RETURN n.id", {"key": key}).rows
    return [r[0] for r in rows]


def test_an_ambiguous_name_counts_every_match_people_and_closest_first(curated_store):
    matching = _matching(curated_store, "kim jong")
    assert len(matching) > 12  # more than the message lists
    with pytest.raises(Ambiguous) as info:
        resolve_entity(curated_store, "kim jong")
    found = info.value.candidates
    assert sorted(n.id for n in found) == sorted(matching)
    assert str(info.value).startswith(f"'kim jong' matches {len(matching)} entities (the first 12)")
    assert "person:kim-jong-un (Kim Jong Un)" in str(info.value)
    ranks = [(_closeness(n, "kim jong"),
              {"Person": 0, "Source": 2}.get(n.labels[0], 1)) for n in found]
    assert ranks == sorted(ranks)
    people = [n for n in found if n.labels[0] == "Person"]
    assert people and all(_closeness(n, "kim jong") == 1 for n in people)
    assert found[:len(people)] == people  # every Kim Jong ... before the events named after them


def test_cli_ambiguous_message_is_one_line_with_the_full_count(curated_db, curated_store):
    count = len(_matching(curated_store, "kim jong"))
    result = _run(curated_db, "show", "kim jong")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"rnkg: 'kim jong' matches {count} entities")


def test_a_surname_finds_its_one_person(curated_store):
    assert len(_matching(curated_store, fold("Shoigu"))) > 1  # a substring of other names too
    assert resolve_entity(curated_store, "Shoigu").id == "person:sergei-shoigu"


@pytest.mark.parametrize("text", ["9358010", "IMO 9358010", "imo:9358010"])
def test_an_imo_number_finds_its_vessel(db, text):
    result = _run(db, "show", text, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["node"]["id"] == "vessel:maia-1"


# ---------------------------------------------------------------- tables


@pytest.mark.parametrize("args", [["show", "Maia-1"], ["queries", "list"], ["stats"], ["schema"]])
def test_tables_fit_an_80_column_terminal(curated_db, args):
    result = rnkg("--db", str(curated_db), *args, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) > 3
    too_wide = [line for line in lines if len(line) > 80]
    assert too_wide == [], too_wide[:3]


def _column(table: str, index: int) -> str:
    """The text of one column of a rich table, its wrapped lines joined, without spaces."""
    parts = []
    for line in table.splitlines():
        if line.startswith("│"):
            parts.append(line.split("│")[index + 1])
    return "".join("".join(parts).split())


def test_schema_table_wraps_without_losing_text_or_its_lists():
    table = rnkg("schema", env={"COLUMNS": "80"}).stdout
    rows = json.loads(rnkg("schema", "--format", "json").stdout)
    for index, column in enumerate(["kind", "type", "shape", "time", "properties"]):
        want = "".join("".join(str(r[column]).split()) for r in rows)
        assert _column(table, index) == want, column
    assert any("[" in r["properties"] for r in rows)  # the choice lists that markup ate


def test_show_prints_brackets_in_data_as_they_are(db):
    _add_lonely_person(db, note="see [sic] here, and [bold]not bold[/bold]")
    result = _run(db, "show", "person:lonely")
    assert "  note: see [sic] here, and [bold]not bold[/bold]" in result.stdout.splitlines()


# ---------------------------------------------------------------- rnkg query


def test_query_tells_a_parse_error_from_a_write_on_each_engine(engine, mini):
    engine.load(mini, reset=True)
    with pytest.raises(QueryError, match="read-only unless --write"):
        engine.query("MATCH (n) DETACH DELETE n")
    with pytest.raises(QueryError, match=r"^cannot read this query: 'MATC' does not start a read"):
        engine.query("MATC (n) RETURN n")
    with pytest.raises(QueryError, match=r"^cannot read this query: \S") as info:
        engine.query("MATCH (n RETURN n")
    assert "writes" not in str(info.value)
    assert engine.query("MATCH(n:Vessel) RETURN n.id").rows == [["vessel:maia-1"]]


def test_query_from_a_file_or_standard_input(db, tmp_path):
    text = "MATCH (v:Vessel) WHERE v.id = $id RETURN v.imo AS imo"
    f = tmp_path / "q.cypher"
    f.write_text(text, encoding="utf-8")
    direct = _run(db, "query", "--format", "csv", "-p", "id=vessel:maia-1", text)
    from_file = _run(db, "query", "--format", "csv", "-p", "id=vessel:maia-1", "--file", str(f))
    stdin = _run(db, "query", "--format", "csv", "-p", "id=vessel:maia-1", "--file", "-",
                 input=text)
    assert direct.stdout.splitlines() == ["imo", "9358010"]
    assert from_file.stdout == direct.stdout and stdin.stdout == direct.stdout
    both = _run(db, "query", "--file", str(f), text)
    neither = _run(db, "query")
    assert both.exit_code == 2 and neither.exit_code == 2
    missing = _run(db, "query", "--file", str(tmp_path / "none.cypher"))
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines() == [
        f"rnkg: cannot read {tmp_path / 'none.cypher'}: No such file or directory"]
    empty = _run(db, "query", "--file", "-", input="  \n")
    assert empty.exit_code == 1 and empty.stderr.strip() == "rnkg: standard input holds no query"


def test_cli_parse_error_message(db):
    result = _run(db, "query", "MATCH (n RETURN n")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rnkg: cannot read this query: ")


def test_version_comes_from_the_package_metadata():
    result = rnkg("--version")
    assert result.returncode == 0
    assert result.stdout == f"rnkg {version('rnkg')}\n" == "rnkg 0.1.0\n"
