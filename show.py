"""How ``rnkg show`` presents a node, its relationships and their sources."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table

from rnkg.graph.lookup import Neighbour
from rnkg.graph.values import GNode, GPath, citations, status_text, to_text


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
    p = node.properties
    console = Console(file=io.StringIO(), width=160, color_system=None)
    console.print(f"{p.get('name', node.id)}  [{node.labels[0]}]  {node.id}", markup=False)
    for key in ("aliases", "description", "date_text", "note"):
        if p.get(key):
            console.print(f"  {key}: {to_text(p[key])}", markup=False)
    console.print(f"  status: {status_text(p)}", markup=False)
    own = {k: v for k, v in p.items() if k not in _COMMON}
    for key, value in own.items():
        if value in ([], ""):
            continue
        console.print(f"  {key}: {to_text(value)}", markup=False)
    for cite in citations(p):
        console.print(f"  source {cite}", markup=False)
    table = Table(show_lines=True, header_style="bold")
    for column in ("relationship", "other end", "date", "status", "details", "sources"):
        table.add_column(column, overflow="fold")
    for n in links:
        r = n.relationship.properties
        kind = n.relationship.type
        arrow = f"-[{kind}]->" if n.direction == "out" else f"<-[{kind}]-"
        details = "; ".join(f"{k}={to_text(v)}" for k, v in r.items() if k not in _COMMON)
        other = f"{n.node.properties.get('name', n.node.id)} ({n.node.id})"
        table.add_row(arrow, other, r.get("date_text") or "", status_text(r), details,
                      "\n".join(citations(r)))
    console.print(table)
    console.print(f"{len(links)} relationships", markup=False)
    return console.file.getvalue().rstrip("\n")


_COMMON = {
    "id", "name", "aliases", "description", "search_keys", "status", "status_by", "date_from",
    "date_to", "date_precision", "date_text", "cite_sources", "cite_quotes", "cite_sections",
    "note", "rid",
}
