r"""Every piece of Cypher rnkg generates, in one place: one ``Dialect`` per engine.

The two engines are named as the CLI names them: ``embedded`` (LadybugDB) and ``neo4j``.
Labels and relationship types come only from the schema; values only as parameters. What the
engines read the same way lives on the base class; each subclass holds only what differs
(see shared/design/engines.md for the LadybugDB traps).

>>> from rnkg.schema import load_schema
>>> s = load_schema()
>>> q = NEO4J.upsert_rels(s, "SIGNED", "Person", "Agreement")
>>> print(q.replace(" MATCH", "\nMATCH").replace(" MERGE", "\nMERGE").replace(", ", ",\n  "))
UNWIND $rows AS row
MATCH (a:Person {id: row.from})
MATCH (b:Agreement {id: row.to})
MERGE (a)-[r:SIGNED {rid: row.rid}]->(b) SET r.status = row.status,
  r.status_by = row.status_by,
  r.date_from = date(row.date_from),
  r.date_to = date(row.date_to),
  r.date_precision = row.date_precision,
  r.date_text = row.date_text,
  r.seen_from = date(row.seen_from),
  r.seen_to = date(row.seen_to),
  r.seen_text = row.seen_text,
  r.cite_sources = row.cite_sources,
  r.cite_quotes = row.cite_quotes,
  r.cite_sections = row.cite_sections,
  r.cite_credibilities = row.cite_credibilities,
  r.cite_credibility_notes = row.cite_credibility_notes,
  r.note = row.note,
  r.capacity = row.capacity,
  r._hash = row._hash
>>> print(EMBEDDED.shortest_path("Person", "Vessel", 3, ["OWNS"]).replace(" MATCH", "\nMATCH"))
MATCH (a:Person {id: $from_id})
MATCH (b:Vessel {id: $to_id})
MATCH p = (a)-[:OWNS* SHORTEST 1..3]-(b) RETURN p
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from rnkg.errors import SchemaError
from rnkg.schema.ddl import HASH_COLUMN, LADYBUG_TYPES, ladybug_ddl, neo4j_ddl
from rnkg.schema.model import REL_KEY, GraphSchema

if TYPE_CHECKING:
    from rnkg.graph.timeline import FactFilter

Statement = tuple[str, dict[str, Any]]
#: the most paths of one length a near-shortest search reads (``--limit`` > 1)
PATHS_PER_LENGTH = 5000


class Dialect:
    """The Cypher one engine reads; the base holds what both engines read the same way."""

    name: str = ""
    #: whether schema DDL may run inside the load's write transaction (Neo4j refuses that)
    ddl_in_load_transaction: bool = False

    # ------------------------------------------------------------ lookups (both engines)
    node_by_id = "MATCH (n) WHERE n.id = $id RETURN n"
    node_by_key = "MATCH (n) WHERE $key IN n.search_keys RETURN n ORDER BY n.id"
    # The parameter is bound with WITH first: LadybugDB 0.22 cannot read a parameter inside a
    # list predicate (an internal assertion fails).
    node_by_key_part = ("WITH $key AS key MATCH (n) WHERE any(k IN n.search_keys "
                        "WHERE k CONTAINS key) RETURN n ORDER BY n.id")
    neighbourhood = ("MATCH (n)-[r]->(m) WHERE n.id = $id RETURN r, m "
                     "UNION ALL MATCH (m)-[r]->(n) WHERE n.id = $id RETURN r, m")
    node_by_imo = "MATCH (n:Vessel) WHERE n.imo = $imo RETURN n ORDER BY n.id"
    source_dates = "MATCH (s:Source) RETURN s.id, s.date_from, s.date_to ORDER BY s.id"

    def __repr__(self) -> str:
        return f"Dialect({self.name!r})"

    # ------------------------------------------------------------ engine-specific parts
    def typed(self, typ: str, expr: str) -> str:
        """An expression that gives ``expr`` the stored type ``typ`` in a SET clause."""
        raise NotImplementedError

    def ddl(self, schema: GraphSchema) -> list[str]:
        """The statements that declare the schema's types to the engine (idempotent)."""
        raise NotImplementedError

    def reset(self, schema: GraphSchema) -> list[Statement]:
        """The statements that remove rnkg's data (and only rnkg's) before a rebuild."""
        raise NotImplementedError

    def count_parts(self, schema: GraphSchema, present: Collection[str]) -> list[str]:
        """The UNION ALL branches of :meth:`counts`, each returning ``name, count`` rows."""
        raise NotImplementedError

    def path_pattern(self, types: str, max_hops: int, all_shortest: bool,
                     rel_pred: str = "", node_pred: str = "") -> str:
        """``MATCH p = ...`` between bound ``a`` and ``b``: the engine's shortest-path syntax,
        with the filters (over ``r`` and ``x``) inside the search."""
        raise NotImplementedError

    def paths_of_length(self, types: str, hops: int, rel_pred: str = "",
                        node_pred: str = "") -> str:
        """``MATCH p = ...``: every simple path of exactly ``hops`` hops from ``a`` to ``b``."""
        raise NotImplementedError

    def type_of(self, var: str) -> str:
        """The relationship type of ``var`` as a string."""
        raise NotImplementedError

    def label_in(self, var: str, param: str) -> str:
        """True when node ``var``'s label is in the list parameter ``param``."""
        raise NotImplementedError

    def cites_any(self, var: str, param: str) -> str:
        """True when ``var`` cites a Source in the list parameter ``param``."""
        raise NotImplementedError

    # ------------------------------------------------------------ the fact filter's Cypher
    def fact_predicate(self, var: str, node: bool, filt: FactFilter) -> str:
        """The time rule and filters of graph/timeline.py as one Cypher predicate over ``var``
        (a node when ``node``, else a relationship), reading ``filt.params()``; "" keeps all.

        >>> from datetime import date
        >>> from rnkg.graph.timeline import FactFilter
        >>> p = EMBEDDED.fact_predicate("r", False, FactFilter(as_of=date(2024, 1, 1)))
        >>> print(p.split(" AND (r.date_to")[0])
        (coalesce(r.date_from, r.seen_from) IS NULL OR coalesce(r.date_from, r.seen_from) <= $as_of)
        >>> "(label(r) IN $period_types AND r.date_to >= $as_of)" in p
        True
        """
        parts = []
        if filt.statuses:
            parts.append(f"{var}.status IN $statuses")
        if filt.rel_types and not node:
            parts.append(f"{self.type_of(var)} IN $rel_types")
        if filt.as_of is not None:
            start = f"coalesce({var}.date_from, {var}.seen_from)"
            period = (self.label_in(var, "period_labels") if node
                      else f"{self.type_of(var)} IN $period_types")
            end = f"{var}.date_to"
            parts.append(f"({start} IS NULL OR {start} <= $as_of)")
            parts.append(f"({end} IS NULL OR ({period} AND {end} >= $as_of) OR (NOT {period} "
                         f"AND ({var}.date_from IS NOT NULL OR {end} <= $as_of)))")
        if filt.known is not None:
            cites = self.cites_any(var, "known")
            parts.append(f"({var}.id IN $known OR {cites})" if node else cites)
        if node and (filt.exclude_types or filt.exclude):
            keep = []
            if filt.exclude_types:
                keep.append(f"NOT {self.label_in(var, 'exclude_labels')}")
            if filt.exclude:
                keep.append(f"NOT {var}.id IN $exclude_ids")
            parts.append(f"({var}.id IN $keep_ids OR ({' AND '.join(keep)}))")
        if node and filt.keep and parts:
            # The kept ids (a path's two ends) pass every filter, time included, on every engine.
            return f"({var}.id IN $keep_ids OR ({' AND '.join(parts)}))"
        return " AND ".join(parts)

    def filtered_neighbourhood(self, filt: FactFilter, frontier: bool = False) -> str:
        """:attr:`neighbourhood` keeping only the relationships and neighbours ``filt`` keeps;
        ``frontier``: around every node of ``$ids`` at once, returning ``n.id, r, m``."""
        conds = [c for c in (self.fact_predicate("r", False, filt),
                             self.fact_predicate("m", True, filt)) if c]
        extra = "".join(f" AND {c}" for c in conds)
        where, ret = ("n.id IN $ids", "n.id, r, m") if frontier else ("n.id = $id", "r, m")
        return (f"MATCH (n)-[r]->(m) WHERE {where}{extra} RETURN {ret} "
                f"UNION ALL MATCH (m)-[r]->(n) WHERE {where}{extra} RETURN {ret}")

    def own_statements(self, label: str) -> Iterator[tuple[str, str]]:
        """The engine's statements outside the shared builders, titled, for the catalogue."""
        raise NotImplementedError

    # ------------------------------------------------------------ shared builders
    def _sets(self, var: str, columns: dict[str, str], skip: str) -> str:
        return ", ".join(
            [f"{var}.{c} = {self.typed(t, f'row.{c}')}" for c, t in columns.items() if c != skip]
            + [f"{var}.{HASH_COLUMN} = row.{HASH_COLUMN}"]
        )

    def _map(self, columns: dict[str, str]) -> str:
        cols = [f"{c}: {self.typed(t, f'row.{c}')}" for c, t in columns.items()]
        return "{" + ", ".join([*cols, f"{HASH_COLUMN}: row.{HASH_COLUMN}"]) + "}"

    def create_nodes(self, schema: GraphSchema, label: str) -> str:
        """CREATE a batch of ``$rows`` of one node type (rows the store does not hold)."""
        if label not in schema.nodes:
            raise SchemaError(f"unknown node type {label!r} (see `rnkg schema`)")
        return f"UNWIND $rows AS row CREATE (n:{label} {self._map(schema.node_columns(label))})"

    def create_rels(self, schema: GraphSchema, rel_type: str, from_label: str,
                    to_label: str) -> str:
        """CREATE a batch of ``$rows`` of one relationship type between two node types."""
        self.upsert_rels(schema, rel_type, from_label, to_label)  # the same checks
        props = self._map(schema.rel_columns(rel_type))
        return (
            f"UNWIND $rows AS row MATCH (a:{from_label} {{id: row.from}}) "
            f"MATCH (b:{to_label} {{id: row.to}}) CREATE (a)-[r:{rel_type} {props}]->(b)"
        )

    def delete_nodes(self, label: str) -> str:
        """DETACH DELETE the nodes of one type whose ids are in ``$ids``."""
        return f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) DETACH DELETE n"

    def delete_rels(self, rel_type: str) -> str:
        """DELETE the relationships of one type whose rids are in ``$rids``."""
        raise NotImplementedError

    def stored_keys(self, schema: GraphSchema, present: Collection[str] | None
                    ) -> tuple[str, dict[str, Any]] | None:
        """One query for ``type, key, _hash`` of every rnkg row of the declared types the store
        has (``present``; None: all): node ids with their type's prefix, rids. None: nothing."""
        parts, params = [], {}
        for i, (label, nt) in enumerate(schema.nodes.items()):
            if present is None or label in present:
                parts.append(f"MATCH (n:{label}) WHERE n.id STARTS WITH $p{i} "
                             f"RETURN '{label}' AS t, n.id AS k, n.{HASH_COLUMN} AS h")
                params[f"p{i}"] = f"{nt.prefix}:"
        for rel_type in schema.relationships:
            if present is None or rel_type in present:
                parts.append(f"MATCH ()-[r:{rel_type}]->() WHERE r.{REL_KEY} IS NOT NULL "
                             f"RETURN '{rel_type}' AS t, r.{REL_KEY} AS k, r.{HASH_COLUMN} AS h")
        return (" UNION ALL ".join(parts), params) if parts else None

    def stored_nodes(self, label: str) -> str:
        """``id, _hash`` of one node type's rows with rnkg's id prefix ``$prefix``."""
        return f"MATCH (n:{label}) WHERE n.id STARTS WITH $prefix RETURN n.id, n.{HASH_COLUMN}"

    def stored_rels(self, rel_type: str) -> str:
        """``rid, _hash`` of one relationship type's rows that have a rid."""
        return (f"MATCH ()-[r:{rel_type}]->() WHERE r.{REL_KEY} IS NOT NULL "
                f"RETURN r.{REL_KEY}, r.{HASH_COLUMN}")

    def upsert_nodes(self, schema: GraphSchema, label: str) -> str:
        """MERGE a batch of ``$rows`` of one node type on id and set every column."""
        if label not in schema.nodes:
            raise SchemaError(f"unknown node type {label!r} (see `rnkg schema`)")
        sets = self._sets("n", schema.node_columns(label), "id")
        return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET {sets}"

    def upsert_rels(self, schema: GraphSchema, rel_type: str, from_label: str,
                    to_label: str) -> str:
        """MERGE a batch of ``$rows`` of one relationship type between two node types, on rid."""
        rt = schema.relationships.get(rel_type)
        if rt is None:
            raise SchemaError(f"unknown relationship type {rel_type!r} (see `rnkg schema`)")
        if (from_label, to_label) not in rt.endpoints:
            raise SchemaError(f"{rel_type} does not go from {from_label} to {to_label}")
        sets = self._sets("r", schema.rel_columns(rel_type), REL_KEY)
        # Two MATCH clauses, never "MATCH (a), (b)": LadybugDB plans the comma form as a
        # cross product of two scans.
        return (
            f"UNWIND $rows AS row MATCH (a:{from_label} {{id: row.from}}) "
            f"MATCH (b:{to_label} {{id: row.to}}) "
            f"MERGE (a)-[r:{rel_type} {{{REL_KEY}: row.{REL_KEY}}}]->(b) SET {sets}"
        )

    def counts(self, schema: GraphSchema, present: Collection[str] | None = None) -> str | None:
        """One query giving ``name, count`` rows for the declared types the store has.

        ``present`` names the types the store holds (None: assume all). Types without a row
        count zero; None means there is nothing to count.
        """
        names = [*schema.nodes, *schema.relationships]
        parts = self.count_parts(schema, names if present is None else
                                 [n for n in names if n in present])
        return " UNION ALL ".join(parts) or None

    def shortest_path(self, from_label: str, to_label: str, max_hops: int,
                      via: Sequence[str] = (), all_shortest: bool = False,
                      filt: FactFilter | None = None, exact_hops: int | None = None) -> str:
        """Shortest paths between ``$from_id`` and ``$to_id``, any direction.

        Arguments are checked by the caller (graph/paths.py): labels and types from the schema,
        ``max_hops`` a small int (Cypher cannot take a hop bound as a parameter). ``filt`` puts
        the fact filter inside the search; ``exact_hops`` asks instead for every simple path of
        that length (at most ``$cap`` of them), for near-shortest paths.
        """
        types = (":" + "|".join(via)) if via else ""
        rel_pred = self.fact_predicate("r", False, filt) if filt else ""
        node_pred = self.fact_predicate("x", True, filt) if filt else ""
        if exact_hops is not None:
            pattern = self.paths_of_length(types, exact_hops, rel_pred, node_pred)
            tail = " RETURN p LIMIT $cap"
        else:
            pattern = self.path_pattern(types, max_hops, all_shortest, rel_pred, node_pred)
            tail = " RETURN p"
        return (f"MATCH (a:{from_label} {{id: $from_id}}) MATCH (b:{to_label} {{id: $to_id}}) "
                f"{pattern}{tail}")


class EmbeddedDialect(Dialect):
    """LadybugDB: typed tables, DDL inside transactions, its own path and label syntax."""

    name = "embedded"
    ddl_in_load_transaction = True
    tables = "CALL show_tables() RETURN *"

    def typed(self, typ: str, expr: str) -> str:
        """Cast every value: LadybugDB infers a parameter column's type from its values (an
        all-NULL column is STRING), so an explicit cast keeps every batch well typed.

        >>> EMBEDDED.typed("date", "row.d")
        'CAST(row.d AS DATE)'
        """
        return f"CAST({expr} AS {LADYBUG_TYPES[typ]})"

    def ddl(self, schema: GraphSchema) -> list[str]:
        """``CREATE NODE TABLE`` / ``CREATE REL TABLE``, nodes first (schema/ddl.py)."""
        return ladybug_ddl(schema)

    def reset(self, schema: GraphSchema) -> list[Statement]:
        """Drop rnkg's tables, relationships first (a node table with rels cannot go)."""
        return [(f"DROP TABLE IF EXISTS {name}", {})
                for name in [*schema.relationships, *schema.nodes]]

    def count_parts(self, schema: GraphSchema, present: Collection[str]) -> list[str]:
        """Two grouped scans (one over node tables, one over rel tables): a table that does not
        exist is a binder error, so only present ones are named."""
        labels = "|".join(n for n in schema.nodes if n in present)
        types = "|".join(r for r in schema.relationships if r in present)
        parts = []
        if labels:
            parts.append(f"MATCH (n:{labels}) RETURN label(n) AS name, count(n) AS count")
        if types:
            parts.append(f"MATCH ()-[r:{types}]->() RETURN label(r) AS name, count(r) AS count")
        return parts

    def path_pattern(self, types: str, max_hops: int, all_shortest: bool,
                     rel_pred: str = "", node_pred: str = "") -> str:
        """``[* SHORTEST 1..n]`` / ``[* ALL SHORTEST 1..n]`` (shortestPath() is a parse error);
        filters go in the recursive pattern's ``(r, x | WHERE ...)``, which sees every node of
        the path, its two ends included."""
        kind = "ALL SHORTEST" if all_shortest else "SHORTEST"
        inside = self._inside(rel_pred, node_pred)
        var = "e" if inside else ""
        return f"MATCH p = (a)-[{var}{types}* {kind} 1..{max_hops}{inside}]-(b)"

    def paths_of_length(self, types: str, hops: int, rel_pred: str = "",
                        node_pred: str = "") -> str:
        """``[* TRAIL n..n]`` and ``is_acyclic(p)``: LadybugDB's ``[*n..n]`` is a walk."""
        inside = self._inside(rel_pred, node_pred)
        var = "e" if inside else ""
        return f"MATCH p = (a)-[{var}{types}* TRAIL {hops}..{hops}{inside}]-(b) WHERE is_acyclic(p)"

    @staticmethod
    def _inside(rel_pred: str, node_pred: str) -> str:
        conds = " AND ".join(c for c in (rel_pred, node_pred) if c)
        return f" (r, x | WHERE {conds})" if conds else ""

    def delete_rels(self, rel_type: str) -> str:
        """One scan of the table (LadybugDB has no index on a relationship property)."""
        return f"MATCH ()-[r:{rel_type}]->() WHERE r.{REL_KEY} IN $rids DELETE r"

    def type_of(self, var: str) -> str:
        """``label(r)``: LadybugDB has no ``type()``."""
        return f"label({var})"

    def label_in(self, var: str, param: str) -> str:
        """``label(n)`` is one string (a node is in one table)."""
        return f"label({var}) IN ${param}"

    def cites_any(self, var: str, param: str) -> str:
        """``list_has_any``: a parameter inside ``any(... WHERE ...)`` fails an assertion."""
        return f"list_has_any({var}.cite_sources, ${param})"

    def own_statements(self, label: str) -> Iterator[tuple[str, str]]:
        """Table listing, one table's columns, ids at internal offsets."""
        yield "tables", self.tables
        yield f"table info {label}", self.table_info(label)
        yield f"ids at offsets {label}", self.ids_at_offsets(label)

    def table_info(self, table: str) -> str:
        """The columns of one table (a name from the schema or from ``show_tables``)."""
        return f"CALL table_info('{table}') RETURN *"

    def ids_at_offsets(self, table: str) -> str:
        """rnkg ids of a node table's rows at internal ``$offsets`` (relationship ends)."""
        return f"MATCH (n:{table}) WHERE offset(id(n)) IN $offsets RETURN offset(id(n)), n.id"


class Neo4jDialect(Dialect):
    """Neo4j 5: schema-free labels, constraints and indexes, ``shortestPath()``."""

    name = "neo4j"
    ddl_in_load_transaction = False
    ids_by_element_id = "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n), n.id"

    def own_statements(self, label: str) -> Iterator[tuple[str, str]]:
        """Ids of nodes by element id (relationship ends)."""
        yield "ids by element id", self.ids_by_element_id

    def typed(self, typ: str, expr: str) -> str:
        """Only dates need a function; other values keep their driver type.

        >>> NEO4J.typed("date", "row.d"), NEO4J.typed("int", "row.n")
        ('date(row.d)', 'row.n')
        """
        return f"date({expr})" if typ == "date" else expr

    def ddl(self, schema: GraphSchema) -> list[str]:
        """Uniqueness constraints and indexes (schema/ddl.py)."""
        return neo4j_ddl(schema)

    def reset(self, schema: GraphSchema) -> list[Statement]:
        """Delete nodes of rnkg's labels whose id has rnkg's prefix; anything else stays."""
        return [(f"MATCH (n:{label}) WHERE n.id STARTS WITH $prefix DETACH DELETE n",
                 {"prefix": f"{nt.prefix}:"}) for label, nt in schema.nodes.items()]

    def count_parts(self, schema: GraphSchema, present: Collection[str]) -> list[str]:
        """One count-store lookup a label or type (each a constant-time read)."""
        return [
            f"MATCH (n:{name}) RETURN '{name}' AS name, count(n) AS count"
            if name in schema.nodes else
            f"MATCH ()-[r:{name}]->() RETURN '{name}' AS name, count(r) AS count"
            for name in present
        ]

    def path_pattern(self, types: str, max_hops: int, all_shortest: bool,
                     rel_pred: str = "", node_pred: str = "") -> str:
        """``shortestPath()`` / ``allShortestPaths()``, filters as ``all()`` over the path."""
        fn = "allShortestPaths" if all_shortest else "shortestPath"
        return (f"MATCH p = {fn}((a)-[{types}*1..{max_hops}]-(b))"
                f"{self._where_all(rel_pred, node_pred)}")

    def paths_of_length(self, types: str, hops: int, rel_pred: str = "",
                        node_pred: str = "") -> str:
        """``[*n..n]`` (a trail) with no node twice."""
        where = self._where_all(rel_pred, node_pred)
        simple = "all(y IN nodes(p) WHERE single(z IN nodes(p) WHERE z = y))"
        where = f"{where} AND {simple}" if where else f" WHERE {simple}"
        return f"MATCH p = (a)-[{types}*{hops}..{hops}]-(b){where}"

    @staticmethod
    def _where_all(rel_pred: str, node_pred: str) -> str:
        conds = []
        if rel_pred:
            conds.append(f"all(r IN relationships(p) WHERE {rel_pred})")
        if node_pred:
            conds.append(f"all(x IN nodes(p) WHERE {node_pred})")
        return f" WHERE {' AND '.join(conds)}" if conds else ""

    def stored_nodes(self, label: str) -> str:
        """``[id, _hash]`` pairs of one node type's rnkg rows (ids with ``$prefix``) as one
        list in one record: the driver unpacks one list far faster than a record a row, and
        a pair keeps a missing hash (``collect`` of a bare NULL would drop it).

        >>> NEO4J.stored_nodes("Person")
        'MATCH (n:Person) WHERE n.id STARTS WITH $prefix RETURN collect([n.id, n._hash])'
        """
        return (f"MATCH (n:{label}) WHERE n.id STARTS WITH $prefix "
                f"RETURN collect([n.id, n.{HASH_COLUMN}])")

    def stored_rels(self, rel_type: str) -> str:
        """``[rid, _hash]`` pairs of one relationship type's rows with a rid, as one list
        (a scan of the index of rids)."""
        return (f"MATCH ()-[r:{rel_type}]->() WHERE r.{REL_KEY} IS NOT NULL "
                f"RETURN collect([r.{REL_KEY}, r.{HASH_COLUMN}])")

    def delete_rels(self, rel_type: str) -> str:
        """One seek a rid, on the index of rids (schema/ddl.py)."""
        return (f"UNWIND $rids AS rid MATCH ()-[r:{rel_type} {{{REL_KEY}: rid}}]->() "
                "DELETE r")

    def type_of(self, var: str) -> str:
        """``type(r)``."""
        return f"type({var})"

    def label_in(self, var: str, param: str) -> str:
        """A node has a list of labels."""
        return f"any(l IN labels({var}) WHERE l IN ${param})"

    def cites_any(self, var: str, param: str) -> str:
        """Any of ``var``'s cited Sources in the list."""
        return f"any(s IN coalesce({var}.cite_sources, []) WHERE s IN ${param})"


EMBEDDED = EmbeddedDialect()
NEO4J = Neo4jDialect()
DIALECTS: dict[str, Dialect] = {d.name: d for d in (EMBEDDED, NEO4J)}


def catalogue(dialect: Dialect, schema: GraphSchema) -> Iterator[tuple[str, str]]:
    """Every statement the dialect generates for a schema, each with a title (for the golden
    snapshot files in tests/snapshots/).

    >>> from rnkg.schema import load_schema
    >>> titles = [t for t, _ in catalogue(NEO4J, load_schema())]
    >>> titles[0], "counts" in titles
    ('ddl 1', True)
    """
    for i, statement in enumerate(dialect.ddl(schema), 1):
        yield f"ddl {i}", statement
    for label in schema.nodes:
        yield f"upsert nodes {label}", dialect.upsert_nodes(schema, label)
    for rel_type, rt in schema.relationships.items():
        for a, b in rt.endpoints:
            yield f"upsert rels {rel_type} {a}->{b}", dialect.upsert_rels(schema, rel_type, a, b)
    for label in schema.nodes:
        yield f"create nodes {label}", dialect.create_nodes(schema, label)
        yield f"delete nodes {label}", dialect.delete_nodes(label)
        yield f"stored nodes {label}", dialect.stored_nodes(label)
    for rel_type, rt in schema.relationships.items():
        for a, b in rt.endpoints:
            yield f"create rels {rel_type} {a}->{b}", dialect.create_rels(schema, rel_type, a, b)
        yield f"delete rels {rel_type}", dialect.delete_rels(rel_type)
        yield f"stored rels {rel_type}", dialect.stored_rels(rel_type)
    yield "stored keys", (dialect.stored_keys(schema, None) or ("", {}))[0]
    for i, (statement, params) in enumerate(dialect.reset(schema), 1):
        yield f"reset {i}" + (f" with {params}" if params else ""), statement
    yield "counts", dialect.counts(schema) or ""
    first, second = list(schema.nodes)[:2]
    via = list(schema.relationships)[:2]
    for all_shortest in (False, True):
        kind = "all shortest" if all_shortest else "shortest"
        yield (f"{kind} path {first}->{second}",
               dialect.shortest_path(first, second, 4, (), all_shortest))
        yield (f"{kind} path {first}->{second} via {'|'.join(via)}",
               dialect.shortest_path(first, second, 2, via, all_shortest))
    from datetime import date

    from rnkg.graph.timeline import FactFilter

    every = FactFilter(as_of=date(2024, 1, 1), known=frozenset({"source:s"}),
                       statuses=("confirmed",), exclude_types=(first,), exclude=("x:y",),
                       rel_types=tuple(via))
    yield (f"all shortest path {first}->{second} filtered",
           dialect.shortest_path(first, second, 4, (), True, every))
    yield (f"paths of 3 hops {first}->{second} filtered",
           dialect.shortest_path(first, second, 4, (), False, every, exact_hops=3))
    for name in ("node_by_id", "node_by_imo", "node_by_key", "node_by_key_part",
                 "neighbourhood", "source_dates"):
        yield name, getattr(dialect, name)
    yield "neighbourhood filtered", dialect.filtered_neighbourhood(every)
    yield "frontier neighbourhood filtered", dialect.filtered_neighbourhood(every, frontier=True)
    yield from dialect.own_statements(first)


def snapshot_text(dialect: Dialect, schema: GraphSchema) -> str:
    """The catalogue as one text: ``-- title`` then the statement, a blank line between."""
    return "".join(f"-- {title}\n{text}\n\n" for title, text in catalogue(dialect, schema))
