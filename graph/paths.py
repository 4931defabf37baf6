r"""Path queries: shortest paths between two entities, in each engine's native syntax.

The syntax is the dialect's (graph/dialect.py); here the request is checked: labels and
relationship types from the schema, the hop bound a checked integer (Cypher cannot take it as
a parameter), the ids as parameters.

>>> from rnkg.graph.dialect import NEO4J
>>> from rnkg.schema import load_schema
>>> q = path_query(load_schema(), NEO4J, "person:kim-jong-un", "vessel:maia-1", 3, ["OWNS"])
>>> print(q.replace(" MATCH", "\nMATCH"))
MATCH (a:Person {id: $from_id})
MATCH (b:Vessel {id: $to_id})
MATCH p = shortestPath((a)-[:OWNS*1..3]-(b)) RETURN p
"""

from __future__ import annotations

from collections.abc import Sequence

from rnkg.errors import QueryError
from rnkg.graph.backend import Backend
from rnkg.graph.dialect import Dialect
from rnkg.graph.values import GPath
from rnkg.schema import GraphSchema

MAX_HOPS = 8


def path_query(
    schema: GraphSchema, dialect: Dialect, start: str, end: str, max_hops: int,
    via: Sequence[str] = (), all_shortest: bool = False,
) -> str:
    """The Cypher for shortest paths between two node ids, in one engine's dialect."""
    if isinstance(max_hops, bool) or not isinstance(max_hops, int) or not 1 <= max_hops <= MAX_HOPS:
        raise QueryError(f"--max-hops must be a whole number from 1 to {MAX_HOPS}")
    unknown = [t for t in via if t not in schema.relationships]
    if unknown:
        raise QueryError(f"unknown relationship type {', '.join(unknown)} (see `rnkg schema`)")
    if start == end:
        raise QueryError("a path needs two different entities")
    labels = []
    for node_id in (start, end):
        nt = schema.node_type_for_id(node_id)
        if nt is None:
            raise QueryError(f"{node_id!r} is not an rnkg id")
        labels.append(nt.name)
    return dialect.shortest_path(labels[0], labels[1], max_hops, via, all_shortest)


def shortest_paths(
    backend: Backend, start: str, end: str, max_hops: int = 4,
    via: Sequence[str] = (), all_shortest: bool = False,
) -> list[GPath]:
    """Shortest paths (one, or all of the shortest length) between two node ids, any direction.

    Paths come back in a stable order (by the ids along them); an empty list means none
    within ``max_hops``.
    """
    cypher = path_query(backend.schema, backend.dialect, start, end, max_hops, via, all_shortest)
    paths = [row[0] for row in backend.query(cypher, {"from_id": start, "to_id": end}).rows]
    return sorted(paths, key=lambda p: ([n.id for n in p.nodes],
                                        [r.properties.get("rid", "") for r in p.relationships]))
