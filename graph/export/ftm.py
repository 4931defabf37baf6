"""FollowTheMoney export: the graph as FtM entities, one JSON object per line.

Every node type and relationship type with an ``ftm:`` block in types.yaml is written by
that mapping alone (schema/ftm.py): node types as their schema, relationship types as
interval schemata (Ownership, Directorship, Membership, Representation) with their dates,
relationships that FtM holds as a reference (a Sanction's ``entity``) as that property. Each
value passes followthemoney's own cleaning; a value it refuses is counted and left out, so
every line is valid. Each entity states its sources: the cited Sources' outlets or names as
``publisher``, their URLs as ``sourceUrl``; each is in the dataset ``rnkg``, and a fact's
attestation (``seen``: when its sources saw it) is the stream's ``first_seen`` / ``last_seen``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from rnkg.graph.export import write_file
from rnkg.schema import GraphSchema
from rnkg.schema.ftm import EXPORT_PREFIX, FtmDates, export_id, require_followthemoney
from rnkg.schema.model import PropertySpec

DATASET = "rnkg"


@dataclass
class FtmExportReport:
    """What an export wrote (entities per FtM schema) and what it left out, and why."""

    written: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """One line: entities written, then what was left out."""
        def listed(c: Counter[str]) -> str:
            return ", ".join(f"{n} {k}" for k, n in sorted(c.items()))

        text = f"{sum(self.written.values())} FtM entities ({listed(self.written)})"
        if self.skipped:
            text += f"; no FtM form: {listed(self.skipped)}"
        if self.dropped:
            text += f"; values FtM refused: {listed(self.dropped)}"
        return text


class _Writer:
    def __init__(self, g: nx.MultiDiGraph[str], schema: GraphSchema) -> None:
        self.model = require_followthemoney()
        self.g, self.schema = g, schema
        self.report = FtmExportReport()
        self.proxies: dict[str, Any] = {}
        self.seen: dict[str, dict[str, str]] = {}
        self.refs = {r.rel: r for nt in schema.nodes.values() if nt.ftm for r in nt.ftm.refs}

    def add(self, proxy: Any, prop: str, values: list[Any]) -> None:
        ftm_prop = proxy.schema.properties[prop]
        for value in values:
            if value in (None, ""):
                continue
            text = str(value).lower() if ftm_prop.type.name == "country" else str(value)
            cleaned = ftm_prop.type.clean(text, format=ftm_prop.format)
            if cleaned is None:
                self.report.dropped[f"{proxy.schema.name}.{prop}"] += 1
            else:
                proxy.add(prop, cleaned, cleaned=True)

    def own(self, proxy: Any, specs: tuple[PropertySpec, ...], attrs: dict[str, Any]) -> None:
        for spec in specs:  # name, alias, description: only where the FtM schema has them
            if spec.ftm and spec.ftm in proxy.schema.properties:
                value = attrs.get(spec.name)
                self.add(proxy, spec.ftm, value if isinstance(value, list) else [value])

    def dates(self, proxy: Any, dates: FtmDates | None, attrs: dict[str, Any]) -> None:
        text = str(attrs.get("date_text") or "").lstrip("~").strip()
        if dates is None or not text:
            return
        start, sep, end = text.partition("/")
        if not sep and dates.single:
            self.add(proxy, dates.single, [start])
            return
        if dates.start:
            self.add(proxy, dates.start, [start])
        if dates.end:
            self.add(proxy, dates.end, [end])

    def sources(self, proxy: Any, attrs: dict[str, Any]) -> None:
        for source_id in attrs.get("cite_sources") or []:
            src = self.g.nodes[source_id] if source_id in self.g else {}
            self.add(proxy, "publisher", [src.get("outlet") or src.get("name") or source_id])
            self.add(proxy, "sourceUrl", [src.get("url")])

    def node(self, node_id: str, attrs: dict[str, Any]) -> None:
        nt = self.schema.nodes.get(str(attrs.get("label")))
        if nt is None or nt.ftm is None:
            self.report.skipped[str(attrs.get("label"))] += 1
            return
        proxy = self.model.make_entity(nt.ftm.schema_for(attrs))
        proxy.id = export_id(node_id)
        self.own(proxy, self.schema.common_node, attrs)
        self.own(proxy, nt.properties, attrs)
        self.dates(proxy, nt.ftm.dates, attrs)
        self.sources(proxy, attrs)
        self.proxies[node_id] = proxy
        self.attested(node_id, attrs)

    def edge(self, rid: str, start: str, end: str, attrs: dict[str, Any]) -> None:
        rel_type = str(attrs.get("type"))
        rt = self.schema.relationships.get(rel_type)
        ends_held = start in self.proxies and end in self.proxies
        ref = self.refs.get(rel_type)
        if ref is not None and ends_held:
            holder, other = (start, end) if ref.direction == "out" else (end, start)
            self.add(self.proxies[holder], ref.prop, [export_id(other)])
            return
        if rt is None or rt.ftm is None or not ends_held:
            self.report.skipped[rel_type] += 1
            return
        proxy = self.model.make_entity(rt.ftm.schema)
        proxy.id = f"{EXPORT_PREFIX}rel-{hashlib.sha1(rid.encode('utf-8')).hexdigest()[:24]}"
        self.add(proxy, rt.ftm.from_prop, [export_id(start)])
        self.add(proxy, rt.ftm.to_prop, [export_id(end)])
        for prop, value in rt.ftm.when.items():
            self.add(proxy, prop, [value])
        self.own(proxy, rt.properties, attrs)
        self.dates(proxy, rt.ftm.dates, attrs)
        self.sources(proxy, attrs)
        self.proxies[rid] = proxy
        self.attested(rid, attrs)

    def attested(self, key: str, attrs: dict[str, Any]) -> None:
        """When a source saw the fact (rnkg's ``seen``) as the stream's first/last_seen."""
        seen = {k: str(attrs[c]) for k, c in (("first_seen", "seen_from"),
                                              ("last_seen", "seen_to")) if attrs.get(c)}
        if seen:
            self.seen[key] = seen

    def lines(self) -> list[str]:
        out = []
        for key, proxy in self.proxies.items():
            missing = [p for p in sorted(proxy.schema.required) if not proxy.get(p)]
            if missing:
                self.report.skipped[f"{proxy.schema.name} without {', '.join(missing)}"] += 1
                continue
            data = proxy.to_dict()
            data["datasets"] = [DATASET]
            data.update(self.seen.get(key, {}))
            out.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
            self.report.written[proxy.schema.name] += 1
        return out


def ftm_lines(g: nx.MultiDiGraph[str], schema: GraphSchema) -> tuple[list[str], FtmExportReport]:
    """The FtM entity lines of a graph (nodes by id, then edges by rid) and the report."""
    writer = _Writer(g, schema)
    for node_id, attrs in sorted(g.nodes.items(), key=lambda n: str(n[0])):
        writer.node(node_id, dict(attrs))
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: str(e[2]))
    for start, end, key, eattrs in edges:
        writer.edge(str(eattrs.get("rid") or key), start, end, dict(eattrs))
    return writer.lines(), writer.report


def write_ftm(g: nx.MultiDiGraph[str], path: Path, schema: GraphSchema) -> FtmExportReport:
    """Write a graph as an FtM entity stream (whole, or nothing); return what it wrote."""
    lines, report = ftm_lines(g, schema)
    write_file(path, "".join(line + "\n" for line in lines))
    return report
