"""The one loading pipeline: read every file -> validate -> resolve references -> a Dataset.

Writing is the backend's job (``graph.backend.Backend.load``); nothing here touches a store, so
a fact folder with any error is refused whole before anything is written.

>>> from rnkg.loaders.pipeline import build_dataset, default_facts_dir
>>> ds = build_dataset(default_facts_dir())
>>> ds.nodes["vessel:maia-1"].imo
'9358010'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import os
import types
import typing
from collections.abc import Collection, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from rnkg.errors import FactError, FactErrors
from rnkg.loaders.compact import Packed, ValuePool, record_json, transient_records
from rnkg.loaders.csv_reader import read_csv
from rnkg.loaders.raw import RawRecord
from rnkg.loaders.yaml_reader import plain, read_yaml
from rnkg.schema import GraphSchema, load_schema
from rnkg.schema.ddl import HASH_COLUMN
from rnkg.schema.records import FactBase, NodeFact, RecordModels, RelFact, own_properties
from rnkg.schema.values import Citation, DateValue, fold

FACT_SUFFIXES = (".yaml", ".yml", ".csv")


def default_facts_dir() -> Path:
    """The curated facts shipped with rnkg: the folder of the ``rnkg.facts`` package.

    Its links are followed, so that a strict editable install reads the working tree's folder
    (fact files added since the install included), an installed copy its own.

    >>> sorted(p.name for p in default_facts_dir().glob("treaty-*"))
    ['treaty-2024.yaml']
    """
    marker = Path(str(files("rnkg.facts").joinpath("__init__.py")))
    return marker.resolve().parent


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was read: file and line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class Relationship(Packed):
    """A validated relationship with its key and the labels of its ends, and where it was
    read (``path`` None: not known here; ``Dataset.origins`` may hold it).

    Frozen; its record is held packed (loaders/compact.py: a million relationships are most
    of a big dataset's memory), and ``record`` gives an equal model each time.

    >>> rel = Relationship("r", None, "A", "B", "f.csv", 7)  # type: ignore[arg-type]
    >>> rel
    Relationship(rid='r', record=None, from_label='A', to_label='B', path='f.csv', line=7)
    >>> rel.replace(line=8).line, rel == Relationship("r", None, "A", "B", "f.csv", 7)
    (8, True)
    """

    __slots__ = ("from_label", "line", "path", "rid", "to_label")
    rid: str
    from_label: str
    to_label: str
    path: str | None
    line: int
    _FIELDS = ("rid", "record", "from_label", "to_label", "path", "line")

    def __init__(self, rid: str, record: RelFact, from_label: str, to_label: str,
                 path: str | None = None, line: int = 0) -> None:
        _set = object.__setattr__
        _set(self, "rid", rid)
        _set(self, "from_label", from_label)
        _set(self, "to_label", to_label)
        _set(self, "path", path)
        _set(self, "line", line)
        self._pack(record)

    @property
    def record(self) -> RelFact:
        """The validated record (a new, equal model at each call)."""
        return self.unpack()  # type: ignore[no-any-return]

    @property
    def type(self) -> str:
        """The relationship type, read without building the record."""
        return self.field("type")  # type: ignore[no-any-return]

    def replace(self, **changes: Any) -> Relationship:
        """A copy with some fields changed (``dataclasses.replace`` for this class)."""
        values = {name: getattr(self, name) for name in self._FIELDS}
        return Relationship(**{**values, **changes})

    def _repack(self, record: RelFact) -> None:
        """Hold an equal record's parts instead (the dataset's pool swaps them in)."""
        self._pack(record)

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Relationship):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._FIELDS)

    def __hash__(self) -> int:
        return hash((self.rid, self.from_label, self.to_label, self.path, self.line))

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._FIELDS)
        return f"Relationship({inner})"

    def __reduce__(self) -> tuple[Any, ...]:
        return Relationship, tuple(getattr(self, n) for n in self._FIELDS)


class Origins(MutableMapping[str, Origin]):
    """Where each record of a dataset was read: key -> :class:`Origin`.

    A relationship that carries its file and line is found through the dataset's
    relationships, with no entry or Origin of its own (a million relationships: about 100
    bytes each less); any other origin is held here.

    >>> rels = {"r": Relationship("r", None, "A", "B", "f.csv", 7)}  # type: ignore[arg-type]
    >>> origins = Origins(rels, {"n": Origin("g.yaml", 2)})
    >>> str(origins["r"]), str(origins["n"]), sorted(origins), "x" in origins
    ('f.csv:7', 'g.yaml:2', ['n', 'r'], False)
    """

    __slots__ = ("_own", "_rels")

    def __init__(self, rels: MutableMapping[str, Relationship],
                 items: Mapping[str, Origin] | None = None) -> None:
        self._own: dict[str, Origin] = dict(items or {})
        self._rels = rels

    def __getitem__(self, key: str) -> Origin:
        own = self._own.get(key)
        if own is not None:
            return own
        rel = self._rels.get(key)
        if rel is None or rel.path is None:
            raise KeyError(key)
        return Origin(rel.path, rel.line)

    def __setitem__(self, key: str, origin: Origin) -> None:
        self._own[key] = origin

    def __delitem__(self, key: str) -> None:
        rel = self._rels.get(key)
        if rel is not None and rel.path is not None:
            self._rels[key] = rel.replace(path=None, line=0)
            self._own.pop(key, None)
        else:
            del self._own[key]

    def __iter__(self) -> Iterator[str]:
        yield from self._own
        own = self._own
        yield from (k for k, r in self._rels.items() if r.path is not None and k not in own)

    def __len__(self) -> int:
        own = self._own
        return len(own) + sum(1 for k, r in self._rels.items()
                              if r.path is not None and k not in own)


class _Records(dict[str, Any]):
    """Records by key, each stored compactly: its equal parts shared with those of the
    records before it (loaders/compact.py)."""

    def __init__(self, pool: ValuePool, items: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        self._pool = pool
        for key, value in (items or {}).items():
            self[key] = value

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(value, Relationship):
            value._repack(self._pool.record(value.record))
        else:
            self._pool.record(value)
        super().__setitem__(key, value)


@dataclass
class Dataset:
    """A whole, resolved graph, ready for a backend to write.

    Records put in ``nodes`` and ``relationships`` are stored compactly (their equal parts
    held once), so that a million relationships fit in memory."""

    schema: GraphSchema
    nodes: dict[str, NodeFact] = field(default_factory=dict)
    relationships: dict[str, Relationship] = field(default_factory=dict)
    origins: MutableMapping[str, Origin] = field(default_factory=dict)
    """Where each record was read (an :class:`Origins`; a relationship's own file and line
    are found through it)."""
    files: list[str] = field(default_factory=list)
    scope: str = "facts"
    """Which kind of load writes these rows: stored with each row's hash (``facts:…``), so a
    reload removes only rows of its own scope (a fact-folder load never removes what an import
    wrote)."""
    prune: bool = True
    """Whether a reload removes stored rows of its scope that the dataset no longer holds
    (fact folders: yes; an import adds to the store and removes nothing)."""
    _index: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        pool = ValuePool()
        self.nodes = _Records(pool, self.nodes)
        self.relationships = _Records(pool, self.relationships)
        self.origins = Origins(self.relationships, self.origins)

    def label_of(self, node_id: str) -> str:
        """The node type of a node in the dataset."""
        return self.nodes[node_id].label

    def _groups(self) -> tuple[dict[str, list[NodeFact]],
                               dict[tuple[str, str, str], list[Relationship]]]:
        """Nodes per label and relationships per (type, from label, to label), each in key
        order, in one pass.

        Kept until the dataset's size changes, so row building is linear in the data rather
        than a scan of every relationship for each type and end-label pair. It holds
        references only: rows are built one at a time from it (``iter_node_rows``).
        """
        size = (len(self.nodes), len(self.relationships))
        if self._index is None or self._index[0] != size:
            nodes: dict[str, list[NodeFact]] = {}
            for node in self.nodes.values():
                nodes.setdefault(node.label, []).append(node)
            rels: dict[tuple[str, str, str], list[Relationship]] = {}
            for rel in self.relationships.values():
                rels.setdefault((rel.type, rel.from_label, rel.to_label), []).append(rel)
            for group in nodes.values():
                group.sort(key=_node_key)
            for part in rels.values():
                part.sort(key=_rel_key)
            self._index = (size, nodes, rels)
        return self._index[1], self._index[2]

    def node_count(self, label: str) -> int:
        """How many nodes of one type the dataset holds."""
        return len(self._groups()[0].get(label, ()))

    def rel_count(self, rel_type: str, from_label: str, to_label: str) -> int:
        """How many relationships of one type between two node types the dataset holds."""
        return len(self._groups()[1].get((rel_type, from_label, to_label), ()))

    def node_hashes(self, label: str) -> dict[str, str]:
        """id -> content hash of one node type's records (without building their rows)."""
        group = self._groups()[0].get(label, [])
        return _Digest(label, self.scope).keyed([n.id for n in group], group)

    def rel_hashes(self, rel_type: str, from_label: str, to_label: str) -> dict[str, str]:
        """rid -> content hash of one relationship type's records between two node types."""
        group = self._groups()[1].get((rel_type, from_label, to_label), [])
        return _Digest(f"{rel_type}|{from_label}|{to_label}", self.scope).keyed(
            [r.rid for r in group], group)

    def node_rows(self, label: str, only: Collection[str] | None = None
                  ) -> list[dict[str, Any]]:
        """Stored rows of one node type (those of the ids in ``only`` if given), in id order:
        every column present, dates as ISO text, and the record's content hash (``_hash``)."""
        return list(self.iter_node_rows(label, only))

    def iter_node_rows(self, label: str, only: Collection[str] | None = None
                       ) -> Iterator[dict[str, Any]]:
        """The rows of ``node_rows``, built one at a time (a load streams them to its files)."""
        nt = self.schema.nodes[label]
        columns = self.schema.node_columns(label)
        digest = _Digest(label, self.scope)
        stored_form = _Stored(columns, _FRESH_NODE_LISTS)
        for node in self._groups()[0].get(label, []):
            if only is not None and node.id not in only:
                continue
            row = {
                "id": node.id,
                "name": node.name,
                "aliases": list(node.aliases),
                "description": node.description or None,
                "search_keys": search_keys(node),
            }
            row.update(node.common_columns())
            row.update(own_properties(node, nt.properties))
            stored = stored_form(row)
            stored[HASH_COLUMN] = digest(node)
            yield stored

    def rel_rows(self, rel_type: str, from_label: str, to_label: str,
                 only: Collection[str] | None = None) -> list[dict[str, Any]]:
        """Stored rows of one relationship type between two node types (``from``/``to`` ids;
        those of the rids in ``only`` if given), in rid order, with the record's content hash
        (``_hash``)."""
        return list(self.iter_rel_rows(rel_type, from_label, to_label, only))

    def iter_rel_rows(self, rel_type: str, from_label: str, to_label: str,
                      only: Collection[str] | None = None) -> Iterator[dict[str, Any]]:
        """The rows of ``rel_rows``, built one at a time."""
        rt = self.schema.relationships[rel_type]
        columns = self.schema.rel_columns(rel_type)
        digest = _Digest(f"{rel_type}|{from_label}|{to_label}", self.scope)
        stored_form = _Stored(columns, _FRESH_LISTS)
        group = self._groups()[1].get((rel_type, from_label, to_label), [])
        if only is not None:
            group = [rel for rel in group if rel.rid in only]
        for rel, rec in zip(group, transient_records(group), strict=True):
            row: dict[str, Any] = {"rid": rel.rid}
            row.update(rec.common_columns())
            row.update(own_properties(rec, rt.properties))
            row = stored_form(row)
            row["from"], row["to"] = rec.from_, rec.to
            row[HASH_COLUMN] = digest(rel)
            yield row

    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type (only those present)."""
        out: dict[str, int] = {}
        for node in self.nodes.values():
            out[node.label] = out.get(node.label, 0) + 1
        for rel in self.relationships.values():
            out[rel.type] = out.get(rel.type, 0) + 1
        return dict(sorted(out.items()))


ROW_FORMAT = "rnkg-rows-2"
"""Part of every content hash: bump it when the rows built from a record change, or how a
record is hashed (2: the JSON of its field values, not of the model; a store loaded before
sees every row changed once)."""


def _node_key(node: NodeFact) -> str:
    return node.id


def _rel_key(rel: Relationship) -> str:
    return rel.rid


class _Digest:
    """The stored hash of records of one table: the load's scope, then the content hash.

    The digest of ``ROW_FORMAT`` and the salt is taken once; each record adds the JSON of its
    field values (``record_json``: a packed relationship is hashed without building its model).
    """

    __slots__ = ("_base", "_prefix")

    def __init__(self, salt: str, scope: str) -> None:
        self._base = hashlib.blake2b(f"{ROW_FORMAT}|{salt}|".encode(), digest_size=16)
        self._prefix = f"{scope}:"

    def __call__(self, record: Any) -> str:
        return self._prefix + _content_hash(self._base, record)

    def keyed(self, keys: list[str], records: Iterable[Any]) -> dict[str, str]:
        """key -> stored hash of many records, the same as a call per record, in one loop
        (a reload hashes every record: the calls per record were a third of its time)."""
        copy, prefix, as_json = self._base.copy, self._prefix, record_json
        out: dict[str, str] = {}
        for key, record in zip(keys, records, strict=True):
            h = copy()
            h.update(as_json(record))
            out[key] = prefix + h.hexdigest()
        return out


def _content_hash(base: Any, record: Any) -> str:
    h = base.copy()
    h.update(record_json(record))
    return str(h.hexdigest())


def record_hash(record: BaseModel, salt: str) -> str:
    """A validated record's content hash: a digest of the JSON of its field values
    (``record_json``: pydantic's serializer, in Rust) with ``ROW_FORMAT``, its type and end
    types. A reload compares it with the stored
    one to send only new and changed rows; the stored row is a function of the record, the
    schema and ``ROW_FORMAT``, so any change of a stored value changes the hash.

    >>> from rnkg.schema import load_schema
    >>> from rnkg.schema.records import RecordModels
    >>> m = RecordModels(load_schema()).node("Source")
    >>> a = m.model_validate({"id": "source:a", "name": "A", "kind": "report"})
    >>> b = m.model_validate({"id": "source:a", "name": "B", "kind": "report"})
    >>> record_hash(a, "Source") == record_hash(a, "Source") != record_hash(b, "Source")
    True
    >>> text = f"{ROW_FORMAT}|Source|".encode() + record_json(a)
    >>> record_hash(a, "Source") == hashlib.blake2b(text, digest_size=16).hexdigest()
    True
    """
    base = hashlib.blake2b(f"{ROW_FORMAT}|{salt}|".encode(), digest_size=16)
    return _content_hash(base, record)


def search_keys(node: NodeFact) -> list[str]:
    """Folded name, aliases and id slug of a node, for accent- and case-insensitive lookup."""
    keys = [fold(node.name), *(fold(a) for a in node.aliases), fold(node.id.split(":", 1)[1])]
    return list(dict.fromkeys(k for k in keys if k))


_FRESH_LISTS = frozenset({"status_by", *Citation.column_docs()})
"""List columns that ``FactBase.common_columns`` builds anew for each row (never None)."""
_FRESH_NODE_LISTS = _FRESH_LISTS | {"aliases", "search_keys"}
"""The same for a node row, whose aliases and search keys ``iter_node_rows`` builds."""


class _Stored:
    """Rows of one table in their stored form: every declared column, in order; lists never
    None (a copy of the record's), dates as ISO text. The list columns named ``fresh`` hold
    a list built for the row already: kept as they are.

    >>> stored = _Stored({"a": "string", "l": "string[]", "d": "date", "f": "string[]"},
    ...                  fresh=frozenset({"f"}))
    >>> mine = ["x"]
    >>> row = stored({"l": None, "d": dt.date(2024, 1, 2), "f": mine})
    >>> row, row["f"] is mine
    ({'a': None, 'l': [], 'd': '2024-01-02', 'f': ['x']}, True)
    """

    __slots__ = ("_dates", "_lists", "_names")

    def __init__(self, columns: dict[str, str], fresh: frozenset[str] = frozenset()) -> None:
        self._names = tuple(columns)
        self._lists = tuple(n for n, t in columns.items() if t == "string[]" and n not in fresh)
        self._dates = tuple(n for n, t in columns.items() if t == "date")

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        names = self._names
        out = dict(zip(names, map(row.get, names), strict=True))
        for name in self._lists:
            value = out[name]
            out[name] = list(value) if value else []
        for name in self._dates:
            value = out[name]
            if value is not None:
                out[name] = value.isoformat()
        return out


# ---------------------------------------------------------------- reading


def discover(facts_dir: Path) -> list[Path]:
    """Paths with a fact suffix under a folder, recursively, in a stable order.

    Every such path is returned, files or not: ``read_all`` names a folder, FIFO, device or
    broken link called ``*.yaml`` as an error rather than skipping it without a word.
    """
    if not facts_dir.is_dir():
        raise FactError(str(facts_dir), None, None, "not a folder of fact files")
    return sorted(p for p in facts_dir.rglob("*") if p.suffix in FACT_SUFFIXES)


def _display(path: Path) -> str:
    """A path as the user would type it: relative below the working directory, else absolute.

    Symbolic links are not followed: the error names the path in the folder, not its target.
    """
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:
        return absolute
    return absolute if rel.startswith("..") else rel


def read_all(files: Iterable[Path], schema: GraphSchema) -> tuple[list[RawRecord], list[FactError]]:
    """Read every file with the reader for its format, collecting file-level errors."""
    errors: list[FactError] = []
    return list(iter_records(files, schema, errors)), errors


def iter_records(files: Iterable[Path], schema: GraphSchema, errors: list[FactError]
                 ) -> Iterator[RawRecord]:
    """The raw records of every file, one file at a time (a file is read whole, so one that
    does not parse gives none), adding each file-level error to ``errors`` as it is met."""
    list_fields = frozenset(
        {"aliases", "by"} | {n for n, t in schema.all_property_types().items() if t == "string[]"}
    )
    for path in files:
        display = _display(path)
        try:
            if path.suffix == ".csv":
                records = read_csv(path, display, list_fields)
            else:
                records = read_yaml(path, display)
        except FactError as exc:
            errors.append(exc)
            continue
        yield from records
        del records


# ---------------------------------------------------------------- validating and resolving


def build_dataset(facts_dir: Path, schema: GraphSchema | None = None) -> Dataset:
    """Read, validate and resolve a whole facts folder; raise FactErrors listing every problem.

    The errors come root cause first: files that could not be read or parsed, then the
    problems of single records in file and line order. When a file did not parse, references
    to ids that are nowhere are not listed one by one (they may live in that file): one line
    per such file counts them.
    """
    schema = schema or load_schema()
    files = discover(facts_dir)
    file_errors: list[FactError] = []
    raw = iter_records(files, schema, file_errors)  # streamed: validated as it is read
    try:
        ds = dataset_from_records(raw, schema, [_display(f) for f in files])
    except FactErrors as exc:
        if file_errors:
            raise FactErrors(_root_cause_first(file_errors, exc.errors)) from None
        raise
    if file_errors:
        raise FactErrors(_root_cause_first(file_errors, []))
    return ds


def dataset_from_records(raw: Iterable[RawRecord], schema: GraphSchema, files: list[str],
                         file_errors: list[FactError] | None = None) -> Dataset:
    """Validate and resolve raw records from any reader (fact files, an FtM stream) into a
    Dataset; raise FactErrors listing every problem (``file_errors`` first)."""
    with fewer_gc_passes():
        return _dataset_from_records(raw, schema, files, file_errors or [])


def _dataset_from_records(raw: Iterable[RawRecord], schema: GraphSchema, files: list[str],
                          file_errors: list[FactError]) -> Dataset:
    errors: list[FactError] = []
    models = _record_models(schema)
    limit = max_text_bytes()
    ds = Dataset(schema=schema, files=files)
    rel_raw: list[tuple[RawRecord, RelFact]] = []
    node_lines: dict[str, dict[str, int]] = {}
    for rec in raw:
        if rec.kind == "node":
            node = _validate_node(rec, schema, models, errors, limit)
            if node is None:
                continue
            if node.id in ds.nodes:
                first = ds.origins[node.id]
                errors.append(FactError(rec.path, rec.line_of("id"), "id",
                                        f"{node.id} is declared twice; first at {first}"))
                continue
            ds.nodes[node.id] = node
            ds.origins[node.id] = Origin(rec.path, rec.line)
            node_lines[node.id] = rec.lines
        else:
            rel = _validate_rel(rec, schema, models, errors, limit)
            if rel is not None:  # kept until resolved: where it was read, not its raw data
                rel_raw.append((rec.located(), rel))
    for node_id, node in ds.nodes.items():
        origin = ds.origins[node_id]
        _check_refs(node, origin.path, origin.line, node_lines[node_id], ds, errors)
    for rec, rel in rel_raw:
        _resolve_rel(rec, rel, ds, errors)
    if file_errors or errors:
        raise FactErrors(_root_cause_first(file_errors, errors))
    return ds


GEN0_THRESHOLD = 50_000
"""Allocations between two passes of the garbage collector over the youngest objects while
records are built (Python's default: 700)."""


@contextmanager
def fewer_gc_passes() -> Iterator[None]:
    """Fewer passes of Python's cyclic garbage collector while a load builds its records.

    A load allocates a few objects per value of every record (dicts, lists, pydantic models)
    and keeps them all; hardly any forms a cycle, yet at the default thresholds the collector
    walks the young objects every 700 allocations and, every so often, every live object: a
    third of the time of a 100,000-entity FtM import (bench/ftm.py). Inside the block its
    first threshold is at least ``GEN0_THRESHOLD``; cycles (an exception's traceback) are
    still collected, and the thresholds are put back on the way out.

    >>> before = gc.get_threshold()
    >>> with fewer_gc_passes():
    ...     gc.get_threshold()[0] >= GEN0_THRESHOLD
    True
    >>> gc.get_threshold() == before
    True
    """
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GEN0_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


_MODELS: dict[int, tuple[GraphSchema, RecordModels]] = {}


def _record_models(schema: GraphSchema) -> RecordModels:
    """The record models of a schema, built once per schema object (building takes ~0.4 s)."""
    held = _MODELS.get(id(schema))
    if held is None or held[0] is not schema:
        held = _MODELS[id(schema)] = (schema, RecordModels(schema))
    return held[1]


class _Dangling(FactError):
    """A reference to an id no file declares (perhaps one in a file that did not parse)."""


def _root_cause_first(file_errors: list[FactError], errors: list[FactError]) -> list[FactError]:
    """File errors first; dangling references summarised when some file did not parse."""
    ordered = sorted(errors, key=lambda e: (e.path, e.line or 0))
    if not file_errors:
        return ordered
    dangling = [e for e in ordered if isinstance(e, _Dangling)]
    rest = [e for e in ordered if not isinstance(e, _Dangling)]
    summary = []
    if dangling:
        failed = ", ".join(e.path for e in file_errors)
        plural = "s" if len(file_errors) > 1 else ""
        summary.append(FactError(
            dangling[0].path, None, None,
            f"and {len(dangling)} reference(s) here and in other files to ids that may live in "
            f"{failed}, which did not parse; fix {'those' if plural else 'it'} first"))
    return [*file_errors, *rest, *summary]


def _pydantic_errors(rec: RawRecord, exc: ValidationError, what: str) -> list[FactError]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        head = loc[0] if loc else None
        fld = head
        if len(loc) > 1:
            fld = loc[0] + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in loc[1:])
        if err["type"] == "extra_forbidden":
            msg = f"unknown field for {what} (see `rnkg schema`)"
        elif err["type"] == "missing":
            msg = f"required for {what}"
        else:
            msg = err["msg"].removeprefix("Value error, ")
        out.append(FactError(rec.path, rec.line_of(head), fld, msg))
    return out


def _plain(rec: RawRecord) -> dict[str, Any]:
    """A record's data as plain values: the YAML reader's line-tagged mappings (a record with
    ``lines``) are copied untagged; other readers (CSV, an FtM stream) built plain ones."""
    return plain(rec.data) if rec.lines else rec.data


def _validate_node(rec: RawRecord, schema: GraphSchema, models: RecordModels,
                   errors: list[FactError], limit: int) -> NodeFact | None:
    node_id = rec.data.get("id")
    if not isinstance(node_id, str) or not node_id:
        errors.append(FactError(rec.path, rec.line, "id", "every node needs an id (prefix:slug)"))
        return None
    nt = schema.node_type_for_id(node_id)
    if nt is None:
        prefixes = ", ".join(sorted(n.prefix for n in schema.nodes.values()))
        errors.append(FactError(rec.path, rec.line_of("id"), "id",
                                f"{node_id!r} is not prefix:slug with a known prefix ({prefixes})"))
        return None
    try:
        node = models.node(nt.name).model_validate(_plain(rec))
    except ValidationError as exc:
        errors.extend(_pydantic_errors(rec, exc, nt.name))
        return None
    return node if _within_bounds(rec, node, errors, limit) else None


def _validate_rel(rec: RawRecord, schema: GraphSchema, models: RecordModels,
                  errors: list[FactError], limit: int) -> RelFact | None:
    rel_type = rec.data.get("type")
    if not isinstance(rel_type, str) or rel_type not in schema.relationships:
        errors.append(FactError(rec.path, rec.line_of("type"), "type",
                                f"unknown relationship type {rel_type!r} (see `rnkg schema`)"))
        return None
    try:
        rel = models.rel(rel_type).model_validate(_plain(rec))
    except ValidationError as exc:
        errors.extend(_pydantic_errors(rec, exc, rel_type))
        return None
    return rel if _within_bounds(rec, rel, errors, limit) else None


INT64 = (-(2**63), 2**63 - 1)
DEFAULT_MAX_TEXT_BYTES = 1024 * 1024
"""The longest single text value (UTF-8 bytes); ``RNKG_MAX_TEXT_BYTES`` overrides it.

Both engines must take what ``validate`` passes: Neo4j's memory pool refuses a 100 MB value
that LadybugDB would store, so one value is bounded well below either engine's limits."""


def max_text_bytes() -> int:
    """The bound on one text value: ``RNKG_MAX_TEXT_BYTES``, else 1 MB."""
    raw = os.environ.get("RNKG_MAX_TEXT_BYTES", "").strip()
    if raw.isascii() and raw.isdigit() and int(raw) > 0:
        return int(raw)
    return DEFAULT_MAX_TEXT_BYTES


def _within_bounds(rec: RawRecord, model: BaseModel, errors: list[FactError],
                   limit: int | None = None) -> bool:
    """Refuse what no engine stores: integers beyond 64 bits, a text value over the bound
    (``limit`` bytes; ``max_text_bytes()`` when not given).

    Only the fields whose type can hold a text or an integer are looked at; the first value
    out of bounds in a field is one error naming that field.

    >>> from rnkg.schema import load_schema
    >>> from rnkg.schema.records import RecordModels
    >>> m = RecordModels(load_schema()).node("Source")
    >>> src = m.model_validate({"id": "source:a", "name": "A", "kind": "report",
    ...                         "aliases": ["ok", "B" * 13]})
    >>> errors: list[FactError] = []
    >>> _within_bounds(RawRecord("node", {}, "f.yaml", 3), src, errors, limit=12)
    False
    >>> [(e.field, e.message) for e in errors]  # doctest: +NORMALIZE_WHITESPACE
    [('aliases', 'a text of 13 bytes is over the 12-byte limit for one value
      (RNKG_MAX_TEXT_BYTES)')]
    """
    limit = max_text_bytes() if limit is None else limit
    short = limit // 4  # a text of at most this many characters is within any UTF-8 bound
    values = model.__dict__
    ok = True
    for name, key in _checked_fields(type(model)):
        value = values[name]
        if value is None or (type(value) is str and len(value) <= short):
            continue  # most fields: nothing more to look at
        problem = _out_of_bounds(value, limit)
        if problem:
            errors.append(FactError(rec.path, rec.line_of(key), key, problem))
            ok = False
    return ok


def _out_of_bounds(value: Any, limit: int) -> str | None:
    """What is wrong with the first text or integer in a value beyond the bounds, or None.

    >>> _out_of_bounds(["a", 2**64], 10)
    '18446744073709551616 is out of range: integers are 64-bit (at most 9223372036854775807)'
    >>> _out_of_bounds("ü" * 6, 10)  # 12 bytes
    'a text of 12 bytes is over the 10-byte limit for one value (RNKG_MAX_TEXT_BYTES)'
    """
    kind = type(value)
    if kind is str:  # the common case: one length test, no encoding below a quarter
        if len(value) <= limit // 4 or len(value.encode("utf-8")) <= limit:
            return None
        return (f"a text of {len(value.encode('utf-8'))} bytes is over the "
                f"{limit}-byte limit for one value (RNKG_MAX_TEXT_BYTES)")
    if value is None or kind in _NO_TEXT_OR_INT:
        return None
    if kind is list:  # the usual lists: texts (aliases), citations
        items: Iterable[Any] = value
    elif isinstance(value, BaseModel):  # a citation: its field values as they are held
        items = value.__dict__.values()
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = value
    elif isinstance(value, dict):
        items = value.values()
    elif isinstance(value, int) and not isinstance(value, bool):
        if INT64[0] <= value <= INT64[1]:
            return None
        return f"{str(value)[:40]} is out of range: integers are 64-bit (at most {INT64[1]})"
    elif isinstance(value, str):
        return _out_of_bounds(str(value), limit)
    else:
        return None
    short = limit // 4
    for item in items:
        kind = type(item)
        if (kind is str and len(item) <= short) or kind in _NO_TEXT_OR_INT:
            continue
        problem = _out_of_bounds(item, limit)
        if problem:
            return problem
    return None


_NO_TEXT_OR_INT: tuple[type, ...] = (bool, float, dt.date, DateValue, type(None))
"""Field types whose values hold no text and no integer: no bounds to check."""


@functools.cache
def _checked_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, field name as written) of each field of a model whose type may hold a
    text or an integer, worked out once per model: dates, booleans and floats need no check.

    >>> from rnkg.schema import load_schema
    >>> from rnkg.schema.records import RecordModels
    >>> fields = dict(_checked_fields(RecordModels(load_schema()).rel("SIGNED")))
    >>> fields["from_"], fields["cite"], "date" in fields
    ('from', 'cite', False)
    """
    return tuple((name, info.alias or name) for name, info in model.model_fields.items()
                 if _may_hold_text_or_int(info.annotation))


def _may_hold_text_or_int(annotation: Any) -> bool:
    """Whether a field of this type may hold a text or an integer (when unsure: yes)."""
    if annotation in _NO_TEXT_OR_INT:
        return False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_may_hold_text_or_int(a) for a in typing.get_args(annotation))
    return True


def _check_refs(rec: FactBase, path: str, line: int, lines: dict[str, int], ds: Dataset,
                errors: list[FactError]) -> None:
    for i, cite in enumerate(rec.cite):
        target = ds.nodes.get(cite.source)
        if target is None or target.label != "Source":
            what = "not a Source" if target else "no such Source"
            kind = FactError if target else _Dangling
            errors.append(kind(path, lines.get("cite", line), f"cite[{i}].source",
                                    f"{cite.source!r}: {what}"))
    for who in rec.by:
        if who not in ds.nodes:
            errors.append(_Dangling(path, lines.get("by", line), "by", f"no node with id {who!r}"))
        elif ds.nodes[who].label not in ds.schema.claimants:
            errors.append(FactError(
                path, lines.get("by", line), "by",
                f"{who} is a {ds.nodes[who].label}; `by` names who says so: one of "
                f"{', '.join(ds.schema.claimants)}"))


def _resolve_rel(rec: RawRecord, rel: RelFact, ds: Dataset, errors: list[FactError]) -> None:
    rt = ds.schema.relationships[rel.type]
    labels = []
    for end, node_id, allowed in (("from", rel.from_, rt.from_types), ("to", rel.to, rt.to_types)):
        node = ds.nodes.get(node_id)
        if node is None:
            errors.append(
                _Dangling(rec.path, rec.line_of(end), end, f"no node with id {node_id!r}")
            )
            return
        if node.label not in allowed:
            errors.append(FactError(rec.path, rec.line_of(end), end,
                                    f"{rel.type} goes {'/'.join(rt.from_types)} -> "
                                    f"{'/'.join(rt.to_types)}; {node_id} is a {node.label}"))
            return
        labels.append(node.label)
    _check_refs(rel, rec.path, rec.line, rec.lines, ds, errors)
    rid = rel.rid
    if rid in ds.relationships:
        errors.append(FactError(rec.path, rec.line, "key",
                                f"same {rel.type} between the same nodes on the same date is "
                                f"already at {ds.origins[rid]}; give one a `key`"))
        return
    ds.relationships[rid] = Relationship(rid, rel, labels[0], labels[1], rec.path, rec.line)
