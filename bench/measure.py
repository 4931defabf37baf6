"""One size of ``make bench``, in its own process (so its peak RSS is its own).

    python -m bench.measure SIZE [--neo4j] [--runs 3] [--sample 300]

Prints one JSON object: every measurement of that size, each a list of the runs.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.shapes import shape_sweep
from bench.steps import Steps
from bench.synthetic import synthetic_dataset
from rnkg.graph.backend import Backend
from rnkg.graph.loadplan import Changes
from rnkg.loaders.pipeline import Dataset


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _fresh_embedded(folder: Path, name: str) -> Backend:
    from rnkg.graph.ladybug import LadybugBackend

    return LadybugBackend(folder / f"{name}.lbug")


def _copy_baseline(ds: Dataset, folder: Path, run: int) -> float:
    """LadybugDB's COPY FROM of the same rows as a user runs it: one file a table (written
    beforehand, not timed), one COPY a file, each its own transaction, in a store with the
    engine's defaults (its buffer pool is 80% of the machine's memory; rnkg builds in 256 MB,
    in parts: graph/bulk.py)."""
    from rnkg.graph.bulk import bulk_steps
    from rnkg.graph.ladybug import release

    store = _fresh_embedded(folder, f"copy-{run}")
    work = folder / f"copy-files-{run}"
    work.mkdir()
    steps = list(bulk_steps(store.schema, ds, store.dialect, store.batch_size, work, Changes(),
                            one_file=True, min_rows=1))
    ddl = store.dialect.ddl(store.schema)
    start = time.perf_counter()
    for statement in ddl:
        store.query(statement, write=True)
    for statement, params in steps:
        store.query(statement, params, write=True)
    seconds = time.perf_counter() - start
    store.close()
    release(folder / f"copy-{run}.lbug")
    return seconds


def _read_rows(store: Backend) -> float:
    """The time to read every node and relationship with one query each."""
    return _timed(lambda: (store.query("MATCH (n) RETURN n"),
                           store.query("MATCH ()-[r]->() RETURN r")))[0]


def _paths(store: Backend | None, g: Any, ids: list[tuple[str, str]]) -> dict[str, list[float]]:
    """Per-query seconds: shortest, all shortest, 3-hop neighbourhood."""
    import networkx as nx

    out: dict[str, list[float]] = {"shortest": [], "all_shortest": [], "hop3": []}
    und = g.to_undirected(as_view=True) if store is None else None
    hop = ("MATCH (a:Person {id: $id})-[*1..3]-(b) RETURN count(DISTINCT b)"
           if store is not None and store.name == "neo4j" else
           "MATCH (a:Person {id: $id})-[* TRAIL 1..3]-(b) RETURN count(DISTINCT b)")
    for a, b in ids:
        if store is None:
            out["shortest"].append(_seconds(_nx_try, nx.shortest_path, und, a, b))
            out["all_shortest"].append(_seconds(_nx_try, _all_shortest, und, a, b))
            out["hop3"].append(_seconds(nx.ego_graph, und, a, 3))
            continue
        for kind, every in (("shortest", False), ("all_shortest", True)):
            q = store.dialect.shortest_path("Person", "Person", 6, (), every)
            out[kind].append(_seconds(store.query, q, {"from_id": a, "to_id": b}))
        out["hop3"].append(_seconds(store.query, hop, {"id": a}))
    return out


def _seconds(fn: Callable[..., Any], *args: Any) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def _all_shortest(g: Any, a: str, b: str) -> list[Any]:
    import networkx as nx

    return list(nx.all_shortest_paths(g, a, b))


def _nx_try(fn: Callable[..., Any], *args: Any) -> Any:
    import networkx as nx

    try:
        return fn(*args)
    except nx.NetworkXNoPath:
        return None


def _per_row_loop(store: Any, ds: Dataset, sample: int) -> float:
    """Rows/s of the loop a user would write with the official driver, on a fixed sample: one
    session, one auto-commit ``session.run`` MERGE a row (nodes first, then relationships).

    Not rnkg's ``query(write=True)``: that opens a session and a managed transaction a call,
    about 1.5× slower a row, which would flatter the loader's ratio."""
    schema, dialect = store.schema, store.dialect
    rows = dataset_rows(ds)[:sample]
    ends = {r["from"] for r in rows} | {r["to"] for r in rows}
    node_rows = {label: [r for r in ds.node_rows(label) if r["id"] in ends]
                 for label in ("Person", "Organization")}
    start = time.perf_counter()
    with store._session(read=False) as session:
        for label, nrows in node_rows.items():
            statement = dialect.upsert_nodes(schema, label)
            for row in nrows:
                session.run(statement, {"rows": [row]}).consume()
        statement = dialect.upsert_rels(schema, "ROLE_IN", "Person", "Organization")
        for row in rows:
            session.run(statement, {"rows": [row]}).consume()
    seconds = time.perf_counter() - start
    return (len(rows) + sum(len(v) for v in node_rows.values())) / seconds


def dataset_rows(ds: Dataset) -> list[dict[str, Any]]:
    """The synthetic relationships' rows."""
    return ds.rel_rows("ROLE_IN", "Person", "Organization")


def _hot_spots(fn: Callable[[], Any], top: int = 6) -> list[str]:
    """The functions with the most own time in one run of ``fn`` (cProfile)."""
    prof = cProfile.Profile()
    prof.runcall(fn)
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    return [f"{100 * v[2] / total:.0f}% {Path(k[0]).name}:{k[1]} {k[2]}" for k, v in rows]


def measure(size: int, with_neo4j: bool, runs: int, sample: int, *, neo4j_runs: int | None = None,
            pairs: int = 20, hot_spots: bool = True, batch_sweep: bool = True,
            nx_runs: int | None = None, steps: Steps | None = None) -> dict[str, Any]:
    """Every measurement of one size; ``steps`` gets the seconds of each step.

    ``runs`` embedded runs (each: generate and validate, load, reload, COPY FROM, to_networkx, one
    query), ``neo4j_runs`` Neo4j runs (default ``runs``), ``pairs`` path queries per kind;
    ``nx_runs`` of the runs time to_networkx (default all; 0: none, and no networkx paths).
    """
    from rnkg.graph.ladybug import release
    from rnkg.graph.nx import to_networkx

    steps = steps or Steps(f"{size:,}")
    out: dict[str, Any] = {"size": size, "runs": runs}
    folder = Path(tempfile.mkdtemp(prefix="rnkg-bench-"))
    emb: dict[str, list[float]] = {"load_s": [], "end_to_end_s": [], "copy_s": [],
                                   "reload_s": [], "nx_s": [], "read_s": []}
    gen: list[float] = []
    store, ds, g = None, None, None
    for run in range(runs):
        if store is not None:
            store.close()
            release(folder / f"emb-{run - 1}.lbug")
        ds = g = None  # the previous run's data goes before the next is built (peak RSS)
        with steps.step("generate + validate"):
            seconds, ds = _timed(lambda: synthetic_dataset(size))
        gen.append(seconds)
        store = _fresh_embedded(folder, f"emb-{run}")
        with steps.step("embedded load"):
            load_s = _seconds(store.load, ds, True)
        if run == 0:  # the loading process: generation, validation and one full load
            out["peak_rss_load_mb"] = _peak_rss_mb()
        emb["load_s"].append(load_s)
        emb["end_to_end_s"].append(load_s + seconds)
        with steps.step("embedded reload"):
            emb["reload_s"].append(_seconds(store.load, ds))
        with steps.step("COPY FROM baseline"):
            emb["copy_s"].append(_copy_baseline(ds, folder, run))
        if nx_runs is None or run < nx_runs:
            with steps.step("to_networkx + one query"):
                nx_s, g = _timed(partial(to_networkx, store))  # the last g serves the paths
                emb["nx_s"].append(nx_s)
                emb["read_s"].append(_read_rows(store))
    assert store is not None and ds is not None
    out["validate_s"] = gen
    out["nodes"], out["rels"] = len(ds.nodes), len(ds.relationships)
    out["embedded"] = emb
    if hot_spots:
        with steps.step("hot spots (cProfile load)"):
            hot_store = _fresh_embedded(folder, "hot")
            out["hot_spots_embedded_load"] = _hot_spots(lambda: hot_store.load(ds, reset=True))
            hot_store.close()
            release(folder / "hot.lbug")
    rng = random.Random(3)
    people = sorted(i for i in ds.nodes if i.startswith("person:"))
    chosen = [(rng.choice(people), rng.choice(people)) for _ in range(pairs)]
    with steps.step("path queries (embedded, networkx)"):
        out["paths"] = {"embedded": _paths(store, g, chosen)}
        if g is not None:
            out["paths"]["networkx"] = _paths(None, g, chosen)
    store.close()
    if with_neo4j:
        out["neo4j"] = _neo4j(ds, neo4j_runs or runs, sample, chosen, g, steps, batch_sweep)
    out["peak_rss_mb"] = _peak_rss_mb()
    for name in [p.name for p in folder.glob("*.lbug")]:
        release(folder / name)
    shutil.rmtree(folder, ignore_errors=True)
    out["steps_s"] = steps.seconds
    return out


def _peak_rss_mb() -> float:
    """This process's peak resident set so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _neo4j(ds: Dataset, runs: int, sample: int, pairs: list[tuple[str, str]],
           g: Any, steps: Steps, batch_sweep: bool = True) -> dict[str, Any]:
    from rnkg.errors import BackendUnavailable
    from rnkg.graph.neo4j import Neo4jBackend
    from rnkg.graph.nx import to_networkx
    from tests.fixtures.neo4j_server import neo4j_settings, wipe_neo4j

    try:
        neo = Neo4jBackend(neo4j_settings())
    except BackendUnavailable as exc:
        return {"skipped": f"Neo4j unavailable: {exc}"}
    res: dict[str, Any] = {"load_s": [], "reload_s": [], "nx_s": [], "read_s": [],
                           "loop_rows_per_s": [], "batch_sizes": {}}
    n_rows = len(ds.nodes) + len(ds.relationships)
    with steps.step("Neo4j warm-up (untimed load of 300 rels)"):
        wipe_neo4j(neo)  # a fresh server's first statements (schema, plans) are not the loader
        neo.load(synthetic_dataset(300), reset=True)
    for _ in range(runs):
        wipe_neo4j(neo)
        with steps.step("Neo4j load"):
            res["load_s"].append(_timed(lambda: neo.load(ds, reset=True))[0])
        with steps.step("Neo4j reload"):
            res["reload_s"].append(_timed(lambda: neo.load(ds))[0])
        with steps.step("Neo4j to_networkx + one query"):
            res["nx_s"].append(_timed(lambda: to_networkx(neo))[0])
            res["read_s"].append(_read_rows(neo))
    with steps.step("Neo4j path queries"):
        res["paths"] = _paths(neo, g, pairs)
    with steps.step("Neo4j per-row loop (sample)"):
        for _ in range(runs):
            wipe_neo4j(neo)
            res["loop_rows_per_s"].append(_per_row_loop(neo, ds, sample))
    res["loader_rows_per_s"] = [n_rows / s for s in res["load_s"]]
    with steps.step("neo4j-admin import"):
        res["admin_import_s"] = _admin_import(ds, runs)
    if batch_sweep:
        default = neo.batch_size
        with steps.step("Neo4j load by batch size"):
            for size in (1000, 5000, 20000):
                neo.batch_size = size
                wipe_neo4j(neo)
                res["batch_sizes"][str(size)] = _timed(lambda: neo.load(ds, reset=True))[0]
        neo.batch_size = default
        with steps.step("Neo4j statement shapes"):
            res["shapes"] = shape_sweep(neo, ds, runs, wipe_neo4j)
    wipe_neo4j(neo)
    neo.close()
    return res


def _admin_import(ds: Dataset, runs: int) -> list[float]:
    """``neo4j-admin database import full`` of the same dataset into a Neo4j home of its own:
    the tool's own seconds a run (its "IMPORT DONE in" line; JVM start and the export's files,
    written once beforehand, not counted). [] when it cannot run (the reason on stderr)."""

    from rnkg.graph.export.neo4j_import import write_import
    from tests.fixtures.neo4j_admin import ImportHome, import_seconds

    folder = Path(tempfile.mkdtemp(prefix="rnkg-bench-admin-"))
    home = ImportHome.create(folder)
    try:
        files = write_import(ds, folder / "files")
        return [import_seconds(home.script("import", str(files.folder))) for _ in range(runs)]
    except (AssertionError, ValueError, OSError) as exc:
        print(f"bench: neo4j-admin import not measured: {exc}", file=sys.stderr)
        return []
    finally:
        home.remove()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    """Measure one size and print the JSON (progress per step on stderr)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("size", type=int)
    parser.add_argument("--neo4j", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--neo4j-runs", type=int, default=None)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--pairs", type=int, default=20, help="path queries per kind")
    parser.add_argument("--no-hot-spots", action="store_true")
    parser.add_argument("--no-batch-sweep", action="store_true")
    parser.add_argument("--nx-runs", type=int, default=None, help="runs timing to_networkx")
    args = parser.parse_args()
    print(json.dumps(measure(args.size, args.neo4j, args.runs, args.sample,
                             neo4j_runs=args.neo4j_runs, pairs=args.pairs,
                             hot_spots=not args.no_hot_spots,
                             batch_sweep=not args.no_batch_sweep, nx_runs=args.nx_runs)))


def spread(values: list[float]) -> str:
    """Median and range of runs.

    >>> spread([1.0, 3.0, 2.0])
    '2.00 (1.00–3.00)'
    """
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


if __name__ == "__main__":
    main()
