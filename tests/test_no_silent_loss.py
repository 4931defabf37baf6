"""Nothing lost without a word: an empty `load --reset` refuses, Ctrl-C is one line and exit 1."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rnkg.cli import app
from tests.fixtures.environment import MINI

runner = CliRunner()
EXE = Path(sys.executable).with_name("rnkg")


def _counts(db: Path) -> dict:
    result = runner.invoke(app, ["--db", str(db), "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    return {r["type"]: r["count"] for r in json.loads(result.stdout)}


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "keep.lbug"
    result = runner.invoke(app, ["--db", str(path), "load", "--facts", str(MINI)])
    assert result.exit_code == 0, result.output
    yield path
    from rnkg.graph.ladybug import release

    release(path)


@pytest.mark.parametrize("content", [None, "nodes: []\n", "# nothing here\n"])
def test_reset_with_an_empty_folder_refuses_and_says_what_it_would_remove(
        store, tmp_path, content):
    empty = tmp_path / "empty"
    empty.mkdir()
    if content is not None:
        (empty / "only.yaml").write_text(content)
    before = _counts(store)
    assert sum(before.values()) == 14 + 8
    result = runner.invoke(app, ["--db", str(store), "load", "--reset", "--facts", str(empty)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"rnkg: {empty} ")
    assert "would remove all 14 nodes and 8 relationships" in line and "--allow-empty" in line
    assert _counts(store) == before


def test_reset_with_allow_empty_empties_the_store(store, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["--db", str(store), "load", "--reset", "--allow-empty",
                                 "--facts", str(empty)])
    assert result.exit_code == 0, result.output
    assert sum(_counts(store).values()) == 0


def test_an_empty_folder_without_reset_still_loads_nothing_quietly(store, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    before = _counts(store)
    result = runner.invoke(app, ["--db", str(store), "load", "--facts", str(empty)])
    assert result.exit_code == 0, result.output
    assert _counts(store) == before


def _big_facts(tmp_path: Path, rows: int) -> Path:
    facts = tmp_path / "big"
    shutil.copytree(MINI, facts)
    lines = ["id,name,aliases,description,cite_source,cite_section"]
    lines += [f"person:p{i},Person {i},A{i};B{i},Someone numbered {i},source:doc-a,p. {i}"
              for i in range(rows)]
    (facts / "people.csv").write_text("\n".join(lines) + "\n")
    return facts


def _has_open(pid: int, path: Path) -> bool:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(str(path)):
                return True
        except OSError:
            continue
    return False


def test_ctrl_c_during_a_big_embedded_load_prints_one_line_and_exits_1(store, tmp_path):
    facts = _big_facts(tmp_path, 20_000)
    before = _counts(store)
    from rnkg.graph.ladybug import release

    release(store)
    proc = subprocess.Popen([str(EXE), "--db", str(store), "load", "--facts", str(facts)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not _has_open(proc.pid, store):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the load never opened the store"
        time.sleep(0.05)
    time.sleep(1.0)
    assert proc.poll() is None, "the load finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (proc.returncode, err)
    assert err == "rnkg: interrupted\n", err
    assert "loaded" not in out
    assert _counts(store) == before


@pytest.mark.parametrize("reset", [True, False], ids=["full build", "one transaction"])
def test_a_ctrl_c_that_native_code_swallowed_still_stops_the_load_before_it_commits(
        tmp_path, mini, curated, monkeypatch, reset):
    """LadybugDB checks for signals before a query and only prints an exception the handler
    raised there; the interrupt stays pending, and the load stops at its next statement."""
    from rnkg import errors
    from rnkg.graph.ladybug import LadybugBackend, release

    monkeypatch.setattr(errors, "_pending_interrupt", False)  # restored after the test
    path = tmp_path / "s.lbug"
    store = LadybugBackend(path)
    store.load(mini, reset=True)
    before = store.counts()
    original = store._run_step
    seen: list[str] = []

    def swallowing(run, statement, params):
        seen.append(statement)
        if len(seen) == 3:
            # what the SIGINT handler does, and what native code did with it
            with contextlib.suppress(errors.Interrupted):
                errors.interrupt()
        return original(run, statement, params)

    store._run_step = swallowing
    with pytest.raises(errors.Interrupted):
        store.load(curated, reset=reset)
    assert len(seen) == 3  # not one statement after the swallowed Ctrl-C
    store._run_step = original
    monkeypatch.setattr(errors, "_pending_interrupt", False)
    assert store.counts() == before
    assert not any(p.name.startswith("s.lbug.build") for p in tmp_path.iterdir())
    store.close()
    release(path)


def test_a_ctrl_c_native_code_could_only_print_is_not_printed(tmp_path):
    """What LadybugDB does with an exception raised in the SIGINT handler under it
    (PyErr_WriteUnraisable) prints nothing under `rnkg`: the interrupt stays pending and ends
    the command with the one line; any other unraisable exception is still printed."""
    testcapi = pytest.importorskip("_testcapi", reason="this Python has no _testcapi module")
    assert hasattr(testcapi, "write_unraisable_exc")
    script = tmp_path / "run.py"
    script.write_text(
        "import sys, _testcapi\n"
        "import rnkg.cli as cli\n"
        "from rnkg import errors\n"
        "sys.unraisablehook = cli._unraisable\n"
        "try:\n"
        "    errors.interrupt()\n"
        "except errors.Interrupted as exc:\n"
        "    _testcapi.write_unraisable_exc(exc, 'checking a handler', None)\n"
        "_testcapi.write_unraisable_exc(ValueError('other'), 'somewhere else', None)\n"
        "try:\n"
        "    errors.check_interrupted()\n"
        "except errors.Interrupted:\n"
        "    print('still pending')\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.stdout == "still pending\n", (done.stdout, done.stderr)
    assert "Interrupted" not in done.stderr and "checking a handler" not in done.stderr
    assert "ValueError: other" in done.stderr


@pytest.mark.neo4j
def test_reset_with_an_empty_folder_refuses_on_neo4j_too(tmp_path, mini):
    from rnkg.schema import load_schema
    from tests.fixtures.neo4j_server import neo4j_or_skip, neo4j_settings

    backend = neo4j_or_skip()
    try:
        backend.load(mini, reset=True)
        before = backend.counts()
    finally:
        backend.close()
    s = neo4j_settings()
    env = {**os.environ, "NEO4J_URI": s.neo4j_uri, "NEO4J_PASSWORD": s.neo4j_password}
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run([str(EXE), "--backend", "neo4j", "load", "--reset", "--facts",
                             str(empty)], capture_output=True, text=True, env=env, timeout=120,
                            check=False)
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.splitlines()
    nodes = sum(v for k, v in before.items() if k in load_schema().nodes)
    assert nodes >= 14
    assert f"would remove all {nodes} nodes" in line and "--allow-empty" in line
    assert s.neo4j_password not in result.stderr
    backend = neo4j_or_skip()
    try:
        assert backend.counts() == before
    finally:
        backend.close()
