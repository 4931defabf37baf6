"""The one error hierarchy of rnkg. ``cli.py`` maps each to a message and an exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rnkg.graph.values import GNode


class RnkgError(Exception):
    """Base class: an error a user can act on, reported as one line."""


class SchemaError(RnkgError):
    """The schema declaration itself is inconsistent."""


class FactError(RnkgError):
    """A fact file is wrong at a place: file, line and field.

    >>> str(FactError("facts/a.yaml", 3, "date", "not a date: '2024-13'"))
    "facts/a.yaml:3: date: not a date: '2024-13'"
    """

    def __init__(self, path: str, line: int | None, field: str | None, message: str) -> None:
        self.path, self.line, self.field, self.message = path, line, field, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class FactErrors(RnkgError):
    """Several fact errors found in one pass; nothing was written."""

    def __init__(self, errors: list[FactError]) -> None:
        self.errors = errors
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{errors[0]}{more}")


class QueryError(RnkgError):
    """A query was refused or failed on the engine."""


class BackendUnavailable(RnkgError):
    """The graph store cannot be reached or opened."""


class NotFound(RnkgError):
    """An entity or saved query does not exist."""


class Ambiguous(RnkgError):
    """A name matches several entities; the message counts them all and lists the first ones.

    >>> from rnkg.graph.values import GNode
    >>> nodes = [GNode(f"person:p{i}", ("Person",), {"name": f"P{i}"}) for i in range(3)]
    >>> str(Ambiguous("p", nodes, shown=2))
    "'p' matches 3 entities (the first 2): person:p0 (P0); person:p1 (P1)"
    """

    def __init__(self, text: str, candidates: list[GNode], shown: int | None = None) -> None:
        self.candidates = candidates
        listed_nodes = candidates if shown is None else candidates[:shown]
        listed = "; ".join(f"{n.id} ({n.properties.get('name', '')})" for n in listed_nodes)
        first = f" (the first {len(listed_nodes)})" if len(listed_nodes) < len(candidates) else ""
        super().__init__(f"{text!r} matches {len(candidates)} entities{first}: {listed}")


class OutputError(RnkgError):
    """An output file cannot be written (or would be unusable): nothing was written."""
