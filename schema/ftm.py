"""The FollowTheMoney mapping declared in ``types.yaml`` (a type's ``ftm:`` block), as data.

Pure data: nothing here imports followthemoney (an optional extra). The importer
(loaders/ftm.py) and the exporter (graph/export/ftm.py) read these objects; neither holds a
per-schema ``if``.

A node type's block names the FtM schema it is written as, the FtM schemata read as it (with
the values each implies, e.g. ``Company`` -> ``kind: company``), the FtM properties of its
dates, the reference properties that stand for one of rnkg's relationships (a Sanction's
``entity`` is a DESIGNATED edge), and the property that identifies a node across sources
(``match: imo``). A relationship type's block names its interval schema and the two FtM
properties of its ends, and ``when``: the values that tell it apart from another type of the
same schema (an Ownership with ``role: operator`` is OPERATES).

>>> m = FtmNodeMap.from_decl(FtmNodeDecl.model_validate(
...     {"schema": "Organization", "schemata": {"Company": {"kind": "company"}}}))
>>> m.schema_for({"kind": "company"}), m.schema_for({"kind": "party"})
('Company', 'Organization')
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Decl(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FtmDatesDecl(_Decl):
    """The FtM properties a type's ``date`` comes from and goes to."""

    start: str = ""
    end: str = ""
    single: str = ""  # the FtM property of a one-day date (an Interval's ``date``)


class FtmRefDecl(_Decl):
    """A reference property of an FtM entity that stands for an rnkg relationship."""

    rel: str
    direction: Literal["out", "in"] = "out"  # out: this node -> the referenced one


class FtmNodeDecl(_Decl):
    """A node type's ``ftm:`` block as written in types.yaml."""

    schema_: str = Field(alias="schema")
    schemata: dict[str, dict[str, str]] = {}
    dates: FtmDatesDecl | None = None
    refs: dict[str, FtmRefDecl] = {}
    match: str = ""


class FtmRelDecl(_Decl):
    """A relationship type's ``ftm:`` block as written in types.yaml."""

    schema_: str = Field(alias="schema")
    from_: str = Field(alias="from")
    to: str
    when: dict[str, str] = {}
    defaults: dict[str, str] = {}  # rnkg values when FtM gives none (a required role)
    dates: FtmDatesDecl = FtmDatesDecl(start="startDate", end="endDate", single="date")


@dataclass(frozen=True)
class FtmDates:
    """FtM date properties: start and end of a period, or the one date."""

    start: str = ""
    end: str = ""
    single: str = ""


@dataclass(frozen=True)
class FtmRef:
    """A reference property that is an rnkg relationship, and its direction."""

    prop: str
    rel: str
    direction: str = "out"


@dataclass(frozen=True)
class FtmNodeMap:
    """How a node type maps to FtM: its export schema and the schemata read as it."""

    schema: str
    schemata: dict[str, dict[str, str]] = field(default_factory=dict)
    dates: FtmDates | None = None
    refs: tuple[FtmRef, ...] = ()
    match: str = ""

    @classmethod
    def from_decl(cls, decl: FtmNodeDecl) -> FtmNodeMap:
        """The mapping of a parsed ``ftm:`` block (the export schema is also read)."""
        schemata = dict(decl.schemata)
        schemata.setdefault(decl.schema_, {})
        dates = FtmDates(**decl.dates.model_dump()) if decl.dates else None
        refs = tuple(FtmRef(p, r.rel, r.direction) for p, r in decl.refs.items())
        return cls(decl.schema_, schemata, dates, refs, decl.match)

    def schema_for(self, values: dict[str, Any]) -> str:
        """The FtM schema a node is written as: the first whose implied values it has."""
        for name, implied in self.schemata.items():
            if implied and all(values.get(k) == v for k, v in implied.items()):
                return name
        return self.schema

    def describe(self) -> str:
        """The mapping in one line, for the schema reference."""
        read = ", ".join(
            name + (f" ({', '.join(f'{k} {v}' for k, v in implied.items())})" if implied else "")
            for name, implied in self.schemata.items())
        text = f"written as `{self.schema}`; read from {read}"
        if self.refs:
            text += "; " + ", ".join(f"`{r.prop}` is {r.rel}" for r in self.refs)
        if self.match:
            text += f"; matched on `{self.match}`"
        return text


@dataclass(frozen=True)
class FtmRelMap:
    """How a relationship type maps to an FtM interval schema."""

    schema: str
    from_prop: str
    to_prop: str
    when: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    dates: FtmDates = FtmDates()

    @classmethod
    def from_decl(cls, decl: FtmRelDecl) -> FtmRelMap:
        """The mapping of a parsed ``ftm:`` block."""
        return cls(decl.schema_, decl.from_, decl.to, dict(decl.when), dict(decl.defaults),
                   FtmDates(**decl.dates.model_dump()))

    def describe(self) -> str:
        """The mapping in one line, for the schema reference."""
        when = "".join(f", {k} {v}" for k, v in self.when.items())
        return f"{self.schema} ({self.from_prop} -> {self.to_prop}{when})"


_NOT_SLUG = re.compile(r"[^a-z0-9.-]+")
INSTALL_HINT = ("FollowTheMoney support needs the followthemoney library: "
                "pip install 'rnkg[ftm]'")
EXPORT_PREFIX = "rnkg-"


def require_followthemoney() -> Any:
    """followthemoney's model, or an RnkgError saying in one sentence how to install it."""
    from rnkg.errors import RnkgError

    try:
        from followthemoney import model
    except ImportError:
        raise RnkgError(INSTALL_HINT) from None
    return model


def slug(text: str) -> str:
    """A text as an id slug (``a-z0-9.-``); a hash keeps apart texts that fold alike.

    >>> slug("ofac-12345"), slug("NK-Abc_1")
    ('ofac-12345', 'nk-abc-1-51fec2')
    """
    out = _NOT_SLUG.sub("-", text.lower()).strip("-.") or "x"
    if out != text:
        out += "-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
    return out


def export_id(node_id: str) -> str:
    """The FtM entity id of an rnkg node: ``rnkg-`` + prefix + slug (FtM ids take no colon).

    >>> export_id("vessel:maia-1")
    'rnkg-vessel-maia-1'
    """
    return EXPORT_PREFIX + node_id.replace(":", "-", 1)
