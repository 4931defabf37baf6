"""The bench runs end to end at its smallest size and its report has every row of issue 17's
table, each with a number or an explicit reason (nothing here is timed or compared)."""

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from tests.fixtures.environment import IN_CI, REPO

# The table, row by row (bench/run.py's row keys), per section of the report.
SIZE_ROWS = ["embedded_load_vs_copy", "embedded_store_vs_copy", "embedded_reload",
             "neo4j_vs_loop", "neo4j_vs_admin_import", "neo4j_reload", "peak_rss",
             "nx_embedded", "nx_neo4j"]
VIEW_ROWS = ["view_first_frame", "view_responsive", "view_curated_stable"]


def _neo4j_up() -> bool:
    from rnkg.errors import BackendUnavailable
    from rnkg.graph.neo4j import Neo4jBackend
    from tests.fixtures.neo4j_server import neo4j_settings

    try:
        Neo4jBackend(neo4j_settings()).close()
    except (BackendUnavailable, ValueError):
        return False
    return True


def _run_bench(tmp_path, *extra):
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "300", "--runs", "1", "--sample", "20",
         "--ftm", "300", "--ftm-runs", "1", "--out", str(tmp_path), *extra], cwd=REPO,
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return (json.loads((tmp_path / "report.json").read_text(encoding="utf-8")),
            (tmp_path / "REPORT.md").read_text(encoding="utf-8"))


def test_the_bench_report_has_every_row_with_a_number_or_a_reason(tmp_path):
    neo4j = ["--neo4j"] if _neo4j_up() else []
    data, text = _run_bench(tmp_path, "--views", "0", *neo4j)
    by_section: dict[str, list[str]] = {}
    for row in data["rows"]:
        by_section.setdefault(row["section"], []).append(row["key"])
        assert row["runs"] or row["measured"].startswith("not measured: "), row
        assert row["verdict"] in ("met", "NOT met", "—"), row
        assert f"| {row['what']} | {row['target']} | {row['measured']} |" in text
    assert by_section == {"300 rels": SIZE_ROWS, "views": VIEW_ROWS, "FtM": ["ftm_import"]}
    rows = {(r["section"], r["key"]): r for r in data["rows"]}
    # The embedded rows and the FtM row are measured at any size; views were switched off.
    for key in ("embedded_load_vs_copy", "embedded_reload", "peak_rss", "nx_embedded"):
        assert rows["300 rels", key]["runs"], rows["300 rels", key]
    assert rows["FtM", "ftm_import"]["verdict"] in ("met", "NOT met")
    assert rows["views", "view_first_frame"]["measured"] == "not measured: views not run " \
        "(--views 0)"
    if neo4j:
        assert rows["300 rels", "neo4j_reload"]["runs"]
    else:
        assert "Neo4j" in rows["300 rels", "neo4j_reload"]["measured"]
    (result,) = data["results"]
    assert result["rels"] == 300 and result["embedded"]["copy_s"]
    assert "| shortest | embedded |" in text and "## Time per step" in text
    assert set(data["steps_s"]) == {"300 relationships", "FtM import 300"}


@pytest.mark.browser
def test_the_view_bench_measures_first_frame_and_freezes_in_chromium():
    problem = ("/usr/bin/chromium is missing (scripts/install-browser)"
               if not os.access("/usr/bin/chromium", os.X_OK) else
               None if importlib.util.find_spec("playwright") else
               "the Python package playwright is missing (scripts/install-browser)")
    if problem:
        (pytest.fail if IN_CI else pytest.skip)(problem)
    done = subprocess.run(
        [sys.executable, "-m", "bench.views", "--json", "--sizes", "60", "--runs", "1"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    (view,) = json.loads(done.stdout.strip().splitlines()[-1])["views"]
    assert view["nodes"] > 20 and view["edges"] > 20 and view["bytes"] > 0
    (first,), (stable,), (frozen,) = view["first_ms"], view["stable_ms"], view["frozen_ms"]
    assert 0 < first <= stable
    # A freeze is the larger of the longest task and the longest frame gap; frames did run.
    assert frozen == max(view["longest_task_ms"][0], view["frame_gap_ms"][0]) > 0


def test_the_readme_shows_the_numbers_of_the_committed_bench_report():
    from bench.run import README_BEGIN, README_END, all_rows, readme_block

    run = json.loads((REPO / "bench" / "report.json").read_text(encoding="utf-8"))
    run["rows"] = all_rows(run["results"], run.get("views"), run.get("ftm"))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index(README_BEGIN)
    shown = readme[start:readme.index(README_END, start) + len(README_END)]
    assert shown == readme_block(run), (
        "README's Performance numbers differ from bench/report.json: run `python -m bench.run "
        "--from-json bench/report.json --out bench --readme README.md`")
