"""The Neo4j password is never on a command line and never printed (URI userinfo included)."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rnkg.cli import app, one_line
from tests.conftest import IN_CI, REPO

runner = CliRunner()
EXE = Path(sys.executable).with_name("rnkg")
SCRIPT = REPO / "scripts" / "neo4j"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cmdlines() -> dict[int, str]:
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                out[int(entry)] = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
    return out


@pytest.mark.neo4j
def test_first_start_never_puts_the_password_on_a_command_line(tmp_path):
    if not (shutil.which("java") and shutil.which("mvn")):
        if IN_CI:
            pytest.fail("CI=true but no Java/Maven to start a scratch Neo4j")
        pytest.skip("no Java/Maven: cannot start a scratch Neo4j")
    home = tmp_path / "neo4j-home"
    home.mkdir()
    shared_lib = REPO / ".neo4j" / "lib"
    if (shared_lib / ".complete").exists():
        (home / "lib").symlink_to(shared_lib)
    password = "pw-" + secrets.token_hex(16)
    env = {**os.environ, "RNKG_NEO4J_HOME": str(home), "RNKG_NEO4J_PASSWORD": password,
           "RNKG_NEO4J_BOLT_PORT": str(_free_port()), "RNKG_NEO4J_HTTP_PORT": str(_free_port())}
    start = subprocess.Popen([str(SCRIPT), "start"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    leaks: list[str] = []
    seen_argfile = False
    try:
        deadline = time.monotonic() + 300
        while start.poll() is None:
            assert time.monotonic() < deadline, "scripts/neo4j start took over 300 s"
            for line in _cmdlines().values():
                if password in line:
                    leaks.append(line)
                if "@" in line and "set-initial-password." in line:
                    seen_argfile = True
            time.sleep(0.01)
        out, err = start.communicate()
        assert start.returncode == 0, err[-3000:]
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=120,
                       check=False)
    assert not leaks, leaks[:1]
    assert seen_argfile, "the poll never saw the set-initial-password step"
    assert not list((home / "run").glob("set-initial-password.*")), "argfile left behind"
    assert password not in out + err
    for log in (home / "logs").rglob("*"):
        if log.is_file():
            assert password not in log.read_text(errors="replace"), log


@pytest.mark.parametrize("uri", [
    "bolt://neo4j:{pw}@127.0.0.1:1", "neo4j://neo4j:{pw}@127.0.0.1:1",
    "bolt://{pw}@127.0.0.1:1", "neo4j+s://u:{pw}@example.invalid:7687/",
])
@pytest.mark.parametrize("how", ["option", "env"])
def test_a_password_in_the_uri_userinfo_is_refused_and_never_printed(uri, how):
    password = "s3cret-" + secrets.token_hex(8)
    uri = uri.format(pw=password)
    env = {**os.environ, "RNKG_BACKEND": "neo4j"}
    args = [str(EXE), "stats"]
    if how == "option":
        args[1:1] = ["--neo4j-uri", uri]
    else:
        env["NEO4J_URI"] = uri
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60,
                            check=False)
    assert result.returncode == 2, result.stderr
    flat = " ".join(result.stderr.replace("│", " ").split())
    assert "no user or password in the URI" in flat
    assert "***@" in flat
    assert password not in result.stdout + result.stderr


def test_every_error_line_masks_userinfo_and_escapes_control_characters():
    assert one_line("cannot reach bolt://neo4j:hunter22@h:1 (Given URI: 'neo4j://a:b@h')") == (
        "cannot reach bolt://***@h:1 (Given URI: 'neo4j://***@h')")
    assert one_line("a\nb\x1b[31m\x07") == "a\\nb\\x1b[31m\\x07"
    assert "\n" not in one_line("x\u2028y\ry")


def test_neo4j_errors_name_the_server_but_not_the_password(tmp_path):
    password = "pw-" + secrets.token_hex(8)
    env = {"NEO4J_PASSWORD": password, "NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}"}
    result = runner.invoke(app, ["--backend", "neo4j", "stats"], env=env)
    assert result.exit_code == 1
    assert result.stderr.startswith("rnkg: ") and len(result.stderr.splitlines()) == 1
    assert password not in result.output
