"""``rnkg validate``'s checks beyond the schema (rnkg.loaders.checks): seed quotes word for word
(--sources), the `by` convention of facts/README.md "Status", and event dates against their
actors. Each runs the real command on a real fact folder, and each has a case that fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fixtures.cli import rnkg
from tests.fixtures.environment import CURATED, IN_CI, SEEDS

if not SEEDS.is_dir():  # the seeds are not ours to ship: beside the repository, as in CI
    if IN_CI:
        pytest.fail(f"CI=true but the seeds are not at {SEEDS}", pytrace=False)
    pytest.skip(f"seed articles not found at {SEEDS}", allow_module_level=True)


def _copy_curated(tmp_path: Path) -> Path:
    folder = tmp_path / "facts"
    shutil.copytree(CURATED, folder, ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"))
    return folder


def test_the_curated_facts_pass_every_check_with_the_seeds():
    result = rnkg("validate", "--sources", str(SEEDS))
    assert result.returncode == 0, result.stderr
    # Only curation warnings (counts, exit 0) may reach stderr: no check's error.
    assert all(line.startswith("warning: ") for line in result.stderr.splitlines()), result.stderr


def test_the_sources_folder_is_also_read_from_the_environment(tmp_path):
    folder = _copy_curated(tmp_path)
    path = folder / "analysts.yaml"
    path.write_text(path.read_text("utf-8").replace("depuis des années", "depuis des siècles"),
                    "utf-8")
    assert rnkg("validate", "--facts", str(folder)).returncode == 0  # no seeds: not checked
    result = rnkg("validate", "--facts", str(folder), env={"RNKG_SOURCES": str(SEEDS)})
    assert result.returncode == 1
    assert "“La Russie viole les sanctions contre la Corée du Nord depuis des siècles”" \
        in result.stderr


def test_one_word_changed_in_one_seed_quote_fails_with_file_line_and_quote(tmp_path):
    folder = _copy_curated(tmp_path)
    path = folder / "veto-2024.yaml"
    text = path.read_text("utf-8")
    original = "La Chine s'est abstenue."
    assert text.count(original) >= 1
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if original in t)
    path.write_text(text.replace(original, "La Chine s'est opposée.", 1), "utf-8")
    result = rnkg("validate", "--facts", str(folder), "--sources", str(SEEDS))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"rnkg: {path}:{line}: cite["), lines
    assert "“La Chine s'est opposée.” is not in 000_4cf84e7944d585b0.txt (source:s000) as " \
           "written: it matches up to word 4, “opposée.”" in lines[0]
    assert len(lines) == 1


def test_typographic_apostrophes_and_spaces_are_not_differences(tmp_path):
    folder = _copy_curated(tmp_path)
    path = folder / "veto-2024.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("La Chine s'est abstenue.", "La  Chine s’est abstenue.", 1),
                    "utf-8")
    result = rnkg("validate", "--facts", str(folder), "--sources", str(SEEDS))
    assert result.returncode == 0, result.stderr


def test_a_missing_seed_file_is_named(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for f in SEEDS.glob("00[0-3]_*.txt"):
        shutil.copy(f, seeds / f.name)
    result = rnkg("validate", "--sources", str(seeds))
    assert result.returncode == 1
    assert "004_46430e85d6e2bd50.txt: cannot read it in" in result.stderr


P1 = '[{source: source:doc, section: "p. 1"}]'
P2 = '[{source: source:doc, section: "p. 2"}]'
MINI_HEAD = f"""
nodes:
  - {{id: source:doc, name: Doc, kind: report, date: "2024-01-01"}}
  - {{id: country:ru, name: Russia, kind: state, iso2: RU, cite: {P1}}}
  - {{id: country:kp, name: North Korea, kind: state, iso2: KP, cite: {P1}}}
  - {{id: person:envoy, name: Envoy, cite: {P1}}}
  - {{id: person:analyst, name: Analyst, cite: {P1}}}
  - {{id: org:tank, name: Tank, kind: think_tank, date: "2020/", cite: {P1}}}
relationships:
  - {{type: ROLE_IN, from: person:envoy, to: country:ru, role: ambassador, cite: {P2}}}
  - {{type: ROLE_IN, from: person:analyst, to: org:tank, role: fellow, cite: {P2}}}
"""


@pytest.mark.parametrize(("fact", "message"), [
    ("{type: COMMENTED_ON, from: person:envoy, to: country:kp, summary: s, status: stated, "
     "by: [person:envoy], cite: [{source: source:doc, section: 'p. 3'}]}",
     "by: person:envoy speaks for a state or body (country:ru): name it in `by` too"),
    ("{type: COMMENTED_ON, from: person:envoy, to: country:kp, summary: s, status: stated, "
     "by: [country:ru], cite: [{source: source:doc, section: 'p. 3'}]}",
     "by: a COMMENTED_ON fact is stated by its speaker: add person:envoy"),
    ("{type: ASSESSED, from: person:analyst, to: country:kp, proposition: p, "
     "cite: [{source: source:doc, section: 'p. 3'}]}",
     "status: an ASSESSED fact is one of alleged, assessed, reported, stated, not confirmed"),
    ("{type: SUPPLIED, from: country:kp, to: country:ru, item: shells, status: alleged, "
     "by: [country:ru], cite: [{source: source:doc, section: 'p. 3'}]}",
     "by: country:ru alleges its own act: that is `stated`"),
    ("{type: ASSESSED, from: org:tank, to: country:kp, proposition: p, date: '2019-05', "
     "status: assessed, by: [org:tank], cite: [{source: source:doc, section: 'p. 3'}]}",
     "date: ASSESSED 2019-05 is before org:tank existed (from 2020-01-01)"),
])
def test_each_convention_is_refused_with_file_line_and_field(tmp_path, fact, message):
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "f.yaml").write_text(MINI_HEAD + f"  - {fact}\n", "utf-8")
    ok = rnkg("validate", "--facts", str(folder))
    assert ok.returncode == 1
    assert ok.stderr.splitlines() == [f"rnkg: {folder / 'f.yaml'}:12: {message}"]


def test_the_conventions_kept_pass(tmp_path):
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "f.yaml").write_text(MINI_HEAD + (
        "  - {type: COMMENTED_ON, from: person:envoy, to: country:kp, summary: s, status: stated, "
        "by: [person:envoy, country:ru], cite: [{source: source:doc, section: 'p. 3'}]}\n"
        "  - {type: ASSESSED, from: person:analyst, to: country:kp, proposition: p, "
        "evidence: imagery, status: assessed, by: [person:analyst], date: '2021', "
        "cite: [{source: source:doc, section: 'p. 3'}]}\n"), "utf-8")
    result = rnkg("validate", "--facts", str(folder))
    assert result.returncode == 0, result.stderr
