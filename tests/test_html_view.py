"""The offline HTML view in real headless Chromium (Debian's /usr/bin/chromium via playwright).

Setup: ``scripts/install-browser`` (never ``playwright install``). Without chromium or playwright
these tests skip with the reason, or FAIL under CI=true.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from rnkg.graph.export.html import write_html

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "data" / "mini"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

EVIL_IMG = '<img src=x onerror="window.__xss=1">'
EVIL_SCRIPT = "Evil </script><script>window.__xss=2</script> Ltd"

pytestmark = pytest.mark.browser


def _browser_problem() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} is missing (run scripts/install-browser as root)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is missing (run scripts/install-browser)"
    return None


def _require_browser() -> None:
    problem = _browser_problem()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {problem}")
    pytest.skip(problem)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page opened from a file, with every request off the machine aborted and recorded."""

    def __init__(self, browser: Any, path: Path):
        self.external: list[str] = []
        self.errors: list[str] = []
        self.ctx = browser.new_context(viewport={"width": 1200, "height": 800})
        self.ctx.route("**/*", self._route)
        self.page = self.ctx.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("websocket", lambda ws: self.external.append(ws.url))
        self.page.on("request", self._request)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("typeof network !== 'undefined'")
        # Hit-testing needs the layout at rest: wait for physics to settle.
        self.page.wait_for_function("network.physics.stabilized === true", timeout=15_000)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(("http:", "https:", "ws:", "wss:")):
            self.external.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def _request(self, request: Any) -> None:
        if not request.url.startswith(("file:", "data:", "blob:", "about:")):
            self.external.append(request.url)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def xss(self) -> Any:
        return self.js("window.__xss")

    def node_point(self, node_id: str) -> tuple[float, float]:
        pt = self.js("""id => {
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            const r = document.getElementById('mynetwork').getBoundingClientRect();
            return {x: r.left + p.x, y: r.top + p.y};
        }""", node_id)
        return pt["x"], pt["y"]

    def hover(self, node_id: str) -> None:
        x, y = self.node_point(node_id)
        self.page.mouse.move(x, y, steps=5)
        self.page.wait_for_timeout(500)  # tooltipDelay is 300 ms

    def click(self, node_id: str) -> None:
        x, y = self.node_point(node_id)
        self.page.mouse.click(x, y)
        self.page.wait_for_timeout(200)

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    pages: list[Page] = []

    def _open(path: Path) -> Page:
        pages.append(Page(browser, path))
        return pages[-1]

    yield _open
    for page in pages:
        page.close()


def hostile_graph() -> nx.MultiDiGraph[str]:
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    g.add_node("vessel:maia-1", label="Vessel", name="Maia-1", aliases=["Maya-1"],
               search_keys=["maia 1", "maya 1"], imo="9358010",
               cite_sources=["source:doc-a"], cite_sections=["p. 3"])
    g.add_node("country:kp", label="Country", name="Democratic People's Republic of Korea",
               aliases=["Corée du Nord"], search_keys=["democratic people s republic of korea",
                                                        "coree du nord", "kp"],
               cite_sources=["source:doc-a"])
    g.add_node("person:evil", label="Person", name=EVIL_IMG, aliases=[EVIL_SCRIPT],
               search_keys=["img src x onerror window xss 1"], cite_sources=["source:doc-a"],
               description='<a href="#">link</a> <b>bold</b>')
    g.add_node("org:evil", label="Organization", name=EVIL_SCRIPT, aliases=[],
               search_keys=["evil script script window xss 2 script ltd"],
               cite_sources=["source:doc-a"], cite_quotes=[EVIL_IMG])
    g.add_node("source:doc-a", label="Source", name="Document A", search_keys=["document a"])
    g.add_edge("org:evil", "vessel:maia-1", key="rel:owns-1", type="OWNS", rid="rel:owns-1",
               cite_sources=["source:doc-a"], status="reported")
    g.add_edge("person:evil", "org:evil", key="rel:directs-1", type=EVIL_SCRIPT,
               rid="rel:directs-1", cite_quotes=[EVIL_IMG])
    g.add_edge("vessel:maia-1", "country:kp", key="rel:visited-1", type="VISITED",
               rid="rel:visited-1")
    return g


@pytest.fixture
def hostile_view(tmp_path: Path) -> tuple[nx.MultiDiGraph, Path]:
    g = hostile_graph()
    return g, write_html(g, tmp_path / "view.html", title=f"View {EVIL_IMG} {EVIL_SCRIPT}")


def test_view_draws_offline_and_stays_inert(open_page, hostile_view, tmp_path):
    g, path = hostile_view
    view = open_page(path)
    assert view.js("network.body.data.nodes.length") == g.number_of_nodes()
    assert view.js("network.body.data.edges.length") == g.number_of_edges()
    assert view.js("network.body.nodeIndices.length") == g.number_of_nodes()
    assert view.xss() is None
    assert view.js("document.title") == "rnkg view"
    assert view.js("document.getElementById('title').textContent") == \
        f"View {EVIL_IMG} {EVIL_SCRIPT}"

    tooltip = "(document.querySelector('div.vis-tooltip') || {}).innerText || ''"
    for node_id in g.nodes:
        view.hover(node_id)
        assert view.xss() is None, f"script ran on hover of {node_id}"
        # The hover really reached the node: vis shows its title, as text.
        assert g.nodes[node_id]["name"] in view.js(tooltip), node_id
    # The tooltip of the last hovered node, if shown, is text.
    assert view.js("document.querySelectorAll('#mynetwork img, #side img').length") == 0

    view.click("person:evil")
    assert view.js("network.getSelectedNodes()") == ["person:evil"]
    assert view.xss() is None
    details = view.js("document.getElementById('details').textContent")
    assert EVIL_IMG in details
    assert EVIL_SCRIPT in details
    assert view.js("document.querySelectorAll('#details *').length") == 0

    view.click("org:evil")
    assert view.js("network.getSelectedNodes()") == ["org:evil"]
    assert EVIL_SCRIPT in view.js("document.getElementById('details').textContent")
    assert view.xss() is None

    shot = view.page.screenshot(path=str(tmp_path / "view.png"))
    assert (tmp_path / "view.png").stat().st_size > 5_000
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"

    assert view.external == []
    assert view.errors == []


@pytest.mark.parametrize(("typed", "expected", "keystrokes"), [
    ("Maya", "vessel:maia-1", True),      # part of an alias, typed key by key
    ("ma", "vessel:maia-1", True),        # two characters are enough
    ("Maya-1", "vessel:maia-1", False),   # an alias as written (search keys are folded)
    ("Corée du", "country:kp", False),    # accents and case
    ("COREE", "country:kp", False),
])
def test_search_selects_by_alias(open_page, hostile_view, typed, expected, keystrokes):
    _, path = hostile_view
    view = open_page(path)
    box = view.page.locator("#search")
    # fill() sends one input event for the whole text, so an earlier prefix cannot have
    # selected the node already.
    if keystrokes:
        box.press_sequentially(typed, delay=20)
    else:
        box.fill(typed)
    view.page.wait_for_timeout(100)
    assert view.js("network.getSelectedNodes()") == [expected]
    assert view.external == []
    assert view.errors == []


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in {("script", "src"), ("link", "href")}:
                self.refs.append((tag, name, value or ""))


def test_written_file_links_nothing_remote(hostile_view):
    _, path = hostile_view
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    remote = [r for r in parser.refs if r[2].strip().lower().startswith(("http://", "https://",
                                                                         "//"))]
    assert remote == []


def _within_one_hop(center: str) -> tuple[set[str], int]:
    """Nodes within one hop of ``center`` in the mini facts, and the edges among them."""
    from rnkg.loaders.pipeline import build_dataset

    ds = build_dataset(MINI)
    ends = [(r.record.from_, r.record.to) for r in ds.relationships.values()]
    nodes = {center} | {b for a, b in ends if a == center} | {a for a, b in ends if b == center}
    return nodes, sum(1 for a, b in ends if a in nodes and b in nodes)


def test_cli_export_html_focus(open_page, tmp_path):
    from typer.testing import CliRunner

    from rnkg.cli import app
    from rnkg.graph.ladybug import release

    runner = CliRunner()
    db = tmp_path / "view.lbug"
    out = tmp_path / "v.html"
    env = {"RNKG_BACKEND": None}
    try:
        result = runner.invoke(app, ["--db", str(db), "load", "--facts", str(MINI), "--reset"],
                               env=env)
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["--db", str(db), "export", "html", str(out),
                                     "--focus", "Maia-1", "--depth", "1"], env=env)
        assert result.exit_code == 0, result.output
    finally:
        release(db)

    nodes, edge_count = _within_one_hop("vessel:maia-1")
    view = open_page(out)
    assert view.js("network.body.data.nodes.length") == len(nodes)
    assert sorted(view.js("network.body.data.nodes.getIds()")) == sorted(nodes)
    assert view.js("network.body.data.edges.length") == edge_count
    assert view.external == []
    assert view.errors == []


def test_node_colours_match_the_legend(open_page, hostile_view):
    from rnkg.schema import load_schema

    schema = load_schema()
    g, path = hostile_view
    view = open_page(path)
    drawn = view.js("""Object.fromEntries(nodes.getIds().map(id =>
        [id, network.body.nodes[id].options.color.background]))""")
    assert drawn == {n: schema.nodes[a["label"]].color for n, a in g.nodes(data=True)}
    legend = view.js("""Array.from(document.querySelectorAll('#legend div')).map(d =>
        [d.textContent, d.querySelector('.key').style.background])""")
    labels = sorted({a["label"] for _, a in g.nodes(data=True)})
    assert [row[0].split(" (")[0] for row in legend] == labels


def test_relationships_without_rid_still_draw(open_page, tmp_path):
    """F12: edges written by `rnkg query --write` carry no rid; the page must still draw."""
    from typer.testing import CliRunner

    from rnkg.cli import app
    from rnkg.graph.ladybug import release
    from rnkg.loaders.pipeline import build_dataset

    runner = CliRunner()
    db = tmp_path / "norid.lbug"
    out = tmp_path / "norid.html"
    env = {"RNKG_BACKEND": None}
    writes = [
        "MATCH (a:Person {id: 'person:kim-jong-un'}), (b:Country {id: 'country:ru'}) "
        "CREATE (a)-[:NATIONAL_OF {note: 'no rid 1'}]->(b)",
        "MATCH (a:Person {id: 'person:vladimir-putin'}), (b:Country {id: 'country:kp'}) "
        "CREATE (a)-[:NATIONAL_OF {note: 'no rid 2'}]->(b)",
        "MATCH (a:Person {id: 'person:vladimir-putin'}), (b:Country {id: 'country:kp'}) "
        "CREATE (a)-[:NATIONAL_OF {note: 'no rid 3'}]->(b)",
    ]
    try:
        result = runner.invoke(app, ["--db", str(db), "load", "--facts", str(MINI), "--reset"],
                               env=env)
        assert result.exit_code == 0, result.output
        for cypher in writes:
            result = runner.invoke(app, ["--db", str(db), "query", "--write", cypher], env=env)
            assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["--db", str(db), "export", "html", str(out), "--sources"],
                               env=env)
        assert result.exit_code == 0, result.output
    finally:
        release(db)
    ds = build_dataset(MINI)
    view = open_page(out)
    assert view.errors == []
    assert view.js("network.body.data.edges.length") == len(ds.relationships) + len(writes)
    ids = view.js("network.body.data.edges.getIds()")
    assert len(set(ids)) == len(ids)
    assert {i for i in ids if i.startswith(("person:kim-jong-un-NATIONAL_OF", "person:vladimir"))} \
        >= {"person:kim-jong-un-NATIONAL_OF->country:ru",
            "person:vladimir-putin-NATIONAL_OF->country:kp",
            "person:vladimir-putin-NATIONAL_OF->country:kp#2"}
    # Drawn, not just loaded: every node has a place on the canvas.
    assert view.js("network.body.nodeIndices.length") == len(ds.nodes)
    assert view.external == []
