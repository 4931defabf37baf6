"""The Neo4j backend, on the official driver.

One driver per backend object, closed by ``close()``. Loads run as one explicit write
transaction: all or nothing, and never retried by the driver, because a load's steps are drawn
once (a retry would run an exhausted step list and commit nothing, or only its tail, as if it
had loaded all). A transient error (the server's transaction memory pool exhausted, say) rolls
the load back and is reported as an error. Queries run through ``execute_read`` in a
read-access session unless ``write`` is asked for, so the server itself refuses writes.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from functools import partial
from typing import Any

from rnkg.errors import BackendUnavailable, QueryError, check_interrupted
from rnkg.graph.backend import NOT_ENGINE, Backend, Conversion, Runner, Settings, _run_alone
from rnkg.graph.dialect import NEO4J
from rnkg.graph.loadplan import Step, Stored
from rnkg.graph.prefetch import Prefetch
from rnkg.graph.readonly import READ_ONLY_REFUSAL, parse_error
from rnkg.graph.values import GRel, clean_properties
from rnkg.schema import GraphSchema, load_schema

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class Neo4jBackend(Backend):
    """The graph in a Neo4j database."""

    name = "neo4j"
    dialect = NEO4J
    batch_size = 5000  # measured by make bench: 1000 3.11 s, 5000 2.93 s, 20000 3.24 s at 10k
    #: steps built ahead, in a thread, while the server runs the current one (0: none)
    prefetch = 2
    #: whether rows leave out their None values (Cypher reads a missing key as null)
    lean_rows = True

    def __init__(self, settings: Settings, schema: GraphSchema | None = None) -> None:
        import neo4j
        from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

        self.schema = schema or load_schema()
        self.settings = settings
        self.database = settings.neo4j_database
        #: what this load's first read found: counts, and stored hashes until taken
        self._before: tuple[dict[str, int], Stored | None] | None = None
        scheme = settings.neo4j_uri.split("://", 1)[0]
        if "://" not in settings.neo4j_uri or scheme not in SCHEMES:
            raise BackendUnavailable(
                f"{settings.neo4j_uri!r} is not a Neo4j URI (bolt://, neo4j:// or neo4j+s://)"
            )
        if not settings.neo4j_password:
            raise BackendUnavailable("NEO4J_PASSWORD is not set; rnkg reads credentials from "
                                     "NEO4J_USERNAME and NEO4J_PASSWORD")
        try:
            self._driver = neo4j.GraphDatabase.driver(
                settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password),
                connection_timeout=10, max_transaction_retry_time=15,
            )
            with _quiet_driver():
                self._driver.verify_connectivity()
        except AuthError:
            self._close_quietly()
            raise BackendUnavailable(
                f"Neo4j at {settings.neo4j_uri} refused the user {settings.neo4j_user!r} "
                "with the password in NEO4J_PASSWORD"
            ) from None
        except (ServiceUnavailable, ConfigurationError, ValueError, OSError) as exc:
            self._close_quietly()
            raise BackendUnavailable(
                f"cannot reach Neo4j at {settings.neo4j_uri} ({_first_line(exc)}); is the server "
                "running? For a local test server: scripts/neo4j start"
            ) from None

    def _close_quietly(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None:
            with _quiet_driver():
                driver.close()

    def _session(self, read: bool) -> Any:
        import neo4j

        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    # ------------------------------------------------------------ hooks of the skeleton

    def ensure_schema(self) -> None:
        """Declare only the constraints and indexes the database lacks (one listing first,
        instead of one transaction a statement: a reload of unchanged data stays quick)."""
        self._declare_missing(self._look(hashes=False)[0])

    def _declare_missing(self, have: set[str]) -> None:
        for statement in self.dialect.ddl(self.schema):
            if _ddl_name(statement) not in have:
                self._write_transaction(partial(_run_alone, statement))

    def _prepare_load(self, reset: bool) -> None:
        """Before the load's transaction, in ONE read transaction: the names of the indexes
        and constraints and, unless ``reset``, the counts and the stored hashes (kept for
        :meth:`stored_hashes` and for the report of a load that writes nothing); then the
        DDL the database lacks. A reload of unchanged data makes three round trips fewer."""
        have, self._before = self._look(hashes=not reset)
        self._declare_missing(have)

    def _look(self, hashes: bool) -> tuple[set[str], tuple[dict[str, int], Stored] | None]:
        """Index and constraint names and, when ``hashes``, counts and stored hashes, read in
        one read transaction (one snapshot of the store)."""
        def unit(tx: Any) -> tuple[set[str], tuple[dict[str, int], Stored] | None]:
            have = {name for listing in ("SHOW INDEXES YIELD name RETURN collect(name)",
                                         "SHOW CONSTRAINTS YIELD name RETURN collect(name)")
                    for name in tx.run(listing).single()[0]}
            if not hashes:
                return have, None
            counts = self._counts_in(tx)
            return have, (counts, self._hashes_in(tx, counts))

        with _translated(), self._session(read=True) as session:
            found: tuple[set[str], tuple[dict[str, int], Stored] | None] = \
                session.execute_read(unit)
            return found

    def _counts_in(self, tx: Any) -> dict[str, int]:
        """:meth:`counts`, read in the transaction ``tx``."""
        out = dict.fromkeys([*self.schema.nodes, *self.schema.relationships], 0)
        cypher = self.dialect.counts(self.schema)
        if cypher is not None:
            for name, count in tx.run(cypher):
                out[name] = int(count)
        return out

    def _hashes_in(self, tx: Any, counts: dict[str, int]) -> Stored:
        """Key -> stored hash of every type ``counts`` says holds rows, read in ``tx``: one
        lean query a type (key and hash only, as one list)."""
        stored: Stored = {}
        for name, count in counts.items():
            if not count:
                continue
            nt = self.schema.nodes.get(name)
            cypher, params = ((self.dialect.stored_nodes(name), {"prefix": f"{nt.prefix}:"})
                              if nt is not None else (self.dialect.stored_rels(name), {}))
            stored[name] = {key: digest for key, digest in tx.run(cypher, params).single()[0]}
        return stored

    def stored_hashes(self) -> Stored:
        """Key -> stored hash per declared type, in one read transaction: one count-store
        lookup names the types that hold rows, then one lean query a type (key and hash only,
        as one list), so a reload of unchanged data reads little and sends nothing. Inside a
        load, the hashes its :meth:`_prepare_load` read (once: a later call reads again)."""
        if self._before is not None:
            stored = self._before[1]
            self._before = (self._before[0], None)
            if stored is not None:
                return stored

        def unit(tx: Any) -> Stored:
            return self._hashes_in(tx, self._counts_in(tx))

        with _translated(), self._session(read=True) as session:
            found: Stored = session.execute_read(unit)
            return found

    def _counts_after(self, wrote: bool) -> dict[str, int]:
        """A load that wrote nothing reports the counts its own read found (in the snapshot
        it compared against); any other reads them again."""
        before, self._before = self._before, None
        if not wrote and before is not None:
            return dict(before[0])
        return self.counts()

    def _write_transaction(self, work: Callable[[Runner], None]) -> None:
        """One explicit write transaction, committed if ``work`` returns, else rolled back;
        not retried (``work`` draws its steps once: see the module docstring)."""
        with _translated(), self._session(read=False) as session, \
                session.begin_transaction() as tx:
            work(lambda cypher, params: [list(r.values()) for r in tx.run(cypher, params)])
            check_interrupted()
            tx.commit()

    def _write(self, run: Runner, steps: Iterable[Step]) -> None:
        """Run the steps in order; the next ones are built in a thread meanwhile, their rows
        without None values (less to pack, send and read; the same rows to Cypher)."""
        if self.lean_rows:
            steps = _lean(steps)
        if not self.prefetch:
            super()._write(run, steps)
            return
        with Prefetch(steps, depth=self.prefetch) as ahead:
            super()._write(run, ahead)

    def _read(
        self, cypher: str, params: dict[str, Any], write: bool
    ) -> tuple[list[str], list[list[Any]]]:
        def unit(tx: Any) -> tuple[list[str], list[list[Any]]]:
            result = tx.run(cypher, params)
            return list(result.keys()), [list(record.values()) for record in result]

        with _translated(), self._session(read=not write) as session:
            result: tuple[list[str], list[list[Any]]] = (
                session.execute_write if write else session.execute_read)(unit)
            return result

    def _convert_value(self, value: Any, conversion: Conversion) -> Any:
        from neo4j.graph import Node, Path, Relationship

        if isinstance(value, Node):
            return conversion.node(value.element_id, tuple(sorted(value.labels)),
                                   dict(value.items()))
        if isinstance(value, Relationship):
            start, end = (conversion.end(n.element_id, n.get("id"))
                          for n in (value.start_node, value.end_node) if n is not None)
            return GRel(value.type, start, end, clean_properties(dict(value.items())))
        if isinstance(value, Path):
            return conversion.path(list(value.nodes), list(value.relationships))
        return NOT_ENGINE

    def _end_ids(self, keys: Collection[Hashable]) -> dict[Hashable, str]:
        """rnkg ids of nodes by Neo4j element id, in one query."""
        rows = self._read(self.dialect.ids_by_element_id, {"ids": sorted(keys)}, write=False)[1]
        return {element_id: node_id for element_id, node_id in rows}

    def close(self) -> None:
        """Close the driver."""
        self._close_quietly()


_QUIET = {"depth": 0, "propagate": True}
_NULL = logging.NullHandler()


@contextlib.contextmanager
def _quiet_driver() -> Iterator[None]:
    """While rnkg talks to the driver, the driver's log records go nowhere.

    The driver logs connection trouble as warnings; rnkg reports it once, as an error. Outside
    rnkg's own calls the ``neo4j`` logger stays as the application configured it.
    """
    log = logging.getLogger("neo4j")
    if _QUIET["depth"] == 0:
        _QUIET["propagate"] = log.propagate
        log.addHandler(_NULL)
        log.propagate = False
    _QUIET["depth"] += 1
    try:
        yield
    finally:
        _QUIET["depth"] -= 1
        if _QUIET["depth"] == 0:
            log.removeHandler(_NULL)
            log.propagate = bool(_QUIET["propagate"])


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    """Turn driver errors into rnkg's, one sentence each, with the driver's logs quiet."""
    from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable

    with _quiet_driver():
        try:
            yield
        except ServiceUnavailable as exc:
            raise BackendUnavailable(f"lost the Neo4j server ({_first_line(exc)})") from None
        except ClientError as exc:
            if exc.code == "Neo.ClientError.Statement.AccessMode":
                raise QueryError(READ_ONLY_REFUSAL) from None
            if exc.code == "Neo.ClientError.Statement.SyntaxError":
                raise parse_error(_first_line(exc.message or exc)) from None
            raise QueryError(f"{exc.code}: {_first_line(exc.message or exc)}") from None
        except Neo4jError as exc:
            raise QueryError(f"{exc.code}: {_first_line(exc.message or exc)}") from None
        except DriverError as exc:
            raise BackendUnavailable(f"Neo4j driver: {_first_line(exc)}") from None


def _lean(steps: Iterable[Step]) -> Iterator[Step]:
    """The steps with None left out of every row of their ``rows`` (a missing map key and a
    null read the same in Cypher: ``row.x`` is null either way).

    >>> list(_lean([("UNWIND $rows AS row ...", {"rows": [{"id": "a", "note": None}]})]))
    [('UNWIND $rows AS row ...', {'rows': [{'id': 'a'}]})]
    """
    for statement, params in steps:
        rows = params.get("rows")
        if rows:
            params = {**params, "rows": [{k: v for k, v in row.items() if v is not None}
                                         for row in rows]}
        yield statement, params


def _ddl_name(statement: str) -> str:
    """The name a ``CREATE [FULLTEXT] INDEX|CONSTRAINT name IF NOT EXISTS`` statement gives.

    >>> _ddl_name("CREATE FULLTEXT INDEX rnkg_names IF NOT EXISTS FOR (n:A) ON EACH [n.x]")
    'rnkg_names'
    """
    words = statement.split()
    return words[words.index("IF") - 1]


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
