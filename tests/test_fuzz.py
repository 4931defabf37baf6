"""Property-based fuzzing (hypothesis) of fact files and CLI arguments on the embedded engine.

The only outcomes allowed: exit 0; exit 1 with every stderr line starting `rnkg: `; exit 2
(usage). Never a traceback, never another exception. Each test runs ``FUZZ_EXAMPLES``
examples (``RNKG_FUZZ_EXAMPLES``, default 100; `make fuzz` runs 2,500 per test, 10,000 in
all) and prints how many it ran.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rnkg.cli import app
from tests.fixtures.cli import loaded_file
from tests.fixtures.environment import MINI

runner = CliRunner()
FUZZ_EXAMPLES = int(os.environ.get("RNKG_FUZZ_EXAMPLES") or 100)
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

FIELDS = ["id", "name", "aliases", "description", "note", "cite", "date", "status", "by",
          "type", "from", "to", "key", "build_year", "imo", "iso2", "kind", "trip_count",
          "source", "quote", "section", "flag", "aggregate", "x\ny", ""]
PREFIXES = ["person:", "country:", "vessel:", "source:", "org:", "nope:", "", "source:doc-a"]
REL_TYPES = ["SIGNED", "SAILED", "OWNS", "NATIONAL_OF", "MEMBER_OF", "BOGUS", "signed"]


def _check(result, counter: list[int]) -> None:
    counter[0] += 1
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    assert result.exit_code in (0, 1, 2), result.exit_code
    if result.exit_code == 1:
        lines = result.stderr.splitlines()
        assert lines, "exit 1 without a message"
        bad = [line for line in lines if not line.startswith("rnkg: ")]
        assert not bad, bad[:3]


@pytest.fixture
def counter(capsys, request):
    """Counts the examples a test ran and prints the count when it ends."""
    count = [0]
    yield count
    with capsys.disabled():
        print(f"\n[fuzz] {request.node.name}: {count[0]} examples")
    assert count[0] >= min(FUZZ_EXAMPLES, 10), "hypothesis ran too few examples"


values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
    | st.sampled_from(PREFIXES).flatmap(lambda p: st.just(p) | st.text(max_size=8).map(
        p.__add__))
    | st.sampled_from(["2024", "2024-02-30", "2023-10/2024-02", "٢٠٢٤", "confirmed", "alleged",
                       *REL_TYPES]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)
records = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), values, max_size=8)
documents = st.dictionaries(
    st.sampled_from(["nodes", "relationships", "other"]),
    st.lists(records, max_size=4) | values, min_size=0, max_size=2)


@pytest.fixture
def scratch(tmp_path):
    facts = tmp_path / "facts"
    facts.mkdir()
    return facts


def _validate(facts: Path):
    return runner.invoke(app, ["validate", "--facts", str(facts)])


@FUZZ
@given(doc=documents)
def test_structured_random_yaml_records(scratch, counter, doc):
    (scratch / "zz.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _check(_validate(scratch), counter)


MINI_YAML = (MINI / "core.yaml").read_text()
MINI_CSV = (MINI / "voyages.csv").read_text()
SNIPPETS = ["\t", ":", "- ", "&a ", "*a", "[", "]", "{", "}", "\x00", "\xff", "'", '"', "#",
            "\n  - ", "!!python/object:os.system ", "? ", "<<: ", "\ufeff", "\u2028", ","]


@st.composite
def mutated(draw, text: str) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "delete", "dup", "swap", "replace"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            piece = draw(st.sampled_from(SNIPPETS) | st.text(max_size=5))
            lines[i] = lines[i][:at] + piece + lines[i][at:]
        elif op == "delete":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(max_size=3)) + lines[i][at + 3:]
    return "".join(lines)


@FUZZ
@given(yaml_text=mutated(MINI_YAML), csv_text=mutated(MINI_CSV) | st.just(MINI_CSV))
def test_mutated_mini_yaml_and_csv(scratch, counter, yaml_text, csv_text):
    (scratch / "core.yaml").write_text(yaml_text, encoding="utf-8", errors="surrogatepass")
    (scratch / "voyages.csv").write_text(csv_text, encoding="utf-8", errors="surrogatepass")
    _check(_validate(scratch), counter)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".yaml", ".yml", ".csv"]))
def test_random_bytes_as_fact_files(scratch, counter, data, suffix):
    for old in scratch.iterdir():
        old.unlink()
    (scratch / f"zz{suffix}").write_bytes(data)
    _check(_validate(scratch), counter)


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    with loaded_file(tmp_path_factory.mktemp("fuzz") / "f.lbug", MINI) as path:
        yield path


words = st.text(max_size=20) | st.sampled_from(
    ["Putin", "maia 1", "country:ru", "vessel:maia-1", "'})//", "", " ", "%", "*", "-x",
     "--all", "$id", "\x1b[31m", "Corée"])
param_values = st.text(max_size=12) | st.sampled_from(
    ["3", "9" * 30, "-1e999", "NaN", "[1,2]", '{"a":{"b":[1]}}', "null", "true", '"x"'])
commands = st.one_of(
    st.tuples(st.just("show"), words, st.sampled_from(["table", "json", "csv", "xml"])).map(
        lambda t: ["show", t[1], "--format", t[2]]),
    st.tuples(words, words, st.integers(-2, 10), st.booleans(),
              st.sampled_from([[], ["--via", "OWNS"], ["--via", "nope"]])).map(
        lambda t: ["path", t[0], t[1], "--max-hops", str(t[2]), *(["--all"] if t[3] else []),
                   *t[4]]),
    st.tuples(st.sampled_from(["vessel-voyages", "treaty-signatories", "nope", ""]),
              st.sampled_from(["vessel", "source", "x", ""]), param_values).map(
        lambda t: ["queries", "run", t[0], "--param", f"{t[1]}={t[2]}"]),
    st.tuples(param_values, st.sampled_from(["json", "csv", "table"])).map(
        lambda t: ["query", "RETURN $p AS p", "--param", f"p={t[0]}", "--format", t[1]]),
    st.lists(words, max_size=4),
)


@FUZZ
@given(args=commands)
def test_cli_arguments_on_the_embedded_store(fuzz_store, counter, args):
    _check(runner.invoke(app, ["--db", str(fuzz_store), *args]), counter)


def test_random_generation_is_not_vacuous(tmp_path):
    """The fuzz targets above do reach both outcomes: a mutated file can pass and can fail."""
    facts = tmp_path / "f"
    shutil.copytree(MINI, facts)
    assert _validate(facts).exit_code == 0
    lines = MINI_YAML.splitlines(keepends=True)
    random.Random(1).shuffle(lines)
    (facts / "core.yaml").write_text("".join(lines))
    assert _validate(facts).exit_code == 1
