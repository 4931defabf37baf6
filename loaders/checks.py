"""Checks ``rnkg validate`` runs on a whole, resolved dataset, beyond what each record's schema
says: the status conventions of ``facts/README.md`` ("Status"), plausible dates, and (with
``--sources DIR``) every quote of a seed article against the seed's own text.

Each check returns the problems as :class:`~rnkg.errors.FactError` (file, line, field, message)
and raises nothing; :func:`run_checks` gathers them.

>>> normalise_quote("l’ami  le plus\\u00a0cher « x »")
'l\\'ami le plus cher " x "'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

from rnkg.errors import FactError
from rnkg.loaders.pipeline import Dataset, Origin
from rnkg.schema.records import CONFIRMED, FactBase, RelFact
from rnkg.schema.values import DateValue

# Relationship types whose `from` end is the one who speaks: its status names the speaker.
SPEECH_TYPES = frozenset({"COMMENTED_ON", "ASSESSED"})
# Statuses an ASSESSED fact can have: a judgement is assessed, or stated/alleged by an official,
# or relayed (reported); it is never a confirmed fact or a denial.
ASSESSED_STATUSES = frozenset({"assessed", "stated", "alleged", "reported"})
# Bodies a person speaks for when they hold a role in one (a think tank is not one of them).
OFFICIAL_KINDS = frozenset({"state_body", "party", "international_body", "military_unit"})

_APOSTROPHES = dict.fromkeys(map(ord, "’‘‛ʼ′`"), "'")
_QUOTES = dict.fromkeys(map(ord, "“”„‟«»‹›″"), '"')


def normalise_quote(text: str) -> str:
    """Text as quotes are compared: NFC, typographic apostrophes and quotation marks made plain,
    every run of whitespace (non-breaking spaces too) one space. Nothing else is changed."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).translate(_QUOTES)
    return " ".join(text.split())


# ---------------------------------------------------------------- quotes against the seeds


def check_quotes(ds: Dataset, sources_dir: Path) -> list[FactError]:
    """Every quote citing a Source that has a ``file`` must stand in that file, word for word.

    The error names the fact file and the line of the quote, the quote, and the first word of
    it that differs from the seed.
    """
    texts: dict[str, str] = {}
    errors: list[FactError] = []
    for source_id, node in ds.nodes.items():
        name = getattr(node, "file", None) if node.label == "Source" else None
        if not name:
            continue
        path = sources_dir / str(name)
        try:
            texts[source_id] = normalise_quote(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            origin = ds.origins[source_id]
            errors.append(FactError(origin.path, origin.line, "file",
                                    f"{name}: cannot read it in {sources_dir} ({exc})"))
    for fact_id, record in _facts(ds):
        for i, cite in enumerate(record.cite):
            text = texts.get(cite.source)
            if text is None or not cite.quote or normalise_quote(cite.quote) in text:
                continue
            origin = ds.origins[fact_id]
            line = _line_of(origin, cite.quote)
            name = getattr(ds.nodes[cite.source], "file", "")
            errors.append(FactError(
                origin.path, line, f"cite[{i}].quote",
                f"“{cite.quote}” is not in {name} ({cite.source}) as written: "
                f"{_first_difference(normalise_quote(cite.quote), text)}"))
    return errors


def _first_difference(quote: str, text: str) -> str:
    """Which word of a quote the text stops matching at.

    >>> _first_difference("a b x d", "z a b c d")
    'it matches up to word 3, “x”'
    """
    words = quote.split(" ")
    matched = 0
    for n in range(1, len(words) + 1):
        if " ".join(words[:n]) not in text:
            break
        matched = n
    if matched == len(words):
        return "it matches word for word but not as one run"
    return f"it matches up to word {matched + 1}, “{words[matched]}”"


_LINES: dict[str, list[str]] = {}


def _line_of(origin: Origin, quote: str) -> int:
    """The line of a fact file, from the record's first line on, where a quote stands."""
    lines = _LINES.get(origin.path)
    if lines is None:
        try:
            lines = Path(origin.path).read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        _LINES[origin.path] = lines
    head = quote[:40]
    for number in range(origin.line, len(lines) + 1):
        if head in lines[number - 1]:
            return number
    return origin.line


# ---------------------------------------------------------------- who says so


def check_statuses(ds: Dataset) -> list[FactError]:
    """The ``by`` convention (facts/README.md "Status") where a rule can be checked.

    - on a spoken fact (COMMENTED_ON, ASSESSED) other than confirmed, ``by`` names the speaker
      (its ``from`` end);
    - an ASSESSED fact is assessed, stated, alleged or reported;
    - a person who holds an official role (in a state, a state body, a party, an international
      body) and states, alleges or denies something speaks for a state or body: ``by`` names one
      of them too;
    - an allegation is about someone else: an end of an alleged act is not among its accusers
      (a party speaking of its own act states it).
    """
    officials = _officials(ds)
    errors: list[FactError] = []
    for fact_id, rec in _rels(ds):
        origin = ds.origins[fact_id]
        kind, start, end = rec.type, rec.from_, rec.to
        if kind == "ASSESSED" and rec.status not in ASSESSED_STATUSES:
            allowed = ", ".join(sorted(ASSESSED_STATUSES))
            errors.append(FactError(origin.path, origin.line, "status",
                                    f"an ASSESSED fact is one of {allowed}, not {rec.status}"))
        if rec.status == CONFIRMED:
            continue
        speaker = ds.label_of(start) in ds.schema.claimants
        if kind in SPEECH_TYPES and start not in rec.by and speaker:
            errors.append(FactError(origin.path, origin.line, "by",
                                    f"a {kind} fact is {rec.status} by its speaker: add {start}"))
        if kind not in SPEECH_TYPES and rec.status == "alleged" and {start, end} & set(rec.by):
            who = ", ".join(sorted({start, end} & set(rec.by)))
            errors.append(FactError(origin.path, origin.line, "by",
                                    f"{who} alleges its own act: that is `stated`"))
    for fact_id, record in _facts(ds):
        if record.status not in ("stated", "alleged", "denied"):
            continue
        people = [b for b in record.by if b in officials]
        if people and all(ds.label_of(b) == "Person" for b in record.by):
            origin = ds.origins[fact_id]
            bodies = ", ".join(sorted(officials[people[0]]))
            errors.append(FactError(origin.path, origin.line, "by",
                                    f"{people[0]} speaks for a state or body ({bodies}): "
                                    "name it in `by` too"))
    return errors


def _officials(ds: Dataset) -> dict[str, set[str]]:
    """Person id -> the states and official bodies they hold a role in."""
    out: dict[str, set[str]] = {}
    for rel in ds.relationships.values():
        rec = rel.record
        if rec.type != "ROLE_IN":
            continue
        body = ds.nodes[rec.to]
        if body.label == "Country" or getattr(body, "kind", None) in OFFICIAL_KINDS:
            out.setdefault(rec.from_, set()).add(rec.to)
    return out


# ---------------------------------------------------------------- plausible dates


def check_dates(ds: Dataset) -> list[FactError]:
    """No event before one of its ends existed: an event-time relationship (or, undated, the
    date of the Event it points to) must not end before the ``date`` of an end that is a
    period (a person's life, a body's or a state's existence) begins, where that is known."""
    errors: list[FactError] = []
    for fact_id, rec in _rels(ds):
        rt = ds.schema.relationships[rec.type]
        when = rec.date or _event_date(ds, rec.to) or _event_date(ds, rec.from_)
        if rt.time != "event" or when is None:
            continue
        last = when.date_to or when.date_from
        for end in (rec.from_, rec.to):
            node = ds.nodes[end]
            began = node.date.date_from if node.date else None
            if ds.schema.nodes[node.label].time == "period" and began and last and last < began:
                origin = ds.origins[fact_id]
                errors.append(FactError(
                    origin.path, origin.line, "date",
                    f"{rec.type} {when.text} is before {end} existed (from {began.isoformat()})"))
    return errors


def _event_date(ds: Dataset, node_id: str) -> DateValue | None:
    node = ds.nodes[node_id]
    return node.date if node.label == "Event" else None


# ---------------------------------------------------------------- together


def run_checks(ds: Dataset, sources_dir: Path | None = None) -> list[FactError]:
    """Every check, in file and line order; the seed quotes only when a folder is given."""
    errors = check_statuses(ds) + check_dates(ds)
    if sources_dir is not None:
        errors += check_quotes(ds, sources_dir)
    return sorted(errors, key=lambda e: (e.path, e.line or 0, e.field or ""))


def _rels(ds: Dataset) -> Iterable[tuple[str, RelFact]]:
    return ((rid, rel.record) for rid, rel in ds.relationships.items())


def _facts(ds: Dataset) -> Iterable[tuple[str, FactBase]]:
    yield from ds.nodes.items()
    for rid, rel in ds.relationships.items():
        yield rid, rel.record
