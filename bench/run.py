"""``make bench``: load timings on each engine, written to bench/reports/.

    python -m bench.run [--sizes 1000,10000] [--neo4j]

Measures a full load (reset), a reload of unchanged data (a no-op by design: MERGE on stable
ids), a whole-graph read, and the curated facts; peak RSS of this process. Neo4j is included
when it answers (NEO4J_* or the server of scripts/neo4j).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import resource
import tempfile
import time
from pathlib import Path

from bench.synthetic import synthetic_dataset
from rnkg.loaders.pipeline import build_dataset, default_facts_dir

REPORTS = Path(__file__).resolve().parent / "reports"


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _backends(with_neo4j: bool):
    from rnkg.graph.ladybug import LadybugBackend

    tmp = Path(tempfile.mkdtemp())
    yield "embedded", LadybugBackend(tmp / "bench.lbug")
    if with_neo4j:
        from rnkg.errors import BackendUnavailable
        from rnkg.graph.neo4j import Neo4jBackend
        from tests.fixtures.neo4j_server import neo4j_settings

        try:
            yield "neo4j", Neo4jBackend(neo4j_settings())
        except BackendUnavailable as exc:
            print(f"bench: Neo4j skipped: {exc}")


def main() -> None:
    """Run the benchmark and write its report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--neo4j", action="store_true")
    args = parser.parse_args()
    rows = []
    build_s, curated = _timed(lambda: build_dataset(default_facts_dir()))
    rows.append(("curated", "read+validate", len(curated.nodes), len(curated.relationships),
                 build_s))
    datasets = [("curated", curated)]
    for size in (int(s) for s in args.sizes.split(",") if s):
        gen_s, ds = _timed(lambda size=size: synthetic_dataset(size))
        rows.append((f"synthetic-{size}", "generate", len(ds.nodes), len(ds.relationships), gen_s))
        datasets.append((f"synthetic-{size}", ds))
    for engine, backend in _backends(args.neo4j):
        for name, ds in datasets:
            first, _ = _timed(lambda b=backend, d=ds: b.load(d, reset=True))
            again, _ = _timed(lambda b=backend, d=ds: b.load(d))
            read, result = _timed(lambda b=backend: b.query("MATCH ()-[r]->() RETURN count(r)"))
            assert result.scalar() == len(ds.relationships), (engine, name)
            n, r = len(ds.nodes), len(ds.relationships)
            rows.append((name, f"{engine} load (reset)", n, r, first))
            rows.append((name, f"{engine} reload unchanged", n, r, again))
            rows.append((name, f"{engine} count rels", n, r, read))
        backend.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    REPORTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    lines = [
        f"# rnkg bench {stamp}", "",
        f"{platform.platform()}, Python {platform.python_version()}, peak RSS {peak_mb:.0f} MB",
        "",
        "| dataset | step | nodes | relationships | seconds | rels/s |",
        "|---|---|---|---|---|---|",
    ]
    for name, step, n, r, secs in rows:
        lines.append(f"| {name} | {step} | {n} | {r} | {secs:.3f} | {r / secs:,.0f} |")
    report = REPORTS / f"bench-{stamp}.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwrote {report}")


if __name__ == "__main__":
    main()
