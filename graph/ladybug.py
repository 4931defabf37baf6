"""The embedded backend on LadybugDB: one file, no server.

Traps handled here (see shared/design/engines.md): one ``Database`` object per file per
process; any failed statement inside a transaction rolls the whole transaction back and ends
it, so a load stops at the first exception; a missing parameter would be NULL, so parameters
are checked first; ad-hoc queries run in ``BEGIN TRANSACTION READ ONLY``.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rnkg.errors import BackendUnavailable, QueryError, RnkgError
from rnkg.graph.backend import LoadReport, check_parameters
from rnkg.graph.readonly import READ_ONLY_REFUSAL, check_read_only
from rnkg.graph.statements import LADYBUG, load_steps
from rnkg.graph.values import GNode, GPath, GRel, Result, clean_properties, normalise
from rnkg.schema import GraphSchema, load_schema
from rnkg.schema.ddl import ladybug_ddl, ladybug_expected_columns

BATCH = 2000
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
    return f"cannot open {path}: {message.splitlines()[0]}"


def release(path: Path) -> None:
    """Close and forget the Database object of a path (tests, or before deleting a file)."""
    with _LOCK:
        cached = _DATABASES.pop(path.resolve(), None)
    if cached is not None:
        cached[0].close()


class LadybugBackend:
    """The graph in a LadybugDB file."""

    name = "embedded"

    def __init__(self, path: Path, read_only: bool = False, schema: GraphSchema | None = None):
        import ladybug

        self.path = Path(path)
        self.schema = schema or load_schema()
        self._db = _database(self.path, read_only)
        self._conn = ladybug.Connection(self._db)
        self._tables: dict[int, str] | None = None

    # ------------------------------------------------------------ low level

    def _run(self, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        try:
            return self._conn.execute(cypher, dict(params or {}))
        except RuntimeError as exc:
            raise QueryError(_engine_message(str(exc))) from None

    def _rows(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        return _drain(self._run(cypher, params))

    def existing_tables(self) -> dict[str, str]:
        """Table name -> NODE or REL, as the store has them."""
        return {row[1]: row[2] for row in self._rows("CALL show_tables() RETURN *")}

    def _check_schema(self) -> None:
        existing = self.existing_tables()
        expected = ladybug_expected_columns(self.schema)
        for table, columns in expected.items():
            if table not in existing:
                continue
            info = self._rows(f"CALL table_info('{table}') RETURN *")
            have = {row[1]: row[2] for row in info}
            if have != columns:
                raise RnkgError(
                    f"{self.path} was built with another schema (table {table} differs); "
                    "run `rnkg load --reset` to rebuild it"
                )

    # ------------------------------------------------------------ loading

    def load(self, dataset: Any, reset: bool = False) -> LoadReport:
        """Write the dataset in one transaction; ``reset`` drops rnkg's tables first."""
        started = time.perf_counter()
        if not reset:
            self._check_schema()
        self._run("BEGIN TRANSACTION")
        try:
            if reset:
                existing = self.existing_tables()
                for name in self.schema.relationships:
                    if name in existing:
                        self._run(f"DROP TABLE {name}")
                for label in self.schema.nodes:
                    if label in existing:
                        self._run(f"DROP TABLE {label}")
            for statement in ladybug_ddl(self.schema):
                self._run(statement)
            self._write(dataset)
            self._run("COMMIT")
        except BaseException:
            # The engine rolled the transaction back at the failing statement; a ROLLBACK
            # here only matters for errors raised in Python between statements.
            with contextlib.suppress(RuntimeError):
                self._conn.execute("ROLLBACK")
            raise
        self._tables = None
        return LoadReport(self.counts(), time.perf_counter() - started, reset)

    def _write(self, dataset: Any) -> None:
        for statement, rows in load_steps(self.schema, dataset, LADYBUG, BATCH):
            self._run_batch(statement, rows)

    def _run_batch(self, statement: str, rows: list[dict[str, Any]]) -> None:
        self._run(statement, {"rows": rows})

    # ------------------------------------------------------------ reading

    def query(
        self, cypher: str, params: Mapping[str, Any] | None = None, write: bool = False
    ) -> Result:
        """Run Cypher; read-only (a real read-only transaction) unless ``write``."""
        params = dict(params or {})
        check_parameters(cypher, params)
        if write:
            columns, rows = self._collect(cypher, params)
        else:
            # A READ ONLY transaction refuses writes to the graph, but not COPY ... TO a file,
            # INSTALL or a COMMIT that would end the transaction itself: screen those first.
            check_read_only(cypher, self.name)
            self._run("BEGIN TRANSACTION READ ONLY")
            try:
                columns, rows = self._collect(cypher, params)
            finally:
                with contextlib.suppress(RuntimeError):
                    self._conn.execute("ROLLBACK")
        return Result(columns, [[self._convert(v) for v in row] for row in rows])

    def _collect(self, cypher: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        res = self._run(cypher, params)
        if isinstance(res, list):  # several statements: keep the last result
            res = res[-1]
        return res.get_column_names(), _drain(res)

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type (zeros for absent tables)."""
        existing = self.existing_tables()
        out: dict[str, int] = {}
        for label in self.schema.nodes:
            out[label] = (
                int(self._rows(f"MATCH (n:{label}) RETURN count(n)")[0][0])
                if label in existing else 0
            )
        for rel in self.schema.relationships:
            out[rel] = (
                int(self._rows(f"MATCH ()-[r:{rel}]->() RETURN count(r)")[0][0])
                if rel in existing else 0
            )
        return out

    def close(self) -> None:
        """Close this connection (the Database stays registered for the process)."""
        self._conn.close()

    # ------------------------------------------------------------ value conversion

    def _convert(self, value: Any) -> Any:
        if isinstance(value, dict):
            if "_NODES" in value and "_RELS" in value:
                nodes = tuple(self._convert(n) for n in value["_NODES"])
                return GPath(nodes, tuple(self._convert(r) for r in value["_RELS"]))
            if "_SRC" in value and "_DST" in value and "_LABEL" in value:
                start, end = self._keys([value["_SRC"], value["_DST"]])
                return GRel(value["_LABEL"], start, end, clean_properties(value))
            if "_ID" in value and "_LABEL" in value:
                return GNode(value.get("id"), (value["_LABEL"],), clean_properties(value))
            return {k: self._convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._convert(v) for v in value]
        return normalise(value)

    def _keys(self, internal_ids: list[dict[str, int]]) -> list[str]:
        """rnkg ids of nodes given LadybugDB internal ids ({offset, table}).

        Relationship values carry only internal ids of their ends; a table's offset -> id map
        is read once per table and kept until the next load.
        """
        if self._tables is None:
            self._tables = {
                row[0]: row[1] for row in self._rows("CALL show_tables() RETURN *")
                if row[2] == "NODE"
            }
            self._offsets: dict[int, dict[int, str]] = {}
        out = []
        for iid in internal_ids:
            table_id, offset = iid["table"], iid["offset"]
            if table_id not in self._offsets:
                table = self._tables.get(table_id)
                rows = self._rows(f"MATCH (n:{table}) RETURN offset(id(n)), n.id") if table else []
                self._offsets[table_id] = {int(o): key for o, key in rows}
            out.append(self._offsets[table_id].get(offset, f"?{table_id}:{offset}"))
        return out


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
    return first
