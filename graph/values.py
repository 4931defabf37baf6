"""Engine-neutral result values and their JSON form (the contract scripts rely on).

Nodes are ``{"id", "labels", "properties"}``, relationships ``{"type", "start", "end",
"properties"}``, paths ``{"nodes": [...], "relationships": [...]}``, dates ISO strings, and
never ``NaN`` or ``Infinity``: a float that is not finite becomes ``None`` (JSON ``null``).
How values read for people is ``rnkg.output``'s job.

>>> to_jsonable(GNode("person:x", ("Person",), {"name": "X"}))
{'id': 'person:x', 'labels': ['Person'], 'properties': {'name': 'X'}}
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class GNode:
    """A node: its rnkg id, labels and properties (absent properties are left out)."""

    id: str
    labels: tuple[str, ...]
    properties: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class GRel:
    """A relationship: type, start and end node ids, properties."""

    type: str
    start: str
    end: str
    properties: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class GPath:
    """A path: its nodes in order and the relationships between them."""

    nodes: tuple[GNode, ...]
    relationships: tuple[GRel, ...]


@dataclass
class Result:
    """A query result: column names and rows of converted values."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        """The single value of a one-row, one-column result."""
        return self.rows[0][0] if self.rows else None


def clean_properties(props: dict[str, Any]) -> dict[str, Any]:
    """Drop internal keys and NULLs so both engines give the same property maps."""
    return {
        k: normalise(v)
        for k, v in props.items()
        if not k.startswith("_") and v is not None
    }


def normalise(value: Any) -> Any:
    """Engine scalars to plain Python: Decimal sums to int, Neo4j temporals to datetime."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "to_native"):  # neo4j.time.Date / DateTime / Duration
        return value.to_native()
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    return value


def to_jsonable(value: Any) -> Any:
    """A converted value in its JSON contract form.

    >>> to_jsonable([float("nan"), float("-inf"), 1.5, dt.date(2024, 6, 19)])
    [None, None, 1.5, '2024-06-19']
    """
    if isinstance(value, GNode):
        return {"id": value.id, "labels": list(value.labels),
                "properties": to_jsonable(value.properties)}
    if isinstance(value, GRel):
        return {"type": value.type, "start": value.start, "end": value.end,
                "properties": to_jsonable(value.properties)}
    if isinstance(value, GPath):
        return {"nodes": [to_jsonable(n) for n in value.nodes],
                "relationships": [to_jsonable(r) for r in value.relationships]}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    value = normalise(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
