"""The embedded store's bulk path: a full build through LadybugDB's ``COPY FROM``.

Each table's rows are streamed to a CSV file in a work folder, then copied by one statement
inside the load's transaction (so a failed COPY leaves the store as it was). LadybugDB's own
CSV reading of lists does not round-trip strings holding commas or quotes, so each file is
read through ``LOAD WITH HEADERS (... STRING)`` and every column cast to its stored type; a
list is written as its items, each after the unit separator (U+001F), and read back with
``regexp_extract_all`` (``string_split`` drops empty items; ``list_transform`` exhausts
LadybugDB 0.22's buffer pool at a few thousand rows). Strings are always quoted ("" is the
empty string), an unquoted empty field is NULL. A table whose lists hold the separator
itself goes through CREATE batches instead.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rnkg.graph.loadplan import Changes, Step, batches
from rnkg.schema.ddl import HASH_COLUMN, LADYBUG_TYPES

if TYPE_CHECKING:
    from rnkg.graph.dialect import Dialect
    from rnkg.loaders.pipeline import Dataset
    from rnkg.schema.model import GraphSchema

SEP = "\x1f"
PART_ROWS = 50_000
"""Rows per COPY: LadybugDB works through a whole ``COPY ... FROM (LOAD ...)`` in its buffer
pool (with a 64 MB pool one COPY of 30,000 relationships fails, parts of 5,000 pass), so a
large table is copied in parts of this many rows, each one statement of the same transaction."""
BULK_MIN_ROWS = 500
"""Smaller tables go through CREATE batches: one COPY costs ~40 ms whatever its size, so the
curated graph's seventy small tables load faster without it (3.4 s against 2.0 s)."""


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell(value: Any, typ: str) -> str:
    """One CSV field.

    >>> [_cell(v, t) for v, t in [(None, "string"), ("", "string"), ('a"b', "string"),
    ...                           ([], "string[]"), (["a,b", "c"], "string[]"), (True, "bool")]]
    ['', '""', '"a""b"', '', '"\\x1fa,b\\x1fc"', 'true']
    """
    if value is None:
        return ""
    if typ == "string[]":
        return _quote("".join(SEP + item for item in value)) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quote(value)
    return str(value)


def bulk_safe(rows: Iterable[dict[str, Any]], columns: dict[str, str]) -> bool:
    """Whether every list of these rows survives the join and split: no separator inside
    an item."""
    lists = [c for c, t in columns.items() if t == "string[]"]
    return not any(SEP in item for row in rows for c in lists for item in row[c])


def write_csv(path: Path, rows: Iterable[dict[str, Any]], columns: dict[str, str]) -> bool:
    """The rows' columns (in order) as a CSV file with a header line, written as the rows
    come (none is kept). False, and no file, when a list item holds the separator (the
    table then goes through CREATE batches).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> cols = {"id": "string", "aliases": "string[]"}
    >>> write_csv(p, iter([{"id": "a", "aliases": ["x"]}]), cols), p.read_text()
    (True, 'id,aliases\\n"a","\\x1fx"\\n')
    >>> write_csv(p, iter([{"id": "a", "aliases": ["x\\x1fy"]}]), cols), p.exists()
    (False, False)
    """
    parts = write_parts(path, rows, columns, None)
    return parts is not None


def write_parts(path: Path, rows: Iterable[dict[str, Any]], columns: dict[str, str],
                per_file: int | None = PART_ROWS) -> list[Path] | None:
    """The rows as CSV files of at most ``per_file`` rows each (``path``, then ``path`` with
    ``.1``, ``.2``... before its suffix), written as the rows come; None, and no file, when a
    list item holds the separator.

    The fields are those of :func:`_cell`, written by the ``csv`` module (in C): texts quoted,
    a NULL, an empty list and a boolean as bare fields (:class:`_Bare`).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> cols = {"id": "string", "n": "int", "ok": "bool", "l": "string[]", "d": "text"}
    >>> rows = [{"id": 'a"b', "n": 3, "ok": True, "l": ["x,y", ""], "d": None},
    ...         {"id": "", "n": None, "ok": False, "l": [], "d": "t\\nu"}]
    >>> write_parts(p, iter(rows), cols) == [p]
    True
    >>> p.read_text() == "id,n,ok,l,d\\n" + "".join(
    ...     ",".join(_cell(r[c], t) for c, t in cols.items()) + "\\n" for r in rows)
    True
    """
    names = list(columns)
    lists = [i for i, t in enumerate(columns.values()) if t == "string[]"]
    flags = [i for i, t in enumerate(columns.values()) if t == "bool"]
    header = ",".join(names) + "\n"
    written: list[Path] = []
    out = None
    writer: Any = None
    count = 0
    try:
        for row in rows:
            values: list[Any] = [_NULL if v is None else v for v in map(row.__getitem__, names)]
            for i in lists:
                items = values[i]
                if items is _NULL or not items:
                    values[i] = _NULL
                    continue
                joined = SEP + SEP.join(items)
                if joined.count(SEP) != len(items):
                    raise _Unsafe
                values[i] = joined
            for i in flags:
                if values[i] is not _NULL:
                    values[i] = _TRUE if values[i] else _FALSE
            if out is None or (per_file is not None and count == per_file):
                if out is not None:
                    out.close()
                part = path if not written else path.with_suffix(f".{len(written)}{path.suffix}")
                written.append(part)
                out = part.open("w", encoding="utf-8", newline="")
                out.write(header)
                writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
                count = 0
            writer.writerow(values)
            count += 1
    except _Unsafe:
        if out is not None:
            out.close()
        for part in {path, *written}:
            part.unlink(missing_ok=True)
        return None
    if out is None:
        path.write_text(header, encoding="utf-8")
        return [path]
    out.close()
    return written


class _Bare:
    """A field the ``csv`` module writes bare (unquoted): it passes for a number
    (``QUOTE_NONNUMERIC`` quotes everything else) and prints as its text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __float__(self) -> float:  # what makes the csv module take it for a number
        return 0.0


_NULL, _TRUE, _FALSE = _Bare(""), _Bare("true"), _Bare("false")


class _Unsafe(Exception):
    """A list item holds the separator."""


def _cast(name: str, typ: str) -> str:
    if typ == "string[]":
        return (f"CASE WHEN {name} IS NULL THEN CAST([] AS STRING[]) "
                f"ELSE regexp_extract_all({name}, '{SEP}([^{SEP}]*)', 1) END")
    if typ in ("string", "text"):
        return name
    return f"CAST({name} AS {LADYBUG_TYPES[typ]})"


def copy_statement(table: str, path: Path, columns: dict[str, str],
                   ends: tuple[str, str] | None = None) -> str:
    """``COPY table FROM (LOAD WITH HEADERS ... RETURN casts)``; ``ends``: a relationship
    table's (from, to) node tables. The path is rnkg's own temporary file, never user text."""
    heads = ", ".join(f"c{i} STRING" for i in range(len(columns)))
    casts = ", ".join(_cast(f"c{i}", t) for i, t in enumerate(columns.values()))
    where = str(path).replace("'", "\\'")
    tail = f" (from='{ends[0]}', to='{ends[1]}')" if ends else ""
    return (f"COPY {table} FROM (LOAD WITH HEADERS ({heads}) FROM '{where}' "
            f"(HEADER=true, PARALLEL=false) RETURN {casts}){tail}")


def bulk_steps(schema: GraphSchema, dataset: Dataset, dialect: Dialect, size: int,
               folder: Path, changes: Changes, *, one_file: bool = False,
               min_rows: int | None = None) -> Iterator[Step]:
    """A full build's steps: one COPY a part of :data:`PART_ROWS` rows of a table (its rows
    streamed to files in ``folder`` as the steps are drawn, one row at a time; ``one_file``:
    one file a table, as a user of LadybugDB copies it); CREATE batches for a table of fewer
    than ``min_rows`` (default :data:`BULK_MIN_ROWS`) rows or one the CSV form cannot carry."""
    part_rows = None if one_file else PART_ROWS
    min_rows = BULK_MIN_ROWS if min_rows is None else min_rows
    for label in schema.nodes:
        count = dataset.node_count(label)
        if not count:
            continue
        changes.note(label, count, 0, 0)
        columns = {**schema.node_columns(label), HASH_COLUMN: "string"}
        path = folder / f"node-{label}.csv"
        parts = (write_parts(path, dataset.iter_node_rows(label), columns, part_rows)
                 if count >= min_rows else None)
        if parts is not None:
            for part in parts:
                yield copy_statement(label, part, columns), {}
        else:
            for batch in batches(dataset.iter_node_rows(label), size):
                yield dialect.create_nodes(schema, label), {"rows": batch}
    for rel_type, rt in schema.relationships.items():
        columns = {"from": "string", "to": "string", **schema.rel_columns(rel_type),
                   HASH_COLUMN: "string"}
        for a, b in rt.endpoints:
            count = dataset.rel_count(rel_type, a, b)
            if not count:
                continue
            changes.note(rel_type, count, 0, 0)
            path = folder / f"rel-{rel_type}-{a}-{b}.csv"
            parts = (write_parts(path, dataset.iter_rel_rows(rel_type, a, b), columns,
                                  part_rows)
                     if count >= min_rows else None)
            if parts is not None:
                for part in parts:
                    yield copy_statement(rel_type, part, columns, (a, b)), {}
            else:
                for batch in batches(dataset.iter_rel_rows(rel_type, a, b), size):
                    yield dialect.create_rels(schema, rel_type, a, b), {"rows": batch}
