"""Load ``types.yaml`` into a frozen :class:`GraphSchema`, checking the declaration itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import product
from pathlib import Path

import yaml

from rnkg.errors import SchemaError

SCHEMA_FILE = Path(__file__).with_name("types.yaml")
PROPERTY_TYPES = ("string", "text", "int", "float", "bool", "date", "string[]")

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
    ftm: str = ""


@dataclass(frozen=True)
class RelType:
    """A relationship type with the node types it may join."""

    name: str
    doc: str
    from_types: tuple[str, ...]
    to_types: tuple[str, ...]
    properties: tuple[PropertySpec, ...]
    ftm: str = ""

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


def _props(raw: dict | None, where: str) -> tuple[PropertySpec, ...]:
    specs = []
    for name, spec in (raw or {}).items():
        if not isinstance(spec, dict) or spec.get("type") not in PROPERTY_TYPES:
            raise SchemaError(f"{where}.{name}: type must be one of {', '.join(PROPERTY_TYPES)}")
        unknown = set(spec) - {"type", "required", "enum", "doc", "ftm", "format"}
        if unknown:
            raise SchemaError(f"{where}.{name}: unknown keys {sorted(unknown)}")
        specs.append(
            PropertySpec(
                name=name,
                type=spec["type"],
                required=bool(spec.get("required", False)),
                enum=tuple(spec.get("enum", ())),
                doc=spec.get("doc", ""),
                ftm=str(spec.get("ftm", "")),
                format=spec.get("format", ""),
            )
        )
    return tuple(specs)


def parse_schema(raw: dict) -> GraphSchema:
    """Build a :class:`GraphSchema` from the parsed YAML, refusing inconsistencies."""
    common = raw.get("common", {})
    common_node = _props(common.get("node"), "common.node")
    common_all = _props(common.get("all"), "common.all")
    reserved = {p.name for p in common_node + common_all} | set(DERIVED_NODE_COLUMNS) | {REL_KEY}
    nodes: dict[str, NodeType] = {}
    by_prefix: dict[str, NodeType] = {}
    seen_types: dict[str, str] = {
        p.name: "string" if p.type == "text" else p.type for p in common_node + common_all
    }
    for name, spec in raw.get("nodes", {}).items():
        props = _props(spec.get("properties"), f"nodes.{name}")
        node = NodeType(
            name=name,
            prefix=spec["prefix"],
            doc=spec.get("doc", ""),
            properties=props,
            citation=bool(spec.get("citation", True)),
            ftm=str(spec.get("ftm", "")),
        )
        if node.prefix in by_prefix:
            raise SchemaError(f"nodes.{name}: prefix {node.prefix!r} already used")
        nodes[name], by_prefix[node.prefix] = node, node
        _check_props(props, reserved, seen_types, f"nodes.{name}")
    rels: dict[str, RelType] = {}
    for name, spec in raw.get("relationships", {}).items():
        props = _props(spec.get("properties"), f"relationships.{name}")
        rel = RelType(
            name=name,
            doc=spec.get("doc", ""),
            from_types=tuple(spec["from"]),
            to_types=tuple(spec["to"]),
            properties=props,
            ftm=str(spec.get("ftm", "")),
        )
        for label in rel.from_types + rel.to_types:
            if label not in nodes:
                raise SchemaError(f"relationships.{name}: unknown node type {label!r}")
        if not re.fullmatch(r"[A-Z][A-Z_]*", name):
            raise SchemaError(f"relationships.{name}: type names are UPPER_SNAKE_CASE")
        rels[name] = rel
        _check_props(props, reserved, seen_types, f"relationships.{name}")
    claimants = tuple(raw.get("claimants", ()))
    for label in claimants:
        if label not in nodes:
            raise SchemaError(f"claimants: unknown node type {label!r}")
    return GraphSchema(
        claimants=claimants,
        version=int(raw.get("version", 1)),
        id_pattern=raw["id_pattern"],
        common_node=common_node,
        common_all=common_all,
        nodes=nodes,
        relationships=rels,
        _by_prefix=by_prefix,
    )


def _check_props(props, reserved, seen_types, where) -> None:
    # A property name means one type everywhere, so a query result column has one type
    # and LadybugDB's multi-table variables stay well typed.
    for p in props:
        if p.name in reserved:
            raise SchemaError(f"{where}.{p.name}: clashes with a common property")
        stored = "string" if p.type == "text" else p.type
        if seen_types.setdefault(p.name, stored) != stored:
            raise SchemaError(f"{where}.{p.name}: declared elsewhere as {seen_types[p.name]}")


@cache
def load_schema(path: Path = SCHEMA_FILE) -> GraphSchema:
    """Load and check the schema declaration (cached per path)."""
    with open(path, encoding="utf-8") as fh:
        return parse_schema(yaml.safe_load(fh))
