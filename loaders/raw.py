"""The raw record every reader produces, and the one bounded way to read a fact file's text."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rnkg.errors import FactError

DEFAULT_MAX_FACT_BYTES = 50 * 1024 * 1024
"""The largest fact file read (bytes); ``RNKG_MAX_FACT_BYTES`` overrides it."""


@dataclass(slots=True)
class RawRecord:
    """One node or relationship as read, before validation.

    ``lines`` maps a field name to the line it stands on, so that an error names it.
    """

    kind: Literal["node", "relationship"]
    data: dict[str, Any]
    path: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, field_name: str | None) -> int:
        """The line of a field, or of the record when the field has none."""
        if field_name is None:
            return self.line
        return self.lines.get(field_name, self.line)

    def located(self) -> RawRecord:
        """Where the record was read, without its data: what naming a field's line needs
        once the record is validated (a load keeps this, not the data, until it resolves
        the references). Fields on the record's own line are not listed.

        >>> r = RawRecord("relationship", {"type": "X", "from": "a:b"}, "f.csv", 3,
        ...               {"type": 3, "from": 4})
        >>> k = r.located()
        >>> (k.data, k.lines, k.line_of("from"), k.line_of("type"))
        ({}, {'from': 4}, 4, 3)
        """
        lines = {k: v for k, v in self.lines.items() if v != self.line}
        return RawRecord(self.kind, {}, self.path, self.line, lines)


def max_fact_bytes(env: dict[str, str] | None = None) -> int:
    """The size limit of one fact file: ``RNKG_MAX_FACT_BYTES``, else 50 MB.

    >>> max_fact_bytes({"RNKG_MAX_FACT_BYTES": "1024"})
    1024
    >>> max_fact_bytes({})
    52428800
    """
    raw = (os.environ if env is None else env).get("RNKG_MAX_FACT_BYTES", "").strip()
    if not raw:
        return DEFAULT_MAX_FACT_BYTES
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise FactError("RNKG_MAX_FACT_BYTES", None, None,
                        f"{raw!r} is not a positive number of bytes")
    return int(raw)


def check_regular(path: Path, display: str) -> None:
    """Refuse a fact path that is not a regular file (a folder, FIFO, device, broken link).

    >>> import tempfile, pathlib
    >>> check_regular(pathlib.Path(tempfile.mkdtemp()), "d.yaml")
    Traceback (most recent call last):
    rnkg.errors.FactError: d.yaml: is a folder, not a fact file
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise FactError(display, None, None, f"cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise FactError(display, None, None, "is a folder, not a fact file")
    if not stat.S_ISREG(mode):
        raise FactError(display, None, None,
                        "is not a regular file (a FIFO, device or socket); fact files are files")


def read_fact_text(path: Path, display: str, limit: int | None = None) -> str:
    """A fact file's text: at most ``limit`` bytes, UTF-8 (a leading BOM dropped).

    Every failure is one FactError naming the file (and the line of a bad byte).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes(b"\\xef\\xbb\\xbfid\\nok\\n\\xff\\n")
    >>> read_fact_text(p, "a.csv")
    Traceback (most recent call last):
    rnkg.errors.FactError: a.csv:3: not UTF-8 text (invalid start byte)
    """
    limit = max_fact_bytes() if limit is None else limit
    check_regular(path, display)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise FactError(display, None, None, f"cannot read ({exc.strerror})") from None
    if len(data) > limit:
        raise FactError(display, None, None,
                        f"larger than the {limit}-byte limit for a fact file "
                        "(RNKG_MAX_FACT_BYTES raises it)")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FactError(display, line, None, f"not UTF-8 text ({exc.reason})") from None
