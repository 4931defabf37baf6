"""``make bench``: every target of issue 17, measured in one run, written to bench/REPORT.md
(and bench/report.json) with the machine, each target, its measured value with the spread over
the runs, and met / not met.

    python -m bench.run [--sizes 10000,100000,1000000] [--neo4j] [--runs 3] [--out DIR]

Each step runs in its own process (bench/measure.py per size, bench/views.py, bench/ftm.py), so
each peak RSS is that step's own; every step's seconds go to stderr as it ends and into the
report, with the total against the time budget (``--budget``, 30 minutes). The per-row MERGE
loop runs on a fixed sample (``--sample`` relationships). How many runs each size gets, and what
a size leaves out to stay within the budget, is :func:`plan_for` (the report says it per row).
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
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BUDGET_S = 1800.0
SIZE_RUNS = {1_000_000: 1}  # runs of a size unlike --runs (--size-runs overrides)

BEFORE = [
    "62% the engine's UNWIND … MERGE statements (rel batches slow down as the table grows)",
    "9% building rows (Dataset.rel_rows scanned every relationship per type/end pair)",
    "8% pydantic validation", "5% the engine's Python parameter handling",
    "4% reading the CSV",
]

Row = dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """What one size measures: runs, whether Neo4j runs, path-query pairs, extras."""

    runs: int
    neo4j: bool
    neo4j_runs: int
    pairs: int
    hot_spots: bool
    batch_sweep: bool
    nx_runs: int | None = None  # runs timing to_networkx (None: every run)
    note: str = ""


def plan_for(size: int, runs: int, neo4j: bool, neo4j_runs: int | None = None,
             batch_sweep: bool = False) -> Plan:
    """The per-size plan that keeps ``make bench`` within its budget (measured: bench/REPORT.md).

    >>> plan_for(1_000_000, 1, True).neo4j, plan_for(100_000, 3, True).runs
    (False, 3)
    """
    if size >= 1_000_000:
        return Plan(runs=runs, neo4j=False, neo4j_runs=0, pairs=5, hot_spots=False,
                    batch_sweep=False, nx_runs=0, note=f"1M: {runs} run(s) (three do not fit "
                    "the 30-minute budget), 5 path queries per kind on the embedded store; "
                    "not run at 1M, to stay within the budget: Neo4j and to_networkx (their "
                    "targets are set at 100k; to_networkx and its one-query read would take "
                    "about 8 min at 1M)")
    return Plan(runs=runs, neo4j=neo4j, neo4j_runs=neo4j_runs or runs, pairs=20,
                hot_spots=size == 100_000, batch_sweep=batch_sweep and size == 10_000)


def size_runs(text: str) -> dict[int, int]:
    """``--size-runs``: runs per size.

    >>> size_runs("100000:1,1000000:2"), size_runs("")
    ({100000: 1, 1000000: 2}, {})
    """
    pairs = (pair.split(":") for pair in text.split(",") if pair)
    return {int(size): int(runs) for size, runs in pairs}


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _ratio(a: list[float], b: list[float]) -> list[float]:
    return [x / y for x, y in zip(a, b, strict=False) if y]


def _row(key: str, what: str, target: str, values: list[float] | None,
         ok: Callable[[float], bool] | None, reason: str = "") -> Row:
    """One report row: the runs' values, the shown spread, the verdict (or why not measured)."""
    if not values:
        return {"key": key, "what": what, "target": target, "runs": None,
                "measured": f"not measured: {reason or 'no value'}", "verdict": "—"}
    verdict = "—" if ok is None else ("met" if ok(_median(values)) else "NOT met")
    return {"key": key, "what": what, "target": target, "runs": values,
            "measured": _shown(values), "verdict": verdict}


def _shown(values: list[float], digits: int = 2) -> str:
    """Median (min–max) of the runs, or the one value and "(1 run)".

    >>> _shown([1.0, 3.0, 2.0]), _shown([212.4], 0)
    ('2.00 (1.00–3.00)', '212 (1 run)')
    """
    if len(values) == 1:
        return f"{values[0]:.{digits}f} (1 run)"
    m, lo, hi = statistics.median(values), min(values), max(values)
    return f"{m:.{digits}f} ({lo:.{digits}f}–{hi:.{digits}f})"


def _neo4j_reason(res: dict[str, Any], plan: Plan | None) -> str:
    neo = res.get("neo4j", {})
    if neo.get("skipped"):
        return str(neo["skipped"])
    if plan is not None and plan.note and not plan.neo4j:
        return "Neo4j not run at this size (the plan below says why)"
    return "Neo4j not run (no --neo4j)"


def admin_import_ratio(neo: dict[str, Any]) -> list[float] | None:
    """The online loader's entities/s ÷ neo4j-admin import's (the same dataset, so the tool's
    seconds ÷ the loader's), run by run.

    >>> admin_import_ratio({"load_s": [20.0, 30.0], "admin_import_s": [10.0, 12.0]})
    [0.5, 0.4]
    """
    return _ratio(neo.get("admin_import_s", []), neo.get("load_s", [])) or None


def admin_import_row(neo: dict[str, Any], reason: str, notes: Sequence[str] = ()) -> Row:
    """Neo4j online loader ÷ ``neo4j-admin database import`` in entities/s, or why not (from
    the step's stderr ``notes`` when Neo4j ran and the admin import did not)."""
    if "load_s" in neo:
        said = [n.split("not measured: ", 1)[1] for n in notes if "neo4j-admin" in n]
        reason = neo.get("admin_import_skipped") or (said[0] if said else
                                                     "neo4j-admin import gave no time")
    return _row("neo4j_vs_admin_import", "Neo4j online loader ÷ neo4j-admin database import "
                "(entities/s, the tool's own time)", "≥ 0.75", admin_import_ratio(neo),
                lambda m: m >= 0.75, reason)


def size_rows(res: dict[str, Any], plan: Plan | None = None) -> list[Row]:
    """The issue's table for one size: every row, with a value or the reason it has none."""
    emb, neo = res.get("embedded", {}), res.get("neo4j", {})
    no_neo = _neo4j_reason(res, plan)
    loop = neo.get("loop_rows_per_s", [])
    rss = res.get("peak_rss_load_mb") or res.get("peak_rss_mb")
    at_1m = res.get("size", 0) >= 1_000_000
    no_nx = ("to_networkx not run at this size (the plan below says why)"
             if plan is not None and plan.nx_runs == 0 else "")
    return [
        _row("embedded_load_vs_copy",
             "embedded full load (validation included) ÷ COPY FROM of the same rows", "≤ 3×",
             _ratio(emb.get("end_to_end_s", []), emb.get("copy_s", [])), lambda m: m <= 3),
        _row("embedded_store_vs_copy", "embedded full load (store step only) ÷ COPY FROM",
             "(info)", _ratio(emb.get("load_s", []), emb.get("copy_s", [])), None),
        _row("embedded_reload", "embedded reload of unchanged data ÷ first load", "≤ 0.10",
             _ratio(emb.get("reload_s", []), emb.get("load_s", [])), lambda m: m <= 0.10),
        _row("neo4j_vs_loop",
             "Neo4j online loader ÷ per-row auto-commit MERGE loop (rows/s)",
             "≥ 100×", [x / _median(loop) for x in neo.get("loader_rows_per_s", [])]
             if loop else None, lambda m: m >= 100, no_neo),
        admin_import_row(neo, no_neo, res.get("notes", [])),
        _row("neo4j_reload", "Neo4j reload of unchanged data ÷ first load", "≤ 0.10",
             _ratio(neo.get("reload_s", []), neo.get("load_s", [])), lambda m: m <= 0.10,
             no_neo),
        _row("peak_rss", "peak RSS of the loading process (MB; generate, validate, one full "
             "load)", "< 2048 at 1M", [rss] if rss else None,
             (lambda m: m < 2048) if at_1m else None),
        _row("nx_embedded", "to_networkx ÷ reading the same rows with one query, embedded",
             "≤ 2×", _ratio(emb.get("nx_s", []), emb.get("read_s", [])), lambda m: m <= 2,
             no_nx),
        _row("nx_neo4j", "to_networkx ÷ reading the same rows with one query, Neo4j", "≤ 2×",
             _ratio(neo.get("nx_s", []), neo.get("read_s", [])), lambda m: m <= 2, no_neo),
    ]


def view_rows(views: dict[str, Any] | None) -> list[Row]:
    """The HTML view rows: the big synthetic view's first frame and freezes, the curated view's
    time to a stable picture."""
    views = views or {}
    reason = views.get("error", "views not run (--views 0)")
    big = next((v for v in views.get("views", []) if v.get("name") != "curated"), None)
    cur = next((v for v in views.get("views", []) if v.get("name") == "curated"), None)
    shape = f"{big['nodes']:,} nodes / {big['edges']:,} edges" if big else "5,000 nodes"
    cur_n = f"{cur['nodes']:,} nodes" if cur else "curated"
    return [
        _row("view_first_frame", f"HTML view, {shape}: first frame (s)", "≤ 3 s",
             [v / 1000 for v in big["first_ms"]] if big else None, lambda m: m <= 3, reason),
        _row("view_responsive", f"HTML view, {shape}: longest freeze (main-thread task or "
             "frame gap) while zooming, panning, clicking (ms)", "≤ 200 ms",
             big["frozen_ms"] if big else None, lambda m: m <= 200, reason),
        _row("view_curated_stable", f"HTML view, curated ({cur_n}): time to a stable picture "
             "(s)", "≤ 2 s", [v / 1000 for v in cur["stable_ms"]] if cur else None,
             lambda m: m <= 2, views.get("error", "curated view not run (--no-curated)")),
    ]


def ftm_row(ftm: dict[str, Any] | None) -> Row:
    """The FtM import, end to end (map, validate, load) ÷ COPY FROM of the same rows."""
    ftm = ftm or {}
    runs = [(s["map + validate"] + s["embedded load"]) / s["COPY FROM"]
            for s in ftm.get("seconds_runs", [])]
    size = f"{ftm['size']:,} entities" if "size" in ftm else "FtM"
    return _row("ftm_import", f"FtM import (map + validate + embedded load) ÷ COPY FROM of the "
                f"same rows, {size}", "≤ 3×", runs, lambda m: m <= 3,
                ftm.get("error", "FtM import not run (--ftm 0)"))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _table(rows: list[Row], first: str = "") -> list[str]:
    head = f"| {first} " if first else ""
    lines = [f"{head}| what | target | measured | verdict |",
             "|---" * (5 if first else 4) + "|"]
    for r in rows:
        cell = f"| {r.get('section', '')} " if first else ""
        lines.append(f"{cell}| {r['what']} | {r['target']} | {r['measured']} | {r['verdict']} |")
    return lines


def _size_details(res: dict[str, Any]) -> list[str]:
    emb = res["embedded"]
    lines = ["Seconds: " + ", ".join(f"{k.removesuffix('_s')} {_shown(v)}"
                                     for k, v in emb.items() if v) + " (embedded)."]
    neo = res.get("neo4j", {})
    if "load_s" in neo:
        lines.append("Neo4j seconds: load " + _shown(neo["load_s"]) + ", reload "
                     + _shown(neo["reload_s"]) + ", to_networkx " + _shown(neo["nx_s"])
                     + "; per-row loop " + _shown(neo["loop_rows_per_s"]) + " rows/s"
                     + ("; load by batch size: " + ", ".join(
                         f"{k}: {v:.2f} s" for k, v in neo["batch_sizes"].items())
                        if neo.get("batch_sizes") else "") + ".")
    if neo.get("shapes"):
        lines.append("Neo4j statement shapes (the loader's steps built once, replayed in one "
                     "transaction; seconds in statements + commit, bench/shapes.py): " + "; ".join(
                         f"{name} {_shown(v['statements_s'])} + {_shown(v['commit_s'])}"
                         + ("" if len(set(v["rels"])) == 1 else " (relationship counts differ)")
                         for name, v in neo["shapes"].items()) + ".")
    lines += ["", "| path query | engine | p50 ms | p95 ms |", "|---|---|---|---|"]
    paths = dict(res.get("paths", {}))
    if "paths" in neo:
        paths["neo4j"] = neo["paths"]
    for engine, kinds in paths.items():
        for kind, values in kinds.items():
            lines.append(f"| {kind} | {engine} | {1000 * _pct(values, 0.5):.1f} | "
                         f"{1000 * _pct(values, 0.95):.1f} |")
    if res.get("hot_spots_embedded_load"):
        lines += ["", "Hot spots of the embedded full load now (cProfile, own time): "
                  + "; ".join(res["hot_spots_embedded_load"]) + "."]
    return [*lines, ""]


def _views_details(views: dict[str, Any] | None) -> list[str]:
    if not views or not views.get("views"):
        return []
    lines = ["| view | nodes | edges | write (s) | file (MB) | first frame (ms) | stable (ms) | "
             "zoom redraw (ms) | longest task (ms) | frame gap (ms) |", "|---" * 10 + "|"]
    for v in views["views"]:
        lines.append(f"| {v['name']} | {v['nodes']:,} | {v['edges']:,} | {v['write_s']:.2f} | "
                     f"{v['bytes'] / 1e6:.1f} | " + " | ".join(_shown(v[k], 0) for k in (
                         "first_ms", "stable_ms", "zoom_ms", "longest_task_ms",
                         "frame_gap_ms")) + " |")
    return ["Views (bench/views.py, headless Chromium 1400x900, physics off): a freeze is the "
            "longest main-thread task (Long Tasks API) or the longest gap between animation "
            "frames over 4 wheel zooms, 2 drags and 4 clicks on drawn nodes, as real input."
            + _settled(views.get("settle")), "", *lines, ""]


def _settled(quiet: dict[str, float] | None) -> str:
    if not quiet:
        return ""
    return (f" They began once the machine was quiet: after {quiet['waited_s']:.0f} s of waiting, "
            f"{quiet['cpu_busy']:.0%} of its CPU in use.")


def report(run: dict[str, Any]) -> str:
    """The Markdown report of one whole run (the object written to report.json)."""
    load = run["load_average"]
    lines = [
        "# rnkg bench (issue 17 targets)", "",
        f"Run {run['started']} UTC with `python -m bench.run {' '.join(run['argv'])}`, "
        f"{run['total_s']:.0f} s in all (budget {run['budget_s']:.0f} s: "
        f"{'within' if run['total_s'] <= run['budget_s'] else 'OVER'})"
        + ("" if run.get("finished", True) else "; UNFINISHED: the run was stopped") + ".",
        f"Machine: {run['machine']}, {run['cpus']} CPUs, Python {run['python']}; load average "
        f"{load[0]:.1f} at the start, {load[1]:.1f} at the end"
        + (" (a shared machine: other jobs ran meanwhile, so the numbers are noisy)"
           if max(load) > (run['cpus'] or 1) else "") + ".",
        "Values: median (min–max) of the runs; data from bench/synthetic.py (people, "
        "organisations, ROLE_IN).", "", "## Verdicts", "", *_table(run["rows"], "size"), "",
    ]
    for res in run["results"]:
        size = res.get("size", 0)
        plan = res.get("plan", {})
        if "error" in res:
            lines += [f"## {size:,} relationships", "", f"Not measured: {res['error']}", ""]
            continue
        lines += [f"## {size:,} relationships ({res['nodes']:,} nodes), {res['runs']} run(s)"
                  + (f"; Neo4j {plan.get('neo4j_runs')} run(s)" if plan.get("neo4j") else ""),
                  ""]
        if plan.get("note"):
            lines += [f"Plan: {plan['note']}.", ""]
        lines += _size_details(res)
    lines += _views_details(run.get("views"))
    ftm = run.get("ftm") or {}
    if ftm.get("seconds_runs"):
        lines += [f"FtM import ({ftm['size']:,} entities, bench/ftm.py, "
                  f"{len(ftm['seconds_runs'])} run(s)): {ftm['nodes']:,} nodes and "
                  f"{ftm['relationships']:,} relationships; peak RSS "
                  f"{max(ftm['peak_rss_mb_runs']):.0f} MB; seconds: " + ", ".join(
                      f"{k} {_shown([s[k] for s in ftm['seconds_runs']])}"
                      for k in ftm["seconds_runs"][0]) + ".", ""]
    lines += ["## Time per step", "", "| step | seconds |", "|---|---|",
              *[f"| {name} | {s:.0f} |" for name, s in run["steps_s"].items()],
              f"| **total** | **{run['total_s']:.0f}** (budget {run['budget_s']:.0f}) |", "",
              "## Hot spots before (issue 17, py-spy, embedded load at 100k)", "",
              *[f"- {b}" for b in BEFORE], ""]
    return "\n".join(lines)


README_BEGIN = "<!-- bench: the lines down to its end mark are written by make bench -->"
README_END = "<!-- bench: end -->"


def readme_block(run: dict[str, Any]) -> str:
    """The README's Performance numbers, from one run's report.json: when and how it ran, the
    verdicts and the seconds of each step (so the README cannot drift from bench/REPORT.md)."""
    load = run["load_average"]
    steps = "; ".join(f"{name} {s:.0f} s" for name, s in run["steps_s"].items())
    return "\n".join([
        README_BEGIN, "",
        f"Latest numbers: bench/REPORT.md, run {run['started']} UTC with `python -m bench.run "
        f"{' '.join(run['argv'])}` on {run['cpus']} CPUs (load average {load[0]:.1f} at the "
        f"start, {load[1]:.1f} at the end), {run['total_s']:.0f} s in all (budget "
        f"{run['budget_s']:.0f} s); steps: {steps}. Median (min–max) of the runs:", "",
        *_table(run["rows"], "size"), "", README_END])


def write_readme(run: dict[str, Any], readme: Path) -> None:
    """Replace the block between :data:`README_BEGIN` and :data:`README_END` in ``readme``."""
    text = readme.read_text(encoding="utf-8")
    head, sep, rest = text.partition(README_BEGIN)
    _, sep2, tail = rest.partition(README_END)
    if not sep or not sep2:
        raise SystemExit(f"bench: {readme} has no bench block ({README_BEGIN} ... {README_END})")
    readme.write_text(head + readme_block(run) + tail, encoding="utf-8")


def cpu_busy(seconds: float = 1.0) -> float:
    """The share of this machine's CPU time (all cores, from /proc/stat) that was not idle
    over the next ``seconds``: 0.0 idle, 1.0 every core busy."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return sum(fields), fields[3] + fields[4]  # idle + iowait
    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 1.0 - (idle1 - idle0) / max(1, total1 - total0)


def settle(most_s: float = 90.0, busy: float = 0.10) -> dict[str, float]:
    """Wait, up to ``most_s``, until the machine is quiet (under ``busy`` of its CPU in use
    over a second): work a step left behind (a database server's checkpoint or garbage
    collection after a big load) is not charged to the next step's timings. Returns how long
    it waited and how busy the machine was then, for the report."""
    start = time.perf_counter()
    share = cpu_busy()
    while share >= busy and time.perf_counter() - start < most_s:
        share = cpu_busy()
    return {"waited_s": round(time.perf_counter() - start, 1), "cpu_busy": round(share, 3)}


def _run_step(name: str, cmd: list[str], timeout: float) -> dict[str, Any]:
    """Run one step's process; its stderr goes through (progress), its last stdout line is its
    JSON; an ``error`` entry says why there is none."""
    print(f"bench: {name} ...", file=sys.stderr, flush=True)
    tail: list[str] = []
    notes: list[str] = []  # "bench: X not measured: why" lines, for the rows
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, text=True,
                                cwd=HERE.parent)

        def relay() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                sys.stderr.write("  " + line)
                tail[:] = [*tail[-4:], line.strip()]
                if "not measured: " in line:
                    notes.append(line.strip())

        reader = threading.Thread(target=relay, daemon=True)
        reader.start()
        try:
            code = proc.wait(timeout=max(timeout, 60))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return {"error": f"stopped after {max(timeout, 60):.0f} s: the bench's hard limit"}
        finally:
            reader.join(5)
        out.seek(0)
        lines = out.read().strip().splitlines()
    if code != 0 or not lines:
        return {"error": f"exit {code}: {tail[-1] if tail else '?'}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return {**result, "notes": notes} if notes else result


def _ftm(size: int, runs: int, left: Callable[[], float]) -> dict[str, Any]:
    """The FtM import bench, each run in its own process (its peak RSS is its own)."""
    out: dict[str, Any] = {"size": size, "seconds_runs": [], "peak_rss_mb_runs": []}
    for run in range(runs):
        res = _run_step(f"FtM import of {size:,} entities, run {run + 1}/{runs}",
                        [sys.executable, "-m", "bench.ftm", "--size", str(size), "--json"],
                        left())
        if "error" in res:
            return out if out["seconds_runs"] else {"size": size, "error": res["error"]}
        out["seconds_runs"].append(res["seconds"])
        out["peak_rss_mb_runs"].append(res["peak_rss_mb"])
        out["nodes"], out["relationships"] = res["nodes"], res["relationships"]
    return out


def main() -> None:
    """Run every step in its own process, within the budget, and write the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--neo4j", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--neo4j-runs", type=int, default=None, help="default: --runs")
    parser.add_argument("--size-runs", default="",
                        help="runs of given sizes, overriding --runs (default 1000000:1)")
    parser.add_argument("--no-hot-spots", action="store_true", help="no cProfile run at 100k")
    parser.add_argument("--batch-sweep", action="store_true",
                        help="also Neo4j loads by batch size (1000, 5000, 20000) at 10k")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--budget", type=float, default=BUDGET_S,
                        help="seconds for all steps (the report says within or OVER)")
    parser.add_argument("--hard-limit", type=float, default=None,
                        help="seconds after which a step is stopped (default: twice the budget)")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--ftm", type=int, default=100_000,
                        help="entities of the FtM import run (0: none)")
    parser.add_argument("--ftm-runs", type=int, default=3)
    parser.add_argument("--views", type=int, default=5000,
                        help="nodes of the big synthetic HTML view (0: no views)")
    parser.add_argument("--no-curated", action="store_true", help="no curated-graph view")
    parser.add_argument("--from-json", type=Path,
                        help="only write REPORT.md again from this report.json (no measuring)")
    parser.add_argument("--readme", type=Path,
                        help="also write the finished run's numbers into this README's bench block")
    args = parser.parse_args()
    if args.from_json:
        run = json.loads(args.from_json.read_text(encoding="utf-8"))
        run["rows"] = all_rows(run["results"], run.get("views"), run.get("ftm"))
        _write(run, args.out)
        if args.readme:
            write_readme(run, args.readme)
        return
    started_at = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    steps: dict[str, float] = {}

    def left() -> float:  # a step still running at the hard limit is stopped
        return (args.hard_limit or 2 * args.budget) - (time.perf_counter() - started)

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        t = time.perf_counter()
        value = fn()
        steps[name] = time.perf_counter() - t
        print(f"bench: {name} done in {steps[name]:.0f} s (elapsed "
              f"{time.perf_counter() - started:.0f} of {args.budget:.0f} s)",
              file=sys.stderr, flush=True)
        return value

    sizes = [int(s) for s in args.sizes.split(",") if s]
    results: list[dict[str, Any]] = []

    def one_size(size: int) -> None:
        runs = {**SIZE_RUNS, **size_runs(args.size_runs)}.get(size, args.runs)
        plan = plan_for(size, runs, args.neo4j, args.neo4j_runs, args.batch_sweep)
        if args.no_hot_spots:
            plan = replace(plan, hot_spots=False)
        cmd = [sys.executable, "-m", "bench.measure", str(size), "--runs", str(plan.runs),
               "--neo4j-runs", str(plan.neo4j_runs or 1), "--sample", str(args.sample),
               "--pairs", str(plan.pairs)]
        cmd += ["--neo4j"] if plan.neo4j else []
        cmd += [] if plan.hot_spots else ["--no-hot-spots"]
        cmd += [] if plan.batch_sweep else ["--no-batch-sweep"]
        cmd += [] if plan.nx_runs is None else ["--nx-runs", str(plan.nx_runs)]
        res = timed(f"{size:,} relationships", lambda: _run_step(
            f"{size:,} relationships, {plan.runs} run(s)", cmd, left()))
        results.append({"size": size, **res, "plan": asdict(plan)})

    parts: dict[str, Any] = {"views": None, "ftm": None}

    def write(final: bool) -> dict[str, Any]:  # after each step: a stopped run keeps its numbers
        run = {"started": f"{started_at:%Y-%m-%d %H:%M}", "argv": sys.argv[1:],
               "machine": platform.platform(), "cpus": os.cpu_count(),
               "python": platform.python_version(), "budget_s": args.budget,
               "total_s": time.perf_counter() - started, "steps_s": steps,
               "load_average": [load_start, os.getloadavg()[0]], "finished": final,
               "rows": all_rows(results, parts["views"], parts["ftm"]), "results": results,
               **parts}
        _write(run, args.out, echo=final)
        return run

    # The sizes below 1M, the views and the FtM import first: the 1M step is last, so a budget
    # it overruns costs only its own rows.
    for size in (s for s in sizes if s < 1_000_000):
        one_size(size)
        write(False)
    if args.views:
        cmd = [sys.executable, "-m", "bench.views", "--json", "--sizes", str(args.views),
               "--runs", "3" if args.runs >= 3 else str(args.runs)]
        cmd += [] if args.no_curated else ["--curated"]
        # The views are timed in a single browser thread: begin on a quiet machine.
        quiet = settle()
        parts["views"] = timed("HTML views", lambda: _run_step("HTML views", cmd, left()))
        parts["views"]["settle"] = quiet
        write(False)
    if args.ftm:
        parts["ftm"] = timed(f"FtM import {args.ftm:,}",
                             lambda: _ftm(args.ftm, args.ftm_runs, left))
        write(False)
    for size in (s for s in sizes if s >= 1_000_000):
        one_size(size)
    run = write(True)
    if args.readme:
        write_readme(run, args.readme)


def all_rows(results: list[dict[str, Any]], views: dict[str, Any] | None,
             ftm: dict[str, Any] | None) -> list[Row]:
    """Every row of the report, each with its section (a size, the views, the FtM import)."""
    rows: list[Row] = []
    for res in results:
        section = f"{res['size']:,} rels"
        if "error" in res:
            rows += [{"section": section, **r, "runs": None, "verdict": "—",
                      "measured": f"not measured: {res['error']}"} for r in size_rows({})]
            continue
        rows += [{"section": section, **r} for r in size_rows(res, Plan(**res["plan"]))]
    rows += [{"section": "views", **r} for r in view_rows(views)]
    return [*rows, {"section": "FtM", **ftm_row(ftm)}]


def _write(run: dict[str, Any], out: Path, echo: bool = True) -> None:
    out.mkdir(parents=True, exist_ok=True)
    text = report(run)
    (out / "REPORT.md").write_text(text, encoding="utf-8")
    (out / "report.json").write_text(json.dumps(run, indent=1, default=str), encoding="utf-8")
    if not echo:
        return
    print(text)
    over = run["total_s"] > run["budget_s"]
    print(f"wrote {out / 'REPORT.md'}; bench: {run['total_s']:.0f} s in all, "
          f"{'OVER' if over else 'within'} the budget of {run['budget_s']:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
