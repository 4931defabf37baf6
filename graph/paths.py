r"""Path queries: shortest paths between two entities, in each engine's native syntax.

Neo4j has ``shortestPath()`` / ``allShortestPaths()``; LadybugDB writes the same as
``[* SHORTEST 1..n]`` / ``[* ALL SHORTEST 1..n]``. Labels and relationship types come from the
schema, the hop bound is a checked integer (Cypher cannot take it as a parameter), and the ids
are parameters.

>>> q = path_query(load_schema(), "neo4j", "person:kim-jong-un", "vessel:maia-1", 3, ["OWNS"])
>>> print(q.replace(" MATCH", "\nMATCH"))
MATCH (a:Person {id: $from_id})
MATCH (b:Vessel {id: $to_id})
MATCH p = shortestPath((a)-[:OWNS*1..3]-(b)) RETURN p
"""

from __future__ import annotations

from collections.abc import Sequence

from rnkg.errors import QueryError
from rnkg.graph.backend import Backend
from rnkg.graph.values import GPath
from rnkg.schema import GraphSchema, load_schema

MAX_HOPS = 8


def path_query(
    schema: GraphSchema, engine: str, start: str, end: str, max_hops: int,
    via: Sequence[str] = (), all_shortest: bool = False,
) -> str:
    """The Cypher for shortest paths between two node ids, for one engine."""
    if not isinstance(max_hops, int) or not 1 <= max_hops <= MAX_HOPS:
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
    types = (":" + "|".join(via)) if via else ""
    ends = f"MATCH (a:{labels[0]} {{id: $from_id}}) MATCH (b:{labels[1]} {{id: $to_id}}) "
    if engine == "neo4j":
        fn = "allShortestPaths" if all_shortest else "shortestPath"
        return ends + f"MATCH p = {fn}((a)-[{types}*1..{max_hops}]-(b)) RETURN p"
    kind = "ALL SHORTEST" if all_shortest else "SHORTEST"
    return ends + f"MATCH p = (a)-[{types}* {kind} 1..{max_hops}]-(b) RETURN p"


def shortest_paths(
    backend: Backend, start: str, end: str, max_hops: int = 4,
    via: Sequence[str] = (), all_shortest: bool = False,
) -> list[GPath]:
    """Shortest paths (one, or all of the shortest length) between two node ids, any direction.

    Paths come back in a stable order (by the ids along them); an empty list means none
    within ``max_hops``.
    """
    schema = getattr(backend, "schema", None) or load_schema()
    cypher = path_query(schema, backend.name, start, end, max_hops, via, all_shortest)
    paths = [row[0] for row in backend.query(cypher, {"from_id": start, "to_id": end}).rows]
    return sorted(paths, key=lambda p: ([n.id for n in p.nodes],
                                        [r.properties.get("rid", "") for r in p.relationships]))
