"""The layout of ``rnkg show`` and of path hops; the text of each value comes from ``rnkg.output``.

Text from the data is shown as data here too: control characters escaped, no rich markup.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.text import Text

from rnkg.graph.lookup import Neighbour
from rnkg.graph.values import GNode, GPath
from rnkg.output import WIDTH, citations, status_text, table_text, to_text, visible
from rnkg.schema import load_schema


def hop_rows(paths: list[GPath]) -> tuple[list[str], list[list[Any]]]:
    """One row per hop of each path: the two ends, the relationship, its date, status, sources."""
    columns = ["path", "hop", "from", "relationship", "to", "date", "status", "sources"]
    rows = []
    for number, p in enumerate(paths, start=1):
        for hop, (rel, left, right) in enumerate(
            zip(p.relationships, p.nodes, p.nodes[1:], strict=False), start=1
        ):
            arrow = f"-[{rel.type}]->" if rel.start == left.id else f"<-[{rel.type}]-"
            r = rel.properties
            rows.append([number, hop, _label(left), arrow, _label(right), r.get("date_text") or "",
                         status_text(r), "\n".join(citations(r))])
    return columns, rows


def _label(node: GNode) -> str:
    return f"{node.properties.get('name', node.id)} ({node.id})"


def show_rows(node: GNode, links: list[Neighbour]) -> tuple[list[str], list[list[Any]]]:
    """Rows for JSON and CSV: one per relationship, with the node itself on each row."""
    columns = ["node", "direction", "relationship", "other"]
    return columns, [[node, n.direction, n.relationship, n.node] for n in links]


def show_text(node: GNode, links: list[Neighbour]) -> str:
    """The human view: the node's facts, then a table of its relationships with sources."""
    common = load_schema().common_columns
    p = node.properties
    lines = [f"{p.get('name', node.id)}  [{node.labels[0]}]  {node.id}"]
    for key in ("aliases", "description", "date_text", "note"):
        if p.get(key):
            lines.append(f"  {key}: {to_text(p[key])}")
    lines.append(f"  status: {status_text(p)}")
    for key, value in p.items():
        if key in common or value in ([], ""):
            continue
        lines.append(f"  {key}: {to_text(value)}")
    lines += [f"  source {cite}" for cite in citations(p)]
    rows = []
    for n in links:
        r = n.relationship.properties
        kind = n.relationship.type
        arrow = f"-[{kind}]->" if n.direction == "out" else f"<-[{kind}]-"
        details = "; ".join(f"{k}={to_text(v)}" for k, v in r.items() if k not in common)
        rows.append([arrow, _label(n.node), r.get("date_text") or "", status_text(r), details,
                     "\n".join(citations(r))])
    table = table_text(("relationship", "other end", "date", "status", "details", "sources"),
                       rows, lines=True)
    buffer = io.StringIO()
    console = Console(file=buffer, width=WIDTH, color_system=None)
    for line in lines:
        # One fact per line: a line break in its data is shown as \n.
        console.print(Text(visible(line, keep_newlines=False)))
    head = buffer.getvalue().rstrip("\n")
    return f"{head}\n{table}\n{len(links)} relationships"
