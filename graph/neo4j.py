"""The Neo4j backend, on the official driver.

One driver per backend object, closed by ``close()``. Loads run as one managed write
transaction (``execute_write``): all or nothing, retried whole on transient errors, which is
safe because every write is a MERGE on a stable id. Queries run through ``execute_read`` in a
read-access session unless ``write`` is asked for, so the server itself refuses writes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from rnkg.errors import BackendUnavailable, QueryError
from rnkg.graph.backend import LoadReport, Settings, check_parameters
from rnkg.graph.readonly import READ_ONLY_REFUSAL, check_read_only
from rnkg.graph.statements import NEO4J, load_steps
from rnkg.graph.values import GNode, GPath, GRel, Result, clean_properties, normalise
from rnkg.schema import GraphSchema, load_schema
from rnkg.schema.ddl import neo4j_ddl

BATCH = 1000
# The driver logs connection trouble as warnings; rnkg reports it once, as an error.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
logging.getLogger("neo4j").propagate = False
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class Neo4jBackend:
    """The graph in a Neo4j database."""

    name = "neo4j"

    def __init__(self, settings: Settings, schema: GraphSchema | None = None) -> None:
        import neo4j
        from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

        self.schema = schema or load_schema()
        self.settings = settings
        self.database = settings.neo4j_database
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
            driver.close()

    def _session(self, read: bool) -> Any:
        import neo4j

        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    # ------------------------------------------------------------ schema and loading

    def ensure_schema(self) -> None:
        """Create the constraints and indexes derived from the schema (idempotent)."""
        with self._session(read=False) as session:
            for statement in neo4j_ddl(self.schema):
                session.execute_write(lambda tx, s=statement: tx.run(s).consume())

    def load(self, dataset: Any, reset: bool = False) -> LoadReport:
        """Write the dataset in one transaction; ``reset`` first deletes rnkg's own nodes."""
        started = time.perf_counter()
        with _translated():
            self.ensure_schema()
            with self._session(read=False) as session:
                session.execute_write(self._write, dataset, reset)
        return LoadReport(self.counts(), time.perf_counter() - started, reset)

    def _write(self, tx: Any, dataset: Any, reset: bool) -> None:
        if reset:
            for label, nt in self.schema.nodes.items():
                tx.run(
                    f"MATCH (n:{label}) WHERE n.id STARTS WITH $prefix DETACH DELETE n",
                    prefix=f"{nt.prefix}:",
                ).consume()
        for statement, rows in load_steps(self.schema, dataset, NEO4J, BATCH):
            self._run_batch(tx, statement, rows)

    def _run_batch(self, tx: Any, statement: str, rows: list[dict[str, Any]]) -> None:
        tx.run(statement, rows=rows).consume()

    # ------------------------------------------------------------ reading

    def query(
        self, cypher: str, params: Mapping[str, Any] | None = None, write: bool = False
    ) -> Result:
        """Run Cypher in a read transaction, or a write one with ``write``."""
        params = dict(params or {})
        check_parameters(cypher, params)
        if not write:
            check_read_only(cypher, self.name)

        def work(tx: Any) -> tuple[list[str], list[list[Any]]]:
            result = tx.run(cypher, params)
            return list(result.keys()), [list(record.values()) for record in result]

        with _translated(), self._session(read=not write) as session:
            columns, raw = (session.execute_write if write else session.execute_read)(work)
            converter = _Converter(self)
            rows = [[converter.convert(v) for v in row] for row in raw]
            converter.resolve()
        return Result(columns, [[converter.finish(v) for v in row] for row in rows])

    def counts(self) -> dict[str, int]:
        """Nodes per declared label and relationships per declared type."""
        out: dict[str, int] = {}
        with _translated(), self._session(read=True) as session:
            for label in self.schema.nodes:
                out[label] = session.execute_read(
                    lambda tx, q=f"MATCH (n:{label}) RETURN count(n)": tx.run(q).single()[0]
                )
            for rel in self.schema.relationships:
                out[rel] = session.execute_read(
                    lambda tx, q=f"MATCH ()-[r:{rel}]->() RETURN count(r)": tx.run(q).single()[0]
                )
        return out

    def element_keys(self, element_ids: list[str]) -> dict[str, str]:
        """rnkg ids of nodes by Neo4j element id."""
        if not element_ids:
            return {}
        with self._session(read=True) as session:
            rows = session.execute_read(lambda tx: [
                (r[0], r[1]) for r in tx.run(
                    "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n), n.id",
                    ids=element_ids)
            ])
        return dict(rows)

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()


class _Converter:
    """Driver values to GNode / GRel / GPath; relationship ends resolved to rnkg ids."""

    def __init__(self, backend: Neo4jBackend) -> None:
        self.backend = backend
        self.keys: dict[str, str] = {}
        self.pending: set[str] = set()

    def _node(self, node: Any) -> GNode:
        props = dict(node.items())
        if "id" in props:
            self.keys[node.element_id] = props["id"]
        return GNode(props.get("id"), tuple(sorted(node.labels)), clean_properties(props))

    def _end(self, node: Any) -> str:
        props = dict(node.items()) if node is not None else {}
        if "id" in props:
            self.keys[node.element_id] = props["id"]
            return props["id"]
        self.pending.add(node.element_id)
        return "\0" + node.element_id  # placeholder, replaced in finish()

    def convert(self, value: Any) -> Any:
        """A driver value as an rnkg value; relationship ends may still be placeholders."""
        from neo4j.graph import Node, Path, Relationship

        if isinstance(value, Node):
            return self._node(value)
        if isinstance(value, Relationship):
            return GRel(value.type, self._end(value.start_node), self._end(value.end_node),
                        clean_properties(dict(value.items())))
        if isinstance(value, Path):
            nodes = tuple(self._node(n) for n in value.nodes)
            return GPath(nodes, tuple(self.convert(r) for r in value.relationships))
        if isinstance(value, list):
            return [self.convert(v) for v in value]
        if isinstance(value, dict):
            return {k: self.convert(v) for k, v in value.items()}
        return normalise(value)

    def resolve(self) -> None:
        """Look up, in one query, the rnkg ids of relationship ends seen only by element id."""
        missing = [e for e in self.pending if e not in self.keys]
        self.keys.update(self.backend.element_keys(missing))

    def finish(self, value: Any) -> Any:
        """Replace the placeholders of relationship ends with rnkg ids."""
        if isinstance(value, GRel):
            start, end = (self.keys.get(x[1:], x[1:]) if x.startswith("\0") else x
                          for x in (value.start, value.end))
            return GRel(value.type, start, end, value.properties)
        if isinstance(value, GPath):
            return GPath(value.nodes, tuple(self.finish(r) for r in value.relationships))
        if isinstance(value, list):
            return [self.finish(v) for v in value]
        if isinstance(value, dict):
            return {k: self.finish(v) for k, v in value.items()}
        return value


class _translated:
    """Turn driver errors into rnkg's: one sentence each."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None:
            return False
        from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable

        if isinstance(exc, ServiceUnavailable):
            raise BackendUnavailable(f"lost the Neo4j server ({_first_line(exc)})") from None
        if isinstance(exc, ClientError) and exc.code == "Neo.ClientError.Statement.AccessMode":
            raise QueryError(
                READ_ONLY_REFUSAL
            ) from None
        if isinstance(exc, Neo4jError):
            raise QueryError(f"{exc.code}: {_first_line(exc.message or exc)}") from None
        if isinstance(exc, DriverError):
            raise BackendUnavailable(f"Neo4j driver: {_first_line(exc)}") from None
        return False


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
