"""Admiralty grades: a Source's reliability (A-F) and a citation's credibility (1-6).

The rules are written once here and in facts/README.md ("Grades"); ``rnkg validate`` and
``rnkg show`` both read them.

- A Source carries ``reliability`` (A-F) and ``reliability_note`` (why), set by the curator.
- A Source is **primary** when it is the acting body's own record: ``primary_record: true``, or,
  when it is absent, a ``kind`` of official_document, press_release or statement.
- Two Sources are **independent** when their outlets differ (folded, without a bracketed
  qualifier: "Korean Central News Agency (KCNA)" is "Korean Central News Agency"), neither is
  an ``aggregator`` and neither is a ``mirror_of`` the other.
- A citation's **credibility** is the curator's where ``credibility`` is set; otherwise it is
  derived from corroboration (:func:`derived_credibility`): 1 when the fact cites at least two
  independent Sources, 2 when its one Source is primary or graded A/B, 3 when graded C, 4 when
  graded D or E, 6 (cannot be judged) when graded F or not graded. 5 (improbable) is only ever
  the curator's.

>>> tass = {"id": "source:t", "outlet": "TASS", "kind": "wire", "reliability": "C"}
>>> un = {"id": "source:u", "outlet": "United Nations", "kind": "press_release",
...       "reliability": "A"}
>>> derived_credibility(tass, [tass])
('3', 'one source, graded C')
>>> derived_credibility(tass, [tass, un])[0]
'1'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rnkg.schema.values import fold

PRIMARY_KINDS = frozenset({"official_document", "press_release", "statement"})
RELIABILITY = {
    "A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
    "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged",
}
CREDIBILITY = {
    "1": "confirmed by other sources", "2": "probably true", "3": "possibly true",
    "4": "doubtful", "5": "improbable", "6": "truth cannot be judged",
}
_BY_RELIABILITY = {"A": "2", "B": "2", "C": "3", "D": "4", "E": "4", "F": "6"}

Props = Mapping[str, Any]


def is_primary(source: Props) -> bool:
    """Whether a Source is the acting body's own record (``primary_record``, else its ``kind``).

    >>> is_primary({"kind": "press_release"}), is_primary({"kind": "wire"})
    (True, False)
    >>> is_primary({"kind": "statement", "primary_record": False})
    False
    """
    flag = source.get("primary_record")
    if flag is not None:
        return bool(flag)
    return source.get("kind") in PRIMARY_KINDS


def outlet_key(source: Props) -> str:
    """The outlet a Source's independence is judged by: folded, bracketed qualifier dropped.

    >>> outlet_key({"outlet": "Korean Central News Agency (KCNA)"})
    'korean central news agency'
    """
    outlet = str(source.get("outlet") or source.get("id") or "")
    return fold(outlet.split(" (", 1)[0])


def independent(a: Props, b: Props) -> bool:
    """Whether two Sources are independent of each other (see the module doc).

    >>> independent({"id": "s:1", "outlet": "AFP"}, {"id": "s:2", "outlet": "Reuters"})
    True
    >>> independent({"id": "s:1", "outlet": "AFP"}, {"id": "s:2", "outlet": "Blog",
    ...                                             "mirror_of": "s:1"})
    False
    """
    if a.get("aggregator") or b.get("aggregator"):
        return False
    if a.get("mirror_of") == b.get("id") or b.get("mirror_of") == a.get("id"):
        return False
    return outlet_key(a) != outlet_key(b)


def independent_count(sources: Sequence[Props]) -> int:
    """How many mutually independent Sources a list holds (greedy, in the given order).

    >>> independent_count([{"id": "a", "outlet": "TASS"}, {"id": "b", "outlet": "TASS"},
    ...                    {"id": "c", "outlet": "Reuters"}])
    2
    """
    kept: list[Props] = []
    for s in sources:
        if all(independent(s, k) for k in kept):
            kept.append(s)
    return len(kept)


def derived_credibility(source: Props, fact_sources: Sequence[Props]) -> tuple[str, str]:
    """The credibility of a citation of ``source`` on a fact citing ``fact_sources``, with why."""
    if independent_count(fact_sources) >= 2:
        return "1", "two or more independent sources"
    grade = str(source.get("reliability") or "")
    if is_primary(source) and grade not in ("D", "E", "F"):
        return "2", "one source, the acting body's own record"
    if grade in _BY_RELIABILITY:
        return _BY_RELIABILITY[grade], f"one source, graded {grade}"
    return "6", "one source, not graded"


def supports_confirmed(fact_sources: Sequence[Props]) -> bool:
    """The ``confirmed`` rule: one primary Source, or two independent ones.

    >>> supports_confirmed([{"id": "a", "outlet": "TASS", "kind": "wire"}])
    False
    """
    return any(is_primary(s) for s in fact_sources) or independent_count(fact_sources) >= 2


def credibility_of(cite: Props, source: Props, fact_sources: Sequence[Props]) -> dict[str, str]:
    """A citation's credibility as shown: ``{"credibility", "basis", "note"}`` where basis is
    ``curator`` (set in the facts) or ``derived`` (the rule above).

    >>> credibility_of({"credibility": "5", "credibility_note": "contradicted"}, {}, [])
    {'credibility': '5', 'basis': 'curator', 'note': 'contradicted'}
    """
    if cite.get("credibility"):
        return {"credibility": str(cite["credibility"]), "basis": "curator",
                "note": str(cite.get("credibility_note") or "")}
    grade, why = derived_credibility(source, fact_sources)
    return {"credibility": grade, "basis": "derived", "note": why}
