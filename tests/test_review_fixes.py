"""The review's reproductions that still misbehaved on a fresh clone of main (F24), now fixed.

- a nested `--param` whose list mixes kinds came back from the embedded store as a string;
- a truncated store file was reported as "may be checkpointing; please retry later";
- `export html --depth N` without `--focus` ignored `--depth` without a word.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rnkg.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory, mini):
    from rnkg.graph.ladybug import LadybugBackend, release

    path = tmp_path_factory.mktemp("fix") / "s.lbug"
    LadybugBackend(path).load(mini, reset=True)
    release(path)
    yield path
    release(path)


@pytest.mark.security("Bad arguments and parameters (F9, F24)")
@pytest.mark.parametrize(("value", "where"), [
    ('{"a":{"b":[1,2,{"c":null}]}}', "x.a.b"), ("[1,\"x\"]", "x"), ('[[1],[true,2]]', "x[1]"),
])
def test_a_param_list_mixing_kinds_is_one_line_not_a_string(db, value, where):
    result = runner.invoke(app, ["--db", str(db), "query", "--format", "json",
                                 "RETURN $x AS x", "--param", f"x={value}"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"rnkg: parameter {where}: a list mixing ")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


@pytest.mark.security("Bad arguments and parameters (F9, F24)")
def test_a_nested_param_of_one_kind_per_list_comes_back_as_given(db):
    value = {"a": {"b": [1, 2, None], "c": [{"d": "x"}, {"d": "y"}]}}
    result = runner.invoke(app, ["--db", str(db), "query", "--format", "json",
                                 "RETURN $x AS x", "--param", f"x={json.dumps(value)}"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"x": value}]


@pytest.mark.security("Faults: failed loads, lost server, damaged or locked store (F14, F18, F24)")
@pytest.mark.parametrize("keep", [0.5, 4096, 100])
def test_a_truncated_store_is_named_damaged(db, tmp_path, keep):
    data = db.read_bytes()
    cut = tmp_path / "cut.lbug"
    cut.write_bytes(data[: int(len(data) * keep) if keep < 1 else keep])
    result = runner.invoke(app, ["--db", str(cut), "stats"])
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"rnkg: {cut} is damaged or truncated (its checkpoint points past "
                             "the end of the file); restore it, or rebuild it with "
                             "`rnkg load --reset`\n")


@pytest.mark.security("Bad arguments and parameters (F9, F24)")
@pytest.mark.parametrize("command", ["html", "graphml"])
def test_export_depth_without_focus_is_a_usage_error(db, tmp_path, command):
    out = tmp_path / f"x.{command}"
    result = runner.invoke(app, ["--db", str(db), "export", command, str(out), "--depth", "3"])
    assert result.exit_code == 2, result.output
    assert "--depth" in result.stderr and "needs --focus" in result.stderr
    assert not out.exists()
    result = runner.invoke(app, ["--db", str(db), "export", command, str(out)])
    assert result.exit_code == 0, result.output
