"""The README's examples are real: each ``$ rnkg ...`` output is re-run and compared."""

import ast
import difflib
import importlib.util
import re
import sys

from tests.fixtures.environment import REPO

spec = importlib.util.spec_from_file_location("readme_examples",
                                              REPO / "scripts" / "readme_examples.py")
assert spec is not None and spec.loader is not None
readme_examples = importlib.util.module_from_spec(spec)
sys.modules["readme_examples"] = readme_examples
spec.loader.exec_module(readme_examples)


def test_readme_examples_match_real_output():
    text = readme_examples.README.read_text(encoding="utf-8")
    assert readme_examples.BLOCK.search(text), "the README has no console examples"
    fresh = readme_examples.render_readme(text)
    old, new = readme_examples.normalise(text), readme_examples.normalise(fresh)
    diff = "\n".join(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1))
    assert old == new, "README examples drifted (python scripts/readme_examples.py):\n" + diff


def test_quickstart_is_two_commands():
    text = readme_examples.README.read_text(encoding="utf-8")
    quick = text.split("## Quickstart", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_python_example_runs(tmp_path, monkeypatch, capsys):
    text = readme_examples.README.read_text(encoding="utf-8")
    code = text.split("## From Python", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == "9358010"
    assert len(printed) == 7
    # a path through no country today, none as of 2023-01-01 (its facts began later)
    assert re.fullmatch(r"[1-9]\d* path\(s\) today, 0 as of 2023-01-01", printed[4]), printed[4]
    top = ast.literal_eval(printed[5])
    assert len(top) == 3 and all(isinstance(name, str) and name for name in top), top
    assert re.fullmatch(r"\d+ hops: (-\[[A-Z_]+\]->|<-\[[A-Z_]+\]-)", printed[3]), printed[3]
    assert (tmp_path / "out" / "maia-1.html").stat().st_size > 100_000
    from rnkg.graph.ladybug import release

    release(tmp_path / "out" / "rnkg.lbug")


def test_readme_counts_the_declared_types():
    from rnkg.schema import load_schema

    text = readme_examples.README.read_text(encoding="utf-8")
    m = re.search(r"(\d+) node types and (\d+) relationship types", text)
    s = load_schema()
    assert m and (int(m[1]), int(m[2])) == (len(s.nodes), len(s.relationships))
