"""Reading, validating and resolving fact files: every error names file, line and field."""

import textwrap
from pathlib import Path

import pytest

from rnkg.errors import FactErrors
from rnkg.loaders.pipeline import build_dataset

SOURCE = """\
nodes:
  - id: source:doc
    name: Doc
    kind: report
"""


def _errors(tmp_path: Path, body: str, name: str = "facts.yaml") -> list:
    (tmp_path / "00-source.yaml").write_text(SOURCE, encoding="utf-8")
    (tmp_path / name).write_text(textwrap.dedent(body), encoding="utf-8")
    with pytest.raises(FactErrors) as info:
        build_dataset(tmp_path)
    return info.value.errors


CASES = [
    # (yaml body, line, field, message fragment)
    ("""\
     nodes:
       - id: vessel:maia-1
         name: Maia-1
         imo: "9358011"
         cite: [{source: source:doc, section: p}]
     """, 4, "imo", "not a valid IMO number"),
    ("""\
     nodes:
       - id: person:x
         name: X
         birthday: 1970
         cite: [{source: source:doc, section: p}]
     """, 4, "birthday", "unknown field for Person"),
    ("""\
     nodes:
       - id: event:x
         name: X
         kind: summit
         date: 2023-13-01
         cite: [{source: source:doc, section: p}]
     """, 5, "date", "not a real date"),
    ("""\
     nodes:
       - id: event:x
         name: X
         cite: [{source: source:doc, section: p}]
     """, 2, "kind", "required for Event"),
    ("""\
     nodes:
       - id: person:x
         name: X
     """, 2, None, "at least one citation"),
    ("""\
     nodes:
       - id: persons:x
         name: X
     """, 2, "id", "known prefix"),
    ("""\
     nodes:
       - id: person:x
         name: X
         status: alleged
         cite: [{source: source:doc, section: p}]
     """, 2, None, "needs `by`"),
    ("""\
     nodes:
       - id: person:x
         name: X
         cite:
           - {source: source:nowhere, section: p}
     """, 4, "cite[0].source", "no such Source"),
    ("""\
     nodes:
       - id: person:x
         name: X
         cite: [{source: source:doc, section: p}]
     relationships:
       - type: SIGNED
         from: person:x
         to: person:x
         cite: [{source: source:doc, section: p}]
     """, 8, "to", "SIGNED goes Person -> Agreement"),
    ("""\
     relationships:
       - type: SIGNED
         from: person:ghost
         to: agreement:ghost
         cite: [{source: source:doc, section: p}]
     """, 3, "from", "no node with id 'person:ghost'"),
    ("""\
     nodes:
       - id: person:x
         name: X
         status: reported
         by: [source:doc]
         cite: [{source: source:doc, section: p}]
     """, 5, "by", "source:doc is a Source; `by` names who says so"),
    ("""\
     relationships:
       - type: SIGNS
         from: a
         to: b
     """, 2, "type", "unknown relationship type"),
    ("""\
     nodes:
       - id: country:ru
         name: Russia
         kind: state
         iso2: ru
         cite: [{source: source:doc, section: p}]
     """, 5, "iso2", "ISO 3166-1"),
    ("nodes:\n  - id: person:x\n    name: [unclosed\n", 4, None, "YAML syntax"),
]


@pytest.mark.parametrize(("body", "line", "field", "fragment"), CASES)
def test_a_bad_record_is_refused_with_file_line_and_field(tmp_path, body, line, field, fragment):
    errors = _errors(tmp_path, body)
    assert len(errors) >= 1
    first = errors[0]
    where = (Path(first.path).name, first.line, first.field)
    assert where == ("facts.yaml", line, field), str(first)
    assert fragment in first.message, str(first)
    assert str(first).startswith(f"{first.path}:{line}: ")


def test_duplicate_ids_name_both_places(tmp_path):
    errors = _errors(tmp_path, """\
        nodes:
          - id: source:doc
            name: Again
            kind: report
        """)
    assert errors[0].field == "id"
    assert "declared twice; first at" in errors[0].message
    assert "00-source.yaml:2" in errors[0].message


def test_csv_errors_name_the_row(tmp_path):
    errors = _errors(tmp_path, (
        "id,name,date,<-SAILED,cite_source,cite_section\n"
        "voyage:a,A,2024-01,vessel:none,source:doc,p\n"
        "voyage:b,B,2024-99,,source:doc,p\n"
    ), name="voyages.csv")
    found = {(e.line, e.field) for e in errors}
    assert (2, "from") in found          # the vessel does not exist
    assert (3, "date") in found          # a month 99


def test_mini_folder_reads_yaml_and_csv(mini):
    assert mini.nodes["vessel:maia-1"].imo == "9358010"
    voyage = mini.nodes["voyage:maia-1-2023-rajin-vostochny"]
    assert (voyage.trip_count, voyage.aggregate, voyage.status, voyage.by) == (
        9, True, "assessed", ["org:osc"])
    assert voyage.date.precision == "month"
    sailed = [r for r in mini.relationships.values() if r.record.type == "SAILED"]
    assert [(r.record.from_, r.record.to) for r in sailed] == [
        ("vessel:maia-1", "voyage:maia-1-2023-rajin-vostochny")]
    # relationships from CSV columns take the row's citations, date and status
    assert sailed[0].record.cite[0].section == "p. 4"
    assert sailed[0].record.status == "assessed"


def test_rows_have_the_same_keys_for_every_record(mini):
    rows = mini.node_rows("Person")
    assert len({tuple(r) for r in rows}) == 1
    assert rows[0]["search_keys"]


def test_synthetic_fact_files_read_back_as_the_synthetic_dataset(tmp_path):
    """bench.synthetic's CSV files through the whole reading pipeline (files read and
    validated one at a time) give the dataset it builds in memory, hash for hash."""
    import json
    import subprocess
    import sys

    from tests.fixtures.environment import REPO

    script = ("import json, sys; from pathlib import Path; "
              "from bench.synthetic import synthetic_dataset, write_fact_files; "
              "write_fact_files(900, Path(sys.argv[1]), per_file=400); "
              "ds = synthetic_dataset(900); "
              "print(json.dumps([ds.counts(), {l: ds.node_hashes(l) for l in "
              "('Person', 'Organization', 'Source')}, "
              "sorted(ds.rel_hashes('ROLE_IN', 'Person', 'Organization').values())]))")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, check=True)
    counts, node_hashes, rel_hashes = json.loads(done.stdout)
    assert len(list(tmp_path.glob("roles-*.csv"))) == 3
    read = build_dataset(tmp_path)
    assert read.counts() == counts
    for label, hashes in node_hashes.items():
        assert read.node_hashes(label) == hashes
    assert sorted(read.rel_hashes("ROLE_IN", "Person", "Organization").values()) == rel_hashes


def test_a_dataset_holds_equal_parts_once_without_changing_a_record(mini):
    """Records are stored compactly (equal citations, dates and field sets shared), and each
    still serialises, hashes and compares like the record validated afresh, alone."""
    from rnkg.loaders.pipeline import _record_models, discover, plain, read_all, record_hash
    from tests.fixtures.environment import MINI

    raw, _ = read_all(discover(MINI), mini.schema)
    models = _record_models(mini.schema)
    fresh = {}
    for rec in raw:
        if rec.kind == "relationship":
            rel = models.rel(rec.data["type"]).model_validate(plain(rec.data))
            fresh[rel.rid] = rel
    rels = list(mini.relationships.values())
    assert {r.rid for r in rels} <= fresh.keys()
    for rel in rels:
        alone = fresh[rel.rid]
        assert alone == rel.record and alone is not rel.record
        assert alone.model_dump_json() == rel.record.model_dump_json()
        assert record_hash(alone, "x") == record_hash(rel.record, "x")
    sets = {id(r.record.model_fields_set) for r in rels}
    assert len(sets) < len(rels)  # field-name sets are shared
    by_cite: dict[str, list] = {}
    for rel in rels:
        by_cite.setdefault(rel.record.model_dump_json(include={"cite"}), []).append(rel.record)
    shared = [group for group in by_cite.values() if len(group) > 1]
    assert shared and all(all(r.cite is group[0].cite for r in group) for group in shared)


def test_a_relationships_origin_is_its_file_and_line(mini):
    signed = [rid for rid, rel in mini.relationships.items()
              if rel.record.type == "SIGNED" and rel.record.from_ == "person:vladimir-putin"]
    assert len(signed) == 1
    origin = mini.origins[signed[0]]
    assert (Path(origin.path).name, origin.line) == ("core.yaml", 64)
    assert set(mini.relationships) <= set(mini.origins)
    assert all(mini.origins[rid].line > 0 for rid in mini.relationships)


def test_a_relationship_given_twice_names_where_it_first_was(tmp_path):
    import shutil

    from tests.fixtures.facts import MINI

    folder = tmp_path / "facts"
    shutil.copytree(MINI, folder)
    core = folder / "core.yaml"
    twin = ("  - {type: PARTY_TO, from: country:ru, to: agreement:treaty-2024, "
            "cite: [{source: source:doc-a, section: \"p. 2\"}]}\n")
    text = core.read_text(encoding="utf-8")
    assert twin in text
    core.write_text(text + twin, encoding="utf-8")
    with pytest.raises(FactErrors) as info:
        build_dataset(folder)
    [error] = [e for e in info.value.errors if "already at" in e.message]
    assert error.field == "key"
    assert error.message.endswith(f"already at {error.path}:68; give one a `key`")
