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
        "date_text STRING, seen_from DATE, seen_to DATE, seen_text STRING, "
        "cite_sources STRING[], cite_quotes STRING[], cite_sections STRING[], "
        "cite_credibilities STRING[], cite_credibility_notes STRING[], "
        "note STRING, capacity STRING, _hash STRING)"
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


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r["nodes"]["Place"].pop("prefix"), "types.yaml: nodes.Place.prefix: required"),
    (lambda r: r["nodes"]["Place"].update(colour="#123456"),
     "types.yaml: nodes.Place.colour: unknown key"),
    (lambda r: r.update(extras=1), "types.yaml: extras: unknown key"),
    (lambda r: r["relationships"]["SIGNED"]["properties"]["capacity"].update(requird=True),
     "types.yaml: relationships.SIGNED.properties.capacity.requird: unknown key"),
    (lambda r: r["nodes"]["Place"].update(color="brown"),
     "types.yaml: nodes.Place.color: String should match pattern '^#[0-9a-fA-F]{6}$'"),
    (lambda r: r["nodes"]["Place"].update(color="#eeeeee"),
     "types.yaml: nodes.Place.color: #eeeeee is too light to read on white "
     "(contrast 1.2:1, needs 3.0:1)"),
    (lambda r: r["nodes"]["Place"].update(color=r["nodes"]["WeaponSystem"]["color"]),
     "types.yaml: nodes.WeaponSystem: color #ad1457 already used by Place"),
    (lambda r: r["nodes"]["Place"].pop("color"), "types.yaml: nodes.Place.color: required"),
    (lambda r: r["nodes"]["Place"]["properties"]["kind"].update(type="varchar"),
     "types.yaml: nodes.Place.properties.kind.type: Input should be 'string', 'text', 'int', "
     "'float', 'bool', 'date', 'string[]' or 'citations'"),
    (lambda r: r["nodes"]["Place"]["properties"].update(cite={"type": "citations"}),
     "types.yaml: nodes.Place.cite: type citations belongs in common.all"),
    (lambda r: r["common"]["all"]["status"].pop("enum"),
     "types.yaml: common.all.status: required, with an enum of statuses"),
])
def test_the_schema_file_itself_is_validated(change, message):
    raw = _raw()
    change(raw)
    with pytest.raises(SchemaError) as info:
        parse_schema(raw)
    assert str(info.value) == message


def test_node_colours_are_distinct_and_readable_on_white():
    from rnkg.schema.model import MIN_CONTRAST, contrast_on_white

    colors = {name: nt.color for name, nt in load_schema().nodes.items()}
    assert len(set(colors.values())) == len(colors), colors
    assert colors["Place"] != colors["WeaponSystem"]
    for name, color in colors.items():
        assert contrast_on_white(color) >= MIN_CONTRAST, (name, color)
    rgb = {n: tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for n, c in colors.items()}
    names = sorted(rgb)
    closest = min(
        (sum((x - y) ** 2 for x, y in zip(rgb[a], rgb[b], strict=True)) ** 0.5, a, b)
        for i, a in enumerate(names) for b in names[i + 1:]
    )
    assert closest[0] >= 45, closest


def test_statuses_and_citation_columns_come_from_one_place():
    from rnkg.schema.records import RecordModels
    from rnkg.schema.values import Citation

    s = load_schema()
    raw = _raw()
    assert s.statuses == tuple(raw["common"]["all"]["status"]["enum"])
    cite_columns = [p.name for p in s.common_all if p.name.startswith("cite_")]
    assert cite_columns == [Citation.column_of(f) for f in Citation.model_fields] == [
        "cite_sources", "cite_quotes", "cite_sections", "cite_credibilities",
        "cite_credibility_notes"]
    # A status added to the enum is accepted by the record models derived from the schema.
    raw["common"]["all"]["status"]["enum"].append("rumoured")
    grown = parse_schema(raw)
    rec = RecordModels(grown).node("Country").model_validate(
        {"id": "country:x", "name": "X", "kind": "state", "status": "rumoured",
         "by": ["country:y"], "cite": [{"source": "source:s", "section": "1"}]})
    assert rec.status == "rumoured"
    with pytest.raises(ValueError, match="rumoured"):
        RecordModels(s).node("Country").model_validate(
            {"id": "country:x", "name": "X", "kind": "state", "status": "rumoured",
             "by": ["country:y"], "cite": [{"source": "source:s", "section": "1"}]})
