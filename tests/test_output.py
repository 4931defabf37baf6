"""What reaches a terminal, a JSON parser or an export file: hostile text, NaN, odd paths.

Terminal control characters (F10), rich markup in data, NaN/Infinity in JSON (F16), HTML pages
that could not draw (F12, in Chromium: see test_html_view.py) and unwritable export paths (F13).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from rnkg.cli import app
from rnkg.errors import OutputError
from rnkg.output import render
from tests.fixtures.environment import MINI

runner = CliRunner()

ESC_NAME = ("Esc \x1b]0;PWNED-TITLE\x07\x1b[31mRED\x1b[0m \x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[H "
            "cleared \r overwritten \x9b2J see [sic] here [bold]x[/bold] :smile:")
ESC_ALIAS = "\x1b[1;31mALIAS\x1b[0m"
ESC_DESCRIPTION = "line1\x1b[1A\x1b[2Kfake line"
ESC_SECTION = "sec \x1b[5mblink\x1b[0m\x08"
HOSTILE = f"""
nodes:
  - id: person:esc
    name: {json.dumps(ESC_NAME)}
    aliases: [{json.dumps(ESC_ALIAS)}]
    description: {json.dumps(ESC_DESCRIPTION)}
    cite: [{{source: source:doc-a, section: {json.dumps(ESC_SECTION)}}}]
relationships:
  - type: NATIONAL_OF
    from: person:esc
    to: country:ru
    cite: [{{source: source:doc-a, section: {json.dumps(ESC_SECTION)}}}]
"""
# Every control character but the line feed: none may reach a terminal raw.
CONTROLS = {chr(c) for c in [*range(0x00, 0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for f in MINI.iterdir():
        shutil.copy(f, folder / f.name)
    (folder / "zz-esc.yaml").write_text(HOSTILE, encoding="utf-8")
    db = tmp_path_factory.mktemp("store") / "esc.lbug"
    result = runner.invoke(app, ["--db", str(db), "load", "--facts", str(folder), "--reset"])
    assert result.exit_code == 0, result.output
    yield db
    from rnkg.graph.ladybug import release

    release(db)


def _raw_controls(text: str) -> set[str]:
    return {c for c in text if c in CONTROLS}


def test_show_escapes_control_characters_and_ignores_markup(hostile_db):
    result = runner.invoke(app, ["--db", str(hostile_db), "show", "person:esc"])
    assert result.exit_code == 0, result.output
    assert _raw_controls(result.stdout) == set()
    first = result.stdout.splitlines()[0]
    assert first.startswith("Esc \\x1b]0;PWNED-TITLE\\x07\\x1b[31mRED\\x1b[0m "
                            "\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b[H cleared \\r overwritten "
                            "\\x9b2J see [sic] here [bold]x[/bold] :smile:"), first
    assert "  aliases: \\x1b[1;31mALIAS\\x1b[0m" in result.stdout
    assert "  description: line1\\x1b[1A\\x1b[2Kfake line" in result.stdout
    assert "  source source:doc-a: sec \\x1b[5mblink\\x1b[0m\\x08" in result.stdout
    # The relationship table's sources cell shows the same escapes (folded at the column width).
    lines = result.stdout.splitlines()
    table = "\n".join(lines[next(i for i, line in enumerate(lines) if "┏" in line):])
    squeezed = "".join(ch for ch in table if ch not in "│┃ \n")
    assert "source:doc-a:sec\\x1b[5mblink\\x1b[0m\\x08" in squeezed, table


def test_query_table_escapes_and_keeps_brackets(hostile_db):
    result = runner.invoke(app, ["--db", str(hostile_db), "query",
                                 "MATCH (p:Person {id: 'person:esc'}) "
                                 "RETURN p.description AS d, 'see [sic] here [red]r[/red]' AS m"])
    assert result.exit_code == 0, result.output
    assert _raw_controls(result.stdout) == set()
    assert "line1\\x1b[1A\\x1b[2Kfake line" in result.stdout
    assert "see [sic] here [red]r[/red]" in result.stdout


def _names_as_csv(db: Path, tty: bool) -> str:
    exe = Path(sys.executable).with_name("rnkg")
    args = [str(exe), "--db", str(db), "query", "--format", "csv",
            "MATCH (p:Person {id: 'person:esc'}) RETURN p.name AS name"]
    env = {**os.environ, "RNKG_BACKEND": "embedded"}
    if not tty:
        done = subprocess.run(args, capture_output=True, env=env, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout.decode("utf-8")
    main, child = pty.openpty()
    proc = subprocess.Popen(args, stdin=child, stdout=child, stderr=child, env=env)
    os.close(child)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(main, 65536)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=60) == 0
    os.close(main)
    # The terminal turns "\n" into "\r\n" on output (onlcr): that CR is the tty's, not data.
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_csv_to_a_terminal_is_escaped_and_to_a_pipe_is_the_data(hostile_db):
    on_tty = _names_as_csv(hostile_db, tty=True)
    assert _raw_controls(on_tty) == set(), repr(on_tty)
    assert "\\x1b]52;c;cHduZWQ=\\x07" in on_tty
    piped = _names_as_csv(hostile_db, tty=False)
    assert list(csv.reader(io.StringIO(piped))) == [["name"], [ESC_NAME]]


def test_json_keeps_the_data_and_escapes_every_control():
    out = render(["t"], [[ESC_NAME]], "json")
    assert _raw_controls(out) == set()
    assert json.loads(out) == [{"t": ESC_NAME}]


def _strict(text: str):
    def refuse(constant: str):
        raise AssertionError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_json_never_has_nan_or_infinity_on_either_engine(engine, value):
    result = engine.query("RETURN $x AS x, [$x, 1.5] AS xs, 2.5 AS ok", {"x": value})
    rows = _strict(render(result.columns, result.rows, "json"))
    assert rows == [{"x": None, "xs": [None, 1.5], "ok": 2.5}]


@pytest.mark.parametrize("param", ["x=NaN", "x=Infinity", "x=-Infinity", "x=1e999"])
def test_cli_json_from_a_param_is_strict(tmp_path, param):
    db = tmp_path / "j.lbug"
    result = runner.invoke(app, ["--db", str(db), "load", "--facts", str(MINI), "--reset"])
    assert result.exit_code == 0, result.output
    try:
        result = runner.invoke(app, ["--db", str(db), "query", "--format", "json", "--param",
                                     param, "RETURN $x AS x, sqrt(-1.0) AS y, 1.0/0.0 AS z"])
    finally:
        from rnkg.graph.ladybug import release

        release(db)
    assert result.exit_code == 0, result.output
    assert _strict(result.stdout) == [{"x": None, "y": None, "z": None}]


# ---------------------------------------------------------------- export paths (F13)


@pytest.fixture(scope="module")
def mini_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("mini") / "mini.lbug"
    result = runner.invoke(app, ["--db", str(db), "load", "--facts", str(MINI), "--reset"])
    assert result.exit_code == 0, result.output
    yield db
    from rnkg.graph.ladybug import release

    release(db)


@pytest.mark.parametrize(("target", "reason"), [
    ("DIR", "is a directory, not a file name"),
    ("", "is a directory, not a file name"),
    ("/proc/x.html", "No such file or directory"),
    ("/dev/full", "No space left on device"),
])
def test_export_to_an_unwritable_path_is_one_line(mini_db, tmp_path, target, reason):
    if target == "DIR":
        target = str(tmp_path)
    before = sorted(tmp_path.iterdir())
    result = runner.invoke(app, ["--db", str(mini_db), "export", "html", target])
    assert result.exit_code == 1, result.output
    shown = target or "."  # typer reads "" as the path "." (the working directory)
    assert result.stderr.splitlines() == [f"rnkg: cannot write {shown}: {reason}"]
    assert result.stdout == ""
    assert sorted(tmp_path.iterdir()) == before  # nothing half-written beside it


def test_export_replaces_a_file_whole(mini_db, tmp_path):
    out = tmp_path / "sub" / "view.html"
    for _ in range(2):
        result = runner.invoke(app, ["--db", str(mini_db), "export", "html", str(out)])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["view.html"]
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


# ---------------------------------------------------------------- exports: ids and GraphML


def test_a_page_that_could_not_draw_is_refused_before_writing(tmp_path):
    from rnkg.graph.export.html import HtmlExporter

    out = tmp_path / "v.html"
    exporter = HtmlExporter(out, "t")
    exporter.write_node("person:a", {"label": "Person", "name": "A"})
    exporter.write_node("country:b", {"label": "Country", "name": "B"})
    exporter.write_edge("same", "person:a", "country:b", {"type": "NATIONAL_OF"})
    exporter.write_edge("same", "person:a", "country:b", {"type": "NATIONAL_OF"})
    with pytest.raises(OutputError) as info:
        exporter.finish()
    assert str(info.value) == (f"cannot write {out}: the page would not draw: "
                               "edge id 'same' is not unique")
    assert not out.exists()


def test_edges_without_rid_get_unique_ids():
    from rnkg.graph.export import edge_ids
    from rnkg.graph.nx import add_rel
    from rnkg.graph.values import GRel

    g = nx.MultiDiGraph()
    for start in ("person:a", "person:b"):
        for _ in range(2):
            add_rel(g, GRel("NATIONAL_OF", start, "country:c", {"note": "no rid"}))
    # A rid set by hand that repeats another edge's id, on another pair of nodes.
    add_rel(g, GRel("NATIONAL_OF", "person:d", "country:c",
                    {"rid": "person:a-NATIONAL_OF->country:c"}))
    assert g.number_of_edges() == 5
    ids = edge_ids(g)
    assert sorted(ids.values()) == [
        "person:a-NATIONAL_OF->country:c", "person:a-NATIONAL_OF->country:c#2",
        "person:a-NATIONAL_OF->country:c#3",
        "person:b-NATIONAL_OF->country:c", "person:b-NATIONAL_OF->country:c#2"]


def test_graphml_round_trip_through_the_list_rule(loaded_mini, tmp_path):
    from rnkg.graph.export import export_graph, scalar
    from rnkg.graph.export.graphml import GraphMLExporter
    from rnkg.graph.nx import to_networkx

    g = to_networkx(loaded_mini)
    with pytest.raises(nx.NetworkXError):  # what the list rule is for
        nx.write_graphml(g, io.BytesIO())
    out = tmp_path / "g.graphml"
    export_graph(g, GraphMLExporter(out))
    back = nx.read_graphml(out, force_multigraph=True)
    assert set(back.nodes) == set(g.nodes)
    for node_id, attrs in g.nodes(data=True):
        assert back.nodes[node_id] == {k: scalar(v) for k, v in attrs.items()}, node_id
    assert back.number_of_edges() == g.number_of_edges()
    read = {k: a for _, _, k, a in back.edges(keys=True, data=True)}
    for _, _, key, attrs in g.edges(keys=True, data=True):
        assert read[attrs["rid"]] == {k: scalar(v) for k, v in attrs.items()}, key


@pytest.fixture
def loaded_mini(engine, mini):
    engine.load(mini, reset=True)
    return engine


def test_cli_export_graphml_reads_back(mini_db, mini, tmp_path):
    out = tmp_path / "mini.graphml"
    result = runner.invoke(app, ["--db", str(mini_db), "export", "graphml", str(out)])
    assert result.exit_code == 0, result.output
    n, e = len(mini.nodes), len(mini.relationships)
    assert result.stdout.strip() == f"wrote {out} ({n} nodes, {e} edges)"
    back = nx.read_graphml(out, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (n, e)
    assert back.nodes["country:ru"]["aliases"] == "Russie; Российская Федерация"
    assert {k for _, _, k in back.edges(keys=True)} == set(mini.relationships)
    unwritable = runner.invoke(app, ["--db", str(mini_db), "export", "graphml", "/dev/full"])
    assert unwritable.exit_code == 1
    assert unwritable.stderr.splitlines() == [
        "rnkg: cannot write /dev/full: No space left on device"]


def test_a_title_quoting_the_data_is_escaped_too(tmp_path):
    db = tmp_path / "odd\x1b[31m.lbug"
    result = runner.invoke(app, ["--db", str(db), "load", "--facts", str(MINI), "--reset"])
    assert result.exit_code == 0, result.output
    try:
        result = runner.invoke(app, ["--db", str(db), "stats"])
    finally:
        from rnkg.graph.ladybug import release

        release(db)
    assert result.exit_code == 0, result.output
    title = result.stdout.splitlines()[0]
    assert _raw_controls(result.stdout) == set(), title
    assert "odd\\x1b[31m.lbug" in title
