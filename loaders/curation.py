"""Warnings on a valid dataset: what an analyst could not stake a report on, though it loads.

``rnkg validate`` prints them (one count line per check; ``--warnings`` lists each) and
still exits 0: they are curation debts, not errors. Each names file, line and field, and is
given once even when one CSV row expands to several records that would each raise it.

- ``confirmed``: a fact with status confirmed (the default) that has neither a primary Source
  nor two independent ones (schema/grades.py); facts are relationships and the nodes of what
  happened (an entity's existence, ``ENTITY_LABELS``, is not checked).
- ``locator``: a citation with no quote whose ``section`` is a topic tag ("factbox", "AFP")
  rather than a place that can be found in the source (page, paragraph, article, annex,
  document or meeting number, headline, byline...).
- ``alias``: two entities share a name or alias (folded) and neither's ``note`` mentions it.
- ``source``: a Source without a reliability grade, a title, an outlet, a language, a date (or
  ``undated``), a url (or ``no_url``); a ``mirror_of`` naming a Source id that is not one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rnkg.loaders.pipeline import Dataset
from rnkg.schema.grades import supports_confirmed
from rnkg.schema.records import FactBase, NodeFact
from rnkg.schema.values import fold

# A section that names a place in the source: a page, paragraph, article, annex, section,
# item, number, table, chapter or footnote with its number; a document symbol (SC/15648,
# S/RES/2680); a numbered meeting; a part every article has (headline, dateline, byline).
LOCATOR = re.compile(
    r"\bp{1,2}\.\s*\d|\bpages?\s+\d|\bpara(?:graph)?s?\.?\s*\d|§\s*\d|\bart(?:icle)?s?\.?\s*\d"
    r"|\bannex\b|\bsection\s+\d|\bitem\s+\d|\bno\.\s*\d|\btable\s+\d|\bchapter\s+\d"
    r"|\bfootnote\s+\d|\b[A-Z]{1,3}/[A-Z0-9./-]*\d|\d+(?:st|nd|rd|th)\s+meeting\b"
    r"|\b(?:headline|title|dateline|byline|lede|caption)\b"
    r"|\b(?:first|second|third|fourth|fifth|last|final|opening|closing)\s+paragraph\b",
    re.IGNORECASE)

CHECKS = ("confirmed", "locator", "alias", "source")
# Nodes whose existence is not what is in question (a person, a body, a place, a ship): the
# confirmed rule reads what happened, the relationships and the Event, Agreement, Resolution,
# Sanction, Voyage and Provision nodes.
ENTITY_LABELS = frozenset({"Person", "Organization", "Country", "Place", "Vessel",
                           "WeaponSystem", "Source"})


@dataclass(frozen=True)
class FactWarning:
    """One warning: the check that raised it, where, and what."""

    check: str
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


def is_locator(section: str) -> bool:
    """Whether a citation's section names a place that can be found in the source.

    >>> is_locator("operative paragraph 8"), is_locator("SC/15648, 9591st meeting")
    (True, True)
    >>> is_locator("factbox"), is_locator("owner MG-Flot")
    (False, False)
    """
    return bool(LOCATOR.search(section))


def dataset_warnings(ds: Dataset) -> list[FactWarning]:
    """Every warning of a dataset, once each, in check order, then file and line order.

    A CSV row (or a record) that expands to several records (a node and its ``->TYPE``
    links) would raise the same warning for each of them, at the same file, line and field:
    it is listed and counted once.
    """
    out = [*_confirmed(ds), *_locators(ds), *_aliases(ds), *_sources(ds)]
    return sorted(dict.fromkeys(out), key=lambda w: (CHECKS.index(w.check), w.path, w.line))


def _records(ds: Dataset) -> Iterable[tuple[str, FactBase]]:
    yield from ds.nodes.items()
    for rid, rel in ds.relationships.items():
        yield rid, rel.record


def _source_props(ds: Dataset, source_id: str) -> dict[str, object]:
    return ds.nodes[source_id].model_dump(by_alias=True)


def _confirmed(ds: Dataset) -> Iterable[FactWarning]:
    for key, rec in _records(ds):
        if rec.status != "confirmed" or not rec.cite or (
                isinstance(rec, NodeFact) and rec.label in ENTITY_LABELS):
            continue
        sources = [_source_props(ds, c.source) for c in rec.cite]
        if supports_confirmed(sources):
            continue
        origin = ds.origins[key]
        cited = ", ".join(dict.fromkeys(c.source for c in rec.cite))
        yield FactWarning("confirmed", origin.path, origin.line, "status",
                          f"{key} is confirmed on {cited} alone: confirmed needs a primary "
                          "Source or two independent ones (else reported, by the outlet)")


def _locators(ds: Dataset) -> Iterable[FactWarning]:
    for key, rec in _records(ds):
        origin = ds.origins[key]
        for i, cite in enumerate(rec.cite):
            if cite.quote.strip() or is_locator(cite.section):
                continue
            yield FactWarning("locator", origin.path, origin.line, f"cite[{i}].section",
                              f"{cite.section!r} ({cite.source}) is a topic tag, not a place in "
                              "the source: give a quote (<= 25 words) or a page, paragraph or "
                              "document number")


def _aliases(ds: Dataset) -> Iterable[FactWarning]:
    holders: dict[str, dict[str, str]] = defaultdict(dict)
    for node in ds.nodes.values():
        for text in (node.name, *node.aliases):
            key = fold(text)
            if key:
                holders[key].setdefault(node.id, text)
    for key, named in holders.items():
        if len(named) < 2:
            continue
        nodes = [ds.nodes[i] for i in named]
        if any(key in fold(n.note or "") for n in nodes):
            continue
        first, *others = sorted(named)
        origin = ds.origins[first]
        yield FactWarning("alias", origin.path, origin.line, "aliases",
                          f"{named[first]!r} names {first} and {', '.join(others)}: say in a "
                          "note which the name means, or drop it from one")


def _sources(ds: Dataset) -> Iterable[FactWarning]:
    for node in ds.nodes.values():
        if node.label != "Source":
            continue
        origin = ds.origins[node.id]
        for problem in _source_gaps(node, ds):
            yield FactWarning("source", origin.path, origin.line, problem[0], problem[1])


def _source_gaps(node: NodeFact, ds: Dataset) -> Iterable[tuple[str, str]]:
    props = node.model_dump(by_alias=True)
    for name in ("reliability", "title", "outlet", "language"):
        if not props.get(name):
            yield name, f"{node.id} has no {name}"
    if props.get("reliability") and not props.get("reliability_note"):
        yield "reliability_note", f"{node.id}: say why it is graded {props['reliability']}"
    if node.date is None and not props.get("undated"):
        yield "date", f"{node.id} has no date and no `undated` reason"
    if not props.get("url") and not props.get("no_url"):
        yield "url", f"{node.id} has no url and no `no_url` reason"
    mirror = str(props.get("mirror_of") or "")
    if mirror.startswith("source:") and mirror not in ds.nodes:
        yield "mirror_of", f"{mirror} is not a Source"


def summary_lines(warnings: list[FactWarning], every: bool = False) -> list[str]:
    """The warnings as printed: one count line per check, then (with ``every``) each warning.

    >>> w = FactWarning("alias", "f.yaml", 3, "aliases", "'X' names a and b")
    >>> summary_lines([w])
    ['warning: 1 alias warning(s) (rnkg validate --warnings lists them)']
    >>> summary_lines([w], every=True)[1]
    "  f.yaml:3: aliases: 'X' names a and b"
    """
    lines = []
    for check in CHECKS:
        mine = [w for w in warnings if w.check == check]
        if not mine:
            continue
        if every:
            lines.append(f"warning: {len(mine)} {check} warning(s)")
            lines += [f"  {w}" for w in mine]
        else:
            lines.append(f"warning: {len(mine)} {check} warning(s) "
                         "(rnkg validate --warnings lists them)")
    return lines
