"""FtM import at scale: a synthetic OpenSanctions-like entity stream into a fresh embedded store.

    python -m bench.ftm [--size 100000]

``ftm_rows(size)`` gives the timing rows (stream written, mapped + validated, loaded, and
LadybugDB's own COPY FROM of the same rows as the baseline); ``--json`` prints them with this
process's peak RSS as one JSON object, which bench/run.py adds to its report (the FtM import
against the embedded-load target, end to end ÷ COPY FROM ≤ 3×).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path

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


def ftm_rows(size: int) -> list[tuple[str, str, int, int, float]]:
    """(name, step, nodes, relationships, seconds) rows of one synthetic import."""
    from rnkg.graph.ladybug import LadybugBackend, release
    from rnkg.loaders.ftm import import_ftm
    from rnkg.loaders.ftm_merge import StoreView
    from rnkg.loaders.pipeline import fewer_gc_passes

    tmp = Path(tempfile.mkdtemp())
    stream = tmp / "bench.ftm.json"
    name = f"ftm-{size}"
    start = time.perf_counter()
    write_stream(stream, size)
    rows = [(name, "write stream", 0, 0, time.perf_counter() - start)]
    store = LadybugBackend(tmp / "bench.lbug")
    try:
        start = time.perf_counter()
        with open(stream, encoding="utf-8") as fh:
            result = import_ftm(fh, str(stream), store.schema, StoreView(store, store.schema))
        ds = result.dataset
        n, r = len(ds.nodes), len(ds.relationships)
        rows.append((name, "map + validate", n, r, time.perf_counter() - start))
        start = time.perf_counter()
        with fewer_gc_passes():  # as `rnkg import ftm` loads (loaders/ftm_run.py)
            store.load(ds)
        rows.append((name, "embedded load", n, r, time.perf_counter() - start))
        assert store.counts()["Vessel"] == result.new["Vessel"], "every vessel written"
        from bench.measure import _copy_baseline

        rows.append((name, "COPY FROM", n, r, _copy_baseline(ds, tmp, 0)))
    finally:
        store.close()
        release(tmp / "bench.lbug")
    return rows


def main() -> None:
    """Run one synthetic import and print its rows and the peak RSS."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="one JSON object (bench/run.py)")
    args = parser.parse_args()
    rows = ftm_rows(args.size)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps({"size": args.size, "peak_rss_mb": round(peak_mb),
                          "nodes": rows[-1][2], "relationships": rows[-1][3],
                          "seconds": {step: round(s, 3) for _, step, _, _, s in rows}}))
        return
    for name, step, n, r, seconds in rows:
        print(f"{name:12} {step:16} {n:8} nodes {r:8} rels {seconds:8.2f} s")
    print(f"peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
