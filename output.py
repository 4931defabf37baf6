"""Printing rows: ``table`` (rich), ``json`` (an array of row objects, the contract) and ``csv``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from rnkg.graph.values import to_jsonable, to_text

FORMATS = ("table", "json", "csv")


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """Rows in one of the output formats, as text.

    >>> print(render(["a", "b"], [[1, None]], "json"))
    [
      {
        "a": 1,
        "b": null
      }
    ]
    >>> render(["a"], [[["x", "y"]]], "csv")
    'a\\nx; y'
    """
    if fmt == "json":
        data = [{c: to_jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([to_text(v) for v in row])
        return buf.getvalue().rstrip("\n")
    table = Table(show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(to_text(v) for v in row))
    console = Console(file=io.StringIO(), width=160, color_system=None, soft_wrap=False)
    console.print(table)
    if not rows:
        console.print("(no rows)")
    return console.file.getvalue().rstrip("\n")
