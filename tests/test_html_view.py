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
        # Positions come from the file (physics off): the first frame is the layout.
        self.page.wait_for_function("window.rnkgReady === true", timeout=15_000)

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

    def drawn(self) -> tuple[int, int]:
        d = self.js("rnkgView.drawn()")
        assert d == {"nodes": self.js("network.body.nodeIndices.length"),
                     "edges": self.js("network.body.edgeIndices.length")}
        return d["nodes"], d["edges"]

    def check(self, selector: str, on: bool) -> None:
        box = self.page.locator(selector)
        if box.is_checked() != on:
            box.click()
        self.page.wait_for_timeout(50)

    def show_hubs(self) -> None:
        self.check("#hubs", True)

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
    g.add_node("source:doc-a", label="Source", name="Document A", search_keys=["document a"],
               title=f"Doc {EVIL_IMG}", outlet=EVIL_SCRIPT, url="javascript:window.__xss=3")
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
    assert f"Doc {EVIL_IMG}" in details  # the citation's Source title, as text
    _assert_inert("#details", view)
    # A javascript: URL is shown as text, never as a link.
    assert view.js("document.querySelectorAll('#details a').length") == 0
    assert "javascript:window.__xss=3" in details

    view.click("org:evil")
    assert view.js("network.getSelectedNodes()") == ["org:evil"]
    assert EVIL_SCRIPT in view.js("document.getElementById('details').textContent")
    assert view.xss() is None

    shot = view.page.screenshot(path=str(tmp_path / "view.png"))
    assert (tmp_path / "view.png").stat().st_size > 5_000
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"

    assert view.external == []
    assert view.errors == []


def _assert_inert(root: str, view: Any) -> None:
    """Only the panel's own elements, none with an event handler or a script."""
    tags = view.js(f"Array.from(document.querySelectorAll('{root} *')).map(e => e.tagName)")
    assert set(tags) <= {"H2", "H3", "DIV", "UL", "LI", "B", "A"}, tags
    handlers = view.js(f"""Array.from(document.querySelectorAll('{root} *')).flatMap(e =>
        Array.from(e.attributes).map(a => a.name)).filter(n => n.startsWith('on'))""")
    assert handlers == []


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
    # The matches are listed too, as buttons that name each match (as text).
    listed = view.js("Array.from(document.querySelectorAll('#matches button'))"
                     ".map(b => b.textContent)")
    assert [t.rsplit(" · ", 1)[0] for t in listed] == [
        hostile_graph().nodes[expected]["name"]]
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


def test_data_is_one_inert_json_element(open_page, hostile_view):
    """The page's data is one <script type="application/json"> element with no "<" in it (so
    the hostile names cannot end it), and the DATA the page parses from it is what was
    written: its names as given, the hostile ones included."""
    import json
    import re

    _, path = hostile_view
    page = path.read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/json" id="rnkg-data">(.*?)</script>', page,
                        flags=re.S)
    assert len(blocks) == 1 and "<" not in blocks[0]
    written = json.loads(blocks[0])
    assert {n["id"]: n["name"] for n in written["nodes"]}["org:evil"] == EVIL_SCRIPT
    view = open_page(path)
    assert view.js("DATA.nodes.map(function (n) { return [n.id, n.name]; })") == [
        [n["id"], n["name"]] for n in written["nodes"]]


def test_shared_values_come_back_as_written(open_page, tmp_path):
    """Values many records share (colours, styles, dates, citations) are shipped once and the
    records hold indexes; the page puts them back, so the DATA it works on is, field for field,
    what the exporter built."""
    import json
    import re

    from rnkg.graph.export import export_graph
    from rnkg.graph.export.html import SHARED_FIELDS, HtmlExporter

    g = hostile_graph()
    exporter = HtmlExporter(tmp_path / "shared.html", "shared")
    export_graph(g, exporter)
    built = exporter.data()
    page = exporter.path.read_text(encoding="utf-8")
    written = json.loads(re.findall(r'id="rnkg-data">(.*?)</script>', page, flags=re.S)[0])
    packed = written["nodes"] + written["edges"]
    assert packed and all(isinstance(r[f], int) for r in packed for f in SHARED_FIELDS if f in r)
    assert all(isinstance(c, int) for r in packed for c in r["cites"])
    assert any(r["cites"] for r in packed)
    # Fewer distinct values than records: the sharing does share.
    assert len(written["shared"]) < sum(len(r["cites"]) + len(SHARED_FIELDS) for r in packed)
    got = json.loads(open_page(exporter.path).js("JSON.stringify(DATA)"))
    assert got == json.loads(json.dumps(built))


def test_network_gets_only_drawing_fields(open_page, hostile_view):
    """vis-network copies every field of an item into its options, so it is handed only the
    fields it draws; the panel's data (properties, citations) stays in allNodes / allEdges."""
    g, path = hostile_view
    view = open_page(path)
    node = next(iter(g.nodes))
    got = view.js(f"""(() => {{ const d = network.body.data.nodes.get({node!r}),
        o = network.body.nodes[{node!r}].options;
        return [Object.keys(d).sort(), o.cites === undefined, o.props === undefined,
                allNodes.get({node!r}).cites.length > 0]; }})()""")
    assert got == [sorted(view.js("NODE_FIELDS")), True, True, True]
    edge_keys = view.js("network.body.data.edges.get().map(e => Object.keys(e).sort())")
    assert edge_keys and all(k == sorted(view.js("EDGE_FIELDS")) for k in edge_keys)
    assert view.js("Object.values(network.body.edges).every(e => e.options.cites === undefined)")


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
    legend = view.js("""Array.from(document.querySelectorAll('#legend label')).map(d =>
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
    view.show_hubs()
    assert view.errors == []
    assert view.js("network.body.data.edges.length") == len(ds.relationships) + len(writes)
    ids = view.js("network.body.data.edges.getIds()")
    assert len(set(ids)) == len(ids)
    assert {i for i in ids if i.startswith(("person:kim-jong-un-NATIONAL_OF", "person:vladimir"))} \
        >= {"person:kim-jong-un-NATIONAL_OF->country:ru",
            "person:vladimir-putin-NATIONAL_OF->country:kp",
            "person:vladimir-putin-NATIONAL_OF->country:kp#2"}
    # Drawn, not just loaded: every node has a place on the canvas (hubs shown).
    assert view.js("network.body.nodeIndices.length") == len(ds.nodes)
    assert view.external == []


# ---------------------------------------------------------------------------------- issue 16
def _export(db: Path, out: Path, *args: str) -> Path:
    from tests.fixtures.cli import rnkg

    done = rnkg("export", "html", str(out), *args,
                env={"RNKG_DB": str(db), "RNKG_BACKEND": "embedded"})
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def mini_db(tmp_path_factory: Any) -> Iterator[Path]:
    from tests.fixtures.cli import loaded_file

    with loaded_file(tmp_path_factory.mktemp("views") / "mini.lbug", MINI) as db:
        yield db


def _mini_graph(db: Path) -> nx.MultiDiGraph:
    from rnkg.graph.backend import Settings, open_backend
    from rnkg.graph.ladybug import release
    from rnkg.graph.nx import to_networkx

    store = open_backend(Settings.resolve(backend="embedded", db=db), read_only=True)
    try:
        g = to_networkx(store)
    finally:
        store.close()
        release(db)
    g.remove_nodes_from([n for n, a in g.nodes(data=True) if a["label"] == "Source"])
    return g


def parallel_graph() -> nx.MultiDiGraph[str]:
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    g.add_node("org:a", label="Organization", name="MG-Flot", search_keys=["mg flot"])
    g.add_node("vessel:b", label="Vessel", name="Maia-1", search_keys=["maia 1"])
    g.add_node("country:kp", label="Country", name="DPRK", search_keys=["dprk"])
    g.add_node("country:ru", label="Country", name="Russia", search_keys=["russia"])
    for i, kind in enumerate(["OWNS", "OPERATES", "LINKED_TO"]):
        g.add_edge("org:a", "vessel:b", key=f"r:{kind}", type=kind, rid=f"r:{kind}",
                   status="confirmed", date_from=f"202{i}-01-01")
    g.add_edge("vessel:b", "org:a", key="r:back", type="LINKED_TO", rid="r:back",
               status="alleged")
    for i in range(4):
        g.add_edge("country:kp", "country:ru", key=f"c:{i}", type="SUPPLIED", rid=f"c:{i}",
                   status=["alleged", "denied", "reported", "confirmed"][i])
    return g


def test_every_edge_of_a_parallel_bundle_opens_its_own_panel(open_page, tmp_path):
    g = parallel_graph()
    view = open_page(write_html(g, tmp_path / "p.html", title="parallel"))
    # Each edge of a bundle has its own curve: side (seen from the pair's first id) and bend.
    shapes = view.js("""edges.getIds().map(id => {
        const e = network.body.edges[id], s = e.options.smooth, flip = e.fromId > e.toId;
        const side = !s.enabled ? 0 : ((s.type === 'curvedCW') !== flip ? 1 : -1);
        return [[e.fromId, e.toId].sort().join('|'), side * (s.enabled ? s.roundness : 0)];
    })""")
    bundles: dict[str, list[float]] = {}
    for pair, bend in shapes:
        bundles.setdefault(pair, []).append(bend)
    assert sorted(len(b) for b in bundles.values()) == [4, 4]
    assert all(len(set(b)) == len(b) for b in bundles.values()), bundles
    ids = sorted(k for _, _, k in g.edges(keys=True))
    for edge_id in ids:
        view.page.mouse.click(5, 5)  # deselect
        # The middle of the edge's own curve, on the screen.
        x, y = view.js("""id => {
            const e = network.body.edges[id];
            const p = network.canvasToDOM(e.edgeType.getPoint(0.5));
            const r = document.getElementById('mynetwork').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""", edge_id)
        view.page.mouse.click(x, y)
        view.page.wait_for_timeout(150)
        assert view.js("network.getSelectedEdges()") == [edge_id]
        panel = view.js("document.getElementById('details').textContent")
        assert f"id: {edge_id}" in panel, (edge_id, panel)
        kind = g.edges[next(e for e in g.edges(keys=True) if e[2] == edge_id)]["type"]
        start, end = next((u, v) for u, v, k in g.edges(keys=True) if k == edge_id)
        assert f"from: {g.nodes[start]['name']} " in panel
        assert f"to: {g.nodes[end]['name']} " in panel
        assert panel.startswith(kind)
    assert view.errors == [] and view.external == []


def test_legend_toggles_change_drawn_counts(open_page, mini_db, tmp_path):
    g = _mini_graph(mini_db)
    view = open_page(_export(mini_db, tmp_path / "all.html"))
    view.show_hubs()
    assert view.drawn() == (g.number_of_nodes(), g.number_of_edges())
    for label in ("Person", "Country"):
        view.check(f"#legend input[data-key='{label}']", False)
        keep = [n for n, a in g.nodes(data=True) if a["label"] != label]
        sub = g.subgraph(keep)
        assert view.drawn() == (sub.number_of_nodes(), sub.number_of_edges()), label
        legend = view.js(f"""Array.from(document.querySelectorAll('#legend label')).find(l =>
            l.querySelector('input').dataset.key === '{label}').textContent""")
        assert legend == f"{label} (0)"
        view.check(f"#legend input[data-key='{label}']", True)
    view.check("#reltypes input[data-key='OWNS']", False)
    owns = sum(1 for *_, a in g.edges(data=True) if a["type"] == "OWNS")
    assert owns > 0
    assert view.drawn() == (g.number_of_nodes(), g.number_of_edges() - owns)
    view.check("#reltypes input[data-key='OWNS']", True)
    # Country hubs off: the Countries with >= HUB_DEGREE links and their edges go.
    from rnkg.graph.export.page import HUB_DEGREE

    view.check("#hubs", False)
    hubs = [n for n, d in g.to_undirected(as_view=True).degree()
            if g.nodes[n]["label"] == "Country" and d >= HUB_DEGREE]
    sub = g.subgraph([n for n in g if n not in hubs])
    assert view.drawn() == (sub.number_of_nodes(), sub.number_of_edges())
    assert view.errors == []


def _set_slider(view: Page, day: str) -> None:
    view.js("""d => { const s = document.getElementById('asof');
        s.value = String(rnkgView.dayIndex(d)); s.dispatchEvent(new Event('input')); }""", day)
    assert view.js("document.getElementById('asof-day').textContent") == day


@pytest.mark.parametrize("focus", [None, "Maia-1"])
def test_date_slider_equals_as_of(open_page, mini_db, tmp_path, focus):
    """The slider at day D draws what `rnkg export html --as-of D` draws (same rule)."""
    extra = ["--focus", focus, "--depth", "2"] if focus else []
    view = open_page(_export(mini_db, tmp_path / "all.html", *extra))
    view.show_hubs()
    whole = view.drawn()
    seen = set()
    top = view.js("Number(document.getElementById('asof').max)")
    days = view.js("n => [0, 1, 2, 3, 4, 5, 6].map(i => rnkgView.dayAt(Math.round(n * i / 6)))",
                   top)
    for day in days:
        _set_slider(view, day)
        got = view.drawn()
        ref = open_page(_export(mini_db, tmp_path / f"{day}.html", "--as-of", day, *extra))
        ref.show_hubs()
        assert got == ref.drawn(), day
        seen.add(got)
    assert len(seen) >= 2, seen  # the days do differ
    view.check("#asof-on", False)
    assert view.drawn() == whole


def test_status_filter_matches_status_option(open_page, mini_db, tmp_path):
    view = open_page(_export(mini_db, tmp_path / "all.html"))
    view.show_hubs()
    statuses = view.js("DATA.statuses.map(s => s.status)")
    assert "confirmed" in statuses and len(statuses) >= 2
    for s in statuses:
        if s != "confirmed":
            view.check(f"#statuses input[data-key='{s}']", False)
    ref = open_page(_export(mini_db, tmp_path / "c.html", "--status", "confirmed"))
    ref.show_hubs()
    assert view.drawn() == ref.drawn()


def test_layout_is_identical_on_two_loads(open_page, mini_db, tmp_path):
    a = _export(mini_db, tmp_path / "a.html")
    b = _export(mini_db, tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()  # the same data gives the same file
    first = open_page(a).js("network.getPositions()")
    second = open_page(a).js("network.getPositions()")
    assert first == second and len(first) > 10
    said = open_page(b).js("document.getElementById('layout').textContent")
    assert "spring layout (seed 7" in said and "physics off" in said


def test_double_click_expands_from_shipped_data(open_page, mini_db, tmp_path):
    view = open_page(_export(mini_db, tmp_path / "m.html", "--focus", "Maia-1", "--depth", "1"))
    before = view.drawn()
    # A drawn node with neighbours outside the view, from the data in the file.
    node = view.js("""(() => { const out = DATA.reserve.edges.map(e => [e.from, e.to]).flat();
        return nodes.getIds().find(id => id !== DATA.focus && out.includes(id)); })()""")
    assert node, "the view ships no neighbours to expand"
    expected = view.js("""id => new Set(DATA.reserve.edges.filter(e => e.from === id || e.to === id)
        .map(e => e.from === id ? e.to : e.from)).size""", node)
    x, y = view.node_point(node)
    view.page.mouse.dblclick(x, y)
    view.page.wait_for_timeout(300)
    after = view.drawn()
    assert after[0] == before[0] + expected and after[1] > before[1]
    assert view.external == [] and view.errors == []


def test_panel_shows_provenance(open_page, mini_db, tmp_path):
    view = open_page(_export(mini_db, tmp_path / "m.html", "--focus", "Maia-1", "--depth", "1"))
    view.click("vessel:maia-1")
    panel = view.js("document.getElementById('details').textContent")
    assert "Maia-1" in panel and "status: " in panel and "Sources (" in panel
    sources = view.js("DATA.sources")
    cited = view.js("allNodes.get('vessel:maia-1').cites.map(c => c.source)")
    for sid in cited:
        assert sources[sid]["title"] in panel
    links = view.js("Array.from(document.querySelectorAll('#details a')).map(a => a.href)")
    assert all(u.startswith(("http://", "https://")) for u in links)
    _assert_inert("#details", view)


def test_schema_colours_are_distinct_and_focus_is_marked(open_page, mini_db, tmp_path):
    import math

    from rnkg.schema import load_schema

    def lab(h: str) -> tuple[float, float, float]:
        def lin(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (lin(int(h[i:i + 2], 16) / 255) for i in (1, 3, 5))
        x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047
        y = r * 0.2126 + g * 0.7152 + b * 0.0722
        z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883

        def t(c: float) -> float:
            return c ** (1 / 3) if c > 0.008856 else 7.787 * c + 16 / 116

        return 116 * t(y) - 16, 500 * (t(x) - t(y)), 200 * (t(y) - t(z))

    colours = {k: v.color for k, v in load_schema().nodes.items()}
    close = [(a, b) for a in colours for b in colours
             if a < b and math.dist(lab(colours[a]), lab(colours[b])) < 15]
    assert close == []  # CIE76 ΔE >= 15 between every two types (Country and Vessel were 10.7)
    view = open_page(_export(mini_db, tmp_path / "m.html", "--focus", "Maia-1"))
    opts = view.js("network.body.nodes['vessel:maia-1'].options")
    assert opts["borderWidth"] == 5 and opts["color"]["border"] == "#000000"
