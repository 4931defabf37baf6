"""The one error hierarchy of rnkg. ``cli.py`` maps each to a message and an exit code."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
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


class Interrupted(BaseException):
    """Ctrl-C, raised by rnkg's own SIGINT handler (``rnkg.cli.main`` installs it).

    Not a KeyboardInterrupt: typer turns that into a silent exit 130. Open stores still close
    on the way out (their context managers run), and a load's transaction is not committed.
    Native code can swallow an exception raised in a signal handler (LadybugDB checks for
    signals before a query and only prints what it caught), so the handler also leaves the
    interrupt pending, and every commit point calls :func:`check_interrupted` first.
    """


_pending_interrupt = False


def interrupt() -> None:
    """Note a Ctrl-C and raise :class:`Interrupted` (the SIGINT handler's body)."""
    global _pending_interrupt
    _pending_interrupt = True
    raise Interrupted


def check_interrupted() -> None:
    """Raise :class:`Interrupted` if a Ctrl-C came and was swallowed on its way up.

    >>> check_interrupted()  # nothing pending: returns
    """
    if _pending_interrupt:
        raise Interrupted


@contextlib.contextmanager
def uninterruptible() -> Iterator[None]:
    """Hold a Ctrl-C back while the block runs (steps that must not stop half-way, such as
    the renames that put a built store in place); it arrives once the block is done.

    >>> with uninterruptible():
    ...     pass
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
