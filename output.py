"""Everything rnkg prints for people and scripts: values as text, statuses, citations, tables,
JSON and CSV.

Text from the data is shown as data, never as instructions to a terminal or to rich:

- control characters (C0, DEL, C1: ESC, BEL, CR, backspace, CSI...) are shown as visible
  escapes like ``\\x1b`` in tables, in ``rnkg show`` and in CSV written to a terminal; a line
  break inside a cell stays a line break in tables (a table cell may span lines);
- rich markup in data is never interpreted (``see [sic] here`` prints as it is);
- CSV written to a file or a pipe keeps the data exactly as stored (it is for programs; the
  escapes would change the values), and JSON escapes every control character itself;
- JSON never holds ``NaN`` or ``Infinity``: such a float is written as ``null``
  (``rnkg.graph.values.to_jsonable``), so every strict JSON parser reads the output.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from rnkg.graph.values import GNode, GPath, GRel, normalise, to_jsonable
from rnkg.schema.values import Citation

FORMATS = ("table", "json", "csv")
FALLBACK_WIDTH = 160

# C0 controls but \n, DEL and the C1 controls; \n is handled by the caller's choice.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_CONTROL_AND_NL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def visible(text: str, keep_newlines: bool = True) -> str:
    """Text with every control character shown as an escape, safe to send to a terminal.

    >>> visible("Esc \\x1b]0;title\\x07 red\\x1b[31m\\r!")
    'Esc \\\\x1b]0;title\\\\x07 red\\\\x1b[31m\\\\r!'
    >>> visible("two\\nlines"), visible("two\\nlines", keep_newlines=False)
    ('two\\nlines', 'two\\\\nlines')
    """
    pattern = _CONTROL if keep_newlines else _CONTROL_AND_NL
    return pattern.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    char = m.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return named.get(char, f"\\x{ord(char):02x}")


def to_text(value: Any) -> str:
    """A short human form of a value, for tables and CSV cells (lists joined with ``"; "``).

    >>> to_text(GRel("SIGNED", "person:a", "agreement:b")), to_text(["x", True, None])
    ('[person:a-SIGNED->agreement:b]', 'x; true; ')
    """
    if value is None:
        return ""
    if isinstance(value, GNode):
        return f"({value.id}:{'|'.join(value.labels)})"
    if isinstance(value, GRel):
        return f"[{value.start}-{value.type}->{value.end}]"
    if isinstance(value, GPath):
        if not value.nodes:
            return "()"
        parts = [value.nodes[0].id]
        for rel, node in zip(value.relationships, value.nodes[1:], strict=False):
            arrow = f"-[{rel.type}]->" if rel.start != node.id else f"<-[{rel.type}]-"
            parts.append(f"{arrow}{node.id}")
        return "".join(parts)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(to_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(normalise(value))


def citations(props: dict[str, Any]) -> list[str]:
    """A node's or relationship's citations as 'source: locator' strings.

    >>> citations({"cite_sources": ["source:a"], "cite_quotes": ["q"], "cite_sections": [""]})
    ['source:a: “q”']
    """
    return [c.text() for c in Citation.from_columns(props)]


def status_text(props: dict[str, Any]) -> str:
    """'confirmed', or 'alleged by country:us'.

    >>> status_text({"status": "alleged", "status_by": ["country:us", "country:kr"]})
    'alleged by country:us, country:kr'
    """
    status = props.get("status") or ""
    by = props.get("status_by") or []
    return f"{status} by {', '.join(by)}" if by else status


def json_text(data: Any) -> str:
    """Data as strict JSON (no NaN), with DEL and C1 controls escaped too (JSON does C0).

    >>> print(json_text({"x": float("nan"), "t": "a\\x9bb"}))
    {
      "x": null,
      "t": "a\\u009bb"
    }
    """
    text = json.dumps(to_jsonable(data), ensure_ascii=False, indent=2, allow_nan=False)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def terminal_width() -> int:
    """How wide tables are: ``COLUMNS`` if set, else the terminal's width, else 160 (a pipe).

    >>> import os; os.environ["COLUMNS"] = "80"; terminal_width()
    80
    >>> del os.environ["COLUMNS"]
    """
    return max(20, shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns)


def cell(value: Any) -> Text:
    """A table cell: the value as text, controls escaped, never read as rich markup."""
    return Text(visible(value if isinstance(value, str) else to_text(value)))


def table_text(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, lines: bool = False,
               empty: str | None = None) -> str:
    """Rows as a rich table in plain text (no colour codes), cells shown as data.

    The table fits :func:`terminal_width`: cells wrap at spaces, a word longer than its
    column folds onto the next line (nothing is cut), and text is never read as markup.

    >>> import os; os.environ["COLUMNS"] = "30"
    >>> print(table_text(["note"], [["see [sic] here, a long line that has to wrap"]]))
    ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
    ┃ note                       ┃
    ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
    │ see [sic] here, a long     │
    │ line that has to wrap      │
    └────────────────────────────┘
    >>> del os.environ["COLUMNS"]
    """
    table = Table(show_lines=lines, header_style="bold")
    for column in columns:
        table.add_column(Text(visible(column)), overflow="fold")
    count = 0
    for row in rows:
        table.add_row(*(cell(v) for v in row))
        count += 1
    buffer = io.StringIO()
    console = Console(file=buffer, width=terminal_width(), color_system=None, soft_wrap=False)
    console.print(table)
    if not count and empty:
        console.print(empty, markup=False)
    return buffer.getvalue().rstrip("\n")


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str,
           tty: bool = False) -> str:
    """Rows in one of the output formats, as text; ``tty``: the text goes to a terminal.

    >>> print(render(["a", "b"], [[1, None]], "json"))
    [
      {
        "a": 1,
        "b": null
      }
    ]
    >>> render(["a"], [[["x", "y"]]], "csv")
    'a\\nx; y'
    >>> render(["a"], [["\\x1b[2J"]], "csv", tty=True)
    'a\\n\\\\x1b[2J'
    """
    if fmt == "json":
        return json_text([dict(zip(columns, row, strict=True)) for row in rows])
    if fmt == "csv":
        # Rows end in "\n"; a cell holding "\r" or "\n" is quoted (the csv module quotes only
        # the line terminator's characters, so each row is written with "\r\n" then trimmed).
        lines = []
        for row in [list(columns), *([to_text(v) for v in r] for r in rows)]:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerow(row)
            lines.append(buf.getvalue().removesuffix("\r\n"))
        text = "\n".join(lines)
        return visible(text) if tty else text
    return table_text(columns, rows, empty="(no rows)")
