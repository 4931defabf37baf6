"""The command line, through typer's runner and as a real subprocess."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from rnkg.cli import app
from tests.fixtures.cli import loaded_file, rnkg
from tests.fixtures.environment import CURATED, MINI

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    with loaded_file(tmp_path / "cli.lbug", MINI) as path:
        yield path


def test_query_json_contract(db):
    result = runner.invoke(app, [
        "--db", str(db), "query", "--format", "json",
        "MATCH (p:Person)-[s:SIGNED]->(a:Agreement) RETURN p, s, a.name AS agreement "
        "ORDER BY p.name"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["p"]["id"] for r in rows] == ["person:kim-jong-un", "person:vladimir-putin"]
    assert rows[0]["p"]["labels"] == ["Person"]
    assert rows[0]["s"]["type"] == "SIGNED"
    assert rows[0]["s"]["start"] == "person:kim-jong-un"
    assert rows[0]["s"]["end"] == "agreement:treaty-2024"
    assert rows[0]["s"]["properties"]["date_from"] == "2024-06-19"


def test_query_csv_and_params(db):
    result = runner.invoke(app, ["--db", str(db), "query", "--format", "csv", "--param",
                                 "id=\"vessel:maia-1\"", "--param", "n=1",
                                 "MATCH (v:Vessel) WHERE v.id = $id RETURN v.imo AS imo LIMIT $n"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["imo", "9358010"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Poutine", "person:vladimir-putin"),
    ("corée du nord", "country:kp"),
    ("maia 1", "vessel:maia-1"),
    ("MAYA-1", "vessel:maia-1"),
    ("Najin", "place:rajin"),
])
def test_show_finds_by_name_or_alias_ignoring_case_and_accents(db, text, expected):
    result = runner.invoke(app, ["--db", str(db), "show", text, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["node"]["id"] == expected


def test_show_lists_relationships_with_sources(db):
    result = runner.invoke(app, ["--db", str(db), "show", "Maia-1"])
    assert result.exit_code == 0, result.output
    assert "<-[OWNS]-" in result.stdout and "MG-Flot LLC (org:mg-flot)" in result.stdout
    assert "-[SAILED]->" in result.stdout and "source:doc-a: p. 4" in result.stdout


def test_show_in_80_columns_lists_blocks_without_splitting_words(db):
    wide = runner.invoke(app, ["--db", str(db), "show", "Maia-1"], env={"COLUMNS": "200"})
    narrow = runner.invoke(app, ["--db", str(db), "show", "Maia-1"], env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.output
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "┏" in wide.stdout and "┏" not in narrow.stdout
    assert "<-[OWNS]- MG-Flot LLC (org:mg-flot)" in lines
    assert any(line.startswith("    source: source:doc-a: p. 4") for line in lines)
    # Every word of the wide table's cells is whole in the narrow view.
    words = {w for line in wide.stdout.splitlines() if line.startswith("│")
             for w in line.split() if len(w) > 3 and not set(w) & set("│")}
    narrow_words = set(narrow.stdout.split())
    assert words <= narrow_words, sorted(words - narrow_words)[:5]


def test_show_ambiguous_name_lists_candidates(db):
    result = runner.invoke(app, ["--db", str(db), "show", "kim"])
    assert result.exit_code == 1
    assert "matches 3 entities" in result.stderr
    assert "person:kim-jong-un (Kim Jong Un)" in result.stderr


def test_exit_codes_and_one_line_errors(db, tmp_path):
    refused = runner.invoke(app, ["--db", str(db), "query", "CREATE (:Person {id: 'person:z'})"])
    assert refused.exit_code == 1
    assert refused.stderr.strip().splitlines() == [
        "rnkg: this query writes; rnkg query is read-only unless --write is given"]
    bad_cypher = runner.invoke(app, ["--db", str(db), "query", "MATCH (n RETURN n"])
    assert bad_cypher.exit_code == 1 and len(bad_cypher.stderr.strip().splitlines()) == 1
    usage = runner.invoke(app, ["--db", str(db), "query", "MATCH (n) RETURN n", "--format", "xml"])
    assert usage.exit_code == 2
    unknown = runner.invoke(app, ["--db", str(db), "show", "nobody-at-all"])
    assert unknown.exit_code == 1 and "no entity named" in unknown.stderr
    missing_store = runner.invoke(app, ["--db", str(tmp_path / "none.lbug"), "stats"])
    assert missing_store.exit_code == 1 and "run `rnkg load` first" in missing_store.stderr


def test_broken_facts_name_file_line_field_and_write_nothing(db, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in MINI.iterdir():
        (broken / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    text = (broken / "core.yaml").read_text(encoding="utf-8")
    (broken / "core.yaml").write_text(text.replace('imo: "9358010"', 'imo: "9358011"'),
                                      encoding="utf-8")
    (broken / "extra.yaml").write_text(
        "nodes:\n  - id: person:new-person\n    name: New\n"
        "    cite: [{source: source:doc-a, section: p}]\n", encoding="utf-8")
    before = runner.invoke(app, ["--db", str(db), "stats", "--format", "json"]).stdout
    result = runner.invoke(app, ["--db", str(db), "load", "--facts", str(broken)])
    assert result.exit_code == 1
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "imo:" in t)
    assert f"core.yaml:{line}: imo: not a valid IMO number" in result.stderr
    after = runner.invoke(app, ["--db", str(db), "stats", "--format", "json"]).stdout
    assert json.loads(after) == json.loads(before)


def test_validate_curated_and_schema_commands():
    result = runner.invoke(app, ["validate", "--facts", str(CURATED), "--format", "json"])
    assert result.exit_code == 0, result.output
    counts = {r["type"]: r["count"] for r in json.loads(result.stdout)}
    assert counts["Vessel"] >= 4 and counts["CAST_VOTE"] >= 30
    schema = runner.invoke(app, ["schema", "--format", "json"])
    rows = json.loads(schema.stdout)
    signed = next(r for r in rows if r["type"] == "SIGNED")
    assert signed["shape"] == "(Person)-[SIGNED]->(Agreement)"


def test_saved_query_runs_with_its_default_params(tmp_path):
    db = tmp_path / "curated.lbug"
    assert runner.invoke(app, ["--db", str(db), "load"]).exit_code == 0
    result = runner.invoke(app, ["--db", str(db), "queries", "run", "treaty-signatories",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["signatory"] for r in json.loads(result.stdout)] == ["Kim Jong Un", "Vladimir Putin"]
    from rnkg.graph.ladybug import release

    release(db)


def test_subprocess_end_to_end(tmp_path):
    env = {"RNKG_DB": str(tmp_path / "sub.lbug"), "RNKG_BACKEND": "embedded"}
    load = rnkg("load", env=env)
    assert load.returncode == 0, load.stderr
    query = rnkg("query", "--format", "json",
                 "MATCH (p:Person)-[:SIGNED]->(a:Agreement) RETURN p.name, a.name", env=env)
    assert query.returncode == 0, query.stderr
    names = {r["p.name"] for r in json.loads(query.stdout)}
    assert {"Vladimir Putin", "Kim Jong Un"} <= names
    show = rnkg("show", "Maia-1", env=env)
    assert show.returncode == 0 and "MG-Flot" in show.stdout
    usage = rnkg("--backend", "oracle", "stats", env=env)
    assert usage.returncode == 2


def test_down_server_is_one_sentence_not_a_traceback():
    result = rnkg("--backend", "neo4j", "stats",
                  env={"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "secret-pw-123"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rnkg: cannot reach Neo4j at bolt://127.0.0.1:9")
    assert "Traceback" not in result.stderr and "secret-pw-123" not in result.stderr


def test_a_damaged_or_foreign_store_file_is_one_sentence(tmp_path):
    empty = tmp_path / "empty.lbug"
    empty.write_bytes(b"")
    text = tmp_path / "notes.lbug"
    text.write_text("this is not a graph store\n" * 100)
    for path, expected in [(empty, "is an empty file, not a LadybugDB store"),
                           (text, "is not a LadybugDB store"),
                           (tmp_path, "is a folder")]:
        result = rnkg("--db", str(path), "stats")
        assert result.returncode == 1, (path, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], lines
    assert empty.stat().st_size == 0  # refused, not silently turned into a new store


def test_a_store_in_use_by_another_process_is_named(tmp_path):
    db = tmp_path / "busy.lbug"
    assert rnkg("--db", str(db), "load", "--facts", str(MINI)).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, ladybug; db = ladybug.Database(sys.argv[1]); "
         "print('open', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        result = rnkg("--db", str(db), "load", "--facts", str(MINI))
        assert result.returncode == 1
        assert f"is in use by another process (PID {holder.pid})" in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_a_reload_removes_what_the_facts_no_longer_hold_and_notes_foreign_rows(db, tmp_path):
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    text = (MINI / "core.yaml").read_text(encoding="utf-8")
    (smaller / "core.yaml").write_text(text, encoding="utf-8")  # no voyages.csv
    result = runner.invoke(app, ["--db", str(db), "load", "--facts", str(smaller)])
    assert result.exit_code == 0, result.output
    # the voyage and its 3 relationships were written by a load: they go
    assert result.stdout.split(": ", 1)[1].startswith("0 added, 0 changed, 4 removed")
    assert "note:" not in result.stderr
    runner.invoke(app, ["--db", str(db), "query", "--write",
                        "CREATE (:Voyage {id: 'voyage:by-hand', name: 'By hand'})"])
    again = runner.invoke(app, ["--db", str(db), "load", "--facts", str(smaller)])
    assert again.exit_code == 0, again.output
    assert ("note: the store also holds 1 Voyage that these facts do not have"
            in again.stderr)
    reset = runner.invoke(app, ["--db", str(db), "load", "--facts", str(smaller), "--reset"])
    assert reset.exit_code == 0 and "note:" not in reset.stderr


def test_export_html_leaves_sources_out_unless_asked(db, tmp_path, mini):
    out = tmp_path / "all.html"
    plain = runner.invoke(app, ["--db", str(db), "export", "html", str(out)])
    with_sources = runner.invoke(app, ["--db", str(db), "export", "html", str(out), "--sources"])
    n_sources = sum(1 for n in mini.nodes.values() if n.label == "Source")
    n = len(mini.nodes)
    edges = len(mini.relationships)
    assert plain.stdout.strip() == f"wrote {out} ({n - n_sources} nodes, {edges} edges)"
    assert with_sources.stdout.strip() == f"wrote {out} ({n} nodes, {edges} edges)"
