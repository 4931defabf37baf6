"""FtM import at scale: a synthetic OpenSanctions-like entity stream into a fresh embedded store.

    python -m bench.ftm [--size 100000] [--profile N] [--json]

``ftm_rows(size)`` gives the timing rows (stream written, mapped + validated, loaded, and
LadybugDB's own COPY FROM of the same rows as the baseline), each with its wall and CPU
seconds and the process's peak RSS after it; the output ends with end to end ÷ COPY FROM and
its verdict (target ≤ 3×, the embedded-load target). ``--profile N`` adds the N hottest
functions of map + validate and of the load; ``--json`` prints one JSON object, which
bench/run.py adds to its report.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from rnkg.loaders.ftm import FtmImport

T = TypeVar("T")

# Mix of a maritime sanctions stream: vessels, companies, people, sanctions, links.
MIX = (("Vessel", 30), ("Company", 25), ("Person", 15), ("Sanction", 15), ("Ownership", 10),
       ("Directorship", 5))


def imo_number(i: int) -> str:
    """A 7-digit IMO number with a valid check digit, from a counter."""
    digits = f"{100000 + i % 900000:06d}"
    check = sum(int(d) * w for d, w in zip(digits, range(7, 1, -1), strict=True)) % 10
    return digits + str(check)


def write_stream(path: Path, size: int, seed: int = 7) -> None:
    """``size`` FtM entities, one JSON line each; links point at entities written before."""
    rng = random.Random(seed)
    kinds = [k for k, w in MIX for _ in range(w)]
    made: dict[str, list[str]] = {"Vessel": [], "Company": [], "Person": []}
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(size):
            kind = kinds[i % len(kinds)]
            ftm_id = f"bench-{kind.lower()}-{i}"
            props: dict[str, list[str]] = {}
            if kind == "Vessel":
                props = {"name": [f"Vessel {i}"], "imoNumber": [imo_number(i)], "flag": ["ru"]}
            elif kind in ("Company", "Person"):
                props = {"name": [f"{kind} {i}"], "country": ["ru"]}
            elif kind == "Sanction":
                target = rng.choice(made["Vessel"] or made["Company"] or [ftm_id])
                props = {"entity": [target], "authority": ["OFAC"], "program": ["RUSSIA"],
                         "listingDate": ["2024-02-23"], "startDate": ["2024-03-01"]}
            elif kind == "Ownership" and made["Company"] and made["Vessel"]:
                props = {"owner": [rng.choice(made["Company"])],
                         "asset": [rng.choice(made["Vessel"])], "startDate": ["2022"]}
            elif kind == "Directorship" and made["Person"] and made["Company"]:
                props = {"director": [rng.choice(made["Person"])],
                         "organization": [rng.choice(made["Company"])], "role": ["director"]}
            else:
                continue
            if kind in made:
                made[kind].append(ftm_id)
            fh.write(json.dumps({"id": ftm_id, "schema": kind, "properties": props,
                                 "datasets": ["bench_sanctions"], "first_seen": "2023-01-01",
                                 "last_seen": "2025-06-30"}) + "\n")


Row = tuple[str, str, int, int, float, float, int]
"""(name, step, nodes, relationships, seconds, CPU seconds of this process, peak RSS MB after)."""

TARGET = 3.0
"""End to end (map + validate + embedded load) ÷ LadybugDB's COPY FROM of the same rows."""


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


class _Step:
    """Times one step (wall and this process's CPU), profiled when asked."""

    def __init__(self, profile: int) -> None:
        self.profile = profile
        self.hot: dict[str, list[str]] = {}

    def run(self, step: str, fn: Callable[[], T], profiled: bool = True) -> tuple[T, float, float]:
        prof = cProfile.Profile() if self.profile and profiled else None
        wall, cpu = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        try:
            out = fn()
        finally:
            if prof:
                prof.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if prof:
            self.hot[step] = hot_spots(prof, self.profile)
        return out, wall, cpu


def hot_spots(prof: cProfile.Profile, top: int) -> list[str]:
    """The ``top`` functions by own time of a profile, as ``share% file:line(function)``."""
    stats = pstats.Stats(prof)
    entries = stats.stats  # type: ignore[attr-defined]  # pstats keeps its table untyped
    total = sum(e[2] for e in entries.values()) or 1.0
    ranked = sorted(entries.items(), key=lambda kv: -kv[1][2])[:top]
    return [f"{100 * e[2] / total:5.1f}% {Path(f).name}:{line}({fn})"
            for (f, line, fn), e in ranked]


def ftm_rows(size: int, profile: int = 0) -> tuple[list[Row], dict[str, list[str]]]:
    """The rows of one synthetic import (stream written, mapped + validated, loaded, and
    LadybugDB's COPY FROM of the same rows), and with ``profile`` the hot spots of the map +
    validate and load steps (cProfile, which slows them: compare ratios without it)."""
    from rnkg.graph.ladybug import LadybugBackend, release
    from rnkg.loaders.ftm import import_ftm
    from rnkg.loaders.ftm_merge import StoreView
    from rnkg.loaders.pipeline import fewer_gc_passes

    tmp = Path(tempfile.mkdtemp())
    stream = tmp / "bench.ftm.json"
    name = f"ftm-{size}"
    steps = _Step(profile)
    _, wall, cpu = steps.run("write stream", lambda: write_stream(stream, size), False)
    rows: list[Row] = [(name, "write stream", 0, 0, wall, cpu, _peak_mb())]
    store = LadybugBackend(tmp / "bench.lbug")
    try:
        def mapped() -> FtmImport:
            with open(stream, encoding="utf-8") as fh:
                return import_ftm(fh, str(stream), store.schema, StoreView(store, store.schema))

        result, wall, cpu = steps.run("map + validate", mapped)
        ds = result.dataset
        n, r = len(ds.nodes), len(ds.relationships)
        rows.append((name, "map + validate", n, r, wall, cpu, _peak_mb()))

        def loaded() -> None:
            with fewer_gc_passes():  # as `rnkg import ftm` loads (loaders/ftm_run.py)
                store.load(ds)

        _, wall, cpu = steps.run("embedded load", loaded)
        rows.append((name, "embedded load", n, r, wall, cpu, _peak_mb()))
        assert store.counts()["Vessel"] == result.new["Vessel"], "every vessel written"
    finally:
        store.close()
        release(tmp / "bench.lbug")
    from bench.measure import _copy_baseline

    cpu = time.process_time()
    copy_s = _copy_baseline(ds, tmp, 0)  # the import's store closed: its memory is not added
    rows.append((name, "COPY FROM", n, r, copy_s, time.process_time() - cpu, _peak_mb()))
    return rows, steps.hot


def ratio(rows: list[Row]) -> float:
    """End to end (map + validate + embedded load) ÷ COPY FROM, in wall seconds."""
    s = {step: seconds for _, step, _, _, seconds, _, _ in rows}
    return (s["map + validate"] + s["embedded load"]) / s["COPY FROM"]


def main() -> None:
    """Run one synthetic import and print its rows, the ratio with its verdict, the peak RSS."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="one JSON object (bench/run.py)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also print the N hottest functions of map + validate and load")
    args = parser.parse_args()
    rows, hot = ftm_rows(args.size, args.profile)
    import_mb = rows[2][6]  # peak RSS once the import is written (before the COPY baseline)
    if args.json:
        print(json.dumps({"size": args.size, "peak_rss_mb": import_mb,
                          "nodes": rows[-1][2], "relationships": rows[-1][3],
                          "seconds": {step: round(s, 3) for _, step, _, _, s, _, _ in rows},
                          "cpu_seconds": {step: round(c, 3) for _, step, _, _, _, c, _ in rows},
                          "peak_rss_mb_after": {step: m for _, step, *_, m in rows}}))
        return
    print(f"{'':12} {'step':16} {'nodes':>8} {'rels':>8} {'wall s':>8} {'cpu s':>8} "
          f"{'peak RSS MB':>11}")
    for name, step, n, r, seconds, cpu, mb in rows:
        print(f"{name:12} {step:16} {n:8} {r:8} {seconds:8.2f} {cpu:8.2f} {mb:11}")
    measured = ratio(rows)
    verdict = "met" if measured <= TARGET else "NOT met"
    print(f"end to end (map + validate + embedded load) ÷ COPY FROM: {measured:.2f} "
          f"(target ≤ {TARGET:g}×: {verdict}); peak RSS of the import {import_mb} MB")
    for step, lines in hot.items():
        print(f"hot spots of {step} (cProfile, own time):")
        print("\n".join(f"  {line}" for line in lines))


if __name__ == "__main__":
    main()
