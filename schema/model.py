"""Load ``types.yaml`` into a frozen :class:`GraphSchema`, checking the declaration itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import product
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rnkg.errors import SchemaError
from rnkg.schema.ftm import FtmNodeDecl, FtmNodeMap, FtmRelDecl, FtmRelMap
from rnkg.schema.values import Citation

SCHEMA_FILE = Path(__file__).with_name("types.yaml")
# A stored property's type; `citations` (in common.all only) stands for Citation's columns.
PropertyType = Literal["string", "text", "int", "float", "bool", "date", "string[]", "citations"]
# How a type's `date` reads as of a day (graph/timeline.py): a validity period or an event.
TimeKind = Literal["period", "event"]
# WCAG's minimum for graphics: a node's colour stays visible on the white page.
MIN_CONTRAST = 3.0

# Columns the loader derives for every node: folded name and aliases, for lookups.
DERIVED_NODE_COLUMNS = {"search_keys": "string[]"}
# The relationship key that makes a load idempotent (MERGE on it).
REL_KEY = "rid"


@dataclass(frozen=True)
class PropertySpec:
    """One declared property: its name, type and constraints."""

    name: str
    type: str
    required: bool = False
    enum: tuple[str, ...] = ()
    doc: str = ""
    ftm: str = ""
    format: str = ""  # a named value check: imo, iso2


@dataclass(frozen=True)
class NodeType:
    """A node label with its id prefix and its own (type-specific) properties."""

    name: str
    prefix: str
    doc: str
    properties: tuple[PropertySpec, ...]
    citation: bool = True
    ftm: FtmNodeMap | None = None
    color: str = "#555555"
    time: str = "event"


@dataclass(frozen=True)
class RelType:
    """A relationship type with the node types it may join."""

    name: str
    doc: str
    from_types: tuple[str, ...]
    to_types: tuple[str, ...]
    properties: tuple[PropertySpec, ...]
    ftm: FtmRelMap | None = None
    time: str = "event"

    @property
    def endpoints(self) -> tuple[tuple[str, str], ...]:
        """Every allowed (from, to) pair of node types."""
        return tuple(product(self.from_types, self.to_types))


@dataclass(frozen=True)
class GraphSchema:
    """The whole declared model, immutable once loaded."""

    version: int
    id_pattern: str
    common_node: tuple[PropertySpec, ...]
    common_all: tuple[PropertySpec, ...]
    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]
    claimants: tuple[str, ...] = ()
    _by_prefix: dict[str, NodeType] = field(default_factory=dict, repr=False, compare=False)

    def node_type_for_id(self, node_id: str) -> NodeType | None:
        """The node type an id's prefix names, or None.

        >>> load_schema().node_type_for_id("vessel:maia-1").name
        'Vessel'
        """
        prefix, sep, slug = node_id.partition(":")
        if not sep or not re.fullmatch(self.id_pattern, slug):
            return None
        return self._by_prefix.get(prefix)

    @property
    def statuses(self) -> tuple[str, ...]:
        """The statuses a fact can have, in declared order (``common.all.status`` enum).

        >>> load_schema().statuses[:2]
        ('confirmed', 'stated')
        """
        return next(p.enum for p in self.common_all if p.name == "status")

    @property
    def common_columns(self) -> frozenset[str]:
        """Columns every node or relationship may carry whatever its type (not its own ones).

        >>> {"rid", "search_keys", "cite_quotes", "name"} <= load_schema().common_columns
        True
        """
        names = {p.name for p in self.common_node + self.common_all}
        return frozenset(names | set(DERIVED_NODE_COLUMNS) | {REL_KEY})

    def period_types(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The node labels and relationship types whose ``date`` is a validity period.

        >>> labels, types = load_schema().period_types()
        >>> "Organization" in labels, "Event" in labels, "ROLE_IN" in types, "SIGNED" in types
        (True, False, True, False)
        """
        return (tuple(n for n, t in self.nodes.items() if t.time == "period"),
                tuple(r for r, t in self.relationships.items() if t.time == "period"))

    def color_of(self, label: str) -> str:
        """A node type's colour in views (grey for a label the schema does not declare)."""
        nt = self.nodes.get(label)
        return nt.color if nt else "#555555"

    def node_columns(self, label: str) -> dict[str, str]:
        """Stored columns of a node type, in order, name -> property type."""
        cols = {p.name: p.type for p in self.common_node}
        cols.update(DERIVED_NODE_COLUMNS)
        cols.update({p.name: p.type for p in self.common_all})
        cols.update({p.name: p.type for p in self.nodes[label].properties})
        return cols

    def rel_columns(self, rel_type: str) -> dict[str, str]:
        """Stored columns of a relationship type, in order, name -> property type."""
        cols = {REL_KEY: "string"}
        cols.update({p.name: p.type for p in self.common_all})
        cols.update({p.name: p.type for p in self.relationships[rel_type].properties})
        return cols

    def all_property_types(self) -> dict[str, str]:
        """Every stored property name across all types -> its type (names never clash)."""
        out: dict[str, str] = {}
        for label in self.nodes:
            out.update(self.node_columns(label))
        for rel in self.relationships:
            out.update(self.rel_columns(rel))
        return out


# ---------------------------------------------------------------- the file's own structure

_HEX = r"^#[0-9a-fA-F]{6}$"


class _Decl(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _PropertyDecl(_Decl):
    type: PropertyType
    required: bool = False
    enum: list[str] = []
    doc: str = ""
    ftm: str = ""
    format: Literal["", "imo", "iso2"] = ""


class _CommonDecl(_Decl):
    node: dict[str, _PropertyDecl]
    all: dict[str, _PropertyDecl]


class _NodeDecl(_Decl):
    prefix: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    color: str = Field(pattern=_HEX)
    doc: str = ""
    ftm: FtmNodeDecl | None = None
    citation: bool = True
    time: TimeKind = "event"
    properties: dict[str, _PropertyDecl] = {}

    @field_validator("color")
    @classmethod
    def _readable(cls, v: str) -> str:
        ratio = contrast_on_white(v)
        if ratio < MIN_CONTRAST:
            raise ValueError(f"{v} is too light to read on white (contrast {ratio:.1f}:1, "
                             f"needs {MIN_CONTRAST}:1)")
        return v.lower()


class _RelDecl(_Decl):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    doc: str = ""
    from_: list[str] = Field(alias="from", min_length=1)
    to: list[str] = Field(min_length=1)
    ftm: FtmRelDecl | None = None
    time: TimeKind = "event"
    properties: dict[str, _PropertyDecl] = {}


class _SchemaDecl(_Decl):
    version: int = 1
    id_pattern: str
    claimants: list[str] = []
    common: _CommonDecl
    nodes: dict[str, _NodeDecl] = Field(min_length=1)
    relationships: dict[str, _RelDecl] = {}


def contrast_on_white(color: str) -> float:
    """WCAG contrast ratio of a ``#rrggbb`` colour against white (1 to 21).

    >>> round(contrast_on_white("#000000"))
    21
    """
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


def _declared(raw: Any, source: str) -> _SchemaDecl:
    if not isinstance(raw, dict):
        raise SchemaError(f"{source}: a mapping of version, id_pattern, common, nodes, "
                          "relationships is expected")
    try:
        return _SchemaDecl.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        if first["type"] == "extra_forbidden":
            msg = "unknown key"
        elif first["type"] == "missing":
            msg = "required"
        else:
            msg = first["msg"].removeprefix("Value error, ")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise SchemaError(f"{source}: {where}: {msg}{more}") from None


def _props(raw: dict[str, _PropertyDecl], where: str, source: str) -> tuple[PropertySpec, ...]:
    specs: list[PropertySpec] = []
    for name, d in raw.items():
        if d.type == "citations":
            if where != "common.all":
                raise SchemaError(f"{source}: {where}.{name}: type citations belongs in common.all")
            # One list column per Citation field: Citation owns what a citation holds.
            specs += [PropertySpec(column, "string[]", doc=doc)
                      for column, doc in Citation.column_docs().items()]
            continue
        if d.enum and d.type != "string":
            raise SchemaError(f"{source}: {where}.{name}: enum goes with type string")
        specs.append(PropertySpec(name=name, type=d.type, required=d.required,
                                  enum=tuple(d.enum), doc=d.doc, ftm=d.ftm, format=d.format))
    return tuple(specs)


def parse_schema(raw: Any, source: str = "types.yaml") -> GraphSchema:
    """Build a :class:`GraphSchema` from the parsed YAML, refusing inconsistencies.

    Every error is one :class:`SchemaError` naming the file and the place in it:

    >>> parse_schema({"id_pattern": ".*", "common": {"node": {}, "all": {}},
    ...               "nodes": {"Ship": {"color": "#1f5f9e"}}})
    Traceback (most recent call last):
    ...
    rnkg.errors.SchemaError: types.yaml: nodes.Ship.prefix: required
    """
    decl = _declared(raw, source)
    common_node = _props(decl.common.node, "common.node", source)
    common_all = _props(decl.common.all, "common.all", source)
    status = next((p for p in common_all if p.name == "status"), None)
    if status is None or not status.enum:
        raise SchemaError(f"{source}: common.all.status: required, with an enum of statuses")
    reserved = {p.name for p in common_node + common_all} | set(DERIVED_NODE_COLUMNS) | {REL_KEY}
    nodes: dict[str, NodeType] = {}
    by_prefix: dict[str, NodeType] = {}
    colors: dict[str, str] = {}
    seen_types: dict[str, str] = {
        p.name: "string" if p.type == "text" else p.type for p in common_node + common_all
    }
    for name, spec in decl.nodes.items():
        where = f"nodes.{name}"
        props = _props(spec.properties, where, source)
        node = NodeType(name=name, prefix=spec.prefix, doc=spec.doc, properties=props,
                        citation=spec.citation, color=spec.color,
                        ftm=FtmNodeMap.from_decl(spec.ftm) if spec.ftm else None,
                        time=spec.time)
        if node.prefix in by_prefix:
            raise SchemaError(f"{source}: {where}: prefix {node.prefix!r} already used")
        if node.color in colors:
            raise SchemaError(f"{source}: {where}: color {node.color} already used "
                              f"by {colors[node.color]}")
        nodes[name], by_prefix[node.prefix], colors[node.color] = node, node, name
        _check_props(props, reserved, seen_types, f"{source}: {where}")
    rels: dict[str, RelType] = {}
    for name, rspec in decl.relationships.items():
        where = f"relationships.{name}"
        props = _props(rspec.properties, where, source)
        rel = RelType(name=name, doc=rspec.doc, from_types=tuple(rspec.from_),
                      to_types=tuple(rspec.to), properties=props,
                      ftm=FtmRelMap.from_decl(rspec.ftm) if rspec.ftm else None,
                      time=rspec.time)
        for label in rel.from_types + rel.to_types:
            if label not in nodes:
                raise SchemaError(f"{source}: {where}: unknown node type {label!r}")
        if not re.fullmatch(r"[A-Z][A-Z_]*", name):
            raise SchemaError(f"{source}: {where}: type names are UPPER_SNAKE_CASE")
        rels[name] = rel
        _check_props(props, reserved, seen_types, f"{source}: {where}")
    _check_ftm(nodes, rels, f"{source}: ")
    for label in decl.claimants:
        if label not in nodes:
            raise SchemaError(f"{source}: claimants: unknown node type {label!r}")
    return GraphSchema(
        claimants=tuple(decl.claimants),
        version=decl.version,
        id_pattern=decl.id_pattern,
        common_node=common_node,
        common_all=common_all,
        nodes=nodes,
        relationships=rels,
        _by_prefix=by_prefix,
    )


def _check_props(
    props: tuple[PropertySpec, ...], reserved: set[str], seen_types: dict[str, str], where: str
) -> None:
    # A property name means one type everywhere, so a query result column has one type
    # and LadybugDB's multi-table variables stay well typed.
    for p in props:
        if p.name in reserved:
            raise SchemaError(f"{where}.{p.name}: clashes with a common property")
        stored = "string" if p.type == "text" else p.type
        if seen_types.setdefault(p.name, stored) != stored:
            raise SchemaError(f"{where}.{p.name}: declared elsewhere as {seen_types[p.name]}")


def _check_ftm(nodes: dict[str, NodeType], rels: dict[str, RelType], where: str) -> None:
    """Refuse an ``ftm:`` block naming a relationship, a property or a schema twice."""
    readers: dict[str, str] = {}
    for name, nt in nodes.items():
        if nt.ftm is None:
            continue
        own = {p.name for p in nt.properties}
        for schema in nt.ftm.schemata:
            if readers.setdefault(schema, name) != name:
                raise SchemaError(f"{where}nodes.{name}.ftm: {schema} is already read as "
                                  f"{readers[schema]}")
        for implied in nt.ftm.schemata.values():
            for prop in implied:
                if prop not in own:
                    raise SchemaError(f"{where}nodes.{name}.ftm: {prop!r} is not a property "
                                      f"of {name}")
        for ref in nt.ftm.refs:
            if ref.rel not in rels:
                raise SchemaError(f"{where}nodes.{name}.ftm.refs.{ref.prop}: unknown "
                                  f"relationship type {ref.rel!r}")
        if nt.ftm.match and nt.ftm.match not in own:
            raise SchemaError(f"{where}nodes.{name}.ftm.match: {nt.ftm.match!r} is not a "
                              f"property of {name}")
    for name, rt in rels.items():
        if rt.ftm is not None and rt.ftm.schema in readers:
            raise SchemaError(f"{where}relationships.{name}.ftm: {rt.ftm.schema} is already "
                              f"read as the node type {readers[rt.ftm.schema]}")


@cache
def load_schema(path: Path = SCHEMA_FILE) -> GraphSchema:
    """Load and check the schema declaration (cached per path)."""
    with open(path, encoding="utf-8") as fh:
        return parse_schema(yaml.safe_load(fh), source=path.name)
