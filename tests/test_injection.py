"""Cypher injection stays data, on both engines (review class 3; SECURITY.md).

Hostile strings go in through every way text reaches a query: an entity name (`show`/`path`
resolve it), a query parameter, and the free text fields of a fact file. Each must come back as
the same text, or as "not found", and the store must hold exactly what it held before (every
node and relationship with its properties, and no label or property the payloads name).
"""

from __future__ import annotations

import json
import shutil

import pytest

from rnkg.errors import Ambiguous, NotFound
from rnkg.graph.lookup import resolve_entity
from rnkg.graph.values import to_jsonable
from rnkg.loaders.pipeline import build_dataset
from tests.fixtures.environment import MINI

pytestmark = pytest.mark.security("Cypher injection (values, names, fact fields)")

PAYLOADS = [
    "'}) DETACH DELETE n //",
    "\"}) DETACH DELETE n //",
    "`x`})-[:X]->() CALL dbms.components() //",
    "x' OR 1=1 //",
    "\\'; MATCH (n) SET n.pwned = 1; //",
    "*/ CREATE (:Pwned) /*",
    "}) MATCH (n) DETACH DELETE n RETURN 1 AS x //",
    "CALL dbms.security.createUser('evil', 'evil', false)",
    "$id",
    "%",
    "'); COPY (MATCH (n) RETURN n) TO '/tmp/rnkg-inj.csv'; //",
    "<script>window.__pwn=1</script>",
]


def dump(backend) -> str:
    """Every node and relationship with its properties, as canonical JSON."""
    nodes = backend.query("MATCH (n) RETURN n ORDER BY n.id").records()
    rels = backend.query("MATCH (a)-[r]->(b) RETURN a.id, r, b.id").records()
    rels = sorted(json.dumps(to_jsonable(r), sort_keys=True, default=str) for r in rels)
    return json.dumps([to_jsonable(nodes), rels], sort_keys=True, default=str)


def _hostile_facts(tmp_path):
    folder = tmp_path / "facts"
    shutil.copytree(MINI, folder)
    lines = ["nodes:"]
    for i, payload in enumerate(PAYLOADS):
        text = json.dumps(payload)
        lines += [f"  - id: person:inj-{i}", f"    name: {text}", f"    aliases: [{text}]",
                  f"    description: {text}",
                  f"    cite: [{{source: source:doc-a, section: {text}}}]"]
    lines.append("relationships:")
    for i, payload in enumerate(PAYLOADS):
        lines += ["  - type: NATIONAL_OF", f"    from: person:inj-{i}", "    to: country:ru",
                  f"    note: {json.dumps(payload)}",
                  "    cite: [{source: source:doc-a, section: x}]"]
    (folder / "zz-inj.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_hostile_fact_text_is_stored_and_read_back_verbatim(engine, tmp_path):
    folder = _hostile_facts(tmp_path)
    dataset = build_dataset(folder)
    engine.load(dataset, reset=True)
    for i, payload in enumerate(PAYLOADS):
        row = engine.query(
            "MATCH (n:Person {id: $id})-[r:NATIONAL_OF]->(c:Country) "
            "RETURN n.name AS name, n.description AS d, n.aliases AS a, r.note AS note",
            {"id": f"person:inj-{i}"}).records()
        assert row == [{"name": payload, "d": payload, "a": [payload], "note": payload}]
    # exactly the facts: no node, relationship or label a payload names
    assert {k: v for k, v in engine.counts().items() if v} == dataset.counts()
    nodes = sum(n for k, n in dataset.counts().items() if k in engine.schema.nodes)
    assert engine.query("MATCH (n) RETURN count(n)").scalar() == nodes


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_entity_name_is_looked_up_as_data(engine, mini, payload):
    engine.load(mini, reset=True)
    before = dump(engine)
    try:
        found = resolve_entity(engine, payload)
    except (NotFound, Ambiguous):
        found = None
    assert found is None or isinstance(found.id, str)
    assert dump(engine) == before


def test_hostile_parameter_values_come_back_verbatim(engine, mini):
    engine.load(mini, reset=True)
    before = dump(engine)
    for payload in PAYLOADS:
        assert engine.query("RETURN $p AS p", {"p": payload}).scalar() == payload
        assert engine.query("MATCH (n:Person) WHERE n.name = $p RETURN n", {"p": payload}
                            ).rows == []
    assert dump(engine) == before
