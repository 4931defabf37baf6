import pytest
import yaml

from rnkg.errors import SchemaError
from rnkg.schema import load_schema
from rnkg.schema.ddl import ladybug_ddl, neo4j_ddl
from rnkg.schema.docs import markdown
from rnkg.schema.model import SCHEMA_FILE, parse_schema

REQUIRED_NODES = {
    "Country", "Person", "Organization", "Agreement", "Event", "Vessel", "Voyage", "Place",
    "Resolution", "Sanction", "WeaponSystem", "Source",
}


def test_declares_the_types_the_domain_needs():
    s = load_schema()
    assert set(s.nodes) >= REQUIRED_NODES
    assert ("Person", "Agreement") in s.relationships["SIGNED"].endpoints
    assert ("Country", "Agreement") in s.relationships["PARTY_TO"].endpoints
    assert ("Person", "Event") in s.relationships["ATTENDED"].endpoints
    assert ("Event", "Place") in s.relationships["HELD_AT"].endpoints
    assert ("Country", "Event") in s.relationships["CAST_VOTE"].endpoints
    assert ("Organization", "Vessel") in s.relationships["OWNS"].endpoints
    assert ("Organization", "Vessel") in s.relationships["OPERATES"].endpoints
    assert ("Vessel", "Voyage") in s.relationships["SAILED"].endpoints
    assert ("Voyage", "Place") in s.relationships["FROM_PORT"].endpoints
    assert ("Voyage", "Place") in s.relationships["TO_PORT"].endpoints
    assert ("Sanction", "Vessel") in s.relationships["DESIGNATED"].endpoints
    vote = {p.name: p for p in s.relationships["CAST_VOTE"].properties}["vote"]
    assert vote.enum == ("for", "against", "abstain") and vote.required


def test_ladybug_ddl_golden():
    ddl = ladybug_ddl(load_schema())
    signed = next(d for d in ddl if "REL TABLE IF NOT EXISTS SIGNED(" in d)
    assert signed == (
        "CREATE REL TABLE IF NOT EXISTS SIGNED(FROM Person TO Agreement, rid STRING, "
        "status STRING, status_by STRING[], date_from DATE, date_to DATE, date_precision STRING, "
        "date_text STRING, cite_sources STRING[], cite_quotes STRING[], cite_sections STRING[], "
        "note STRING, capacity STRING)"
    )
    # Node tables come before relationship tables, which need them.
    kinds = ["NODE" if "NODE TABLE" in d else "REL" for d in ddl]
    assert kinds == sorted(kinds, key=lambda k: k != "NODE")


def test_neo4j_ddl_has_a_unique_id_per_label_and_rel_key_indexes():
    s = load_schema()
    ddl = neo4j_ddl(s)
    for label in s.nodes:
        assert (
            f"CREATE CONSTRAINT rnkg_{label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        ) in ddl
    assert "CREATE INDEX rnkg_signed_rid IF NOT EXISTS FOR ()-[r:SIGNED]-() ON (r.rid)" in ddl


def _raw():
    return yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_inconsistent_declarations_are_refused():
    raw = _raw()
    raw["nodes"]["Vessel"]["prefix"] = "person"
    with pytest.raises(SchemaError, match="prefix 'person' already used"):
        parse_schema(raw)
    raw = _raw()
    raw["relationships"]["SIGNED"]["to"] = ["Treaty"]
    with pytest.raises(SchemaError, match="unknown node type 'Treaty'"):
        parse_schema(raw)
    raw = _raw()
    raw["nodes"]["Vessel"]["properties"]["kind"] = {"type": "int"}
    with pytest.raises(SchemaError, match="declared elsewhere"):
        parse_schema(raw)


def test_generated_schema_doc_is_up_to_date():
    doc = (SCHEMA_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert doc == markdown(), "schema/README.md is stale: run `make docs`"
