"""``make bench``: the targets of issue 17, measured in one run, written to bench/REPORT.md
(and bench/report.json).

    python -m bench.run [--sizes 10000,100000,1000000] [--neo4j] [--runs 3] [--out DIR]

Each size runs in its own process (bench/measure.py), so each peak RSS is that size's own;
a size that passes its time budget is reported as not measured. The per-row MERGE loop runs
on a fixed sample (``--sample`` relationships), so the run stays bounded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import spread

HERE = Path(__file__).resolve().parent

BEFORE = [
    "62% the engine's UNWIND … MERGE statements (rel batches slow down as the table grows)",
    "9% building rows (Dataset.rel_rows scanned every relationship per type/end pair)",
    "8% pydantic validation", "5% the engine's Python parameter handling",
    "4% reading the CSV",
]


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _ratio(a: list[float], b: list[float]) -> list[float]:
    return [x / y for x, y in zip(a, b, strict=False) if y]


def targets(res: dict[str, Any]) -> list[tuple[str, str, list[float] | None, str, bool | None]]:
    """(what, target, measured runs, shown value, met) for one size's results."""
    emb, neo = res.get("embedded", {}), res.get("neo4j", {})
    rows: list[tuple[str, str, list[float] | None, str, bool | None]] = []

    def add(what: str, target: str, values: list[float] | None, ok: Any) -> None:
        if not values:
            rows.append((what, target, None, "not measured", None))
        else:
            rows.append((what, target, values, spread(values), bool(ok(_median(values)))))

    add("embedded full load (validation included) ÷ COPY FROM of the same rows", "≤ 3×",
        _ratio(emb.get("end_to_end_s", []), emb.get("copy_s", [])), lambda m: m <= 3)
    add("embedded full load (store step only) ÷ COPY FROM", "(info)",
        _ratio(emb.get("load_s", []), emb.get("copy_s", [])), lambda m: True)
    add("embedded reload of unchanged data ÷ first load", "≤ 0.10",
        _ratio(emb.get("reload_s", []), emb.get("load_s", [])), lambda m: m <= 0.10)
    loop = neo.get("loop_rows_per_s", [])
    add("Neo4j online loader ÷ per-row auto-commit MERGE loop (rows/s)", "≥ 100×",
        [x / _median(loop) for x in neo.get("loader_rows_per_s", [])] if loop else None,
        lambda m: m >= 100)
    add("Neo4j online loader ÷ neo4j-admin database import (entities/s, the tool's own time)",
        "≥ 0.75", admin_import_ratio(neo), lambda m: m >= 0.75)
    add("Neo4j reload of unchanged data ÷ first load", "≤ 0.10",
        _ratio(neo.get("reload_s", []), neo.get("load_s", [])), lambda m: m <= 0.10)
    rss = res.get("peak_rss_mb")
    if rss and res.get("size", 0) < 1_000_000:  # the target is set at 1M relationships
        rows.append(("peak RSS of the loading process (MB)", "< 2048 at 1M", [rss],
                     f"{rss:.0f}", None))
    else:
        add("peak RSS of the loading process (MB)", "< 2048 at 1M",
            [rss] if rss else None, lambda m: m < 2048)
    add("to_networkx ÷ reading the same rows with one query, embedded", "≤ 2×",
        _ratio(emb.get("nx_s", []), emb.get("read_s", [])), lambda m: m <= 2)
    add("to_networkx ÷ reading the same rows with one query, Neo4j", "≤ 2×",
        _ratio(neo.get("nx_s", []), neo.get("read_s", [])), lambda m: m <= 2)
    return rows


def admin_import_ratio(neo: dict[str, Any]) -> list[float] | None:
    """The online loader's entities/s ÷ neo4j-admin import's (the same dataset, so the tool's
    seconds ÷ the loader's), run by run.

    >>> admin_import_ratio({"load_s": [20.0, 30.0], "admin_import_s": [10.0, 12.0]})
    [0.5, 0.4]
    """
    return _ratio(neo.get("admin_import_s", []), neo.get("load_s", [])) or None


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ftm_section(ftm: dict[str, Any] | None) -> list[str]:
    """The FtM import's lines: end to end (map, validate, load) ÷ COPY FROM of the same rows."""
    if not ftm:
        return []
    lines = [f"## FtM import ({ftm.get('size', 0):,} entities, bench/ftm.py, one run)", ""]
    if "error" in ftm:
        return [*lines, f"Not measured: {ftm['error']}", ""]
    s = ftm["seconds"]
    ratio = (s["map + validate"] + s["embedded load"]) / s["COPY FROM"]
    verdict = "met" if ratio <= 3 else "NOT met"
    return [*lines, "| what | target | measured | verdict |", "|---|---|---|---|",
            f"| FtM import (map + validate + embedded load) ÷ COPY FROM of the same rows | ≤ 3× "
            f"| {ratio:.2f} | {verdict} |",
            f"| peak RSS of the importing process (MB) | bounded | {ftm['peak_rss_mb']} | — |",
            "", f"{ftm['nodes']:,} nodes and {ftm['relationships']:,} relationships; seconds: "
            + ", ".join(f"{k} {v:.2f}" for k, v in s.items()) + ".", ""]


def report(results: list[dict[str, Any]], started: float, argv: list[str],
           ftm: dict[str, Any] | None = None) -> str:
    """The Markdown report."""
    lines = [
        "# rnkg bench (issue 17 targets)", "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `python -m bench.run "
        f"{' '.join(argv)}`, {time.perf_counter() - started:.0f} s in all.",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}. Values: median (min–max) of the runs; data from "
        "bench/synthetic.py (people, organisations, ROLE_IN).", "",
    ]
    for res in results:
        size = res.get("size")
        if "error" in res:
            lines += [f"## {size:,} relationships", "", f"Not measured: {res['error']}", ""]
            continue
        lines += [f"## {size:,} relationships ({res['nodes']:,} nodes), {res.get('runs')} run(s)",
                  "", "| what | target | measured | verdict |", "|---|---|---|---|"]
        for what, target, _, shown, met in targets(res):
            verdict = "—" if met is None or target == "(info)" else ("met" if met else "NOT met")
            lines.append(f"| {what} | {target} | {shown} | {verdict} |")
        emb = res["embedded"]
        lines += ["", "Seconds: " + ", ".join(
            f"{k.removesuffix('_s')} {spread(v)}" for k, v in emb.items()) + " (embedded)."]
        neo = res.get("neo4j", {})
        if "load_s" in neo:
            lines.append("Neo4j seconds: load " + spread(neo["load_s"]) + ", reload "
                         + spread(neo["reload_s"]) + ", to_networkx " + spread(neo["nx_s"])
                         + "; per-row loop " + spread(neo["loop_rows_per_s"]) + " rows/s; "
                         + "load by batch size: " + ", ".join(
                             f"{k}: {v:.2f} s" for k, v in neo["batch_sizes"].items()) + ".")
        elif neo:
            lines.append(f"Neo4j: {neo.get('skipped', 'not run')}.")
        lines += ["", "| path query | engine | p50 ms | p95 ms |", "|---|---|---|---|"]
        paths = dict(res.get("paths", {}))
        if "paths" in neo:
            paths["neo4j"] = neo["paths"]
        for engine, kinds in paths.items():
            for kind, values in kinds.items():
                lines.append(f"| {kind} | {engine} | {1000 * _pct(values, 0.5):.1f} | "
                             f"{1000 * _pct(values, 0.95):.1f} |")
        lines += ["", "Hot spots of the embedded full load now (cProfile, own time): "
                  + "; ".join(res.get("hot_spots_embedded_load", [])) + ".", ""]
    lines += ftm_section(ftm)
    lines += ["## Hot spots before (issue 17, py-spy, embedded load at 100k)", "",
              *[f"- {b}" for b in BEFORE], "",
              "Not measured by this bench: the HTML view timings are `make bench-views` "
              "(bench/views.py).", ""]
    return "\n".join(lines)


def _ftm_run(size: int, left: float) -> dict[str, Any]:
    """The FtM import bench in its own process (its peak RSS is its own)."""
    print(f"bench: FtM import of {size:,} entities ...", file=sys.stderr)
    cmd = [sys.executable, "-m", "bench.ftm", "--size", str(size), "--json"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=max(left, 60),
                              check=False, cwd=HERE.parent)
    except subprocess.TimeoutExpired:
        return {"size": size, "error": "over the bench's time budget"}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["?"]
        return {"size": size, "error": f"exit {done.returncode}: {tail[0]}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Run every size in its own process and write the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--neo4j", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--budget", type=float, default=1500, help="seconds for all sizes")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--ftm", type=int, default=100_000,
                        help="entities of the FtM import run (0: none)")
    args = parser.parse_args()
    started = time.perf_counter()
    results = []
    for size in (int(s) for s in args.sizes.split(",") if s):
        left = args.budget - (time.perf_counter() - started)
        runs = args.runs if size < 1_000_000 else 1
        cmd = [sys.executable, "-m", "bench.measure", str(size), "--runs", str(runs),
               "--sample", str(args.sample)]
        if args.neo4j and size < 1_000_000:
            cmd.append("--neo4j")
        print(f"bench: {size:,} relationships, {runs} run(s) ...", file=sys.stderr)
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=max(left, 1),
                                  check=False, cwd=HERE.parent)
        except subprocess.TimeoutExpired:
            results.append({"size": size, "error": "over the bench's time budget"})
            continue
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["?"]
            results.append({"size": size, "error": f"exit {done.returncode}: {tail[0]}"})
            continue
        res = json.loads(done.stdout.strip().splitlines()[-1])
        res["runs"] = runs
        results.append(res)
    ftm = _ftm_run(args.ftm, args.budget - (time.perf_counter() - started)) if args.ftm else None
    args.out.mkdir(parents=True, exist_ok=True)
    text = report(results, started, sys.argv[1:], ftm)
    (args.out / "REPORT.md").write_text(text, encoding="utf-8")
    (args.out / "report.json").write_text(json.dumps(
        {"machine": platform.platform(), "cpus": os.cpu_count(), "results": results, "ftm": ftm,
         "verdicts": {str(r.get("size")): [(w, t, s, m) for w, t, _, s, m in targets(r)]
                      for r in results if "error" not in r}}, indent=1), encoding="utf-8")
    print(text)
    print(f"wrote {args.out / 'REPORT.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
