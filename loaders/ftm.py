"""Read a FollowTheMoney entity stream into the pipeline's records, by the schema's mapping.

One JSON object per line (``id``, ``schema``, ``properties`` as lists of strings, ``datasets``,
``first_seen``, ``last_seen``), read line by line. Each entity is checked by followthemoney's
own model (its schema, every property a property of it, every value valid for its type), then
mapped by the ``ftm:`` blocks of types.yaml (schema/ftm.py): node types, interval schemata as
relationships, reference properties as relationships. Each FtM dataset becomes a Source that
every fact it gives cites; ``first_seen`` / ``last_seen`` become the fact's attestation
(``seen``). What has no mapping is counted, never dropped without a word.

Who is the same node: an entity named in the ``--match`` id map; one whose match property
(a Vessel's IMO number, check digit valid) equals a stored node's; an id rnkg wrote
(``rnkg-vessel-maia-1``). A node already in the store keeps its stored values; FtM fills only
what it lacks, adds its names as aliases and its citation, and a value that differs is
reported (loaders/ftm_merge.py).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from rnkg.errors import FactError, FactErrors
from rnkg.loaders.ftm_index import FtmIndex, mapping_of, rel_mapping_of
from rnkg.loaders.ftm_merge import Merge, StoreView, combine, refs_of
from rnkg.loaders.pipeline import Dataset, dataset_from_records, fewer_gc_passes
from rnkg.loaders.raw import RawRecord
from rnkg.schema import GraphSchema
from rnkg.schema.ftm import EXPORT_PREFIX, FtmNodeMap, require_followthemoney, slug
from rnkg.schema.model import NodeType, PropertySpec, RelType
from rnkg.schema.values import imo_check

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_NON_DIGITS = re.compile(r"\D")
_DIGITS = re.compile(r"\d+")
ID_PREFIX = "ftm-"
CLEAN_CACHE = 50_000
"""How many cleaned values an import keeps (a date or country recurs; a name seldom does)."""


@dataclass
class FtmImport:
    """What an import maps: the dataset to write, and what merged, was new or left out."""

    dataset: Dataset
    entities: int = 0
    merges: list[Merge] = field(default_factory=list)
    new: Counter[str] = field(default_factory=Counter)
    links: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)

    def report_lines(self) -> list[str]:
        """The report for people: counts, each merge with its differences, what was left out."""
        mapped = self.entities - sum(self.unmapped.values())
        lines = [f"{self.entities} FtM entities: {mapped} mapped, "
                 f"{sum(self.unmapped.values())} not mapped"
                 + _counted(self.unmapped)]
        for m in self.merges:
            lines.append(f"merge {m.ftm_ids} -> {m.node_id} ({m.how})")
            lines += [f"  {d}" for d in m.differences]
            if m.added:
                lines.append(f"  added from FtM: {', '.join(m.added)}")
        if self.new:
            lines.append("new nodes: " + ", ".join(f"{n} {k}" for k, n in sorted(self.new.items())))
        if self.links:
            lines.append("relationships: " + ", ".join(f"{n} {k}" for k, n in
                                                       sorted(self.links.items())))
        if self.dropped:
            lines.append("left out: " + ", ".join(f"{n} {k}" for k, n in
                                                   sorted(self.dropped.items())))
        return lines


def _counted(c: Counter[str]) -> str:
    return f" ({', '.join(f'{k} {n}' for k, n in sorted(c.items()))})" if c else ""


def read_lines(lines: Iterable[str], path: str,
               errors: list[FactError]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each non-blank line as a JSON object with its line number; bad lines as errors.

    Lines are parsed by orjson (followthemoney's own dependency, three times as fast as
    ``json``) when it is there; it refuses what JSON does not allow (NaN, lone surrogates)."""
    loads = _loads()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            errors.append(FactError(path, number, None, f"not a JSON object: {exc}"))
            continue
        if not isinstance(obj, dict):
            errors.append(FactError(path, number, None, "not a JSON object"))
            continue
        yield number, obj


def _loads() -> Callable[[str], Any]:
    """orjson's ``loads`` if installed (its errors are ``json.JSONDecodeError``), else json's."""
    try:
        import orjson
    except ImportError:
        return json.loads
    return cast("Callable[[str], Any]", orjson.loads)


@dataclass
class _Pending:
    label: str
    data: dict[str, Any]
    line: int
    ftm_ids: list[str]
    how: str = ""
    implied: tuple[str, ...] = ()


class _Reader:
    """One stream's mapping state: nodes and links by rnkg id, datasets, counts."""

    def __init__(self, schema: GraphSchema, path: str, store: StoreView,
                 match: dict[str, str]) -> None:
        self.model = require_followthemoney()
        self.schema, self.path, self.store, self.match = schema, path, store, match
        self.index = FtmIndex(schema)
        self.errors: list[FactError] = []
        self.nodes: dict[str, _Pending] = {}
        self.ids: dict[str, str] = {}  # FtM id -> rnkg id
        self.links: list[tuple[int, str, str, str, dict[str, Any]]] = []
        self.sources: dict[str, dict[str, Any]] = {}
        self.result = FtmImport(Dataset(schema=schema))
        self.default_dataset = slug(path.rsplit("/", 1)[-1].split(".")[0] or "stdin")
        self._cleaned: dict[tuple[str, str], str | None] = {}
        self._source_ids: dict[str, str] = {}  # FtM dataset name -> Source id

    # ------------------------------------------------------------ one entity

    def entity(self, line: int, obj: dict[str, Any]) -> None:
        self.result.entities += 1
        checked = self._checked(line, obj)
        if checked is None:
            return
        ftm_schema, ftm_id, props = checked
        cites = self._cites(obj, ftm_schema.name, ftm_id, props)
        seen = _seen(obj)
        node = self.index.node_for(ftm_schema)
        if node is not None:
            self._node(line, node[0], node[1], ftm_schema, ftm_id, props, cites, seen, obj)
            return
        rt = self.index.rel_for(ftm_schema, props)
        if rt is not None:
            self._rel(line, rt, ftm_id, props, cites, seen)
            return
        self.result.unmapped[ftm_schema.name] += 1

    def _checked(self, line: int,
                 obj: dict[str, Any]) -> tuple[Any, str, dict[str, list[str]]] | None:
        ftm_schema = self.model.get(obj.get("schema") or "")
        ftm_id = obj.get("id")
        if ftm_schema is None:
            self.errors.append(FactError(self.path, line, "schema",
                                         f"not a FollowTheMoney schema: {obj.get('schema')!r}"))
            return None
        if not isinstance(ftm_id, str) or not ftm_id:
            self.errors.append(FactError(self.path, line, "id", "every entity needs an id"))
            return None
        raw = obj.get("properties") or {}
        if not isinstance(raw, dict):
            self.errors.append(FactError(self.path, line, "properties", "not an object"))
            return None
        props: dict[str, list[str]] = {}
        for name, values in raw.items():
            prop = ftm_schema.properties.get(name)
            where = f"properties.{name}"
            if prop is None:
                self.errors.append(FactError(self.path, line, where,
                                             f"not a property of {ftm_schema.name}"))
                continue
            if type(values) is not list or not all(type(v) is str for v in values):
                self.errors.append(FactError(self.path, line, where, "not a list of strings"))
                continue
            ftm_type = prop.type
            if ftm_type.name == "entity":  # a reference, as given
                props[name] = list(values)
                continue
            cleaned = []
            for v in values:
                c = self._clean(ftm_type, v)
                if c is None:
                    self.errors.append(FactError(self.path, line, where,
                                                 f"not a valid {ftm_type.name}: {v[:60]!r}"))
                else:
                    cleaned.append(c)
            props[name] = cleaned
        return ftm_schema, ftm_id, props

    def _clean(self, ftm_type: Any, value: str) -> str | None:
        """A value as followthemoney cleans it for its type (None: not valid for it); an
        entity reference as given. Repeated values (dates, countries) are cleaned once."""
        if ftm_type.name == "entity":
            return value
        key = (ftm_type.name, value)
        if key in self._cleaned:
            return self._cleaned[key]
        if len(self._cleaned) >= CLEAN_CACHE:
            self._cleaned.clear()
        out: str | None = ftm_type.clean(value, proxy=None)
        self._cleaned[key] = out
        return out

    def _cites(self, obj: dict[str, Any], schema_name: str, ftm_id: str,
               props: dict[str, list[str]]) -> list[dict[str, str]]:
        names = obj.get("datasets") or [self.default_dataset]
        out = []
        for name in names:
            source_id = self._source_ids.get(str(name))
            if source_id is None:
                source_id = f"source:{ID_PREFIX}{slug(str(name).replace('_', '-'))}"
                self._source_ids[str(name)] = source_id
            src = self.sources.setdefault(source_id, {
                "id": source_id, "name": str(name), "kind": "dataset",
                "title": f"FollowTheMoney dataset {name}", "last": ""})
            last = str(obj.get("last_seen") or "")[:10]
            src["last"] = max(src["last"], last) if _DATE.match(last) else src["last"]
            if props.get("publisher") and "outlet" not in src:
                src["outlet"] = props["publisher"][0]
            out.append({"source": source_id, "section": f"FtM {schema_name} {ftm_id}"})
        return out

    def _values(self, specs: Iterable[PropertySpec], props: dict[str, list[str]],
                line: int) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for spec in specs:
            values = props.get(spec.ftm, []) if spec.ftm else []
            if spec.format == "imo":
                values = [d for d in (_NON_DIGITS.sub("", v) for v in values) if imo_check(d)]
                if len(values) < len(props.get(spec.ftm, [])):
                    self.result.dropped["IMO numbers with a wrong check digit"] += 1
            if not values:
                continue
            if spec.type == "string[]":
                data[spec.name] = list(values)
            elif spec.type == "int":
                digits = _DIGITS.match(values[0])
                if digits:
                    data[spec.name] = int(digits[0][:4] if "-" in values[0] else digits[0])
            elif spec.type == "date":
                data[spec.name] = self._date(values[0], line, spec.ftm)
            elif spec.type != "bool":
                data[spec.name] = values[0].upper() if _is_country(spec) else values[0]
        return data

    def _date(self, value: str, line: int, prop: str) -> str | None:
        day = value[:10]
        if not _DATE.match(day):
            self.errors.append(FactError(self.path, line, f"properties.{prop}",
                                         f"not a date: {value!r}"))
            return None
        return day

    def _when(self, dates: Any, props: dict[str, list[str]], line: int) -> str | None:
        if dates is None:
            return None

        def first(prop: str) -> str:
            vals = props.get(prop, []) if prop else []
            return (self._date(vals[0], line, prop) or "") if vals else ""

        start, end, single = first(dates.start), first(dates.end), first(dates.single)
        if end:
            return f"{start}/{end}"
        return start or single or None  # a lone start as given, as the curated facts do

    def _node(self, line: int, nt: NodeType, implied: dict[str, str], ftm_schema: Any,
              ftm_id: str, props: dict[str, list[str]], cites: list[dict[str, str]],
              seen: str | None, obj: dict[str, Any]) -> None:
        mapping = mapping_of(nt)
        names = [n for n in props.get("name", [])]
        own = self._values(nt.properties, props, line)
        data: dict[str, Any] = {
            "name": names[0] if names else _caption(self.model, obj) or ftm_id,
            "aliases": list(dict.fromkeys(names[1:] + props.get("alias", []))),
            **own, **implied,
        }
        if props.get("description"):
            data["description"] = props["description"][0]
        when = self._when(mapping.dates, props, line)
        if when:
            data["date"] = when
        if seen:
            data["seen"] = seen
        given = sorted(p for p in props if props[p])
        data["cite"] = [{**c, "section": f"{c['section']}: {', '.join(given)}"[:200]}
                        for c in cites]
        node_id, how = self._node_id(nt, mapping, ftm_id, own)
        data["id"] = node_id
        self.ids[ftm_id] = node_id
        held = self.nodes.get(node_id)
        if held is None:
            self.nodes[node_id] = _Pending(nt.name, data, line, [ftm_id], how, tuple(implied))
        else:
            held.data, _, _ = combine(held.data, data, nt, implied)
            held.ftm_ids.append(ftm_id)
        for ref in mapping.refs:
            for target in props.get(ref.prop, []):
                ends = (ftm_id, target) if ref.direction == "out" else (target, ftm_id)
                self.links.append((line, ref.rel, ends[0], ends[1],
                                   {"cite": data["cite"], **({"seen": seen} if seen else {})}))

    def _node_id(self, nt: NodeType, mapping: FtmNodeMap, ftm_id: str,
                 own: dict[str, Any]) -> tuple[str, str]:
        if ftm_id in self.match:
            target = self.match[ftm_id]
            kind = self.schema.node_type_for_id(target)
            if kind is not None and kind.name != nt.name:
                self.errors.append(FactError(self.path, None, "id", (
                    f"--match maps {ftm_id} (read as {nt.name}) to {target}, a {kind.name}")))
            return target, "--match"
        if mapping.match and own.get(mapping.match):
            held = self.store.match_index(nt.name, mapping.match).get(str(own[mapping.match]))
            if held:
                return held, f"{mapping.match} {own[mapping.match]}"
        if ftm_id.startswith(EXPORT_PREFIX):
            prefix, _, rest = ftm_id.removeprefix(EXPORT_PREFIX).partition("-")
            if prefix == nt.prefix and rest and re.fullmatch(self.schema.id_pattern, rest):
                return f"{prefix}:{rest}", ""
        return f"{nt.prefix}:{ID_PREFIX}{slug(ftm_id)}", ""

    def _rel(self, line: int, rt: RelType, ftm_id: str, props: dict[str, list[str]],
             cites: list[dict[str, str]], seen: str | None) -> None:
        mapping = rel_mapping_of(rt)
        ends = props.get(mapping.from_prop, []), props.get(mapping.to_prop, [])
        if not ends[0] or not ends[1]:
            self.result.dropped[f"{rt.name} without both ends"] += 1
            return
        data: dict[str, Any] = {**mapping.defaults, **self._values(rt.properties, props, line)}
        when = self._when(mapping.dates, props, line)
        if when:
            data["date"] = when
        if seen:
            data["seen"] = seen
        data["cite"] = cites
        data["key"] = slug(ftm_id)
        self.links.append((line, rt.name, ends[0][0], ends[1][0], data))

    # ------------------------------------------------------------ the whole stream

    def finish(self) -> FtmImport:
        """Validate what the stream mapped into the import's Dataset (refused whole with every
        error of the stream, if any). The mapped records are handed to the pipeline one at a
        time and let go once validated, so they are not held twice."""
        stored = self.store.nodes(list(self.nodes))
        for node_id, pending in self.nodes.items():
            if pending.how == "--match" and node_id not in stored:
                self.errors.append(FactError(self.path, pending.line, "id",
                                             f"--match names {node_id}, which the store "
                                             "does not hold"))
        if self.errors:
            raise FactErrors(sorted(self.errors, key=lambda e: e.line or 0))
        ds = dataset_from_records(self._records(stored), self.schema, [self.path])
        # An import adds to the store: it removes nothing, and a later `rnkg load` of a facts
        # folder does not remove what it wrote (graph/loadplan.py, scopes).
        ds.scope, ds.prune = "ftm", False
        self.result.dataset = ds
        return self.result

    def _records(self, stored: dict[str, dict[str, Any]]) -> Iterator[RawRecord]:
        """The mapped nodes (merged with the stored ones), the Sources, the relationships, then
        the stored nodes they refer to; each mapped entity's data is dropped as it is handed
        on (``finish`` checked the ``--match`` targets)."""
        labels = {n: p.label for n, p in self.nodes.items()}
        held: set[str] = set()
        wanted: set[str] = set()
        for node_id in sorted(self.nodes):
            pending = self.nodes.pop(node_id)
            nt = self.schema.nodes[pending.label]
            data = pending.data
            if node_id in stored:
                data, differences, added = combine(stored[node_id], data, nt, pending.implied)
                if pending.how or differences or added:
                    self.result.merges.append(Merge(", ".join(pending.ftm_ids), node_id,
                                                    pending.how or "same id", differences,
                                                    added))
            else:
                self.result.new[pending.label] += 1
            yield self._noted(RawRecord("node", data, self.path, pending.line), held, wanted)
        held_sources = self.store.nodes(list(self.sources))
        for src in self.sources.values():
            self.result.new["Source"] += src["id"] not in held_sources
            last = src.pop("last")
            data = {**src, **({"date": last} if last else
                              {"undated": "FtM dataset whose entities give no last_seen"})}
            yield self._noted(RawRecord("node", data, self.path, 0), held, wanted)
        self.links.reverse()  # taken from the end, in stream order
        while self.links:
            line, rel_type, start, end, data = self.links.pop()
            ids = [self.ids.get(start) or self.match.get(start),
                   self.ids.get(end) or self.match.get(end)]
            if None in ids:
                self.result.dropped[f"{rel_type} with an end not mapped"] += 1
                continue
            rt = self.schema.relationships[rel_type]
            ends = [labels.get(i) or self.store.label_of(i) for i in ids if i]
            if ends[0] not in rt.from_types or ends[1] not in rt.to_types:
                self.result.dropped[f"{rel_type} from {ends[0]} to {ends[1]}"] += 1
                continue
            self.result.links[rel_type] += 1
            yield self._noted(RawRecord("relationship", {"type": rel_type, "from": ids[0],
                                                               "to": ids[1], **data},
                                              self.path, line), held, wanted)
        yield from self.store.closure(wanted, held)

    @staticmethod
    def _noted(rec: RawRecord, held: set[str], wanted: set[str]) -> RawRecord:
        """A record, noting the node id it holds and the ids it refers to (for the closure)."""
        if rec.kind == "node":
            held.add(rec.data["id"])
        wanted.update(refs_of(rec))
        return rec


def _is_country(spec: PropertySpec) -> bool:
    return spec.format == "iso2" or spec.ftm in {"country", "flag", "jurisdiction"}


def _caption(model: Any, obj: dict[str, Any]) -> str:
    try:
        return str(model.get_proxy(obj).caption)
    except Exception:  # a caption is a nicety: the id stands in for it
        return ""


def _seen(obj: dict[str, Any]) -> str | None:
    first, last = (str(obj.get(k) or "")[:10] for k in ("first_seen", "last_seen"))
    first, last = (d if _DATE.match(d) else "" for d in (first, last))
    if first and last:
        return f"{min(first, last)}/{max(first, last)}"
    return first or last or None


def import_ftm(lines: Iterable[str], path: str, schema: GraphSchema, store: StoreView,
               match: dict[str, str] | None = None) -> FtmImport:
    """Map an FtM entity stream (read line by line) into a validated Dataset and a report.

    Raises FactErrors naming line and field of every bad entity; nothing is written here.
    """
    reader = _Reader(schema, path, store, match or {})
    with fewer_gc_passes():
        for line, obj in read_lines(lines, path, reader.errors):
            reader.entity(line, obj)
        return reader.finish()
