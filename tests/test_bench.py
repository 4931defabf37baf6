"""The bench runs end to end at its smallest size (nothing here is timed or compared)."""

import json
import subprocess
import sys

from tests.fixtures.environment import REPO


def test_the_bench_writes_its_report_at_the_smallest_size(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "200", "--runs", "1", "--sample", "20",
         "--ftm", "300", "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True,
        timeout=600,
        check=False)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "REPORT.md").read_text(encoding="utf-8")
    for row in ("÷ COPY FROM of the same rows", "reload of unchanged data ÷ first load",
                "peak RSS", "to_networkx ÷ reading", "| shortest | embedded |",
                "FtM import (map + validate + embedded load) ÷ COPY FROM"):
        assert row in text, text
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    (result,) = data["results"]
    assert result["rels"] == 200 and result["embedded"]["copy_s"]
    assert data["ftm"]["size"] == 300 and data["ftm"]["seconds"]["COPY FROM"] > 0
