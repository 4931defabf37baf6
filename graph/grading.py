"""The grades of a fact's citations as read from a store: each cited Source's reliability (A-F)
and the citation's credibility (1-6), the curator's or derived (schema/grades.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rnkg.graph.backend import Backend
from rnkg.graph.values import GNode
from rnkg.schema.grades import credibility_of
from rnkg.schema.values import Citation

SOURCES_BY_ID = "MATCH (n:Source) WHERE n.id IN $ids RETURN n"


def cited_sources(backend: Backend, facts: Iterable[Mapping[str, Any]]
                  ) -> dict[str, dict[str, Any]]:
    """The properties of every Source the facts cite, by id, read in one query."""
    ids = sorted({c.source for f in facts for c in Citation.from_columns(f)})
    if not ids:
        return {}
    rows = backend.query(SOURCES_BY_ID, {"ids": ids}).rows
    nodes = [row[0] for row in rows if isinstance(row[0], GNode)]
    return {n.id: {"id": n.id, **n.properties} for n in nodes}


def graded(props: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]
           ) -> list[dict[str, str]]:
    """One entry per citation of a fact: ``{"source", "reliability", "credibility", "basis",
    "note"}`` (basis ``curator`` or ``derived``; a Source not in the store grades as unknown).

    >>> props = {"cite_sources": ["source:a"], "cite_quotes": ["q"], "cite_sections": [""]}
    >>> graded(props, {"source:a": {"id": "source:a", "kind": "press_release",
    ...                             "reliability": "A"}})[0]["credibility"]
    '2'
    """
    cites = Citation.from_columns(props)
    cited = [dict(sources.get(c.source) or {"id": c.source}) for c in cites]
    out = []
    for cite, source in zip(cites, cited, strict=True):
        grade = credibility_of(cite.model_dump(), source, cited)
        out.append({"source": cite.source, "reliability": str(source.get("reliability") or ""),
                    **grade})
    return out


def grade_text(entry: Mapping[str, str]) -> str:
    """A citation's grades in a few characters: ``B2`` (derived), ``A1*`` (the curator's).

    >>> grade_text({"reliability": "B", "credibility": "2", "basis": "derived"})
    'B2'
    >>> grade_text({"reliability": "", "credibility": "5", "basis": "curator"})
    '?5*'
    """
    mark = "*" if entry.get("basis") == "curator" else ""
    return f"{entry.get('reliability') or '?'}{entry.get('credibility', '6')}{mark}"
