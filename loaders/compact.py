"""Validated records held compactly: the equal parts of many records are stored once.

A million relationships validated one by one hold a million equal citation lists, date
values and sets of field names (pydantic keeps one per model). A :class:`ValuePool` swaps
each such part of a record, as the record is stored in a Dataset, for the one equal copy it
holds, and relationship ends for the node ids already held. The parts are equal, so rows,
content hashes and comparisons do not change; records are frozen and never edited in place.

>>> from rnkg.schema import load_schema
>>> from rnkg.schema.records import RecordModels
>>> m = RecordModels(load_schema()).node("Source")
>>> pool = ValuePool()
>>> a, b = (pool.record(m.model_validate(
...     {"id": f"source:{i}", "name": "S", "kind": "report", "date": "2024-06"}))
...     for i in "ab")
>>> a.date is b.date and a.model_fields_set is b.model_fields_set
True
>>> a.model_dump_json() == m.model_validate(
...     {"id": "source:a", "name": "S", "kind": "report", "date": "2024-06"}).model_dump_json()
True
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Annotated, Any, TypeVar, cast

from pydantic import BaseModel, TypeAdapter

M = TypeVar("M", bound=BaseModel)

REFERENCE_FIELDS = frozenset({"from_", "to"})
"""Top-level text fields holding node ids (many records name the same node): interned.
Other top-level texts are mostly distinct (names, keys, notes) and are left alone."""


TRIAL = 2000
"""Values of one field of one model the pool tries before it judges whether pooling pays."""
MIN_SHARED = 0.1
"""The share of those that must already be held for the field to stay pooled: a field whose
values are nearly all distinct (an FtM citation names its entity) is then left alone, which
saves the pool's work and the keys it would hold for each distinct value."""


class ValuePool:
    """One copy of each equal immutable part of the records it has seen.

    A field of a model whose first ``TRIAL`` values were mostly distinct (fewer than
    ``MIN_SHARED`` of them already held) is not pooled any more: its values stay as they
    are (they are equal either way, so nothing a record says changes).

    >>> from rnkg.schema import load_schema
    >>> from rnkg.schema.records import RecordModels
    >>> m = RecordModels(load_schema()).node("Source")
    >>> pool = ValuePool()
    >>> recs = [pool.record(m.model_validate({"id": f"source:{i}", "name": "S", "kind": "report",
    ...     "date": "2024-06", "cite": [{"source": "source:x", "section": f"p. {i}"}]}))
    ...     for i in range(TRIAL + 1)]
    >>> recs[0].date is recs[-1].date, sorted(pool._skipped[m])
    (True, ['cite'])
    """

    def __init__(self) -> None:
        self._held: dict[Hashable, Any] = {}
        self._tried: dict[tuple[type, str], list[int]] = {}  # (model, field) -> [tries, hits]
        self._skipped: dict[type, set[str]] = {}

    def record(self, model: M) -> M:
        """The record itself, its parts swapped for the pool's equal copies."""
        fields = model.__dict__
        skipped = self._skipped.get(type(model))
        for name, value in fields.items():
            kind = type(value)
            if kind in _KEPT:
                continue
            if kind is str or isinstance(value, str):
                if name in REFERENCE_FIELDS:
                    fields[name] = sys.intern(value)
            elif skipped is None or name not in skipped:
                fields[name] = self._tried_value(type(model), name, value)
        held = model.__pydantic_fields_set__
        object.__setattr__(model, "__pydantic_fields_set__",
                           self._held.setdefault(("fields", frozenset(held)), held))
        return model

    def _tried_value(self, model: type, name: str, value: Any) -> Any:
        """``value(value)``, counting for the field whether the pool held an equal copy
        (it grew by nothing) until the field's trial is over."""
        counts = self._tried.get((model, name))
        if counts is None:
            counts = self._tried[(model, name)] = [0, 0]
        elif counts[0] >= TRIAL:
            return self.value(value)
        before = len(self._held)
        out = self.value(value)
        counts[0] += 1
        counts[1] += len(self._held) == before
        if counts[0] == TRIAL and counts[1] < MIN_SHARED * TRIAL:
            self._skipped.setdefault(model, set()).add(name)
        return out

    def value(self, value: Any) -> Any:
        """An equal value the pool holds (this one, the first time): nested models, frozen
        dataclasses, lists of them and of texts; anything unhashable is returned as it is.

        A model or dataclass is keyed by its type and its fields (names and values), a list
        by the identities of the pool's copies of its items (each held, so never reused)."""
        key: Hashable
        kind: type = type(value)
        if kind is list:
            if not value:
                key = ("list",)
            elif all(isinstance(v, str) for v in value):
                return value  # aliases and the like: mostly distinct, kept as they are
            else:
                value = [self.value(v) for v in value]
                key = ("list", *map(id, value))
        else:
            how = _kind(kind)
            if how is _MODEL:
                self.record(value)
                key = (kind, *value.__dict__.items())
            elif how is _DATACLASS:
                own = getattr(value, "__dict__", None)
                key = (kind, value) if own is None else (kind, *own.items())
            elif how is _STR:
                key = ("str", value)
            else:
                return value
        try:
            return self._held.setdefault(key, value)
        except TypeError:  # an unhashable part (a model holding a list): kept as it is
            return value


_KEPT = frozenset({type(None), bool, int, float})
"""Kinds of values kept as they are (small or immutable scalars)."""
_MODEL, _DATACLASS, _STR, _OTHER = "model", "dataclass", "str", "other"


@functools.cache
def _kind(cls: type) -> str:
    """How the pool treats values of a class (worked out once per class)."""
    if issubclass(cls, BaseModel):
        return _MODEL
    if dataclasses.is_dataclass(cls):
        return _DATACLASS
    if issubclass(cls, str):
        return _STR
    return _OTHER


class Packed:
    """One frozen record held as a tuple of its field values (and a shape shared by the
    records of its model): a model's own ``__dict__`` costs ~460 bytes, the tuple ~130, so a
    million relationships take ~330 MB less. :meth:`unpack` builds an equal model each time
    it is asked (about 6 µs for a relationship's twenty fields), as ``model_construct`` does,
    without validating again.

    >>> from rnkg.schema import load_schema
    >>> from rnkg.schema.records import RecordModels
    >>> m = RecordModels(load_schema()).rel("SIGNED")
    >>> rec = m.model_validate({"type": "SIGNED", "from": "person:a", "to": "agreement:b",
    ...     "date": "2024-06-19", "cite": [{"source": "source:x", "section": "p. 1"}]})
    >>> packed = Packed(rec)
    >>> packed.unpack() == rec, packed.unpack().model_dump_json() == rec.model_dump_json()
    (True, True)
    >>> packed.field("type"), packed.unpack() is packed.unpack()
    ('SIGNED', False)
    """

    __slots__ = ("_shape", "_values")
    _shape: tuple[Any, ...] | None
    _values: Any

    def __init__(self, model: BaseModel) -> None:
        self._pack(model)

    def _pack(self, model: BaseModel | None) -> None:
        _set = object.__setattr__  # a subclass may refuse attribute setting (frozen)
        if model is None:
            _set(self, "_shape", None)
            _set(self, "_values", None)
            return
        cls = type(model)
        if cls.__private_attributes__ or model.__pydantic_extra__:
            _set(self, "_shape", None)  # kept whole: nothing to gain, or a risk
            _set(self, "_values", model)
            return
        fields = model.__dict__
        held = model.__pydantic_fields_set__
        key = (cls, tuple(fields), frozenset(held))
        shape = _SHAPES.get(key)
        if shape is None:
            names = key[1]
            shape = _SHAPES.setdefault(key, (cls, names, held, {n: i for i, n in enumerate(names)}))
        _set(self, "_shape", shape)
        _set(self, "_values", tuple(fields.values()))

    def unpack(self) -> Any:
        """The record: a new model, equal to the one packed (fields, values and field set)."""
        shape = self._shape
        if shape is None:
            return self._values
        cls, names, held, _ = shape
        model = cls.__new__(cls)
        _set = object.__setattr__
        _set(model, "__dict__", dict(zip(names, self._values, strict=True)))
        _set(model, "__pydantic_fields_set__", held)
        _set(model, "__pydantic_extra__", None)
        _set(model, "__pydantic_private__", None)
        return model

    def field(self, name: str) -> Any:
        """One field's value, without building the record."""
        shape = self._shape
        if shape is None:
            return getattr(self._values, name)
        return self._values[shape[3][name]]


def transient_records(packed: Iterable[Packed]) -> Iterator[Any]:
    """Each packed record as a model that is only good until the next one is drawn: one model
    a shape, its fields swapped at each step (about a third of the cost of :meth:`Packed.unpack`,
    for a pass that reads each record once, as hashing them does).

    >>> from rnkg.schema import load_schema
    >>> from rnkg.schema.records import RecordModels
    >>> m = RecordModels(load_schema()).rel("SIGNED")
    >>> recs = [m.model_validate({"type": "SIGNED", "from": f"person:{x}", "to": "agreement:b",
    ...     "cite": [{"source": "source:x", "section": "p. 1"}]}) for x in "ab"]
    >>> [r.model_dump_json() for r in transient_records(map(Packed, recs))] == [
    ...     r.model_dump_json() for r in recs]
    True
    """
    scratch: dict[int, Any] = {}
    _set = object.__setattr__
    for item in packed:
        shape = item._shape
        if shape is None:
            yield item._values
            continue
        model = scratch.get(id(shape))
        if model is None:
            model = scratch[id(shape)] = item.unpack()
        else:
            _set(model, "__dict__", dict(zip(shape[1], item._values)))  # noqa: B905
        yield model


def record_json(record: Any) -> bytes:
    """A record's field values, in field order, as one JSON array (pydantic's serializer, in
    Rust, per field type): what its content hash is taken of. For a packed record it serializes
    the tuple it holds, without building a model (about half the cost of the model's own JSON
    for a relationship, which a reload takes of every record).

    >>> from rnkg.schema import load_schema
    >>> from rnkg.schema.records import RecordModels
    >>> m = RecordModels(load_schema()).rel("SIGNED")
    >>> rec = m.model_validate({"type": "SIGNED", "from": "person:a", "to": "agreement:b",
    ...     "date": "2024-06-19", "cite": [{"source": "source:x", "section": "p. 1"}]})
    >>> record_json(Packed(rec)) == record_json(rec)
    True
    >>> import json
    >>> json.loads(record_json(rec))[list(rec.__dict__).index("to")]
    'agreement:b'
    """
    if isinstance(record, Packed):
        shape = record._shape
        if shape is not None:
            return _tuple_json(shape[0], shape[1])(record._values)
        record = record._values
    if record.__pydantic_extra__ or type(record).__private_attributes__:
        return cast(bytes, record.__pydantic_serializer__.to_json(record))
    fields = record.__dict__
    return _tuple_json(type(record), tuple(fields))(tuple(fields.values()))


_TUPLE_JSON: dict[tuple[type, tuple[str, ...]], Callable[[Any], bytes]] = {}


def _tuple_json(cls: type[BaseModel], names: tuple[str, ...]) -> Callable[[Any], bytes]:
    """The JSON serializer of a tuple of ``cls``'s field values in the order of ``names``
    (one per model and field order, kept)."""
    key = (cls, names)
    dump = _TUPLE_JSON.get(key)
    if dump is None:
        info = cls.model_fields
        types = tuple(Annotated[(info[n].annotation, *info[n].metadata)]
                      if info[n].metadata else info[n].annotation for n in names)
        dump = _TUPLE_JSON[key] = TypeAdapter(tuple[types]).serializer.to_json  # type: ignore[valid-type]
    return dump


_SHAPES: dict[tuple[Any, ...], tuple[Any, ...]] = {}
"""(model, field names, field set) -> the shape its packed records share: a few per model."""
