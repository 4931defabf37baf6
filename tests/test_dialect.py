"""The generated Cypher, whole, per engine: golden snapshot files of every statement.

tests/snapshots/cypher-embedded.txt and cypher-neo4j.txt hold every statement graph/dialect.py
generates for the real schema (DDL, upserts for every node type and every (rel, from, to),
reset, counts, path queries, lookups). A change to the generated Cypher fails here until the
files are regenerated on purpose and the diff read:

    make snapshots        # = RNKG_UPDATE_SNAPSHOTS=1 pytest tests/test_dialect.py
"""

import difflib
import os
from pathlib import Path

import pytest

from rnkg.errors import SchemaError
from rnkg.graph.dialect import DIALECTS, EMBEDDED, NEO4J, catalogue, snapshot_text
from rnkg.schema import load_schema

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("RNKG_UPDATE_SNAPSHOTS") == "1"


@pytest.mark.parametrize("dialect", [EMBEDDED, NEO4J], ids=lambda d: d.name)
def test_generated_cypher_is_the_snapshot(dialect):
    path = SNAPSHOTS / f"cypher-{dialect.name}.txt"
    text = snapshot_text(dialect, load_schema())
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run `make snapshots`"
    stored = path.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(stored.splitlines(True), text.splitlines(True),
                                        path.name, "generated", n=1))
    assert stored == text, f"{path.name} is stale (regenerate: make snapshots):\n{diff[:4000]}"


@pytest.mark.parametrize("dialect", [EMBEDDED, NEO4J], ids=lambda d: d.name)
def test_the_snapshot_covers_every_type_and_every_endpoint_pair(dialect):
    schema = load_schema()
    titles = [title for title, _ in catalogue(dialect, schema)]
    for label in schema.nodes:
        assert f"upsert nodes {label}" in titles
    for rel_type, rt in schema.relationships.items():
        for a, b in rt.endpoints:
            assert f"upsert rels {rel_type} {a}->{b}" in titles
    assert len(titles) == len(set(titles))
    assert {"counts", "node_by_id", "neighbourhood"} <= set(titles)


def test_one_name_per_engine():
    from rnkg.graph.backend import BACKENDS

    assert tuple(DIALECTS) == BACKENDS == ("embedded", "neo4j")


def test_unknown_types_and_endpoints_are_schema_errors_not_key_errors():
    schema = load_schema()
    with pytest.raises(SchemaError, match="unknown node type 'Spaceship'"):
        NEO4J.upsert_nodes(schema, "Spaceship")
    with pytest.raises(SchemaError, match="unknown relationship type 'BEFRIENDS'"):
        EMBEDDED.upsert_rels(schema, "BEFRIENDS", "Person", "Person")
    with pytest.raises(SchemaError, match="SIGNED does not go from Vessel to Person"):
        EMBEDDED.upsert_rels(schema, "SIGNED", "Vessel", "Person")


def test_counts_name_only_the_tables_the_embedded_store_has():
    schema = load_schema()
    assert EMBEDDED.counts(schema, present=set()) is None
    one = EMBEDDED.counts(schema, present={"Person"})
    assert one == "MATCH (n:Person) RETURN label(n) AS name, count(n) AS count"
