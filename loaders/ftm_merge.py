"""Merging FtM entities into stored nodes: the store's side of ``rnkg import ftm``.

A stored node keeps its values: FtM fills only what it lacks, adds its names as aliases and
its own citation, and every value that differs is reported, never overwritten.

>>> from rnkg.schema import load_schema
>>> vessel = load_schema().nodes["Vessel"]
>>> base = {"id": "vessel:a", "name": "A", "flag": "RU", "cite": [{"source": "source:s"}]}
>>> data, diff, added = combine(base, {"name": "A 1", "flag": "PW", "call_sign": "UBX",
...                                    "cite": [{"source": "source:ftm-x"}]}, vessel)
>>> data["flag"], data["call_sign"], data["aliases"], len(data["cite"])
('RU', 'UBX', ['A 1'], 2)
>>> diff, added
(["flag: kept 'RU'; FtM gives 'PW'"], ['aliases', 'call_sign'])
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from rnkg.errors import FactError
from rnkg.loaders.raw import RawRecord
from rnkg.schema import GraphSchema
from rnkg.schema.model import NodeType
from rnkg.schema.values import Citation, fold

if TYPE_CHECKING:
    from rnkg.graph.backend import Backend
    from rnkg.graph.values import GNode


@dataclass
class Merge:
    """FtM entities that are one stored node: how they matched, what differs, what was added."""

    ftm_ids: str
    node_id: str
    how: str
    differences: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


def combine(base: dict[str, Any], new: dict[str, Any], nt: NodeType,
            implied: Collection[str] = ()) -> tuple[dict[str, Any], list[str], list[str]]:
    """``base``'s record with what ``new`` adds: (record, differences, fields added).

    ``implied`` names fields the mapping sets (an FtM Company's ``kind``), not FtM's data:
    the stored value wins there without a word."""
    data = dict(base)
    differences: list[str] = []
    added: list[str] = []
    names = [base.get("name", ""), *base.get("aliases", [])]
    extra = [n for n in [new.get("name", ""), *new.get("aliases", [])]
             if n and fold(n) not in {fold(x) for x in names}]
    data["aliases"] = list(dict.fromkeys([*base.get("aliases", []), *extra]))
    if extra:
        added.append("aliases")
    for key in ("description", "date"):  # `seen` is the attestation of base's own citations
        if new.get(key) and not base.get(key):
            data[key] = new[key]
            added.append(key)
        elif key == "date" and new.get(key) and str(new[key]) != str(base[key]):
            differences.append(f"date: kept {base[key]!r}; FtM gives {new[key]!r}")
    for spec in nt.properties:
        b, n = base.get(spec.name), new.get(spec.name)
        if n in (None, "", []):
            continue
        if b in (None, "", []):
            data[spec.name] = n
            added.append(spec.name)
        elif spec.type == "string[]":
            data[spec.name] = list(dict.fromkeys([*b, *n]))
        elif str(b) != str(n) and spec.name not in implied:
            differences.append(f"{spec.name}: kept {b!r}; FtM gives {n!r}")
    cites = list(base.get("cite", []))
    keys = {(c.get("source"), c.get("section", "")) for c in cites}
    cites += [c for c in new.get("cite", []) if (c.get("source"), c.get("section", "")) not in keys]
    data["cite"] = cites
    return data, differences, added


def stored_data(node: GNode, nt: NodeType) -> dict[str, Any]:
    """A stored node as the record data it was loaded from (so writing it back changes nothing)."""
    p = node.properties
    data: dict[str, Any] = {"id": node.id, "name": p.get("name") or node.id,
                            "aliases": list(p.get("aliases") or []),
                            "status": p.get("status") or "confirmed",
                            "by": list(p.get("status_by") or [])}
    for key, column in (("description", "description"), ("date", "date_text"),
                        ("seen", "seen_text"), ("note", "note")):
        if p.get(column):
            data[key] = p[column]
    cites = Citation.from_columns(p)
    if cites:
        data["cite"] = [{"source": c.source, "quote": c.quote, "section": c.section}
                        for c in cites]
    for spec in nt.properties:
        value = p.get(spec.name)
        if value not in (None, []):
            data[spec.name] = value
    return data


class StoreView:
    """What an import reads from the store: match indexes and stored nodes by id."""

    def __init__(self, backend: Backend | None, schema: GraphSchema) -> None:
        self.backend, self.schema = backend, schema
        self._indexes: dict[tuple[str, str], dict[str, str]] = {}
        self._labels: dict[str, str] = {}
        counts = backend.counts() if backend is not None else {}
        self.present = {label for label in schema.nodes if counts.get(label)}

    def match_index(self, label: str, prop: str) -> dict[str, str]:
        """Stored nodes of a type by the value of their match property (e.g. Vessel by imo)."""
        key = (label, prop)
        if key not in self._indexes:
            self._indexes[key] = {}
            if label in self.present and prop in self.schema.node_columns(label):
                assert self.backend is not None
                rows = self.backend.query(
                    f"MATCH (n:{label}) WHERE n.{prop} IS NOT NULL RETURN n.id, n.{prop}").rows
                self._indexes[key] = {str(v): i for i, v in rows}
        return self._indexes[key]

    def nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored nodes among ``ids``, as record data."""
        out: dict[str, dict[str, Any]] = {}
        if self.backend is None or not self.present:
            return out
        for i in range(0, len(ids), 1000):
            rows = self.backend.query("MATCH (n) WHERE n.id IN $ids RETURN n",
                                      {"ids": ids[i:i + 1000]}).rows
            for (node,) in rows:
                nt = self.schema.nodes.get(node.labels[0])
                if nt is not None:
                    self._labels[node.id] = nt.name
                    out[node.id] = stored_data(node, nt)
        return out

    def label_of(self, node_id: str) -> str | None:
        """The type of a stored node (None when the store does not hold it)."""
        if node_id not in self._labels:
            self.nodes([node_id])
        return self._labels.get(node_id)

    def closure(self, wanted: Iterable[str], held: Collection[str]) -> list[RawRecord]:
        """Stored nodes among ``wanted`` (ids that records refer to: citations, ``by``,
        relationship ends) that are not ``held`` by the records, and those they refer to in
        turn: written back unchanged, so that the pipeline resolves every reference."""
        held = set(held)
        out: list[RawRecord] = []
        todo_ids = set(wanted) - held
        while todo_ids:
            ordered = sorted(todo_ids)
            found = self.nodes(ordered)
            held |= todo_ids
            todo = [RawRecord("node", data, "(store)", 0) for data in found.values()]
            out += todo
            todo_ids = {ref for r in todo for ref in refs_of(r)} - held
        return out


def refs_of(rec: RawRecord) -> Iterable[str]:
    """The ids a record refers to: its citations' sources, ``by``, a relationship's ends."""
    yield from (c.get("source", "") for c in rec.data.get("cite", []))
    yield from rec.data.get("by", [])
    if rec.kind == "relationship":
        yield rec.data["from"]
        yield rec.data["to"]


def read_match_file(path: Path, schema: GraphSchema) -> dict[str, str]:
    """An id map FtM id -> rnkg id from a YAML or JSON mapping (either side may come first).

    >>> import tempfile, pathlib
    >>> from rnkg.schema import load_schema
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.yaml"
    >>> _ = p.write_text("org:mg-flot: NK-abc\\nNK-def: person:kim-jong-un\\n")
    >>> read_match_file(p, load_schema())
    {'NK-abc': 'org:mg-flot', 'NK-def': 'person:kim-jong-un'}
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FactError(str(path), None, None, f"cannot read the id map: {exc}") from None
    if not isinstance(raw, dict):
        raise FactError(str(path), None, None, "an id map is a mapping of FtM id: rnkg id")
    out: dict[str, str] = {}
    for a, b in raw.items():
        a, b = str(a), str(b)
        if schema.node_type_for_id(a) is not None:
            a, b = b, a
        if schema.node_type_for_id(b) is None:
            raise FactError(str(path), None, a, f"neither {a!r} nor {b!r} is an rnkg id")
        out[a] = b
    return out
