"""``rnkg stats --coverage``: how well the facts in a store are sourced, dated, named and how
many of the seeds' claims they hold.

Everything is read from the store (two queries: every node, every relationship, both engines
alike) and counted here:

- facts per source, per type and per status;
- the share of facts (Sources excepted) with a citation, with a quote, and with a *findable*
  locator: a quote, or a section naming a page, paragraph, article, annex, item or document
  number (``FINDABLE``), not a topic tag like "factbox";
- relationships with neither ``date`` nor ``seen``;
- entities (every node but Sources) with no name or alias in each script (Latin, Cyrillic,
  Hangul): of all entities, and of those tied to the script's countries (Russian entities for
  Cyrillic, North and South Korean ones for Hangul);
- the seed claims index (``rnkg.claims``): claims indexed, left out on purpose, and found, per seed.

>>> findable({"cite_quotes": [""], "cite_sections": ["operative paragraph 26"]})
True
>>> findable({"cite_quotes": [""], "cite_sections": ["factbox"]})
False
>>> scripts_of(["Ким Чен Ын", "김정은", "Kim Jong Un"]) == {"Latin", "Cyrillic", "Hangul"}
True
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rnkg.claims.index import SeedIndex, find_claims
from rnkg.graph.backend import Backend
from rnkg.graph.values import GNode, GRel

ALL_NODES = "MATCH (n) RETURN n"
ALL_RELATIONSHIPS = "MATCH (a)-[r]->(b) RETURN r"

FINDABLE = re.compile(
    r"(?ix)\b(p|pp|page|pages|para|paras|paragraph|paragraphs|art|article|articles|annex|"
    r"item|items|no|number|section|chapter|table|point|document|doc|footnote|line|slide)\b"
    r"\.?\s*\(?[0-9IVXL]+"
    r"|§\s*[0-9]|\b[A-Z]{1,3}/[A-Z0-9./-]*[0-9]")
"""A section that names where in the source to look: 'p. 4', 'paragraph 26', 'Art. 4',
'Annex XLII', 'item 3', a document symbol such as 'S/RES/1874' or 'SC/15648'."""

SCRIPTS = ("Latin", "Cyrillic", "Hangul")
SCRIPT_COUNTRIES = {"Cyrillic": frozenset({"RU"}), "Hangul": frozenset({"KP", "KR"})}


def findable(props: dict[str, Any]) -> bool:
    """Whether one of a fact's citations has a locator a reader can find in the source."""
    quotes = props.get("cite_quotes") or []
    sections = props.get("cite_sections") or []
    return any(q for q in quotes) or any(s and FINDABLE.search(s) for s in sections)


def scripts_of(names: Iterable[str]) -> set[str]:
    """The scripts (of ``SCRIPTS``) the letters of some names are written in."""
    found = set()
    for name in names:
        for char in name:
            if char.isalpha():
                script = unicodedata.name(char, "").split(" ")[0].title()
                if script in SCRIPTS:
                    found.add(script)
    return found


@dataclass
class Coverage:
    """The measures, as counts; ``to_dict`` adds the shares."""

    nodes: int = 0
    relationships: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    by_source: Counter[str] = field(default_factory=Counter)
    needing_citation: int = 0
    cited: int = 0
    with_quote: int = 0
    with_findable_locator: int = 0
    relationships_cited: int = 0
    undated: Counter[str] = field(default_factory=Counter)
    entities: int = 0
    scripts: dict[str, dict[str, Any]] = field(default_factory=dict)
    seed_claims: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``rnkg stats --coverage --format json`` (shares 0..1, 4 places)."""
        facts = self.needing_citation
        return {
            "facts": {"nodes": self.nodes, "relationships": self.relationships,
                      "total": self.nodes + self.relationships},
            "by_type": dict(sorted(self.by_type.items())),
            "by_status": dict(sorted(self.by_status.items())),
            "by_source": dict(sorted(self.by_source.items(), key=lambda kv: (-kv[1], kv[0]))),
            "citations": {
                "facts_needing_citation": facts,
                "share_cited": _share(self.cited, facts),
                "share_with_quote": _share(self.with_quote, facts),
                "share_with_findable_locator": _share(self.with_findable_locator, facts),
                "share_relationships_cited": _share(self.relationships_cited, self.relationships),
            },
            "relationships_without_dates": {
                "count": sum(self.undated.values()),
                "share": _share(sum(self.undated.values()), self.relationships),
                "by_type": dict(sorted(self.undated.items())),
            },
            "aliases_by_script": {"entities": self.entities, **self.scripts},
            "seed_claims": self.seed_claims,
        }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def coverage(backend: Backend, index: SeedIndex) -> Coverage:
    """Every measure of one store, with the seed claims of ``index`` looked up in it."""
    nodes = [row[0] for row in backend.query(ALL_NODES).rows]
    rels = [row[0] for row in backend.query(ALL_RELATIONSHIPS).rows]
    cov = Coverage(nodes=len(nodes), relationships=len(rels))
    for fact in [*nodes, *rels]:
        _count_fact(cov, fact)
    for rel in rels:
        p = rel.properties
        cov.relationships_cited += bool(p.get("cite_sources"))
        if not (p.get("date_text") or p.get("seen_text")):
            cov.undated[rel.type] += 1
    _count_scripts(cov, [n for n in nodes if n.labels[0] != "Source"], rels)
    _count_claims(cov, backend, index)
    return cov


def _count_fact(cov: Coverage, fact: GNode | GRel) -> None:
    p = fact.properties
    kind = fact.labels[0] if isinstance(fact, GNode) else fact.type
    cov.by_type[kind] += 1
    cov.by_status[str(p.get("status") or "confirmed")] += 1
    sources = list(p.get("cite_sources") or [])
    for source in dict.fromkeys(sources):
        cov.by_source[str(source)] += 1
    if kind == "Source":
        return
    cov.needing_citation += 1
    cov.cited += bool(sources)
    cov.with_quote += any(q for q in p.get("cite_quotes") or [])
    cov.with_findable_locator += findable(p)


def _count_scripts(cov: Coverage, entities: list[GNode], rels: list[GRel]) -> None:
    """Entities missing each script, of all and of those tied to the script's countries."""
    nationality: dict[str, set[str]] = {}
    for rel in rels:
        if rel.type in ("NATIONAL_OF", "ROLE_IN", "LOCATED_IN", "BASED_IN"):
            nationality.setdefault(rel.start, set()).add(rel.end)
    iso = {n.id: str(n.properties.get("iso2") or "") for n in entities if n.labels[0] == "Country"}
    cov.entities = len(entities)
    for script in SCRIPTS:
        missing, tied, tied_missing = [], 0, []
        for node in entities:
            p = node.properties
            names = [str(p.get("name") or ""), *map(str, p.get("aliases") or []),
                     str(p.get("native_name") or "")]
            has = script in scripts_of(names)
            if not has:
                missing.append(node.id)
            countries = SCRIPT_COUNTRIES.get(script)
            if countries and _tied(node, countries, nationality, iso):
                tied += 1
                if not has:
                    tied_missing.append(node.id)
        entry: dict[str, Any] = {"missing": len(missing)}
        if script in SCRIPT_COUNTRIES:
            entry.update({"tied_entities": tied, "tied_missing": len(tied_missing),
                          "tied_missing_ids": tied_missing})
        cov.scripts[script] = entry


def _tied(node: GNode, countries: frozenset[str], nationality: dict[str, set[str]],
          iso: dict[str, str]) -> bool:
    """Whether an entity belongs to one of some countries: its own code, its country or flag
    property, or a nationality, role, location or seat in one of them."""
    p = node.properties
    codes = {str(p.get(k) or "") for k in ("iso2", "country", "flag")}
    codes |= {iso.get(end, "") for end in nationality.get(node.id, ())}
    return bool(codes & countries)


def _count_claims(cov: Coverage, backend: Backend, index: SeedIndex) -> None:
    per_seed: dict[str, dict[str, Any]] = {}
    for result in find_claims(backend, index):
        seed = per_seed.setdefault(result.seed, {"indexed": 0, "omitted": 0, "placed": 0,
                                                 "found": 0, "not_found": []})
        seed["indexed"] += 1
        if result.claim.omitted:
            seed["omitted"] += 1
            continue
        seed["placed"] += 1
        if result.found:
            seed["found"] += 1
        else:
            seed["not_found"].append(result.claim.id)
    total = {key: sum(s[key] for s in per_seed.values())
             for key in ("indexed", "omitted", "placed", "found")}
    cov.seed_claims = {**per_seed, "total": {**total, "share_found": _share(total["found"],
                                                                             total["placed"])}}


def coverage_rows(data: dict[str, Any]) -> list[list[Any]]:
    """The coverage as [section, key, value] rows, for the table and CSV formats; lists of ids
    are joined with spaces."""
    rows: list[list[Any]] = []

    def walk(section: str, prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(section, f"{prefix}.{key}" if prefix else str(key), item)
        else:
            rows.append([section, prefix, " ".join(value) if isinstance(value, list) else value])

    for section, value in data.items():
        walk(section, "", value)
    return rows
