"""Fact files and arguments that try to hurt: each case of the security review is refused with
one `rnkg: ` line naming file, line and field, exit 1, in bounded time and memory."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rnkg.cli import app
from tests.fixtures.environment import CURATED, MINI

runner = CliRunner()
EXE = Path(sys.executable).with_name("rnkg")


def rnkg_limited(*args: str, memory: int = 1 << 30, timeout: float = 30,
                 env: dict | None = None) -> subprocess.CompletedProcess:
    """The real console script under an address-space limit (RLIMIT_AS) and a timeout."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limit, env={**os.environ, **(env or {})}, check=False)


def folder(tmp_path: Path, base: Path | None = MINI, **files: str | bytes) -> Path:
    """A copy of a fact folder (or an empty one) plus the given files."""
    out = tmp_path / "facts"
    if base is None:
        out.mkdir()
    else:
        shutil.copytree(base, out)
    for name, content in files.items():
        target = out / name.replace("__", ".")
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return out


def validate(facts: Path, env: dict | None = None):
    return runner.invoke(app, ["validate", "--facts", str(facts)], env=env)


def error_lines(result) -> list[str]:
    lines = result.stderr.splitlines()
    assert lines, result.output
    assert all(line.startswith("rnkg: ") for line in lines), result.stderr
    assert "Traceback" not in result.output
    return lines


def test_every_stderr_line_is_one_rnkg_line_helper_fails_on_a_traceback():
    class Fake:
        stderr = "Traceback (most recent call last):\n  ..."
        output = stderr
    with pytest.raises(AssertionError):
        error_lines(Fake())


# ---------------------------------------------------------------- F3: alias bombs

CITE = "cite: [{source: source:doc-a, section: x}]"


def bomb_1223() -> str:
    t = ("nodes:\n  - id: person:bomb\n    name: bomb\n    " + CITE +
         "\n    aliases: &x0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n")
    t += "".join(f"  - id: person:bomb{i}\n    name: b{i}\n    {CITE}\n    aliases: &x{i} ["
                 + ",".join([f"*x{i - 1}"] * 9) + "]\n" for i in range(1, 9))
    return t


def bomb_568() -> str:
    lines = ["nodes:", "  - id: person:bomb", "    name: bomb", "    " + CITE,
             "    description:", '      a: &a ["lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"      {cur}: &{cur} [" + ",".join([f"*{prev}"] * 8) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("make", [bomb_1223, bomb_568])
@pytest.mark.parametrize("command", ["validate", "load"])
def test_alias_bomb_is_refused_in_bounded_time_and_memory(tmp_path, make, command):
    text = make()
    assert 400 < len(text.encode()) < 1300
    facts = folder(tmp_path, **{"zz-bomb__yaml": text})
    args = (["--db", str(tmp_path / "s.lbug")] if command == "load" else []) + [
        command, "--facts", str(facts)]
    result = rnkg_limited(*args, memory=1 << 30, timeout=30)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"rnkg: {facts / 'zz-bomb.yaml'}:")
    line_no = int(lines[0].split("zz-bomb.yaml:")[1].split(":")[0])
    assert "&" + ("x0" if make is bomb_1223 else "a") in text.splitlines()[line_no - 1]
    assert "anchor" in lines[0]
    assert not (tmp_path / "s.lbug").exists()


def test_a_plain_alias_is_refused_with_its_line(tmp_path):
    facts = folder(tmp_path, **{"zz__yaml": "nodes:\n  - id: person:x\n    name: x\n    "
                                + CITE + "\n    aliases: *nowhere\n"})
    lines = error_lines(validate(facts))
    assert lines[0].startswith(f"rnkg: {facts / 'zz.yaml'}:5: ")
    assert "alias" in lines[0]


@pytest.mark.parametrize("text", [
    "nodes:\n  - id: person:x\n    name: x\n    note: " + "[" * 500 + "]" * 500 + "\n",
    "nodes:\n  - id: person:x\n    note: " + "[" * 20000 + "\n",
    "nodes:\n  - id: person:x\n    note:\n" + "".join(
        " " * (6 + 2 * i) + f"k{i}:\n" for i in range(3000)) + " " * 6008 + "v: 1\n",
])
def test_deep_nesting_is_one_line_not_a_recursion_error(tmp_path, text):
    facts = folder(tmp_path, **{"zz__yaml": text})
    result = rnkg_limited("validate", "--facts", str(facts), timeout=60)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr[:2000]
    assert lines[0].startswith(f"rnkg: {facts / 'zz.yaml'}:")
    assert "nesting deeper than" in lines[0] or "YAML syntax" in lines[0]


def test_a_fact_file_over_the_size_limit_names_file_and_limit(tmp_path):
    facts = folder(tmp_path, **{"zz__yaml": "# padding\n" * 3000})
    result = validate(facts, env={"RNKG_MAX_FACT_BYTES": "29999"})
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line == (f"rnkg: {facts / 'zz.yaml'}: larger than the 29999-byte limit for a fact "
                    "file (RNKG_MAX_FACT_BYTES raises it)")
    assert validate(facts, env={"RNKG_MAX_FACT_BYTES": "30000"}).exit_code == 0


# ---------------------------------------------------------------- F8, F9: crashes and overflow


@pytest.mark.parametrize(("text", "line"), [
    ("nodes:\n  - id: person:x\n    ? [a, b]\n    : 1\n", 3),
    ("? {a: 1}\n: x\n", 1),
    ("relationships:\n  - {type: [SIGNED], from: a:b, to: c:d}\n", 2),
    ("relationships:\n  - {type: {SIGNED: 1}, from: a:b, to: c:d}\n", 2),
])
def test_odd_keys_and_types_are_clean_errors(tmp_path, text, line):
    facts = folder(tmp_path, **{"zz__yaml": text})
    result = validate(facts)
    assert result.exit_code == 1
    lines = error_lines(result)
    assert lines[0].startswith(f"rnkg: {facts / 'zz.yaml'}:{line}: "), lines


@pytest.mark.parametrize("value", ["99999999999999999999999", str(2**63), str(-(2**63) - 1)])
def test_integers_beyond_64_bits_are_refused_at_validation(tmp_path, value):
    text = (MINI / "core.yaml").read_text()
    marker = "  - id: vessel:maia-1\n"
    assert marker in text
    text = text.replace(marker, marker + f"    build_year: {value}\n")
    line = text.splitlines().index("  - id: vessel:maia-1") + 2
    facts = folder(tmp_path, **{"core__yaml": text})
    result = validate(facts)
    assert result.exit_code == 1
    (first, *_) = error_lines(result)
    assert first.startswith(f"rnkg: {facts / 'core.yaml'}:{line}: build_year: ")
    assert "out of range" in first


def test_int64_max_itself_is_accepted(tmp_path):
    text = (MINI / "core.yaml").read_text().replace(
        "  - id: vessel:maia-1\n", f"  - id: vessel:maia-1\n    build_year: {2**63 - 1}\n")
    assert validate(folder(tmp_path, **{"core__yaml": text})).exit_code == 0


def test_a_huge_csv_integer_is_refused_with_its_line(tmp_path):
    rows = (MINI / "voyages.csv").read_text().splitlines()
    header = rows[0].split(",")
    col = header.index("trip_count")
    cells = rows[1].split(",")
    cells[col] = "123456789012345678901234567890"
    rows[1] = ",".join(cells)
    facts = folder(tmp_path, **{"voyages__csv": "\n".join(rows) + "\n"})
    (first, *_) = error_lines(validate(facts))
    assert first.startswith(f"rnkg: {facts / 'voyages.csv'}:2: trip_count: ")


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "h.lbug"
    result = runner.invoke(app, ["--db", str(path), "load", "--facts", str(MINI)])
    assert result.exit_code == 0, result.output
    yield path
    from rnkg.graph.ladybug import release

    release(path)


@pytest.mark.parametrize("args", [
    ["query", "RETURN $p AS p", "--param", "p=99999999999999999999999"],
    ["query", "RETURN $p AS p", "--param", "p=[1, 9223372036854775808]"],
])
def test_a_big_integer_param_is_one_line(store, args):
    result = runner.invoke(app, ["--db", str(store), *args])
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert "outside 64 bits" in line


@pytest.mark.neo4j
def test_a_big_integer_param_is_one_line_on_neo4j():
    from tests.fixtures.neo4j_server import neo4j_or_skip, neo4j_settings

    neo4j_or_skip().close()
    s = neo4j_settings()
    env = {**os.environ, "NEO4J_URI": s.neo4j_uri, "NEO4J_PASSWORD": s.neo4j_password}
    for args in (["query", "RETURN $p AS p", "--param", "p=99999999999999999999999"],
                 ["query", "RETURN $p AS p", "--param", "p=[1, 9223372036854775808]"]):
        result = subprocess.run([str(EXE), "--backend", "neo4j", *args], capture_output=True,
                                text=True, env=env, timeout=60, check=False)
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines() == [result.stderr.strip()]
        assert result.stderr.startswith("rnkg: --param ") and "outside 64 bits" in result.stderr


# ---------------------------------------------------------------- F13, F17, F19, F20


def test_an_unreadable_fact_file_is_one_line(tmp_path):
    facts = folder(tmp_path)
    (facts / "zz.yaml").symlink_to("/proc/self/mem")
    (line,) = error_lines(validate(facts))
    assert line.startswith(f"rnkg: {facts / 'zz.yaml'}: ")


@pytest.mark.parametrize(("content", "expect"), [
    (b"nodes:\n  - id: person:x\x00\n", ":2: YAML syntax: unacceptable character #x0000"),
    (b"nodes:\n  - id: person:x\n    name: \x01\n", ":3: YAML syntax: unacceptable character"),
    (b'"sec\\ntion": []\n', ":1: sec\\ntion: unknown section"),
    (b"nodes:\n  - id: person:x\n    name: caf\xe9\n", ":3: not UTF-8 text"),
    (b"\xff\xfen\x00o\x00", ":1: not UTF-8 text"),
])
def test_errors_stay_one_line_with_the_line_number(tmp_path, content, expect):
    facts = folder(tmp_path, **{"zz__yaml": content})
    result = validate(facts)
    assert result.exit_code == 1
    lines = error_lines(result)
    assert lines[0].startswith(f"rnkg: {facts / 'zz.yaml'}{expect}"), lines


def test_an_unknown_field_with_a_newline_in_its_name_is_shown_escaped(tmp_path):
    facts = folder(tmp_path, **{"zz__yaml": 'nodes:\n  - id: person:x\n    name: x\n    '
                                + CITE + '\n    "bad\\nfield": 1\n'})
    lines = error_lines(validate(facts))
    assert any("bad\\nfield" in line for line in lines), lines


def test_a_too_large_csv_field_names_its_line(tmp_path):
    rows = (MINI / "voyages.csv").read_text().splitlines()
    rows.insert(2, '"' + "x" * 200_000 + '"')
    facts = folder(tmp_path, **{"voyages__csv": "\n".join(rows) + "\n"})
    (line,) = error_lines(validate(facts))
    assert line.startswith(f"rnkg: {facts / 'voyages.csv'}:3: CSV syntax: field larger")


def test_a_non_utf8_csv_names_the_line_of_the_bad_byte(tmp_path):
    data = (MINI / "voyages.csv").read_bytes() + b"voyage:x,caf\xe9\n"
    facts = folder(tmp_path, **{"voyages__csv": data})
    n = data.count(b"\n")
    (line,) = error_lines(validate(facts))
    assert line.startswith(f"rnkg: {facts / 'voyages.csv'}:{n}: not UTF-8 text")


def test_fact_paths_that_are_not_regular_files_are_errors(tmp_path):
    facts = folder(tmp_path)
    (facts / "zz-dir.yaml").mkdir()
    (facts / "zz-loop.yaml").symlink_to("zz-loop.yaml")
    (facts / "zz-dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    os.mkfifo(facts / "zz-fifo.yaml")
    (facts / "zz-zero.csv").symlink_to("/dev/zero")
    (facts / "sub").mkdir()
    (facts / "sub" / "up").symlink_to("..")
    result = rnkg_limited("validate", "--facts", str(facts), timeout=30)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    names = ["zz-dangling.yaml", "zz-dir.yaml", "zz-fifo.yaml", "zz-loop.yaml", "zz-zero.csv"]
    for name in names:
        assert any(line.startswith(f"rnkg: {facts / name}: ") for line in lines), (name, lines)
    assert lines[-1] == f"rnkg: {len(names)} problems; nothing was written"


def test_a_csv_with_a_bom_reads_like_one_without(tmp_path):
    bom = b"\xef\xbb\xbf" + (MINI / "voyages.csv").read_bytes()
    facts = folder(tmp_path, **{"voyages__csv": bom})
    with_bom = validate(facts)
    assert with_bom.exit_code == 0, with_bom.output
    assert with_bom.stdout.split(":", 1)[1] == validate(MINI).stdout.split(":", 1)[1]


# ---------------------------------------------------------------- F21, F22, F23


def test_a_file_that_did_not_parse_comes_first_and_its_cascade_is_summarised(tmp_path):
    facts = folder(tmp_path, base=CURATED)
    text = (facts / "maia-1.yaml").read_text().splitlines()
    index = next(i for i, t in enumerate(text) if t.strip().startswith("name:"))
    text[index] = "\t" + text[index]
    (facts / "maia-1.yaml").write_text("\n".join(text) + "\n")
    lines = error_lines(validate(facts))
    assert lines[0].startswith(f"rnkg: {facts / 'maia-1.yaml'}:") and "YAML syntax" in lines[0]
    assert "which did not parse" in lines[-2] and "maia-1.yaml" in lines[-2]
    assert not any("no node with id" in line for line in lines)
    assert len(lines) <= 4, lines


@pytest.mark.parametrize("date", ["٢٠٢٤-٠١-٠١", "２０２４-０１", "2024-٠١"])
def test_dates_in_non_ascii_digits_are_refused(tmp_path, date):
    text = (MINI / "core.yaml").read_text().replace("date: 2024-03-28", f"date: '{date}'", 1)
    assert date in text
    facts = folder(tmp_path, **{"core__yaml": text})
    (first, *_) = error_lines(validate(facts))
    assert f"{facts / 'core.yaml'}:" in first and ": date: " in first


def test_a_text_value_over_the_bound_is_refused_naming_its_field(tmp_path):
    big = "x" * (1024 * 1024 + 1)
    text = (MINI / "core.yaml").read_text().replace(
        "  - id: vessel:maia-1\n", f"  - id: vessel:maia-1\n    description: {big}\n")
    facts = folder(tmp_path, **{"core__yaml": text})
    (first, *_) = error_lines(validate(facts))
    assert ": description: a text of 1048577 bytes is over the 1048576-byte limit" in first
    assert validate(facts, env={"RNKG_MAX_TEXT_BYTES": str(2 * 1024 * 1024)}).exit_code == 0


# ---------------------------------------------------------------- F24


def test_a_blank_query_is_one_line(store):
    result = runner.invoke(app, ["--db", str(store), "query", "   \n\t"])
    assert result.exit_code == 1
    assert error_lines(result) == ["rnkg: the query is empty"]


@pytest.mark.parametrize("value", ["9" * 30, "true", "null", "Nautilus"])
def test_saved_query_params_are_checked_against_their_declared_type(store, value):
    # vessel is an entity parameter: any text is a name to look up (typed coercion and the
    # 64-bit bound of int parameters: tests/test_saved_queries.py)
    result = runner.invoke(app, ["--db", str(store), "queries", "run", "vessel-voyages",
                                 "--param", f"vessel={value}"])
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith(f"rnkg: --param vessel: no entity named {value!r}")
    ok = runner.invoke(app, ["--db", str(store), "queries", "run", "vessel-voyages",
                             "--param", "vessel=vessel:maia-1"])
    assert ok.exit_code == 0, ok.output


def test_csv_rows_after_a_multi_line_cell_keep_their_true_line(tmp_path):
    table = ('id,name,note,cite_source,cite_section\n'
             'person:a,A,"two\nlines",source:doc-a,p. 1\n'
             'person:b,B,x,source:nowhere,p. 2\n')
    facts = folder(tmp_path, **{"people__csv": table})
    (first, *_) = error_lines(validate(facts))
    assert first.startswith(f"rnkg: {facts / 'people.csv'}:4: cite[0].source: "), first
