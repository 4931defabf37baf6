r"""Files for ``neo4j-admin database import full``: a whole dataset as Neo4j's bulk-import CSV.

``rnkg export neo4j-import DIR`` writes one nodes file per label and one relationships file per
relationship type, built from the same rows the online load sends
(``Dataset.node_rows`` / ``rel_rows``), so the imported database holds exactly the labels,
property names, types and values (``_hash`` and ``rid`` included) that ``rnkg load`` writes:

- nodes: ``id:ID(rnkg)``, then every column with its import type (``name:string``,
  ``aliases:string[]``, ``date_from:date``, ``capacity:long`` ...), ``_hash:string``, ``:LABEL``;
- relationships: ``:START_ID(rnkg)``, ``:END_ID(rnkg)``, ``rid:string``, the columns,
  ``_hash:string``, ``:TYPE``.

Cells: a string is always quoted (``"`` doubled inside), so ``""`` is the empty string; an
absent value (None) is an unquoted empty field, which leaves the property out, as the online
load's ``{x: null}`` does. Lists are their items joined by an array delimiter that occurs in
no item of the data (the first free one of :data:`DELIMITERS`; none free is an error).

Two lists the tool cannot carry (an empty field stores no property): ``[]`` and ``['']``, both
common (no aliases; one citation without a quote). The online load stores them as lists, so
the export leaves them out of the CSV, names each ``['']`` column of a row in the import-only
property ``_import_blank``, and writes ``DIR/after-import.cypher``: the schema's constraints
and indexes (as ``rnkg load`` declares them), then one statement a type that sets those lists
and removes ``_import_blank``. Run it once on the started server (``cypher-shell -f``); the
database then matches the online load property for property (tests/test_neo4j_import.py).
``DIR/import.args`` holds the tool's arguments, one a line, for ``scripts/neo4j import DIR``.

>>> node_header({"id": "string", "name": "string", "aliases": "string[]", "date_from": "date"})
['id:ID(rnkg)', 'name:string', 'aliases:string[]', 'date_from:date', ':LABEL']
>>> print(cell(["a", 'b "c" d'], "string[]", ";"), cell("", "string", ";"))
"a;b ""c"" d" ""
>>> cell(None, "date", ";"), cell(2.5, "float", ";"), cell(False, "bool", ";")
('', '2.5', 'false')
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rnkg.errors import OutputError
from rnkg.schema.ddl import HASH_COLUMN, neo4j_ddl
from rnkg.schema.model import REL_KEY

if TYPE_CHECKING:
    from rnkg.loaders.pipeline import Dataset
    from rnkg.schema.model import GraphSchema

IMPORT_TYPES = {
    "string": "string",
    "text": "string",
    "int": "long",
    "float": "double",
    "bool": "boolean",
    "date": "date",
    "string[]": "string[]",
}
"""rnkg's property types -> neo4j-admin header types (what the online load's values become:
a Python int is a Neo4j long, a float a double)."""

DELIMITERS = ("\x1f", "\x1e", "\x1d", "\x1c", "|", ";", "\x07")
"""Array delimiters to try, in order: the first that occurs in no list item is used."""

ARGS_FILE = "import.args"
REPORT_FILE = "import.report"
AFTER_FILE = "after-import.cypher"
DEFAULT_DATABASE = "neo4j"
BLANK = "_import_blank"
"""Import-only property: the list columns of a row that hold ``['']`` (removed after import)."""
FIX_BATCH = 10000
ID_SPACE = "rnkg"
"""One id space for every label: rnkg ids are unique across types (each has its prefix), so the
tool checks that too, and one relationships file serves every end-label pair of a type."""
Table = tuple[str, bool, dict[str, str], list[dict[str, Any]]]


@dataclass
class ImportFiles:
    """What one export wrote: the files per label and type, and the tool's arguments."""

    folder: Path
    database: str
    delimiter: str
    multiline: bool
    nodes: dict[str, Path] = field(default_factory=dict)
    relationships: dict[str, Path] = field(default_factory=dict)
    node_count: int = 0
    rel_count: int = 0

    def arguments(self) -> list[str]:
        """The arguments after ``neo4j-admin`` (absolute paths).

        >>> files = ImportFiles(Path("/x"), "neo4j", "\x1f", False, {"Person": Path("/x/a.csv")})
        >>> files.arguments()[:5]
        ['database', 'import', 'full', 'neo4j', '--overwrite-destination=true']
        >>> files.arguments()[-3:]
        ['--array-delimiter=U+001F', '--report-file=/x/import.report', '--nodes=/x/a.csv']
        """
        args = ["database", "import", "full", self.database, "--overwrite-destination=true",
                "--id-type=string", f"--array-delimiter={delimiter_option(self.delimiter)}"]
        if self.multiline:
            args.append("--multiline-fields=true")
        args.append(f"--report-file={self.folder / REPORT_FILE}")
        args += [f"--nodes={p}" for p in self.nodes.values()]
        args += [f"--relationships={p}" for p in self.relationships.values()]
        return args

    def command(self) -> str:
        """The whole command line, quoted for a POSIX shell."""
        return shlex.join(["neo4j-admin", *self.arguments()])

    def summary(self) -> str:
        """What was written, in one line."""
        return (f"{self.node_count} nodes in {len(self.nodes)} files, {self.rel_count} "
                f"relationships in {len(self.relationships)} files")


def delimiter_option(delimiter: str) -> str:
    """How ``--array-delimiter`` takes a character: printable as itself, else ``U+XXXX``.

    >>> delimiter_option(";"), delimiter_option("\x1f")
    (';', 'U+001F')
    """
    return delimiter if delimiter.isprintable() else f"U+{ord(delimiter):04X}"


def node_header(types: dict[str, str]) -> list[str]:
    """A nodes file's header: ``id:ID(rnkg)``, typed columns, ``:LABEL``."""
    head = [f"id:ID({ID_SPACE})" if c == "id" else f"{c}:{IMPORT_TYPES[t]}"
            for c, t in types.items()]
    return [*head, ":LABEL"]


def rel_header(types: dict[str, str]) -> list[str]:
    """A relationships file's header: ``:START_ID(rnkg)``, ``:END_ID(rnkg)``, typed columns,
    ``:TYPE``.

    >>> rel_header({"rid": "string", "note": "text"})
    [':START_ID(rnkg)', ':END_ID(rnkg)', 'rid:string', 'note:string', ':TYPE']
    """
    return [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})",
            *(f"{c}:{IMPORT_TYPES[t]}" for c, t in types.items()), ":TYPE"]


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def cell(value: Any, typ: str, delimiter: str) -> str:
    """One CSV field of a row value (rows hold dates as ISO text already)."""
    if value is None:
        return ""
    if typ == "string[]":
        return _quote(delimiter.join(value)) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quote(value) if typ in ("string", "text") else value
    if isinstance(value, float):
        return repr(value)
    return str(value)


def pick_delimiter(items: Iterable[str]) -> str:
    """The first of :data:`DELIMITERS` in none of ``items``; else :class:`OutputError`.

    >>> pick_delimiter(["a\x1fb", "c"]) == "\x1e"
    True
    >>> pick_delimiter(["".join(DELIMITERS)])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rnkg.errors.OutputError: every array delimiter rnkg can use ... cannot carry these lists
    """
    seen: set[str] = set()
    for item in items:
        seen.update(d for d in DELIMITERS if d in item)
        if len(seen) == len(DELIMITERS):
            break
    for delimiter in DELIMITERS:
        if delimiter not in seen:
            return delimiter
    names = ", ".join(repr(delimiter_option(d)) for d in DELIMITERS)
    raise OutputError(f"every array delimiter rnkg can use ({names}) occurs in a list value; "
                      "neo4j-admin import cannot carry these lists")


def _tables(dataset: Dataset) -> Iterator[Table]:
    """(label or type, whether a relationship type, column types, rows) of every non-empty
    table: a file a node label, a file a relationship type (all its end-label pairs)."""
    schema = dataset.schema
    for label in schema.nodes:
        rows = dataset.node_rows(label)
        if rows:
            yield label, False, {**schema.node_columns(label), HASH_COLUMN: "string"}, rows
    for rel_type, rt in schema.relationships.items():
        types = {**schema.rel_columns(rel_type), HASH_COLUMN: "string"}
        rows = [row for a, b in rt.endpoints for row in dataset.rel_rows(rel_type, a, b)]
        if rows:
            yield rel_type, True, types, sorted(rows, key=lambda r: r[REL_KEY])


def _list_items(tables: list[Table]) -> Iterator[str]:
    for _, _, types, rows in tables:
        lists = [c for c, t in types.items() if t == "string[]"]
        for row in rows:
            for c in lists:
                yield from row[c]


def _multiline(tables: list[Table]) -> bool:
    """Whether any text holds a line break (the tool then needs ``--multiline-fields``)."""
    for _, _, types, rows in tables:
        texts = [c for c, t in types.items() if t in ("string", "text", "string[]")]
        for row in rows:
            for c in texts:
                value = row[c]
                parts = value if isinstance(value, list) else [value]
                if any(isinstance(p, str) and ("\n" in p or "\r" in p) for p in parts):
                    return True
    return False


def list_columns(types: dict[str, str]) -> list[str]:
    """The list columns of a table, in order."""
    return [c for c, t in types.items() if t == "string[]"]


def _with_blank(types: dict[str, str]) -> dict[str, str]:
    return {**types, BLANK: "string[]"} if list_columns(types) else types


def import_row(row: dict[str, Any], lists: list[str]) -> dict[str, Any]:
    """A row as the file carries it: ``[]`` and ``['']`` left out, each ``['']`` column named
    in :data:`BLANK` (the after-import statements put both back).

    >>> import_row({"a": [], "b": [""], "c": ["x", ""]}, ["a", "b", "c"])
    {'a': None, 'b': None, 'c': ['x', ''], '_import_blank': ['b']}
    """
    out = dict(row)
    blank = []
    for c in lists:
        if row[c] == [""]:
            blank.append(c)
        if not row[c] or row[c] == [""]:
            out[c] = None
    out[BLANK] = blank
    return out


def _write_table(path: Path, head: list[str], types: dict[str, str],
                 rows: list[dict[str, Any]], name: str, delimiter: str, ends: bool) -> None:
    """One file: the header, then a line a row (a relationship's ends first)."""
    lists = list_columns(types)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(head) + "\n")
        for row in rows:
            carried = import_row(row, lists) if lists else row
            cells = [cell(carried[c], t, delimiter) for c, t in _with_blank(types).items()]
            if ends:
                cells = [_quote(row["from"]), _quote(row["to"]), *cells]
            out.write(",".join([*cells, name]) + "\n")


def restore_lists(var: str, pattern: str, lists: list[str]) -> str:
    r"""The statement that sets one type's ``[]`` and ``['']`` lists and removes :data:`BLANK`,
    in transactions of :data:`FIX_BATCH` rows (names from the schema only).

    >>> print(restore_lists("n", "(n:Person)", ["aliases"]).replace(" CALL", "\nCALL"
    ...       ).replace(" THEN", "\n  THEN").replace(" REMOVE", "\n  REMOVE"))
    MATCH (n:Person) WHERE n._import_blank IS NOT NULL OR n.aliases IS NULL
    CALL (n) { SET n.aliases = CASE WHEN 'aliases' IN coalesce(n._import_blank, [])
      THEN [''] ELSE coalesce(n.aliases, []) END
      REMOVE n._import_blank } IN TRANSACTIONS OF 10000 ROWS;
    """
    where = " OR ".join([f"{var}.{BLANK} IS NOT NULL", *(f"{var}.{c} IS NULL" for c in lists)])
    sets = ", ".join(f"{var}.{c} = CASE WHEN '{c}' IN coalesce({var}.{BLANK}, []) THEN [''] "
                     f"ELSE coalesce({var}.{c}, []) END" for c in lists)
    return (f"MATCH {pattern} WHERE {where} CALL ({var}) {{ SET {sets} "
            f"REMOVE {var}.{BLANK} }} IN TRANSACTIONS OF {FIX_BATCH} ROWS;")


def after_import_statements(schema: GraphSchema, present: Iterable[str]) -> list[str]:
    """What to run on the server after the import: the schema's constraints and indexes,
    then the list restores of the types ``present`` (each auto-committed on its own)."""
    out = [f"{statement};" for statement in neo4j_ddl(schema)]
    names = set(present)
    for label in schema.nodes:
        lists = list_columns(schema.node_columns(label))
        if label in names and lists:
            out.append(restore_lists("n", f"(n:{label})", lists))
    for rel_type in schema.relationships:
        lists = list_columns(schema.rel_columns(rel_type))
        if rel_type in names and lists:
            out.append(restore_lists("r", f"()-[r:{rel_type}]->()", lists))
    return out


def write_import(dataset: Dataset, folder: Path, database: str = DEFAULT_DATABASE
                 ) -> ImportFiles:
    """Write ``dataset`` as neo4j-admin import files into ``folder``, all of them or none.

    ``folder`` must be new, empty, or an earlier export of this kind (its ``import.args``
    says so); it is replaced whole. The files are written beside it first.
    """
    folder = Path(folder).absolute()
    if folder.exists() and (not folder.is_dir() or (any(folder.iterdir())
                                                    and not (folder / ARGS_FILE).is_file())):
        raise OutputError(f"{folder} is not an empty folder nor an earlier neo4j-import export; "
                          "give a new folder")
    tables = list(_tables(dataset))
    files = ImportFiles(folder, database, pick_delimiter(_list_items(tables)),
                        _multiline(tables))
    work = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    try:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        for name, is_rel, types, rows in tables:
            if is_rel:
                path = folder / f"rels-{name}.csv"
                head = rel_header(_with_blank(types))
                files.relationships[name] = path
                files.rel_count += len(rows)
            else:
                path = folder / f"nodes-{name}.csv"
                head = node_header(_with_blank(types))
                files.nodes[name] = path
                files.node_count += len(rows)
            _write_table(work / path.name, head, types, rows, name, files.delimiter, is_rel)
        after = after_import_statements(dataset.schema, {t[0] for t in tables})
        (work / AFTER_FILE).write_text("\n".join(after) + "\n", encoding="utf-8")
        (work / ARGS_FILE).write_text("\n".join(files.arguments()) + "\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        os.replace(work, folder)
    except OSError as exc:
        raise OutputError(f"cannot write {folder}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return files
