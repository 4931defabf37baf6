"""The backend skeleton every engine fills in, its settings, and the factory.

Settings resolve explicitly (flag > environment > default) into one object:

>>> s = Settings.resolve(backend="embedded", db="/tmp/x.lbug", env={})
>>> (s.backend, str(s.db))
('embedded', '/tmp/x.lbug')
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rnkg.errors import QueryError, RnkgError, check_interrupted
from rnkg.graph.dialect import Dialect
from rnkg.graph.loadplan import Changes, Step, Stored, full_steps, is_empty, reload_steps
from rnkg.graph.readonly import check_read_only
from rnkg.graph.values import GNode, GPath, GRel, Result, clean_properties, normalise

if TYPE_CHECKING:
    from rnkg.loaders.pipeline import Dataset
    from rnkg.schema.model import GraphSchema

BACKENDS = ("embedded", "neo4j")


def default_db_path(env: Mapping[str, str]) -> Path:
    """Where the embedded store lives unless told: ``$XDG_DATA_HOME/rnkg/rnkg.lbug``."""
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rnkg" / "rnkg.lbug"


@dataclass(frozen=True)
class Settings:
    """Where the graph lives. Credentials come from the environment and are never printed."""

    backend: str = "embedded"
    db: Path = field(default_factory=lambda: default_db_path(os.environ))
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = field(default="", repr=False)
    neo4j_database: str | None = None

    @classmethod
    def resolve(
        cls,
        backend: str | None = None,
        db: str | Path | None = None,
        neo4j_uri: str | None = None,
        neo4j_database: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Settings:
        """Flags first, then ``RNKG_*`` / ``NEO4J_*`` environment variables, then defaults."""
        env = os.environ if env is None else env
        chosen = backend or env.get("RNKG_BACKEND") or "embedded"
        if chosen not in BACKENDS:
            raise RnkgError(f"unknown backend {chosen!r}: use embedded or neo4j")
        db_path = Path(db or env.get("RNKG_DB") or default_db_path(env)).expanduser()
        return cls(
            backend=chosen,
            db=db_path,
            neo4j_uri=neo4j_uri or env.get("NEO4J_URI") or "bolt://127.0.0.1:7687",
            neo4j_user=env.get("NEO4J_USERNAME") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD", ""),
            neo4j_database=neo4j_database or env.get("NEO4J_DATABASE") or None,
        )

    def describe(self) -> str:
        """Where the graph is, for messages (never the password)."""
        if self.backend == "embedded":
            return f"embedded store {self.db}"
        return f"Neo4j at {self.neo4j_uri}" + (
            f" (database {self.neo4j_database})" if self.neo4j_database else ""
        )


@dataclass
class LoadReport:
    """What a load did: counts per label and type after it, and how long it took.

    A load that committed is reported as committed even when the counts after it could not be
    read (the server went away, say): ``counts`` is then empty and ``counts_error`` says why.
    """

    counts: dict[str, int]
    seconds: float
    reset: bool
    counts_error: str | None = None
    changes: Changes = field(default_factory=Changes)
    #: whether every row was written (a reset, or a store holding nothing of rnkg's)
    full: bool = False


Runner = Callable[[str, Mapping[str, Any]], list[list[Any]]]
"""Runs one statement with parameters inside a write transaction and returns its rows."""


def _run_alone(statement: str, run: Runner) -> None:
    """Run one parameterless statement (a DDL statement in its own transaction)."""
    run(statement, {})


class Backend(ABC):
    """A graph store rnkg can load and query: the skeleton, once, over small engine hooks.

    Implementations (graph/ladybug.py, graph/neo4j.py) provide a write transaction, a read,
    the conversion of one engine value and the lookup of relationship ends; the Cypher they
    run comes from their ``dialect`` (graph/dialect.py), the types from their ``schema``.
    """

    name: str
    schema: GraphSchema
    dialect: Dialect
    batch_size: int = 1000

    # ------------------------------------------------------------ the skeleton

    def load(self, dataset: Dataset, reset: bool = False) -> LoadReport:
        """Write a dataset in one transaction (all or nothing): a full build when ``reset``
        or the store holds nothing of rnkg's, else only new and changed rows, and the removal
        of rows a load wrote that the facts no longer hold (graph/loadplan.py)."""
        started = time.perf_counter()
        self._prepare_load(reset)
        stored = {} if reset else self.stored_hashes()
        full = reset or is_empty(stored)
        changes = Changes()
        with tempfile.TemporaryDirectory(prefix="rnkg-load-") as work:
            steps = self.load_steps(dataset, reset, full, stored, changes, Path(work))
            # A load with nothing to write (a reload of unchanged data) opens no transaction.
            first = next(steps, None)
            if first is not None:
                self._write_transaction(lambda run: self._write(run, chain([first], steps)))
        seconds = time.perf_counter() - started
        try:
            counts, problem = self._counts_after(wrote=first is not None), None
        except RnkgError as exc:  # committed all the same: say so, and why counts are missing
            counts, problem = {}, str(exc)
        return LoadReport(counts, seconds, reset, problem, changes, full)

    def load_steps(self, dataset: Dataset, reset: bool, full: bool, stored: Stored,
                   changes: Changes, work: Path) -> Iterator[Step]:
        """Every statement of a load, in order (drawn lazily: bulk files are written as the
        steps are drawn, inside the transaction)."""
        if reset:
            yield from self.dialect.reset(self.schema)
        if self.dialect.ddl_in_load_transaction:
            for statement in self._load_ddl(reset):
                yield statement, {}
        if full:
            yield from self._full_steps(dataset, changes, work)
        else:
            yield from reload_steps(self.schema, dataset, self.dialect, self.batch_size,
                                    stored, changes)

    def _full_steps(self, dataset: Dataset, changes: Changes, work: Path) -> Iterator[Step]:
        """A full build's row steps: CREATE batches unless the engine has a bulk path."""
        return full_steps(self.schema, dataset, self.dialect, self.batch_size, changes)

    def _write(self, run: Runner, steps: Iterable[Step]) -> None:
        for statement, params in steps:
            check_interrupted()
            self._run_step(run, statement, params)

    def _run_step(self, run: Runner, statement: str, params: dict[str, Any]) -> None:
        run(statement, params)

    def stored_hashes(self) -> Stored:
        """Per declared type the store holds: key -> content hash (None: not written by a
        load), for rnkg's rows only (ids with a schema prefix, relationships with a rid)."""
        out: Stored = {}
        query = self.dialect.stored_keys(self.schema, self._present_types())
        if query is not None:
            for table, key, digest in self._read(query[0], query[1], write=False)[1]:
                out.setdefault(table, {})[key] = digest
        return out

    def ensure_schema(self) -> None:
        """Declare the schema's types to the engine (idempotent).

        Engines that take DDL inside the load's transaction get it there instead.
        """
        if not self.dialect.ddl_in_load_transaction:
            for statement in self.dialect.ddl(self.schema):
                self._write_transaction(partial(_run_alone, statement))

    def query(
        self, cypher: str, params: Mapping[str, Any] | None = None, write: bool = False
    ) -> Result:
        """Run Cypher with parameters; read-only unless ``write``."""
        params = dict(params or {})
        check_parameters(cypher, params)
        if not write:
            check_read_only(cypher, self.name)
        columns, raw = self._read(cypher, params, write)
        return Result(columns, Conversion(self).rows(raw))

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, every declared one (zeros included)."""
        out = dict.fromkeys([*self.schema.nodes, *self.schema.relationships], 0)
        cypher = self.dialect.counts(self.schema, self._present_types())
        if cypher is not None:
            for name, count in self._read(cypher, {}, write=False)[1]:
                out[name] = int(count)
        return out

    # ------------------------------------------------------------ engine hooks

    def _prepare_load(self, reset: bool) -> None:
        """Before the load's transaction: by default, declare the schema."""
        self.ensure_schema()

    def _counts_after(self, wrote: bool) -> dict[str, int]:
        """The counts a load reports (``wrote``: whether it ran a transaction): read again."""
        return self.counts()

    def _load_ddl(self, reset: bool) -> list[str]:
        """The DDL a load runs in its transaction (engines with ``ddl_in_load_transaction``):
        by default every statement of the schema (each is idempotent)."""
        return self.dialect.ddl(self.schema)

    def _present_types(self) -> Collection[str] | None:
        """The declared types the store holds, where naming an absent one is an error."""
        return None

    @abstractmethod
    def _write_transaction(self, work: Callable[[Runner], None]) -> None:
        """Run ``work(run)`` in one write transaction: committed if it returns, else nothing."""

    @abstractmethod
    def _read(
        self, cypher: str, params: dict[str, Any], write: bool
    ) -> tuple[list[str], list[list[Any]]]:
        """Column names and raw engine rows of a query (in a read transaction unless ``write``)."""

    @abstractmethod
    def _convert_value(self, value: Any, conversion: Conversion) -> Any:
        """One engine node / relationship / path as a GNode / GRel / GPath, else NOT_ENGINE."""

    @abstractmethod
    def _end_ids(self, keys: Collection[Hashable]) -> dict[Hashable, str]:
        """rnkg ids of nodes known only by engine-internal keys (relationship ends)."""

    @abstractmethod
    def close(self) -> None:
        """Release the store."""


NOT_ENGINE = object()
"""What ``_convert_value`` returns for a value that is not an engine graph value."""


@dataclass(frozen=True)
class _End:
    """A relationship end known only by its engine-internal key, until resolved."""

    key: Hashable


class Conversion:
    """Engine values of one result to GNode / GRel / GPath, relationship ends as rnkg ids.

    Nodes seen in the result give their ids; ends still unknown are looked up once, together.
    """

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.ids: dict[Hashable, str] = {}
        self.pending: set[Hashable] = set()

    def rows(self, raw: list[list[Any]]) -> list[list[Any]]:
        """Every row converted, with relationship ends resolved."""
        rows = [[self.value(v) for v in row] for row in raw]
        missing = self.pending - self.ids.keys()
        if missing:
            self.ids.update(self.backend._end_ids(missing))
        if not self.pending:
            return rows
        return [[self._finish(v) for v in row] for row in rows]

    def value(self, value: Any) -> Any:
        """One value: a graph value through the engine hook, lists and maps walked."""
        converted = self.backend._convert_value(value, self)
        if converted is not NOT_ENGINE:
            return converted
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return normalise(value)

    def node(self, key: Hashable, labels: tuple[str, ...], props: dict[str, Any]) -> GNode:
        """A node, remembering which rnkg id its engine key stands for."""
        node_id = props.get("id")
        if node_id is not None:
            self.ids[key] = node_id
        # A node rnkg did not write may have no id: it keeps None, as the JSON output shows.
        return GNode(cast(str, node_id), labels, clean_properties(props))

    def end(self, key: Hashable, node_id: str | None = None) -> Any:
        """A relationship end: its rnkg id, or a placeholder resolved at the end."""
        if node_id is not None:
            self.ids[key] = node_id
            return node_id
        self.pending.add(key)
        return _End(key)

    def path(self, nodes: list[Any], rels: list[Any]) -> GPath:
        """A path from the engine's node and relationship values."""
        return GPath(tuple(self.value(n) for n in nodes), tuple(self.value(r) for r in rels))

    def _id(self, end: Any) -> Any:
        return self.ids.get(end.key, f"?{end.key}") if isinstance(end, _End) else end

    def _finish(self, value: Any) -> Any:
        if isinstance(value, GRel):
            return GRel(value.type, self._id(value.start), self._id(value.end), value.properties)
        if isinstance(value, GPath):
            return GPath(value.nodes, tuple(self._finish(r) for r in value.relationships))
        if isinstance(value, list):
            return [self._finish(v) for v in value]
        if isinstance(value, dict):
            return {k: self._finish(v) for k, v in value.items()}
        return value


def open_backend(settings: Settings, read_only: bool = False) -> Backend:
    """Open the backend the settings name.

    Heavy imports happen here, so ``rnkg --help`` stays instant.
    """
    if settings.backend == "neo4j":
        from rnkg.graph.neo4j import Neo4jBackend

        return Neo4jBackend(settings)
    from rnkg.graph.ladybug import LadybugBackend

    return LadybugBackend(settings.db, read_only=read_only)


_STRINGS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def parameter_names(cypher: str) -> set[str]:
    """The ``$names`` a query uses, outside strings and comments.

    >>> sorted(parameter_names("MATCH (n {id: $id}) WHERE n.name <> '$no' RETURN $x // $c"))
    ['id', 'x']
    """
    return set(_PARAM.findall(_STRINGS.sub(" ", cypher)))


def check_parameters(cypher: str, params: Mapping[str, Any]) -> None:
    """Refuse a query whose ``$names`` are not all given (LadybugDB would read them as NULL)."""
    missing = sorted(parameter_names(cypher) - set(params))
    if missing:
        names = ", ".join(f"${m}" for m in missing)
        raise QueryError(f"missing parameter {names}: pass --param NAME=VALUE")
