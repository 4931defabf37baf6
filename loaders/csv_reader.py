"""Read CSV fact files: a table of nodes (``id`` column) or of relationships (``type,from,to``).

In a node table, ``->TYPE`` and ``<-TYPE`` columns add relationships from or to the row's node;
they take the row's date, status, ``by`` and citations.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Literal

from rnkg.errors import FactError
from rnkg.loaders.raw import RawRecord, read_fact_text
from rnkg.schema.values import Citation

_CITE_COL = re.compile(rf"^cite(\d*)_({'|'.join(Citation.model_fields)})$")
_REL_COL = re.compile(r"^(->|<-)([A-Z][A-Z_]*)$")
SHARED_WITH_LINKS = ("date", "seen", "status", "by", "note")
# The largest cell a fact file may hold (the csv module's own default). The limit is global to the
# csv module and other libraries raise it (followthemoney sets 30 MB on import), so each read sets
# it and puts the previous one back.
CELL_LIMIT = 131_072


def read_csv(path: Path, display: str, list_fields: frozenset[str]) -> list[RawRecord]:
    """Read one CSV fact file into raw records; ``list_fields`` are split on ``;``.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "v.csv"
    >>> _ = p.write_text("id,name,<-SAILED,cite_source,cite_section\\n"
    ...                  "voyage:a,A,vessel:x,source:s,p. 2\\n")
    >>> [(r.kind, r.line, r.data.get("type")) for r in read_csv(p, "v.csv", frozenset())]
    [('node', 2, None), ('relationship', 2, 'SAILED')]
    """
    text = read_fact_text(path, display)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    starts: list[int] = []  # the line each row starts on (a quoted cell may span lines)
    previous = csv.field_size_limit(CELL_LIMIT)
    try:
        for row in reader:
            starts.append(reader.line_num - sum(c.count("\n") for c in row))
            rows.append(row)
    except csv.Error as exc:
        line = reader.line_num or None
        raise FactError(display, line, None, f"CSV syntax: {exc}") from None
    finally:
        csv.field_size_limit(previous)
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    if len(set(header)) != len(header):
        raise FactError(display, 1, None, "duplicate column names")
    is_nodes = "id" in header
    if not is_nodes and not {"type", "from", "to"} <= set(header):
        raise FactError(display, 1, None, "a CSV needs an `id` column, or `type`, `from`, `to`")
    records: list[RawRecord] = []
    for index, row in zip(starts[1:], rows[1:], strict=True):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise FactError(display, index, None,
                            f"{len(row)} cells where the header has {len(header)} columns")
        data, links = _row_fields(dict(zip(header, row, strict=True)), list_fields, display, index)
        kind: Literal["node", "relationship"] = "node" if is_nodes else "relationship"
        lines = {k: index for k in data}
        records.append(RawRecord(kind, data, display, index, lines))
        for arrow, rel_type, targets in links:
            for target in targets:
                rel: dict[str, Any] = {"type": rel_type}
                rel["from"], rel["to"] = (
                    (data.get("id"), target) if arrow == "->" else (target, data.get("id"))
                )
                rel.update({k: data[k] for k in SHARED_WITH_LINKS if k in data})
                if "cite" in data:
                    rel["cite"] = data["cite"]
                records.append(RawRecord("relationship", rel, display, index,
                                         {k: index for k in rel}))
    return records


def _row_fields(
    row: dict[str, str], list_fields: frozenset[str], display: str, line: int
) -> tuple[dict[str, Any], list[tuple[str, str, list[str]]]]:
    data: dict[str, Any] = {}
    cites: dict[str, dict[str, str]] = {}
    links: list[tuple[str, str, list[str]]] = []
    for column, raw in row.items():
        value = raw.strip()
        if not value:
            continue
        if m := _CITE_COL.match(column):
            cites.setdefault(m[1] or "1", {})[m[2]] = value
        elif m := _REL_COL.match(column):
            links.append((m[1], m[2], _split(value)))
        elif column in list_fields:
            data[column] = _split(value)
        else:
            data[column] = value
    if cites:
        ordered = sorted(cites.items(), key=lambda kv: int(kv[0]))
        for number, cite in ordered:
            if "source" not in cite:
                raise FactError(display, line, f"cite{number}_source".replace("cite1_", "cite_"),
                                "a citation column is filled but its source is empty")
        data["cite"] = [c for _, c in ordered]
    return data, links


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]
