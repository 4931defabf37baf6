"""Interactive HTML network views: one offline file, vis-network inlined, data as escaped JSON.

pyvis builds the node and edge records and ships the vis-network build; the page is rnkg's
own (pyvis's template links CDNs and renders titles as HTML). Text from the data only ever
reaches the page as JSON and is shown with ``textContent``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import networkx as nx

from rnkg.graph.values import citations, status_text

PALETTE = {
    "Country": "#4e79a7", "Person": "#f28e2b", "Organization": "#e15759", "Agreement": "#76b7b2",
    "Provision": "#59a14f", "Event": "#edc948", "Vessel": "#17becf", "Voyage": "#9edae5",
    "Place": "#9c755f", "Resolution": "#bab0ac", "Sanction": "#b07aa1", "WeaponSystem": "#8c564b",
    "Source": "#c7c7c7",
}


def js_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element.

    >>> js_json({"t": "</script><b>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _vis_assets() -> tuple[str, str]:
    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise RuntimeError("pyvis is not installed")
    lib = Path(spec.origin).parent / "templates" / "lib" / "vis-9.1.2"
    return ((lib / "vis-network.min.js").read_text(encoding="utf-8"),
            (lib / "vis-network.css").read_text(encoding="utf-8"))


_RAW = ("cite_sources", "cite_quotes", "cite_sections", "status", "status_by")


def _details(attrs: dict[str, Any]) -> dict[str, Any]:
    """What the side panel shows: properties, with status and citations as readable lines."""
    out = {k: v for k, v in attrs.items() if k not in _RAW}
    out["status"] = status_text(attrs)
    out["sources"] = citations(attrs)
    return out


def view_records(g: nx.MultiDiGraph) -> tuple[list[dict], list[dict]]:
    """vis-network node and edge records for a graph, built with pyvis."""
    from pyvis.network import Network

    net = Network(directed=True)
    for node_id, attrs in sorted(g.nodes(data=True)):
        label = attrs.get("label", "")
        net.add_node(
            node_id,
            label=str(attrs.get("name", node_id)),
            title=f"{attrs.get('name', node_id)}\n{node_id} ({label})",
            color=PALETTE.get(label, "#999999"),
        )
    for start, end, key, attrs in sorted(g.edges(keys=True, data=True), key=lambda e: str(e[2])):
        net.add_edge(start, end, label=attrs.get("type", ""), title=str(attrs.get("type", "")),
                     id=str(key), arrows="to")
    details = {node_id: _details(attrs) for node_id, attrs in g.nodes(data=True)}
    edge_details = {str(k): _details(a) for _, _, k, a in g.edges(keys=True, data=True)}
    nodes = [dict(n, details=details[n["id"]]) for n in net.nodes]
    edges = [dict(e, details=edge_details[e["id"]]) for e in net.edges]
    return nodes, edges


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>rnkg view</title>
<style>{css}
body {{ margin: 0; font: 14px system-ui, sans-serif; display: flex; height: 100vh; }}
#mynetwork {{ flex: 1; }}
#side {{ width: 340px; overflow: auto; padding: 8px 12px; border-left: 1px solid #ddd; }}
#side h1 {{ font-size: 16px; }} #side pre {{ white-space: pre-wrap; font-size: 12px; }}
.key {{ display: inline-block; width: 10px; height: 10px; margin-right: 4px; }}
</style>
<script>{js}</script></head>
<body><div id="mynetwork"></div>
<div id="side"><h1 id="title"></h1><input id="search" placeholder="find by name or alias">
<div id="legend"></div><h2>Details</h2><pre id="details">Click a node or an edge: its properties and sources show here.</pre></div>
<script>
var DATA = {data};
document.getElementById("title").textContent = DATA.title;
var nodes = new vis.DataSet(DATA.nodes), edges = new vis.DataSet(DATA.edges);
var network = new vis.Network(document.getElementById("mynetwork"), {{nodes: nodes, edges: edges}},
  {{physics: {{stabilization: {{iterations: 200}}}}, edges: {{font: {{size: 9}}, smooth: false}},
    interaction: {{hover: true, tooltipDelay: 300}}}});
var legend = document.getElementById("legend");
DATA.legend.forEach(function (item) {{
  var row = document.createElement("div"), sw = document.createElement("span");
  sw.className = "key"; sw.style.background = item.color; row.appendChild(sw);
  row.appendChild(document.createTextNode(item.label + " (" + item.count + ")")); legend.appendChild(row);
}});
// Properties as "key: value" lines of plain text (strings as they are, not JSON-escaped).
function text(v) {{ return Array.isArray(v) ? v.map(text).join(", ") : typeof v === "string" ? v : JSON.stringify(v); }}
function show(obj) {{
  document.getElementById("details").textContent = Object.keys(obj).filter(function (k) {{
    return obj[k] !== null && !(Array.isArray(obj[k]) && !obj[k].length);
  }}).map(function (k) {{ return k + ": " + text(obj[k]); }}).join("\\n");
}}
// The same folding as rnkg.schema.values.fold, which made the search keys.
function fold(s) {{
  return s.normalize("NFKD").replace(/\\p{{M}}/gu, "").normalize("NFC").toLowerCase()
    .split(/[^\\p{{L}}\\p{{N}}]+/u).join(" ").trim();
}}
network.on("click", function (p) {{
  if (p.nodes.length) show(nodes.get(p.nodes[0]).details);
  else if (p.edges.length) show(edges.get(p.edges[0]).details);
}});
document.getElementById("search").addEventListener("input", function (ev) {{
  var q = fold(ev.target.value); if (q.length < 2) return;
  var hit = nodes.get({{filter: function (n) {{
    return (n.details.search_keys || []).concat([fold(n.label)]).some(function (k) {{ return k.indexOf(q) >= 0; }});
  }}}});
  if (hit.length) {{ network.selectNodes(hit.map(function (n) {{ return n.id; }})); network.focus(hit[0].id, {{scale: 1.2}}); }}
  else network.unselectAll();
}});
</script></body></html>
"""


def render_html(g: nx.MultiDiGraph, title: str) -> str:
    """The whole page for a graph."""
    js, css = _vis_assets()
    nodes, edges = view_records(g)
    counts: dict[str, int] = {}
    for _, attrs in g.nodes(data=True):
        counts[attrs.get("label", "")] = counts.get(attrs.get("label", ""), 0) + 1
    legend = [{"label": k, "color": PALETTE.get(k, "#999999"), "count": v}
              for k, v in sorted(counts.items())]
    data = {"title": title, "nodes": nodes, "edges": edges, "legend": legend}
    # The vendored script and CSS are inlined as they are; "</script" cannot occur in them.
    if "</script" in js.lower():
        raise RuntimeError("vis-network build contains </script>")
    return PAGE.format(css=css, js=js, data=js_json(data))


def write_html(g: nx.MultiDiGraph, path: Path, title: str) -> Path:
    """Write a view of ``g`` to ``path`` (parents created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(g, title), encoding="utf-8")
    return path
