"""HTML views at scale: write time, file size, time to first frame and to stable, and how
responsive the page stays while it is zoomed, panned and clicked, in headless Chromium
(Debian's /usr/bin/chromium via playwright).

    python -m bench.views [--sizes 500,5000,20000] [--runs 1]   # writes bench/reports/views-DATE.md
    python -m bench.views --json --sizes 5000 --curated --runs 3  # one JSON object (bench/run.py)

Each size is a synthetic graph (bench/synthetic.py: people and organisations, ROLE_IN edges)
loaded into a fresh embedded store; ``--curated`` adds the curated facts. The view is the whole
graph, written by ``rnkg export html``'s code path (select, then write). Measured in the page:

- first frame: from navigation start to vis-network's first ``afterDrawing``;
- stable: two animation frames later (physics is off, so nothing moves after the first frame);
- responsive: after the first frame, 4 wheel zooms, 2 drags (pans) and 4 clicks on drawn nodes,
  as real input events; the longest main-thread task (the Long Tasks API) and the longest gap
  between animation frames over that interaction, the larger of the two ("frozen for at most").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.synthetic import synthetic_dataset

REPORTS = Path(__file__).resolve().parent / "reports"
CHROMIUM = "/usr/bin/chromium"

# Before any of the page runs: collect long tasks, and a frame-gap monitor to switch on.
WATCH = """
window.rnkgLong = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.rnkgLong.push([e.startTime, e.duration]); });
}).observe({type: "longtask", buffered: true});
window.rnkgGaps = {max: 0, last: null, on: false};
window.rnkgWatchFrames = function () {
  var g = window.rnkgGaps; g.on = true; g.max = 0; g.last = null;
  function tick(t) { if (g.last !== null) g.max = Math.max(g.max, t - g.last); g.last = t;
                     if (g.on) requestAnimationFrame(tick); }
  requestAnimationFrame(tick);
};
"""

# DOM points of up to ``n`` drawn nodes inside the canvas, for real clicks.
NODE_POINTS = """n => { const box = document.getElementById('mynetwork').getBoundingClientRect();
  const pos = network.getPositions(); const out = [];
  for (const id of network.body.nodeIndices) { const p = network.canvasToDOM(pos[id]);
    if (p.x > 20 && p.y > 20 && p.x < box.width - 20 && p.y < box.height - 20)
      out.push([box.left + p.x, box.top + p.y]);
    if (out.length >= n) break; }
  return out; }"""


def write_view(nodes: int, folder: Path) -> dict[str, Any]:
    """Load a synthetic graph of about ``nodes`` nodes and write its HTML view."""
    from rnkg.graph.ladybug import LadybugBackend

    ds = synthetic_dataset(int(nodes / (1 / 3 + 1 / 10)))
    store = LadybugBackend(folder / f"v{nodes}.lbug")
    try:
        store.load(ds, reset=True)
        return _write(store, folder / f"v{nodes}.html", sources=False)
    finally:
        store.close()


def write_curated(folder: Path) -> dict[str, Any]:
    """Load the curated facts into a fresh store and write the whole graph's view, as
    ``rnkg export html OUT`` does by default."""
    from rnkg.graph.ladybug import LadybugBackend
    from rnkg.loaders.pipeline import build_dataset, default_facts_dir

    store = LadybugBackend(folder / "curated.lbug")
    try:
        store.load(build_dataset(default_facts_dir()), reset=True)
        return _write(store, folder / "curated.html", sources=True)
    finally:
        store.close()


def _write(store: Any, out: Path, sources: bool) -> dict[str, Any]:
    from rnkg.graph.export.formats import write_view as write
    from rnkg.graph.selection import Selection, select

    start = time.perf_counter()
    view = select(store, Selection(sources=sources))
    write("html", view, out)
    seconds = time.perf_counter() - start
    return {"nodes": view.graph.number_of_nodes(), "edges": view.graph.number_of_edges(),
            "write_s": seconds, "bytes": out.stat().st_size, "path": out}


def browse(path: Path) -> dict[str, float]:
    """Open the view offline; first frame, stable, a zoom's redraw, a click, and the longest
    freeze over an interaction (see the module's docstring), in ms."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        ctx.route("**/*", lambda r: r.abort() if r.request.url.startswith(
            ("http:", "https:", "ws:", "wss:")) else r.continue_())
        ctx.add_init_script(WATCH)
        page = ctx.new_page()
        page.goto(path.resolve().as_uri(), timeout=300_000)
        page.wait_for_function("window.rnkgStable !== undefined", timeout=300_000)
        first, stable = page.evaluate("[window.rnkgFirstFrame, window.rnkgStable]")
        loading_task = page.evaluate("Math.max(0, ...window.rnkgLong.map(e => e[1]))")
        zoom = page.evaluate("""() => new Promise(done => {
            const t = performance.now();
            network.once('afterDrawing', () => done(performance.now() - t));
            network.moveTo({scale: network.getScale() * 2});
        })""")
        click = page.evaluate("""() => { const t = performance.now();
            const id = nodes.getIds()[0]; network.selectNodes([id]);
            show(allNodes.get(id), false); return performance.now() - t; }""")
        frozen = _interact(page)
        browser.close()
    return {"first_ms": first, "stable_ms": stable, "zoom_ms": zoom, "click_ms": click,
            "loading_task_ms": loading_task, **frozen}


def _interact(page: Any) -> dict[str, float]:
    """Zoom, pan and click with real input events; the longest task and frame gap meanwhile."""
    page.evaluate("network.fit({animation: false})")
    page.wait_for_timeout(200)
    start = page.evaluate("window.rnkgWatchFrames(); performance.now()")
    box = page.locator("#mynetwork").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    for _ in range(4):
        page.mouse.wheel(0, -240)
        page.wait_for_timeout(150)
    for dx in (150, -150):
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx + dx, cy + dx / 3, steps=8)
        page.mouse.up()
        page.wait_for_timeout(150)
    for x, y in page.evaluate(NODE_POINTS, 4):
        page.mouse.click(x, y)
        page.wait_for_timeout(150)
    page.wait_for_timeout(300)
    longest, gap = page.evaluate("""start => { window.rnkgGaps.on = false;
        const during = window.rnkgLong.filter(e => e[0] + e[1] >= start).map(e => e[1]);
        return [Math.max(0, ...during), window.rnkgGaps.max]; }""", start)
    return {"longest_task_ms": longest, "frame_gap_ms": gap, "frozen_ms": max(longest, gap)}


def measure_views(sizes: list[int], curated: bool, runs: int) -> list[dict[str, Any]]:
    """Write each view once, open it ``runs`` times; one row per view, each value a list."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        written = [write_view(size, Path(tmp)) for size in sizes]
        if curated:
            written.append({**write_curated(Path(tmp)), "name": "curated"})
        for view in written:
            visits = [browse(view["path"]) for _ in range(runs)]
            row: dict[str, Any] = {k: v for k, v in view.items() if k != "path"}
            row.setdefault("name", f"synthetic {view['nodes']:,} nodes")
            row.update({k: [v[k] for v in visits] for k in visits[0]})
            rows.append(row)
    return rows


def main() -> None:
    """Run the sizes and write the report (or print one JSON object with ``--json``)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,5000,20000")
    parser.add_argument("--curated", action="store_true", help="also the curated graph's view")
    parser.add_argument("--runs", type=int, default=1, help="visits of each view")
    parser.add_argument("--json", action="store_true", help="one JSON object (bench/run.py)")
    args = parser.parse_args()
    rows = measure_views([int(s) for s in args.sizes.split(",") if s], args.curated, args.runs)
    if args.json:
        print(json.dumps({"views": rows}))
        return
    for r in rows:
        print(f"{r['nodes']} nodes, {r['edges']} edges: write {r['write_s']:.2f} s, "
              f"{r['bytes'] / 1e6:.1f} MB, first frame {max(r['first_ms']):.0f} ms, "
              f"stable {max(r['stable_ms']):.0f} ms, frozen at most {max(r['frozen_ms']):.0f} ms")
    REPORTS.mkdir(exist_ok=True)
    report = REPORTS / f"views-{dt.date.today().isoformat()}.md"
    lines = [f"# HTML views, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
             "", f"{platform.platform()}, Python {platform.python_version()}, headless "
             "Chromium (Debian), 1400x900, physics off; worst of the visits.", "",
             "| view | nodes | edges | write (s) | file (MB) | first frame (ms) | stable (ms) | "
             "zoom redraw (ms) | click (ms) | longest task (ms) | frame gap (ms) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['nodes']} | {r['edges']} | {r['write_s']:.2f} | "
                     f"{r['bytes'] / 1e6:.1f} | {max(r['first_ms']):.0f} | "
                     f"{max(r['stable_ms']):.0f} | {max(r['zoom_ms']):.0f} | "
                     f"{max(r['click_ms']):.1f} | {max(r['longest_task_ms']):.0f} | "
                     f"{max(r['frame_gap_ms']):.0f} |")
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {report}")


if __name__ == "__main__":
    main()
