"""HTML views at scale: write time, file size, time to first frame and to stable, and how long
a zoom and a click take, in headless Chromium (Debian's /usr/bin/chromium via playwright).

    python -m bench.views [--sizes 500,5000,20000]

Each size is a synthetic graph (bench/synthetic.py: people and organisations, ROLE_IN edges)
loaded into a fresh embedded store; the view is the whole graph, written by ``rnkg export
html``'s code path (select, then write). Time to first frame is from navigation start to
vis-network's first ``afterDrawing``; "stable" two animation frames later (physics is off, so
nothing moves after the first frame). Writes bench/reports/views-DATE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.synthetic import synthetic_dataset

REPORTS = Path(__file__).resolve().parent / "reports"
CHROMIUM = "/usr/bin/chromium"


def write_view(nodes: int, folder: Path) -> dict[str, Any]:
    """Load a synthetic graph of about ``nodes`` nodes and write its HTML view."""
    from rnkg.graph.export.formats import write_view as write
    from rnkg.graph.ladybug import LadybugBackend
    from rnkg.graph.selection import Selection, select

    ds = synthetic_dataset(int(nodes / (1 / 3 + 1 / 10)))
    store = LadybugBackend(folder / f"v{nodes}.lbug")
    try:
        store.load(ds, reset=True)
        start = time.perf_counter()
        view = select(store, Selection(sources=False))
        out = folder / f"v{nodes}.html"
        write("html", view, out)
        seconds = time.perf_counter() - start
    finally:
        store.close()
    return {"nodes": view.graph.number_of_nodes(), "edges": view.graph.number_of_edges(),
            "write_s": seconds, "bytes": out.stat().st_size, "path": out}


def browse(path: Path) -> dict[str, float]:
    """Open the view offline; first frame, stable, a zoom's redraw and a click, in ms."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        ctx.route("**/*", lambda r: r.abort() if r.request.url.startswith(
            ("http:", "https:", "ws:", "wss:")) else r.continue_())
        page = ctx.new_page()
        page.goto(path.resolve().as_uri(), timeout=300_000)
        page.wait_for_function("window.rnkgStable !== undefined", timeout=300_000)
        first, stable = page.evaluate("[window.rnkgFirstFrame, window.rnkgStable]")
        zoom = page.evaluate("""() => new Promise(done => {
            const t = performance.now();
            network.once('afterDrawing', () => done(performance.now() - t));
            network.moveTo({scale: network.getScale() * 2});
        })""")
        click = page.evaluate("""() => { const t = performance.now();
            const id = nodes.getIds()[0]; network.selectNodes([id]);
            show(allNodes.get(id), false); return performance.now() - t; }""")
        browser.close()
    return {"first_ms": first, "stable_ms": stable, "zoom_ms": zoom, "click_ms": click}


def main() -> None:
    """Run the sizes and write the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,5000,20000")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",") if s):
            written = write_view(size, Path(tmp))
            row = {**written, **browse(written["path"])}
            rows.append(row)
            print(f"{row['nodes']} nodes, {row['edges']} edges: write {row['write_s']:.2f} s, "
                  f"{row['bytes'] / 1e6:.1f} MB, first frame {row['first_ms']:.0f} ms, "
                  f"stable {row['stable_ms']:.0f} ms, zoom {row['zoom_ms']:.0f} ms, "
                  f"click {row['click_ms']:.0f} ms")
    REPORTS.mkdir(exist_ok=True)
    report = REPORTS / f"views-{dt.date.today().isoformat()}.md"
    lines = [f"# HTML views, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
             "", f"{platform.platform()}, Python {platform.python_version()}, headless "
             "Chromium (Debian), 1400x900, physics off.", "",
             "| nodes | edges | write (s) | file (MB) | first frame (ms) | stable (ms) | "
             "zoom redraw (ms) | click (ms) |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['nodes']} | {r['edges']} | {r['write_s']:.2f} | "
                     f"{r['bytes'] / 1e6:.1f} | {r['first_ms']:.0f} | {r['stable_ms']:.0f} | "
                     f"{r['zoom_ms']:.0f} | {r['click_ms']:.1f} |")
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {report}")


if __name__ == "__main__":
    main()
