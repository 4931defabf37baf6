"""Pydantic record models, derived from the schema: one per node type and relationship type.

A record is what a fact file says about one node or relationship, validated and frozen.

>>> from rnkg.schema import load_schema
>>> models = RecordModels(load_schema())
>>> rec = models.node("Vessel").model_validate({"id": "vessel:maia-1", "name": "Maia-1",
...     "imo": "9358010", "cite": [{"source": "source:s000", "quote": "Maia-1"}]})
>>> rec.imo, rec.status
('9358010', 'confirmed')
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    create_model,
    field_validator,
    model_validator,
)

from rnkg.schema.model import GraphSchema, PropertySpec
from rnkg.schema.values import Citation, DateValue, imo_check, relationship_id

# The status of a fact that nobody needs to vouch for; the others (types.yaml's
# common.all.status enum) name who says so in `by`.
CONFIRMED = "confirmed"
_ISO2 = re.compile(r"[A-Z]{2}")

_PY_TYPES: dict[str, Any] = {
    "string": str,
    "text": str,
    "int": int,
    "float": float,
    "bool": bool,
    "date": dt.date,
    "string[]": list[str],
}


_parse_date_text = functools.lru_cache(maxsize=4096)(DateValue.parse)
"""``DateValue.parse``, each text parsed once (a DateValue is frozen: records share it)."""


def _as_list(v: Any) -> Any:
    return [v] if isinstance(v, str) else v


# A list of text where a single string is also accepted (`by: country:us`).
TextList = Annotated[list[str], BeforeValidator(_as_list)]


class FactBase(BaseModel):
    """Fields every node and relationship record carries: status, dates, citations."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    requires_citation: ClassVar[bool] = True

    status: str = CONFIRMED  # narrowed to the schema's enum in each derived model
    by: TextList = Field(default_factory=list)
    date: DateValue | None = None
    seen: DateValue | None = None
    cite: list[Citation] = Field(default_factory=list)
    note: str = ""

    @field_validator("date", "seen", mode="before")
    @classmethod
    def _parse_date(cls, v: Any) -> Any:
        if v is None or isinstance(v, DateValue):
            return v
        if isinstance(v, dt.date):
            v = v.isoformat()
        return _parse_date_text(str(v))

    @model_validator(mode="after")
    def _status_and_cites(self) -> FactBase:
        if self.status != CONFIRMED and not self.by:
            raise ValueError(f"status {self.status!r} needs `by`: who says so")
        if self.status == CONFIRMED and self.by:
            raise ValueError("`by` goes with a status other than confirmed")
        if self.requires_citation and not self.cite:
            raise ValueError("at least one citation (`cite`) is required")
        return self

    def common_columns(self) -> dict[str, Any]:
        """Status, dates and citations as the stored columns every fact has.

        >>> rec = FactBase(date="2023-10", cite=[{"source": "source:s", "section": "p. 1"}])
        >>> cols = rec.common_columns()
        >>> cols["date_precision"], cols["cite_sources"], cols["note"]
        ('month', ['source:s'], None)
        """
        row: dict[str, Any] = {"status": self.status, "status_by": list(self.by)}
        date, seen = self.date, self.seen
        row.update(DateValue.columns(date) if date is not None else _NO_DATE)
        row.update(DateValue.seen_columns(seen) if seen is not None else _NO_SEEN)
        row.update(Citation.to_columns(self.cite))
        row["note"] = self.note or None
        return row


class NodeFact(FactBase):
    """A node record: identity and names; subclasses add the type's properties."""

    label: ClassVar[str] = ""
    id: str
    name: str = Field(min_length=1)
    aliases: TextList = Field(default_factory=list)
    description: str = ""


class RelFact(FactBase):
    """A relationship record: type and ends; subclasses add the type's properties."""

    type: str
    from_: str = Field(alias="from")
    to: str
    key: str = ""

    @property
    def rid(self) -> str:
        """The stable key it is merged on: ends, type and its ``key``, date or ``seen`` text
        (so a date moved to ``seen`` keeps its key)."""
        when = self.date or self.seen
        disc = self.key or (when.text if when else "")
        return relationship_id(self.from_, self.type, self.to, disc)


def _field(spec: PropertySpec) -> tuple[Any, Any]:
    annot = _PY_TYPES[spec.type]
    if spec.enum:
        annot = Literal[spec.enum]
    if spec.type == "string[]":
        return (annot, Field(default_factory=list))
    if spec.required:
        return (annot, ...)
    return (annot | None, None)


def _format_checks(specs: tuple[PropertySpec, ...]) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    for spec in specs:
        if spec.format == "imo":
            def check_imo(cls: type, v: Any) -> Any:
                """Refuse an IMO number whose check digit is wrong."""
                if v is not None and not imo_check(str(v)):
                    raise ValueError(f"not a valid IMO number (7 digits, check digit): {v!r}")
                return v
            checks[f"_check_{spec.name}"] = field_validator(spec.name)(check_imo)
        elif spec.format == "iso2":
            def check_iso2(cls: type, v: Any) -> Any:
                """Refuse anything but two capital letters."""
                if v is not None and not _ISO2.fullmatch(str(v)):
                    raise ValueError(f"not an ISO 3166-1 alpha-2 code: {v!r}")
                return v
            checks[f"_check_{spec.name}"] = field_validator(spec.name)(check_iso2)
    return checks


class RecordModels:
    """The record model of every node type and relationship type of a schema."""

    def __init__(self, schema: GraphSchema) -> None:
        self.schema = schema
        self._nodes: dict[str, type[NodeFact]] = {}
        self._rels: dict[str, type[RelFact]] = {}
        status = (Literal[schema.statuses], CONFIRMED)
        for label, nt in schema.nodes.items():
            fields = {p.name: _field(p) for p in nt.properties}
            fields["status"] = status
            model = create_model(  # type: ignore[call-overload]
                f"{label}Fact",
                __base__=NodeFact,
                __validators__=_format_checks(nt.properties),
                **fields,
            )
            model.label = label
            model.requires_citation = nt.citation
            self._nodes[label] = model
        for name, rt in schema.relationships.items():
            fields = {p.name: _field(p) for p in rt.properties}
            fields["type"] = (Literal[name], ...)
            fields["status"] = status
            self._rels[name] = create_model(  # type: ignore[call-overload]
                f"{name}Fact",
                __base__=RelFact,
                __validators__=_format_checks(rt.properties),
                **fields,
            )

    def node(self, label: str) -> type[NodeFact]:
        """The record model of a node type."""
        return self._nodes[label]

    def rel(self, rel_type: str) -> type[RelFact]:
        """The record model of a relationship type."""
        return self._rels[rel_type]


_NO_DATE = DateValue.columns(None)
_NO_SEEN = DateValue.seen_columns(None)
"""The date and seen columns of a fact without one (all None), built once."""


def own_properties(record: BaseModel, specs: tuple[PropertySpec, ...]) -> dict[str, Any]:
    """The type-specific property values of a record, by declared name."""
    return {spec.name: getattr(record, spec.name) for spec in specs}
