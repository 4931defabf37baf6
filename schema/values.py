"""Value types every fact shares: dates with precision, citations, folded search keys.

Each value type owns its stored form: :class:`Citation` turns a list of citations into the
``cite_*`` columns and back, :class:`DateValue` gives the ``date_*`` columns, and
:func:`relationship_id` builds the key (``rid``) a relationship is merged on.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_QUOTE_WORDS = 25
CREDIBILITY_GRADES = ("1", "2", "3", "4", "5", "6")
PRECISIONS = ("day", "month", "year")
_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_NON_WORD = re.compile(r"[\W_]+")
_IMO = re.compile(r"\d{7}")


def fold(text: str) -> str:
    """Fold a name for lookups: no accents, no case, punctuation as single spaces.

    >>> fold("Corée du Nord")
    'coree du nord'
    >>> fold("Maia-1") == fold("maia 1") == fold("MAIA 1")
    True
    >>> fold("Ким Чен Ын")
    'ким чен ын'
    """
    if text.isascii():  # nothing to decompose or recompose; casefold is lower
        return " ".join(_NON_WORD.split(text.lower())).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Hangul decomposes into jamo under NFKD: recompose so Korean keys stay readable.
    stripped = unicodedata.normalize("NFC", stripped).casefold()
    return " ".join(_NON_WORD.split(stripped)).strip()


@dataclass(frozen=True)
class DateValue:
    """A date or a range, with the precision of what the source says.

    ``date_from`` is the first day and ``date_to`` the last day of the period covered,
    so "2023-10" spans 1–31 October 2023 at month precision.

    >>> d = DateValue.parse("2023-10")
    >>> (d.date_from.isoformat(), d.date_to.isoformat(), d.precision)
    ('2023-10-01', '2023-10-31', 'month')
    >>> DateValue.parse("2023-08/2024-02-11").precision
    'month'
    >>> DateValue.parse("2023-10/").date_to is None
    True
    """

    text: str
    date_from: date | None
    date_to: date | None
    precision: str
    approximate: bool = False

    @classmethod
    def parse(cls, text: str) -> DateValue:
        """Parse ``YYYY[-MM[-DD]]``, a range ``A/B`` (either end may be empty), ``~`` prefix."""
        raw = str(text).strip()
        approx = raw.startswith("~")
        body = raw.lstrip("~").strip()
        if "/" in body:
            left, right = (part.strip() for part in body.split("/", 1))
            if not left and not right:
                raise ValueError(f"empty date range: {text!r}")
            start = _parse_one(left) if left else None
            end = _parse_one(right) if right else None
            parts = [p for p in (start, end) if p]
            date_from = start[0] if start else None
            date_to = end[1] if end else None
            if date_from and date_to and date_from > date_to:
                raise ValueError(f"range ends before it starts: {text!r}")
        else:
            one = _parse_one(body)
            parts = [one]
            date_from, date_to = one[0], one[1]
        precision = max((p[2] for p in parts), key=PRECISIONS.index)
        return cls(raw, date_from, date_to, precision, approx)

    @staticmethod
    def columns(value: DateValue | None) -> dict[str, Any]:
        """The stored ``date_*`` columns of a date (all None when there is none).

        >>> DateValue.columns(DateValue.parse("2023"))["date_to"].isoformat()
        '2023-12-31'
        """
        return {
            "date_from": value.date_from if value else None,
            "date_to": value.date_to if value else None,
            "date_precision": value.precision if value else None,
            "date_text": value.text if value else None,
        }

    @staticmethod
    def seen_columns(value: DateValue | None) -> dict[str, Any]:
        """The stored ``seen_*`` columns of an attestation (when a source saw a fact).

        >>> DateValue.seen_columns(DateValue.parse("2023-09"))["seen_from"].isoformat()
        '2023-09-01'
        """
        return {
            "seen_from": value.date_from if value else None,
            "seen_to": value.date_to if value else None,
            "seen_text": value.text if value else None,
        }


def _parse_one(text: str) -> tuple[date, date, str]:
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if day:
            d = date(year, int(month), int(day))
            return d, d, "day"
        if month:
            last = calendar.monthrange(year, int(month))[1]
            return date(year, int(month), 1), date(year, int(month), last), "month"
        return date(year, 1, 1), date(year, 12, 31), "year"
    except ValueError as exc:
        raise ValueError(f"not a real date: {text!r} ({exc})") from None


class Citation(BaseModel):
    """Where a fact comes from: a Source id and a locator (a short quote and/or a section).

    A list of citations is stored as one list column per field, ``cite_<field>s``, element *i*
    of each belonging to citation *i*; the columns are derived from the fields, so a new field
    here is a new stored column everywhere (schema, DDL, loads, CSV fact files, displays).

    >>> cites = [Citation(source="source:a", quote="q"),
    ...          Citation(source="source:b", section="p. 2")]
    >>> cols = Citation.to_columns(cites)
    >>> cols["cite_sources"], cols["cite_quotes"], cols["cite_sections"]
    (['source:a', 'source:b'], ['q', ''], ['', 'p. 2'])
    >>> Citation.from_columns(cols) == cites
    True
    >>> [c.text() for c in cites]
    ['source:a: “q”', 'source:b: p. 2']
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    PREFIX: ClassVar[str] = "cite_"

    source: str = Field(description="source id")
    quote: str = Field("", description="short quote exactly as in the source ('' if none)")
    section: str = Field(
        "", description="page, section, paragraph or document number ('' if none)"
    )
    credibility: str = Field(
        "", description="Admiralty credibility 1-6 the curator judged ('' = derived, "
        "graph/grades.py)"
    )
    credibility_note: str = Field("", description="why that credibility ('' if none)")

    @field_validator("credibility")
    @classmethod
    def _grade(cls, v: str) -> str:
        v = str(v).strip()
        if v and v not in CREDIBILITY_GRADES:
            raise ValueError(f"credibility {v!r} is not an Admiralty grade (1 to 6)")
        return v

    @field_validator("quote")
    @classmethod
    def _short_quote(cls, v: str) -> str:
        words = len(v.split())
        if words > MAX_QUOTE_WORDS:
            raise ValueError(f"quote has {words} words; at most {MAX_QUOTE_WORDS}")
        return v

    @model_validator(mode="after")
    def _has_locator(self) -> Citation:
        if not (self.quote.strip() or self.section.strip()):
            raise ValueError("a citation needs a quote or a section")
        return self

    @classmethod
    def column_of(cls, field: str) -> str:
        """The stored column of one field: ``quote`` -> ``cite_quotes``.

        >>> Citation.column_of("credibility")
        'cite_credibilities'
        """
        plural = f"{field[:-1]}ies" if field.endswith("y") else f"{field}s"
        return f"{cls.PREFIX}{plural}"

    @classmethod
    def column_docs(cls) -> dict[str, str]:
        """Stored column -> what it holds, in field order (all are ``string[]``)."""
        return {
            cls.column_of(name): f"citation i: {info.description}"
            for name, info in cls.model_fields.items()
        }

    @classmethod
    def to_columns(cls, cites: Sequence[Citation]) -> dict[str, list[str]]:
        """A list of citations as parallel list columns."""
        columns = _cite_columns()
        if len(cites) == 1:  # the usual case: one list of one item per column
            held = cites[0].__dict__
            return {column: [held[name]] for name, column in columns}
        return {column: [getattr(c, name) for c in cites] for name, column in columns}

    @classmethod
    def from_columns(cls, row: Mapping[str, Any]) -> list[Citation]:
        """The citations stored in a node's or relationship's columns (missing lists are '').

        Stored data is trusted: it was validated on load, or written with ``--write``, so
        no field is checked again here.
        """
        sources = list(row.get(cls.column_of("source")) or [])
        lists = {name: list(row.get(cls.column_of(name)) or []) for name in cls.model_fields}
        return [
            cls.model_construct(None, **{
                name: (values[i] if i < len(values) and values[i] is not None else "")
                for name, values in lists.items()
            })
            for i in range(len(sources))
        ]

    def text(self) -> str:
        """The citation as one line for people: ``source: “quote” section``."""
        parts = [f"“{self.quote}”"] if self.quote else []
        parts += [str(getattr(self, name)) for name in type(self).model_fields
                  if name not in ("source", "quote", "credibility", "credibility_note")
                  and getattr(self, name)]
        if self.credibility:
            why = f": {self.credibility_note}" if self.credibility_note else ""
            parts.append(f"[credibility {self.credibility}{why}]")
        return f"{self.source}: {' '.join(parts)}"


@functools.cache
def _cite_columns() -> tuple[tuple[str, str], ...]:
    """(field, stored column) of each field of a citation, worked out once."""
    return tuple((name, Citation.column_of(name)) for name in Citation.model_fields)


def relationship_id(start: str, rel_type: str, end: str, discriminator: str = "") -> str:
    """The stable key of a relationship: its ends, its type and what tells twins apart.

    >>> relationship_id("person:a", "SIGNED", "agreement:b")
    'person:a-SIGNED->agreement:b'
    >>> relationship_id("vessel:a", "CALLED_AT", "place:b", "2023-10")
    'vessel:a-CALLED_AT->place:b#2023-10'
    """
    rid = f"{start}-{rel_type}->{end}"
    return f"{rid}#{discriminator}" if discriminator else rid


def imo_check(imo: str) -> bool:
    """True when a 7-digit IMO number's check digit is right.

    >>> imo_check("9358010"), imo_check("9358011")
    (True, False)
    """
    if not _IMO.fullmatch(imo):
        return False
    total = sum(int(d) * w for d, w in zip(imo[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(imo[6])
