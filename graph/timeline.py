"""The time rule ("as of D", "known by D") and the other fact filters, in one place.

One rule, read two ways: :meth:`FactFilter.node_ok` / :meth:`FactFilter.rel_ok` are the Python
predicate over property maps (networkx, HTML views, analytics), and the dialect renders the same
rule as a Cypher predicate (``Dialect.fact_predicate`` in graph/dialect.py) with the values of
:meth:`FactFilter.params` as parameters.

As of a day D:

- a fact without a date (no ``date``, no ``seen``) is always in;
- a fact whose type holds over a period (``time: period`` in schema/types.yaml: ROLE_IN, OWNS,
  MEMBER_OF, PARTY_TO, an Organization...) is in when its validity covers D: ``date_from <= D``
  (or none) and ``date_to >= D`` (or none); ``date_from`` is the first day and ``date_to`` the
  last day of their precision, so ``2024-04`` covers the whole of April;
- an event (``time: event``: Event, SIGNED, CAST_VOTE, SAILED...) is in when ``date_from <= D``
  (one dated only by its end, ``/2025-09-03``, from that end on);
- an attestation (``seen``: when a source saw a fact) is not a validity: a fact dated only by
  ``seen`` is in from the first day seen on, and is not cut off after it.

Known by a day D: a fact is in when at least one Source it cites was published on or before D
(a Source's ``date``; all of its period on or before D, so ``2024-06`` is known from 30 June
2024); a Source is known itself by the same rule. A Source without a date (``undated:`` says
why) is known by no D.

>>> f = FactFilter(as_of=date(2024, 1, 1))
>>> f.in_time("period", {"date_from": "2009-06-12", "date_to": "2024-04-30"})
True
>>> FactFilter(as_of=date(2024, 6, 1)).in_time("period", {"date_from": "2009-06-12",
...                                                       "date_to": "2024-04-30"})
False
>>> f.in_time("period", {"seen_from": "2023-09-01", "seen_to": "2023-09-30"})
True
>>> f.in_time("event", {"date_from": "2024-06-19", "date_to": "2024-06-19"})
False
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from rnkg.errors import QueryError
from rnkg.schema import GraphSchema

if TYPE_CHECKING:
    from rnkg.graph.backend import Backend


def as_date(value: Any) -> date | None:
    """A stored date (a ``date``, or ISO text as in networkx attributes) as a ``date``.

    >>> as_date("2024-06-19"), as_date(None)
    (datetime.date(2024, 6, 19), None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def parse_day(text: str | date | None, option: str = "--as-of") -> date | None:
    """A day given on the command line or to the API (``YYYY-MM-DD``), or a clear error.

    >>> parse_day("2024-01-01")
    datetime.date(2024, 1, 1)
    >>> parse_day("2024-13-01")
    Traceback (most recent call last):
    ...
    rnkg.errors.QueryError: --as-of: '2024-13-01' is not a day (YYYY-MM-DD)
    """
    if text is None or isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise QueryError(f"{option}: {text!r} is not a day (YYYY-MM-DD)") from None


def published_by(props: Mapping[str, Any], day: date) -> bool:
    """Whether a Source (its property map) was published on or before ``day``.

    >>> published_by({"date_from": "2024-06-01", "date_to": "2024-06-30"}, date(2024, 6, 15))
    False
    >>> published_by({"undated": "reference work"}, date(2030, 1, 1))
    False
    """
    last = as_date(props.get("date_to")) or as_date(props.get("date_from"))
    return last is not None and last <= day


def known_sources(backend: Backend, day: date) -> frozenset[str]:
    """The ids of the Sources published on or before ``day`` (computed once per request)."""
    rows = backend.query(backend.dialect.source_dates).rows
    return frozenset(sid for sid, d_from, d_to in rows
                     if published_by({"date_from": d_from, "date_to": d_to}, day))


@dataclass(frozen=True)
class FactFilter:
    """Which facts a request keeps: as of a day, known by a day, statuses, types, entities.

    ``known`` is the set of Source ids known by ``known_by`` (see :func:`known_sources`); ``keep``
    names node ids exempt from every filter, time included (a path's two ends).
    """

    as_of: date | None = None
    known_by: date | None = None
    known: frozenset[str] | None = None
    statuses: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rel_types: tuple[str, ...] = ()
    keep: tuple[str, ...] = field(default=())

    @classmethod
    def build(
        cls, backend: Backend, *, as_of: str | date | None = None,
        known_by: str | date | None = None, statuses: Collection[str] = (),
        exclude_types: Collection[str] = (), exclude: Collection[str] = (),
        rel_types: Collection[str] = (), keep: Collection[str] = (),
    ) -> FactFilter:
        """A filter checked against the backend's schema, with its known Sources computed."""
        schema = backend.schema
        check_names(schema, statuses=statuses, exclude_types=exclude_types, rel_types=rel_types)
        day = parse_day(known_by, "--known-by")
        return cls(
            as_of=parse_day(as_of), known_by=day,
            known=known_sources(backend, day) if day else None,
            statuses=tuple(statuses), exclude_types=tuple(exclude_types),
            exclude=tuple(e for e in exclude if e not in keep), rel_types=tuple(rel_types),
            keep=tuple(keep),
        )

    @property
    def active(self) -> bool:
        """Whether the filter drops anything at all."""
        return bool(self.as_of or self.known is not None or self.statuses or self.exclude_types
                    or self.exclude or self.rel_types)

    # ------------------------------------------------------------------ the Python predicate
    def in_time(self, kind: str, props: Mapping[str, Any]) -> bool:
        """The time rule for one fact of a ``period`` or ``event`` type (see the module doc)."""
        if self.as_of is None:
            return True
        start = as_date(props.get("date_from")) or as_date(props.get("seen_from"))
        if start is not None and start > self.as_of:
            return False
        end = as_date(props.get("date_to"))
        if end is None:
            return True
        if kind == "period":
            return end >= self.as_of
        # an event known only by its end ("/2025-09-03") is in from that end on
        return props.get("date_from") is not None or end <= self.as_of

    def is_known(self, props: Mapping[str, Any]) -> bool:
        """Whether a fact is cited by (or, for a Source, is) a Source known by ``known_by``."""
        if self.known is None:
            return True
        if props.get("id") in self.known:
            return True
        return any(s in self.known for s in props.get("cite_sources") or ())

    def _fact_ok(self, kind: str, props: Mapping[str, Any]) -> bool:
        if self.statuses and props.get("status") not in self.statuses:
            return False
        return self.in_time(kind, props) and self.is_known(props)

    def node_ok(self, schema: GraphSchema, label: str, props: Mapping[str, Any]) -> bool:
        """Whether a node (its label and property map) is in."""
        if props.get("id") in self.keep:  # the ends of a path are never dropped, as in the engines
            return True
        nt = schema.nodes.get(label)
        if not self._fact_ok(nt.time if nt else "event", props):
            return False
        return label not in self.exclude_types and props.get("id") not in self.exclude

    def rel_ok(self, schema: GraphSchema, rel_type: str, props: Mapping[str, Any]) -> bool:
        """Whether a relationship (its type and property map) is in."""
        if self.rel_types and rel_type not in self.rel_types:
            return False
        rt = schema.relationships.get(rel_type)
        return self._fact_ok(rt.time if rt else "event", props)

    # ------------------------------------------------------------------ the Cypher parameters
    def params(self, schema: GraphSchema) -> dict[str, Any]:
        """The parameters ``Dialect.fact_predicate`` reads (only those the filter uses)."""
        out: dict[str, Any] = {}
        if self.as_of is not None:
            labels, types = schema.period_types()
            out.update(as_of=self.as_of, period_labels=list(labels), period_types=list(types))
        if self.known is not None:
            out["known"] = sorted(self.known)
        if self.statuses:
            out["statuses"] = list(self.statuses)
        if self.exclude_types:
            out["exclude_labels"] = list(self.exclude_types)
        if self.exclude:
            out["exclude_ids"] = list(self.exclude)
        if self.exclude_types or self.exclude or (self.keep and self.active):
            out["keep_ids"] = list(self.keep) or [""]
        if self.rel_types:
            out["rel_types"] = list(self.rel_types)
        return out


def check_names(schema: GraphSchema, *, statuses: Collection[str] = (),
                exclude_types: Collection[str] = (), rel_types: Collection[str] = ()) -> None:
    """Refuse a status, node type or relationship type the schema does not declare."""
    bad = [s for s in statuses if s not in schema.statuses]
    if bad:
        raise QueryError(f"unknown status {', '.join(bad)} (one of {', '.join(schema.statuses)})")
    bad = [t for t in exclude_types if t not in schema.nodes]
    if bad:
        raise QueryError(f"unknown node type {', '.join(bad)} (see `rnkg schema`)")
    bad = [t for t in rel_types if t not in schema.relationships]
    if bad:
        raise QueryError(f"unknown relationship type {', '.join(bad)} (see `rnkg schema`)")
