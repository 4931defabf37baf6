"""The embedded backend on LadybugDB: one file, no server.

Traps handled here (see shared/design/engines.md): one ``Database`` object per file per
process; any failed statement inside a transaction rolls the whole transaction back and ends
it, so a load stops at the first exception; a missing parameter would be NULL, so parameters
are checked first; ad-hoc queries run in ``BEGIN TRANSACTION READ ONLY``.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rnkg.errors import (
    BackendUnavailable,
    QueryError,
    RnkgError,
    check_interrupted,
    uninterruptible,
)
from rnkg.graph.backend import NOT_ENGINE, Backend, Conversion, Runner
from rnkg.graph.bulk import bulk_steps
from rnkg.graph.dialect import EMBEDDED
from rnkg.graph.loadplan import Changes, Step, Stored
from rnkg.graph.readonly import READ_ONLY_REFUSAL, parse_error
from rnkg.graph.values import GRel, clean_properties
from rnkg.schema import GraphSchema, load_schema
from rnkg.schema.ddl import HASH_COLUMN, ladybug_expected_columns
from rnkg.schema.model import REL_KEY

if TYPE_CHECKING:
    from rnkg.loaders.pipeline import Dataset

_DATABASES: dict[Path, tuple[Any, bool]] = {}
_LOCK = threading.Lock()


def _database(path: Path, read_only: bool) -> Any:
    """The one Database object for a path in this process (two would lose writes)."""
    import ladybug

    key = path.resolve()
    with _LOCK:
        cached = _DATABASES.get(key)
        if cached is not None:
            db, was_read_only = cached
            if read_only or not was_read_only:
                return db
            db.close()  # upgrade a read-only handle to read-write
            del _DATABASES[key]
        if key.exists() and key.is_file() and key.stat().st_size == 0:
            raise BackendUnavailable(f"{path} is an empty file, not a LadybugDB store; remove it")
        if key.is_dir():
            raise BackendUnavailable(f"{path} is a folder; --db names the store file")
        if read_only and not key.exists():
            raise BackendUnavailable(f"no store at {path}: run `rnkg load` first")
        key.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = ladybug.Database(str(key), read_only=read_only)
        except RuntimeError as exc:
            raise BackendUnavailable(_open_error(path, str(exc))) from None
        _DATABASES[key] = (db, read_only)
        return db


def _open_error(path: Path, message: str) -> str:
    if m := re.search(r"Lock is held by PID (\d+)", message):
        return f"{path} is in use by another process (PID {m[1]}); close it and retry"
    if "not a valid" in message.lower():
        return f"{path} is not a LadybugDB store"
    if "Cannot read checkpoint" in message and "outside the database file" in message:
        return (f"{path} is damaged or truncated (its checkpoint points past the end of the "
                "file); restore it, or rebuild it with `rnkg load --reset`")
    return f"cannot open {path}: {message.splitlines()[0]}"


def _kind(value: Any) -> str:
    return ("boolean" if isinstance(value, bool) else "number" if isinstance(value, int | float)
            else "list" if isinstance(value, list) else "map" if isinstance(value, dict)
            else "string")


def _check_list_params(params: Mapping[str, Any]) -> None:
    """Refuse a parameter list that mixes kinds: LadybugDB would turn it into a string.

    >>> _check_list_params({"x": {"a": [1, 2, None]}})
    >>> _check_list_params({"x": {"a": [[1], [2, {"c": None}]]}})
    Traceback (most recent call last):
    ...
    rnkg.errors.QueryError: parameter x.a[1]: a list mixing map and number; ...
    """
    for key, value in params.items():
        _check_value(value, str(key))


def _check_value(value: Any, name: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _check_value(item, f"{name}.{key}")
    elif isinstance(value, list):
        kinds = sorted({_kind(item) for item in value if item is not None})
        if len(kinds) > 1:
            raise QueryError(f"parameter {name}: a list mixing {' and '.join(kinds)}; the "
                             "embedded store's lists hold one kind of value")
        for i, item in enumerate(value):
            _check_value(item, f"{name}[{i}]")


def release(path: Path) -> None:
    """Close and forget the Database object of a path (tests, or before deleting a file)."""
    with _LOCK:
        cached = _DATABASES.pop(path.resolve(), None)
    if cached is not None:
        cached[0].close()


class LadybugBackend(Backend):
    """The graph in a LadybugDB file."""

    name = "embedded"
    dialect = EMBEDDED
    batch_size = 2000

    def __init__(self, path: Path, read_only: bool = False, schema: GraphSchema | None = None):
        import ladybug

        self.path = Path(path)
        self.schema = schema or load_schema()
        self._db = _database(self.path, read_only)
        self._conn = ladybug.Connection(self._db)
        self._load_tables: dict[str, str] | None = None
        self._fresh = False  # this load builds a new file (see _build_fresh)

    def _run(self, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        try:
            return self._conn.execute(cypher, dict(params or {}))
        except RuntimeError as exc:
            raise QueryError(_engine_message(str(exc))) from None

    def _rows(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        return _drain(self._run(cypher, params))

    def existing_tables(self) -> dict[str, str]:
        """Table name -> NODE or REL, as the store has them."""
        return {row[1]: row[2] for row in self._rows(self.dialect.tables)}

    # ------------------------------------------------------------ hooks of the skeleton

    def _prepare_load(self, reset: bool) -> None:
        """A merge into a store built with another schema is refused (the DDL runs in the load).

        The columns of every table are read in one query. A full build of a store that holds
        nothing but rnkg's tables (a reset) or no table at all writes a new file instead
        (:meth:`_build_fresh`)."""
        self._load_tables = None
        existing = self.existing_tables()
        self._fresh = set(existing) <= self._declared() if reset else not existing
        if reset:
            return
        self._load_tables = existing
        expected = ladybug_expected_columns(self.schema)
        present = [t for t in expected if t in existing]
        have: dict[str, dict[str, str]] = {t: {} for t in present}
        if present:
            query = " UNION ALL ".join(f"CALL table_info('{t}') RETURN '{t}' AS t, name, type"
                                       for t in present)
            for table, name, typ in self._rows(query):
                have[table][name] = typ
        for table in present:
            if have[table] != expected[table]:
                raise RnkgError(
                    f"{self.path} was built with another schema (table {table} differs); "
                    "run `rnkg load --reset` to rebuild it"
                )

    def _load_ddl(self, reset: bool) -> list[str]:
        """The schema's ``CREATE ... TABLE`` statements of the tables the store lacks (all of
        them after a reset): the others were checked column by column before the load."""
        tables = [*self.schema.nodes, *self.schema.relationships]
        statements = self.dialect.ddl(self.schema)
        if reset or len(tables) != len(statements):
            return statements
        existing = self._tables()
        return [ddl for table, ddl in zip(tables, statements, strict=True)
                if table not in existing]

    def stored_hashes(self) -> Stored:
        """Per declared type the store holds: key -> content hash (None: not written by a
        load), for rnkg's rows only (ids with their type's prefix, relationships with a rid).

        Two grouped scans (node tables, relationship tables), each giving a row per table
        with its keys and hashes as two lists of plain values (``collect`` skips NULL, so a
        missing hash is read as ``''``)."""
        present = self._tables()
        labels = "|".join(n for n in self.schema.nodes if n in present)
        types = "|".join(r for r in self.schema.relationships if r in present)
        parts = []
        if labels:
            parts.append(f"MATCH (n:{labels}) RETURN label(n) AS t, collect(n.id) AS k, "
                         f"collect(coalesce(n.{HASH_COLUMN}, '')) AS h")
        if types:
            parts.append(f"MATCH ()-[r:{types}]->() WHERE r.{REL_KEY} IS NOT NULL RETURN "
                         f"label(r) AS t, collect(r.{REL_KEY}) AS k, "
                         f"collect(coalesce(r.{HASH_COLUMN}, '')) AS h")
        out: Stored = {}
        if parts:
            for table, keys, digests in self._rows(" UNION ALL ".join(parts)):
                nt = self.schema.nodes.get(table)
                out[table] = _keyed(keys, digests, None if nt is None else f"{nt.prefix}:")
        return out

    def _full_steps(self, dataset: Dataset, changes: Changes, work: Path) -> Iterator[Step]:
        """``COPY FROM`` files written into the load's work folder (graph/bulk.py)."""
        return bulk_steps(self.schema, dataset, self.dialect, self.batch_size, work, changes)

    def _present_types(self) -> set[str]:
        return set(self.existing_tables())

    def _tables(self) -> Collection[str]:
        """The tables of the store: as read before this load began (until its write
        transaction ends), else read now."""
        return self._load_tables if self._load_tables is not None else self._present_types()

    def _declared(self) -> set[str]:
        return {*self.schema.nodes, *self.schema.relationships}

    def _write_transaction(self, work: Callable[[Runner], None]) -> None:
        """Run ``work`` in one transaction (or, for a full build, into a new file that
        replaces the store once whole); the rows a load builds meanwhile are many small
        objects, kept only until written: fewer passes of the garbage collector."""
        from rnkg.loaders.pipeline import fewer_gc_passes

        if self._fresh:
            self._fresh = False
            try:
                self._build_fresh(work)
            finally:
                self._load_tables = None
            return
        self._run("BEGIN TRANSACTION")
        try:
            with fewer_gc_passes():
                work(self._rows)
            check_interrupted()
            self._run("COMMIT")
        except BaseException:
            # The engine rolled the transaction back at the failing statement; a ROLLBACK
            # here only matters for errors raised in Python between statements.
            with contextlib.suppress(RuntimeError):
                self._conn.execute("ROLLBACK")
            raise
        finally:
            self._load_tables = None

    def _build_fresh(self, work: Callable[[Runner], None]) -> None:
        """A full build into a new file beside the store, which then replaces it (all or
        nothing: a build that fails is removed, the store left as it was).

        Inside one transaction LadybugDB keeps every page the load writes in its buffer pool
        (by default 80% of the machine's memory): 1M relationships took 2.1 GB beside the
        dataset, and a bounded pool made the COPY fail. Built statement by statement into a
        file of its own, each COPY is committed and its pages can leave memory, so the build
        runs in a pool of ``BUILD_BUFFER_POOL`` bytes."""
        import ladybug

        from rnkg.loaders.pipeline import fewer_gc_passes

        target = self.path.resolve()
        build = target.with_name(f"{target.name}.build")
        _remove_store(build)
        db = ladybug.Database(str(build), buffer_pool_size=BUILD_BUFFER_POOL)
        conn = ladybug.Connection(db)

        def run(cypher: str, params: Mapping[str, Any]) -> list[list[Any]]:
            try:
                return _drain(conn.execute(cypher, dict(params)))
            except RuntimeError as exc:
                raise QueryError(_engine_message(str(exc))) from None

        try:
            with fewer_gc_passes():
                work(run)
            check_interrupted()
        except BaseException:
            conn.close()
            db.close()
            _remove_store(build)
            raise
        with uninterruptible():  # a Ctrl-C now would leave one file renamed and not the other
            conn.close()
            db.close()
            self._conn.close()
            release(self.path)
            try:
                _wal(target).unlink(missing_ok=True)  # the old store's, if its close left one
                if _wal(build).exists():
                    os.replace(_wal(build), _wal(target))
                os.replace(build, target)
            finally:
                self._db = _database(self.path, False)
                self._conn = ladybug.Connection(self._db)

    def _read(
        self, cypher: str, params: dict[str, Any], write: bool
    ) -> tuple[list[str], list[list[Any]]]:
        _check_list_params(params)
        if write:
            return self._collect(cypher, params)
        # A READ ONLY transaction refuses writes to the graph, but not COPY ... TO a file,
        # INSTALL or a COMMIT that would end the transaction itself: the base screens those.
        self._run("BEGIN TRANSACTION READ ONLY")
        try:
            return self._collect(cypher, params)
        finally:
            with contextlib.suppress(RuntimeError):
                self._conn.execute("ROLLBACK")

    def _collect(self, cypher: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        res = self._run(cypher, params)
        if isinstance(res, list):  # several statements: keep the last result
            res = res[-1]
        return res.get_column_names(), _drain(res)

    def _convert_value(self, value: Any, conversion: Conversion) -> Any:
        """Paths, relationships and nodes come back as dicts with ``_``-keys."""
        if not isinstance(value, dict) or ("_LABEL" not in value and "_NODES" not in value):
            return NOT_ENGINE
        if "_NODES" in value and "_RELS" in value:
            return conversion.path(value["_NODES"], value["_RELS"])
        if "_SRC" in value and "_DST" in value:
            start, end = (conversion.end(_internal(value[k])) for k in ("_SRC", "_DST"))
            return GRel(value["_LABEL"], start, end, clean_properties(value))
        if "_ID" in value:
            return conversion.node(_internal(value["_ID"]), (value["_LABEL"],), value)
        return NOT_ENGINE

    def _end_ids(self, keys: Collection[Hashable]) -> dict[Hashable, str]:
        """Relationship values carry only internal ids ({offset, table}) of their ends: one
        lookup per table of the offsets the result needs."""
        names = {row[0]: row[1] for row in self._rows(self.dialect.tables) if row[2] == "NODE"}
        wanted: dict[int, list[int]] = {}
        # The keys are LadybugDB's internal ids, (table, offset) pairs (see _convert_value).
        for table_id, offset in cast("Collection[tuple[int, int]]", keys):
            wanted.setdefault(table_id, []).append(offset)
        out: dict[Hashable, str] = {}
        for table_id, offsets in wanted.items():
            if table_id in names:
                rows = self._rows(self.dialect.ids_at_offsets(names[table_id]),
                                  {"offsets": offsets})
                out.update({(table_id, int(o)): key for o, key in rows})
        return out

    def close(self) -> None:
        """Close this connection (the Database stays registered for the process)."""
        self._conn.close()


BUILD_BUFFER_POOL = 256 * 1024 * 1024
"""The buffer pool of a store being built (``_build_fresh``): 1M relationships build in it
(64 MB was too little at 100k, and a COPY part's working memory is most of it)."""


def _wal(path: Path) -> Path:
    return path.with_name(f"{path.name}.wal")


def _remove_store(path: Path) -> None:
    """Remove a store file and its write-ahead log, if there."""
    path.unlink(missing_ok=True)
    _wal(path).unlink(missing_ok=True)


def _internal(iid: dict[str, int]) -> tuple[int, int]:
    """A LadybugDB internal id as a hashable key: (table id, offset)."""
    return (iid["table"], iid["offset"])


def _keyed(keys: list[str], digests: list[str], prefix: str | None) -> dict[str, str | None]:
    """key -> stored hash (``''``, a row without one, as None), of the keys starting with
    ``prefix`` (all when None). The usual table, every key rnkg's and every row hashed, is
    built by C loops alone.

    >>> _keyed(["p:a", "x:b", "p:c"], ["h1", "h2", ""], "p:")
    {'p:a': 'h1', 'p:c': None}
    >>> _keyed(["a"], ["h"], None)
    {'a': 'h'}
    """
    held: dict[str, str | None] = dict(zip(keys, digests, strict=True))
    if prefix is not None and sum(map(str.startswith, keys, repeat(prefix))) != len(keys):
        held = {k: d for k, d in held.items() if k.startswith(prefix)}
    if "" in digests:
        held = {k: d or None for k, d in held.items()}
    return held


def _drain(res: Any) -> list[list[Any]]:
    rows = []
    while res.has_next():
        rows.append(res.get_next())
    return rows


def _engine_message(message: str) -> str:
    first = message.strip().splitlines()[0] if message.strip() else "query failed"
    # A write in a READ ONLY transaction, or on a store opened read-only.
    if "read-only transaction" in first or "read-only database" in first:
        return READ_ONLY_REFUSAL
    if first.startswith("Parser exception:"):
        return str(parse_error(first.removeprefix("Parser exception:").strip()))
    return first
