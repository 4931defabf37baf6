"""What ``rnkg show`` reads and its layout, and the layout of path hops; the text of each value
comes from ``rnkg.output``.

Text from the data is shown as data here too: control characters escaped, no rich markup, and
tables as wide as the terminal (``rnkg.output.terminal_width``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rich.console import Console
from rich.text import Text

from rnkg.graph.backend import Backend
from rnkg.graph.claims import Claim, claims_by
from rnkg.graph.grading import cited_sources, grade_text, graded
from rnkg.graph.lookup import Neighbour, neighbourhood, resolve_entity
from rnkg.graph.values import GNode, GPath, GRel
from rnkg.output import citations, status_text, table_text, terminal_width, to_text, visible
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


@dataclass(frozen=True)
class Shown:
    """One entity as ``rnkg show`` gives it: the node, its relationships, the claims it made."""

    node: GNode
    links: list[Neighbour]
    claims: list[Claim]
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: ``{"node", "citations", "relationships": [{"direction",
        "relationship", "other", "citations"}...], "claims": [{"status", "date", "fact"[,
        "start", "end"]}...]}``; ``citations`` grade each citation (graph/grading.py).

        >>> Shown(GNode("person:a", ("Person",), {}), [], []).to_dict()["relationships"]
        []
        """
        return {
            "node": self.node,
            "citations": graded(self.node.properties, self.sources),
            "relationships": [{"direction": n.direction, "relationship": n.relationship,
                               "other": n.node,
                               "citations": graded(n.relationship.properties, self.sources)}
                              for n in self.links],
            "claims": [c.to_dict() for c in self.claims],
        }

    def __str__(self) -> str:
        return show_text(self.node, self.links, self.claims, self.sources)


def read_entity(backend: Backend, text: str, *, as_of: str | date | None = None,
                known_by: str | date | None = None) -> Shown:
    """The entity an id, name, alias or IMO number names, with its relationships (as of a day,
    known by a day: graph/timeline.py) and its claims."""
    node = resolve_entity(backend, text)
    links = neighbourhood(backend, node.id, as_of=as_of, known_by=known_by)
    facts = [node.properties, *(n.relationship.properties for n in links)]
    return Shown(node, links, claims_by(backend, node.id), cited_sources(backend, facts))


def show_rows(node: GNode, links: list[Neighbour]) -> tuple[list[str], list[list[Any]]]:
    """Rows for CSV: one per relationship, with the node itself on each row."""
    columns = ["node", "direction", "relationship", "other"]
    return columns, [[node, n.direction, n.relationship, n.node] for n in links]


def claim_rows(claims: list[Claim]) -> list[list[Any]]:
    """One row per claim: status, date, the fact (a node, or a relationship between two)."""
    rows = []
    for c in claims:
        if isinstance(c.fact, GRel) and c.start is not None and c.end is not None:
            fact = f"{_label(c.start)} -[{c.fact.type}]-> {_label(c.end)}"
        else:
            fact = f"{_label(c.fact)} [{c.fact.labels[0]}]" if isinstance(c.fact, GNode) else ""
        rows.append([status_text(c.fact.properties), c.date, fact])
    return rows


def show_text(node: GNode, links: list[Neighbour], claims: Sequence[Claim] = (),
              sources: dict[str, dict[str, Any]] | None = None) -> str:
    """The human view: the node's facts, a table of its relationships with sources, then the
    claims it made (facts whose status names it), each with status and date. With the cited
    ``sources``, each citation ends with its grades: ``[B2]`` = reliability B, credibility 2
    (``*`` when the curator set the credibility)."""
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
    lines += [f"  source {cite}" for cite in _graded_citations(p, sources)]
    rows = []
    for n in links:
        r = n.relationship.properties
        kind = n.relationship.type
        arrow = f"-[{kind}]->" if n.direction == "out" else f"<-[{kind}]-"
        details = "; ".join(f"{k}={to_text(v)}" for k, v in r.items() if k not in common)
        rows.append([arrow, _label(n.node), r.get("date_text") or "", status_text(r), details,
                     "\n".join(_graded_citations(r, sources))])
    width = terminal_width()
    if width < WIDE_TABLE:
        table = _stacked(rows, width)
    else:
        table = table_text(("relationship", "other end", "date", "status", "details",
                            "sources"), rows, lines=True)
    # One fact per line (a line break in its data is shown as \n), wrapped with a hanging
    # indent; the title line is not indented.
    head = "\n".join(
        wrapped for number, line in enumerate(lines)
        for wrapped in _wrapped(line.strip() if number else line, "  " if number else "",
                                "      " if number else "    ", width))
    text = f"{head}\n{table}\n{len(links)} relationships"
    if claims:
        made = table_text(("status", "date", "fact"), claim_rows(list(claims)), lines=True)
        text += f"\nClaims made by {visible(node.id, keep_newlines=False)}\n{made}\n" \
                f"{len(claims)} claims"
    return text


WIDE_TABLE = 120
"""Below this terminal width, ``rnkg show`` lists each relationship as a block of lines: six
columns in 80 would fold ids and words across lines."""


def _stacked(rows: list[list[Any]], width: int) -> str:
    """Relationships as blocks: the arrow and the other end on one line, then date, status,
    details and each source on indented lines that wrap at spaces (hanging indent).

    >>> import os; os.environ["COLUMNS"] = "40"
    >>> print(_stacked([["-[R]->", "Far end (x:y)", "2024", "confirmed", "role=a b c",
    ...                  "source:s: a long locator that wraps [B2]"]], 40))
    -[R]-> Far end (x:y)
        date: 2024
        status: confirmed
        details: role=a b c
        source: source:s: a long locator
                that wraps [B2]
    >>> del os.environ["COLUMNS"]
    """
    out: list[str] = []

    def wrap(text: str, lead: str, hang: str) -> None:
        out.extend(_wrapped(text, lead, hang, width))

    for number, (arrow, other, when, status, details, cites) in enumerate(rows):
        if number:
            out.append("")
        wrap(f"{arrow} {other}", "", "    ")
        fields = [("date", when), ("status", status), ("details", details)]
        fields += [("source", c) for c in str(cites).split("\n") if c]
        for name, value in fields:
            if value:
                wrap(str(value), f"    {name}: ", " " * (4 + len(name) + 2))
    return "\n".join(out)


def _wrapped(text: str, lead: str, hang: str, width: int) -> list[str]:
    """Data text wrapped at spaces to ``width``: ``lead`` before the first line, ``hang``
    before the others (controls escaped, line breaks shown as ``\\n``).

    >>> _wrapped("one two three", "  k: ", "     ", 14)
    ['  k: one two', '     three']
    """
    console = Console(width=width, color_system=None)
    room = max(20, width - len(hang)) if width >= 40 else max(8, width - len(hang))
    lines = Text(visible(text, keep_newlines=False)).wrap(console, room)
    return [(lead if i == 0 else hang) + line.plain.rstrip() for i, line in enumerate(lines)]


def _graded_citations(props: dict[str, Any], sources: dict[str, dict[str, Any]] | None
                      ) -> list[str]:
    """The citations as text, each with its grades when the cited Sources were read."""
    texts = citations(props)
    if sources is None:
        return texts
    return [f"{text} [{grade_text(g)}]" for text, g in zip(texts, graded(props, sources),
                                                            strict=True)]
