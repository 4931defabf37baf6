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
from datetime import date
from typing import Any

from rnkg.errors import QueryError
from rnkg.graph.backend import Backend, parameter_names
from rnkg.graph.dialect import PATHS_PER_LENGTH, Dialect
from rnkg.graph.timeline import FactFilter
from rnkg.graph.values import GPath
from rnkg.schema import GraphSchema

MAX_HOPS = 8
MAX_LIMIT = 100


def path_query(
    schema: GraphSchema, dialect: Dialect, start: str, end: str, max_hops: int,
    via: Sequence[str] = (), all_shortest: bool = False, filt: FactFilter | None = None,
    exact_hops: int | None = None,
) -> str:
    """The Cypher for shortest paths between two node ids, in one engine's dialect.

    ``filt`` (graph/timeline.py) goes inside the engine's search; ``exact_hops`` asks for every
    simple path of that many hops instead (near-shortest paths).
    """
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
    if filt is not None and not filt.active:
        filt = None
    return dialect.shortest_path(labels[0], labels[1], max_hops, via, all_shortest, filt,
                                 exact_hops)


def path_order(path: GPath) -> tuple[int, list[str], list[str]]:
    """The order paths are given in: length, then the ids along them, then the rids."""
    return (len(path.relationships), [n.id for n in path.nodes],
            [str(r.properties.get("rid", "")) for r in path.relationships])


def shortest_paths(
    backend: Backend, start: str, end: str, *, max_hops: int = 5, via: Sequence[str] = (),
    exclude_types: Sequence[str] = (), exclude: Sequence[str] = (),
    statuses: Sequence[str] = (), as_of: str | date | None = None,
    known_by: str | date | None = None, limit: int = 1, all_shortest: bool = False,
) -> list[GPath]:
    """Shortest paths between two node ids, any direction, through the facts the filters keep.

    The filters (graph/timeline.py: as of a day, known by a day, statuses, node types and
    entities to avoid; the two ends are never excluded) go inside the engine's path search.
    ``limit`` paths come back, shortest first, then near-shortest ones (one hop longer, and so
    on up to ``max_hops``), in order of length then ids; ``all_shortest`` gives every shortest
    path (and more, up to ``limit``). An empty list means none within ``max_hops``.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"--limit must be a whole number from 1 to {MAX_LIMIT}")
    schema, dialect = backend.schema, backend.dialect
    filt = FactFilter.build(backend, as_of=as_of, known_by=known_by, statuses=statuses,
                            exclude_types=exclude_types, exclude=exclude, keep=(start, end))
    params = {"from_id": start, "to_id": end, "cap": PATHS_PER_LENGTH, **filt.params(schema)}

    def run(**kw: Any) -> list[GPath]:
        cypher = path_query(schema, dialect, start, end, max_hops, via, filt=filt, **kw)
        used = {k: v for k, v in params.items() if k in parameter_names(cypher)}
        return sorted((row[0] for row in backend.query(cypher, used).rows), key=path_order)

    # Every shortest path, then the first in order: the same answer on every engine.
    paths = run(all_shortest=True)
    if not paths:
        return []
    wanted = max(limit, len(paths)) if all_shortest else limit
    hops = len(paths[0].relationships) + 1
    while len(paths) < wanted and hops <= max_hops:
        paths += run(exact_hops=hops)
        hops += 1
    return paths[:wanted]
