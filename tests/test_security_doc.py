"""SECURITY.md's table is the suite's own count, and the security registry names real tests.

The table is regenerated (scripts/security_table.py, which collects the suite) and compared with
the file: a new, removed or re-parametrized security test, or a changed fuzz setting, makes this
fail until `make security-doc` is run.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.fixtures.environment import REPO
from tests.security import CLASSES, NOT_SECURITY, SECURITY_MODULES, class_of, registry_key

SCRIPT = REPO / "scripts" / "security_table.py"


@pytest.fixture(scope="module")
def collected():
    """Every collected test of the suite: (registry key, security class or None, on Neo4j)."""
    import json

    run = subprocess.run([sys.executable, str(SCRIPT), "--collect-json", "tests"], cwd=REPO,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    return [(registry_key(*r["nodeid"].split("::", 1)), r["class"], r["neo4j"]) for r in rows]


def test_security_md_table_matches_what_the_suite_counts():
    run = subprocess.run([sys.executable, str(SCRIPT), "--check"], cwd=REPO,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout


def test_every_registry_name_matches_a_collected_test(collected):
    keys = {key for key, _, _ in collected}
    for cls in CLASSES:
        for name in cls.tests:
            if name.endswith("::*"):
                assert any(k.startswith(name[:-1]) for k in keys), name
            else:
                assert name in keys, f"{name} ({cls.name}) names no test"
    for name in NOT_SECURITY:
        assert name in keys, name


def test_every_test_of_the_security_modules_is_classified(collected):
    loose = sorted({key for key, cls, _ in collected
                    if key.split("::")[0] in SECURITY_MODULES and cls is None
                    and key not in NOT_SECURITY})
    assert loose == [], f"tag these in tests/security.py (or NOT_SECURITY): {loose}"


def test_each_class_has_cases_and_the_marker_is_what_the_registry_says(collected):
    for key, cls, _ in collected:
        if cls is not None and class_of(key) is not None:
            assert cls == class_of(key), key
    counted = {cls for _, cls, _ in collected if cls}
    assert counted == {c.name for c in CLASSES}
    # read-only escapes and secrets are tried on Neo4j too, not only on the embedded store
    on_neo4j = {cls for _, cls, neo in collected if neo}
    assert "Read-only escapes (F1, F2, F4-F6, F24)" in on_neo4j
    assert "Secrets (F7, F15)" in on_neo4j


def test_the_table_generator_reads_the_makefile_fuzz_runs():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import security_table  # type: ignore[import-not-found]  # scripts/ is not a package
    finally:
        sys.path.remove(str(SCRIPT.parent))
    runs = security_table.make_fuzz_runs()
    assert [args[0] for _, args in runs] == ["tests/test_fuzz.py", "tests/test_readonly.py"]
    assert all(n >= 2500 for n, _ in runs)
