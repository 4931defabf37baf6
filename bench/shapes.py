"""Parameter shapes of the Neo4j loader's statements, measured side by side (``--batch-sweep``).

The loader's own full-build steps are built once, then replayed in one write transaction, as
the loader runs them, in four shapes; each run reports the seconds in statements and in the
commit, and the relationship count it committed (a shape that loses rows shows it):

- ``loader``: the steps as the loader sends them (dates as ISO text, parsed by ``date()``);
- ``native dates``: dates sent as driver ``date`` values, no ``date()`` in the statement;
- ``grouped``: relationships grouped by end node, one index seek of the end a group
  (``UNWIND $groups AS g MATCH (b {id: g.to}) UNWIND g.rows AS row MATCH (a …) CREATE …``);
- ``both``: the two together.

Shapes alternate run by run, so a slow spell of the machine falls on all of them.
"""

from __future__ import annotations

import datetime
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rnkg.graph.loadplan import Changes, Step

_DATE = re.compile(r"date\((row\.(\w+))\)")
_REL = re.compile(r"UNWIND \$rows AS row MATCH \(a:(\w+) \{id: row\.from\}\) "
                  r"MATCH \(b:(\w+) \{id: row\.to\}\) (CREATE .*)", re.S)


def native_dates(steps: list[Step]) -> list[Step]:
    """The steps with ``date(row.x)`` replaced by ``row.x`` and x sent as a ``date``.

    >>> [(cypher, params)] = native_dates([("UNWIND $rows AS row CREATE (n:A {d: date(row.d)})",
    ...                                     {"rows": [{"d": "2024-06-19"}, {}]})])
    >>> cypher, params["rows"]
    ('UNWIND $rows AS row CREATE (n:A {d: row.d})', [{'d': datetime.date(2024, 6, 19)}, {}])
    """
    out: list[Step] = []
    for cypher, params in steps:
        keys = [m.group(2) for m in _DATE.finditer(cypher)]
        if keys and "rows" in params:
            rows = []
            for row in params["rows"]:
                row = dict(row)
                for key in keys:
                    if isinstance(row.get(key), str):
                        row[key] = datetime.date.fromisoformat(row[key])
                rows.append(row)
            cypher, params = _DATE.sub(r"\1", cypher), {**params, "rows": rows}
        out.append((cypher, params))
    return out


def grouped(steps: list[Step]) -> list[Step]:
    """The relationship steps with their rows grouped by end node (one seek of it a group).

    >>> grouped([("UNWIND $rows AS row MATCH (a:A {id: row.from}) MATCH (b:B {id: row.to}) "
    ...           "CREATE (a)-[r:R]->(b)", {"rows": [{"from": "a1", "to": "b"},
    ...                                          {"from": "a2", "to": "b"}]})])[0][1]
    {'groups': [{'to': 'b', 'rows': [{'from': 'a1', 'to': 'b'}, {'from': 'a2', 'to': 'b'}]}]}
    """
    out: list[Step] = []
    for cypher, params in steps:
        match = _REL.fullmatch(cypher)
        if match and "rows" in params:
            a, b, create = match.groups()
            cypher = (f"UNWIND $groups AS g MATCH (b:{b} {{id: g.to}}) UNWIND g.rows AS row "
                      f"MATCH (a:{a} {{id: row.from}}) {create}")
            groups: dict[str, list[dict[str, Any]]] = {}
            for row in params["rows"]:
                groups.setdefault(row["to"], []).append(row)
            params = {"groups": [{"to": k, "rows": v} for k, v in groups.items()]}
        out.append((cypher, params))
    return out


SHAPES: dict[str, Callable[[list[Step]], list[Step]]] = {
    "loader": lambda steps: steps,
    "native dates": native_dates,
    "grouped": grouped,
    "both": lambda steps: grouped(native_dates(steps)),
}


def shape_sweep(neo: Any, ds: Any, runs: int, wipe: Callable[[Any], None]
                ) -> dict[str, dict[str, list[float]]]:
    """Per shape: ``statements_s``, ``commit_s``, ``total_s`` and ``rels`` (committed) a run."""
    from rnkg.graph.neo4j import _lean

    neo._prepare_load(True)
    with tempfile.TemporaryDirectory(prefix="rnkg-shapes-") as work:
        built = list(_lean(neo._full_steps(ds, Changes(), Path(work))))
    shaped = {name: make(built) for name, make in SHAPES.items()}
    out: dict[str, dict[str, list[float]]] = {
        name: {"statements_s": [], "commit_s": [], "total_s": [], "rels": []} for name in SHAPES}
    count = "MATCH ()-[r]->() WHERE r.rid IS NOT NULL RETURN count(r)"
    for _ in range(runs):
        for name, steps in shaped.items():
            wipe(neo)
            start = time.perf_counter()
            with neo._session(read=False) as session, session.begin_transaction() as tx:
                for cypher, params in steps:
                    tx.run(cypher, params).consume()
                statements = time.perf_counter() - start
                tx.commit()
            total = time.perf_counter() - start
            got = out[name]
            got["statements_s"].append(statements)
            got["commit_s"].append(total - statements)
            got["total_s"].append(total)
            got["rels"].append(float(neo.query(count).rows[0][0]))
    return out
