"""FollowTheMoney interchange: the mapping in types.yaml, import ftm, export ftm, matching by IMO.

Streams are built with the followthemoney library itself; stores are real (LadybugDB, and
Neo4j where marked by the `engine` fixture).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

followthemoney = pytest.importorskip("followthemoney")  # the dev install has the ftm extra
from followthemoney import model  # noqa: E402

from rnkg.errors import FactErrors  # noqa: E402
from rnkg.graph.export.ftm import ftm_lines  # noqa: E402
from rnkg.graph.nx import to_networkx  # noqa: E402
from rnkg.loaders.ftm_run import run_import  # noqa: E402
from rnkg.schema import load_schema  # noqa: E402
from rnkg.schema.values import fold  # noqa: E402
from tests.fixtures.cli import rnkg  # noqa: E402

DATA = Path(__file__).parent / "data" / "ftm"
OFAC = "us_ofac_sdn"


def entity(schema: str, ftm_id: str, datasets: tuple[str, ...] = (OFAC,), **props: Any) -> dict:
    """An FtM entity made by followthemoney, with OpenSanctions' stream fields."""
    proxy = model.make_entity(schema)
    proxy.id = ftm_id
    for name, value in props.items():
        proxy.add(name, value)
    data = proxy.to_dict()
    data.update(datasets=list(datasets), first_seen="2023-05-02T10:00:00",
                last_seen="2025-06-30T08:00:00")
    return data


def must_show_stream() -> list[dict]:
    """Maia-1 by IMO, another vessel (its IMO's check digit wrong: followthemoney would drop
    it, so it is put in as a raw stream would carry it), MG-Flot, an Ownership, two Sanctions
    whose listing and start dates differ, a Person with a Directorship, and an entity rnkg
    cannot map."""
    stream = [
        entity("Vessel", "os-maia-1", name=["MAIA-1", "M/V Maia One"], imoNumber="IMO 9358010",
               flag="pw", callSign="UBVX9", buildDate="2006"),
        entity("Vessel", "os-new-ship", name="Ocean Star", flag="kp"),
        entity("Company", "os-mg-flot", name="MG-Flot LLC", jurisdiction="ru"),
        entity("Ownership", "os-own-1", owner="os-mg-flot", asset="os-new-ship",
               startDate="2022-01"),
        entity("Sanction", "os-sanction-maia", entity="os-maia-1", authority="OFAC",
               program="RUSSIA-EO14024", listingDate="2024-02-23", startDate="2024-03-01"),
        entity("Sanction", "os-sanction-mgflot", entity="os-mg-flot", authority="OFAC",
               program="RUSSIA-EO14024", listingDate="2023-12-12", startDate="2024-01-10",
               endDate="2026-01-10"),
        entity("Person", "os-ivanov", name="Ivan Ivanov", nationality="ru"),
        entity("Directorship", "os-dir-1", director="os-ivanov", organization="os-mg-flot",
               role="General Director", startDate="2021"),
        entity("Airplane", "os-plane", name="RA-12345"),
    ]
    stream[1]["properties"]["imoNumber"] = ["IMO 9358011"]
    return stream


def write_stream(path: Path, entities: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return path


def dump(store) -> tuple:
    """Every node and relationship with its properties, in a stable order."""
    nodes = sorted(json.dumps([n.id, n.labels, n.properties], sort_keys=True, default=str)
                   for (n,) in store.query("MATCH (n) RETURN n").rows)
    rels = sorted(json.dumps([r.type, r.start, r.end, r.properties], sort_keys=True, default=str)
                  for (r,) in store.query("MATCH ()-[r]->() RETURN r").rows)
    return nodes, rels


# ---------------------------------------------------------------- the mapping


def test_the_mapping_covers_the_issue_and_names_real_ftm_schemata_and_properties():
    schema = load_schema()
    read = {name for nt in schema.nodes.values() if nt.ftm for name in nt.ftm.schemata}
    read |= {rt.ftm.schema for rt in schema.relationships.values() if rt.ftm}
    wanted = {"Vessel", "Organization", "Company", "PublicBody", "LegalEntity", "Person",
              "Sanction", "Ownership", "Directorship", "Membership", "Representation",
              "Address", "Identification", "Event"}
    assert wanted <= read, wanted - read
    for label, nt in schema.nodes.items():
        if nt.ftm is None:
            continue
        for name in {nt.ftm.schema, *nt.ftm.schemata}:
            ftm_schema = model.get(name)
            assert ftm_schema is not None, (label, name)
            for spec in nt.properties:
                if spec.ftm:
                    assert spec.ftm in ftm_schema.properties, (label, name, spec.ftm)
            for ref in nt.ftm.refs:
                assert ftm_schema.properties[ref.prop].type.name == "entity", (label, ref)
            dates = nt.ftm.dates
            for prop in (dates.start, dates.end, dates.single) if dates else ():
                assert not prop or ftm_schema.properties[prop].type.name == "date"
    for rel, rt in schema.relationships.items():
        if rt.ftm is None:
            continue
        ftm_schema = model.get(rt.ftm.schema)
        assert ftm_schema.edge_source == rt.ftm.from_prop, rel
        assert ftm_schema.edge_target == rt.ftm.to_prop, rel
        for prop in [*rt.ftm.when, *(s.ftm for s in rt.properties if s.ftm)]:
            assert prop in ftm_schema.properties, (rel, prop)
    vessel = {s.name: s.ftm for s in schema.nodes["Vessel"].properties}
    assert vessel == {"imo": "imoNumber", "vessel_type": "type", "flag": "flag",
                      "build_year": "buildDate", "call_sign": "callSign",
                      "former_names": "previousName"}
    sanction = {s.name: s.ftm for s in schema.nodes["Sanction"].properties}
    assert sanction["listed"] == "listingDate" and sanction["authority"] == "authority"
    assert schema.nodes["Sanction"].ftm.dates.start == "startDate"


def test_the_importer_reads_the_mapping_not_schema_names(engine, tmp_path):
    """Declare OWNS as Representation in a copy of types.yaml: the same code then reads an FtM
    Representation as OWNS (no per-schema branch decides it)."""
    import yaml

    from rnkg.schema.model import SCHEMA_FILE, parse_schema

    raw = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    del raw["relationships"]["REPRESENTS"]["ftm"]
    raw["relationships"]["OWNS"]["ftm"] = {"schema": "Representation", "from": "agent",
                                           "to": "client"}
    schema = parse_schema(raw)
    stream = write_stream(tmp_path / "r.ftm.json", [
        entity("Company", "a", name="A"), entity("Company", "b", name="B"),
        entity("Representation", "rep", agent="a", client="b")])
    from rnkg.loaders.ftm import import_ftm
    from rnkg.loaders.ftm_merge import StoreView

    with open(stream, encoding="utf-8") as fh:
        result = import_ftm(fh, str(stream), schema, StoreView(None, schema))
    types = {r.record.type for r in result.dataset.relationships.values()}
    assert types == {"OWNS"}, types


# ---------------------------------------------------------------- import


def test_must_show_maia_1_once_with_both_citations_and_sanction_dates_apart(
        engine, curated, tmp_path):
    engine.load(curated, reset=True)
    stream = write_stream(tmp_path / "os.ftm.json", must_show_stream())
    match = tmp_path / "match.yaml"
    match.write_text("org:mg-flot: os-mg-flot\n", encoding="utf-8")
    before = engine.counts()
    lines, report = run_import(engine, str(stream), match, dry_run=False)
    assert report is not None
    text = "\n".join(lines)
    assert "9 FtM entities: 8 mapped, 1 not mapped (Airplane 1)" in text, text
    assert "merge os-maia-1 -> vessel:maia-1 (imo 9358010)" in text, text
    assert "merge os-mg-flot -> org:mg-flot (--match)" in text, text
    assert "flag: kept 'RU'; FtM gives 'PW'" in text, text
    assert "1 IMO numbers with a wrong check digit" in text, text

    rows = engine.query("MATCH (v:Vessel) WHERE v.imo = '9358010' RETURN v").rows
    assert len(rows) == 1, rows
    maia = rows[0][0].properties
    assert maia["flag"] == "RU" and maia["call_sign"] == "UBVX9"  # curated kept, FtM added
    assert "M/V Maia One" in maia["aliases"]  # a new name, added once
    assert len({fold(a) for a in maia["aliases"]}) == len(maia["aliases"])
    sources = set(maia["cite_sources"])
    curated_sources = {c.source for c in curated.nodes["vessel:maia-1"].cite}
    assert curated_sources < sources and "source:ftm-us-ofac-sdn" in sources, sources
    src = engine.query("MATCH (s:Source) WHERE s.id = 'source:ftm-us-ofac-sdn' "
                       "RETURN s.name, s.kind, s.date_from").rows
    assert [[r[0], r[1], str(r[2])] for r in src] == [["us_ofac_sdn", "dataset", "2025-06-30"]]

    sanctions = engine.query(
        "MATCH (s:Sanction)-[:DESIGNATED]->(t) WHERE s.id STARTS WITH 'sanction:ftm-' "
        "RETURN t.id, s.listed, s.date_from, s.date_to, s.seen_from ORDER BY t.id").rows
    assert [[str(v) for v in r] for r in sanctions] == [
        ["org:mg-flot", "2023-12-12", "2024-01-10", "2026-01-10", "2023-05-02"],
        ["vessel:maia-1", "2024-02-23", "2024-03-01", "2024-03-01", "2023-05-02"],
    ]
    owns = engine.query("MATCH (o:Organization)-[r:OWNS]->(v:Vessel) WHERE v.name = 'Ocean Star' "
                        "RETURN o.id, v.imo, r.date_from").rows
    assert [[r[0], r[1], str(r[2])] for r in owns] == [["org:mg-flot", None, "2022-01-01"]]
    roles = engine.query("MATCH (p:Person)-[r:ROLE_IN]->(o) WHERE p.name = 'Ivan Ivanov' "
                         "RETURN o.id, r.role").rows
    assert roles == [["org:mg-flot", "General Director"]]
    after = engine.counts()
    assert after["Vessel"] == before["Vessel"] + 1  # Ocean Star only: Maia-1 merged
    assert after["Organization"] == before["Organization"]  # MG-Flot merged by --match

    # Importing twice changes nothing.
    first = dump(engine)
    run_import(engine, str(stream), match, dry_run=False)
    assert dump(engine) == first


def test_without_match_only_the_vessel_merges_and_dry_run_writes_nothing(engine, curated,
                                                                        tmp_path):
    engine.load(curated, reset=True)
    stream = write_stream(tmp_path / "os.ftm.json", must_show_stream())
    before = dump(engine)
    lines, report = run_import(engine, str(stream), None, dry_run=True)
    assert report is None and dump(engine) == before
    text = "\n".join(lines)
    assert "merge os-maia-1 -> vessel:maia-1 (imo 9358010)" in text
    assert "org:mg-flot" not in text
    assert "new nodes: 1 Organization, 1 Person, 2 Sanction, 1 Source, 1 Vessel" in text, text
    assert "nothing written" in lines[-1]


def test_cli_import_reports_bad_input_in_one_line_and_writes_nothing(tmp_path):
    db = tmp_path / "s.lbug"
    good = entity("Vessel", "v1", name="Ship", imoNumber="9358010")
    bad = entity("Vessel", "v2", name="Ship 2")
    bad["properties"]["wingspan"] = ["30"]
    stream = tmp_path / "bad.ftm.json"
    stream.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n{oops\n", encoding="utf-8")
    res = rnkg("--db", str(db), "import", "ftm", str(stream))
    assert res.returncode == 1, res.stderr
    errors = res.stderr.strip().splitlines()
    assert errors[0] == f"rnkg: {stream}:2: properties.wingspan: not a property of Vessel"
    assert errors[1].startswith(f"rnkg: {stream}:3: not a JSON object")
    counts = rnkg("--db", str(db), "stats", "--format", "json")
    assert all(row["count"] == 0 for row in json.loads(counts.stdout)), counts.stdout


def test_cli_import_reads_standard_input(tmp_path):
    db = tmp_path / "s.lbug"
    stream = "".join(json.dumps(e) + "\n" for e in must_show_stream())
    exe = Path(sys.executable).with_name("rnkg")
    res = subprocess.run([str(exe), "--db", str(db), "import", "ftm", "-"], input=stream,
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    assert "new nodes: 1 Organization, 1 Person, 2 Sanction, 1 Source, 2 Vessel" in res.stdout


def test_a_match_file_naming_a_node_the_store_lacks_is_refused(tmp_path):
    from rnkg.graph.ladybug import LadybugBackend, release

    path = tmp_path / "e.lbug"
    store = LadybugBackend(path)
    try:
        stream = write_stream(tmp_path / "a.ftm.json", [entity("Company", "x", name="X")])
        match = tmp_path / "m.yaml"
        match.write_text("x: org:nowhere\n", encoding="utf-8")
        with pytest.raises(FactErrors, match="org:nowhere, which the store does not hold"):
            run_import(store, str(stream), match, dry_run=False)
    finally:
        store.close()
        release(path)


# ---------------------------------------------------------------- export and round trip


def test_export_of_the_curated_graph_round_trips_through_followthemoney(engine, curated,
                                                                        tmp_path):
    engine.load(curated, reset=True)
    g = to_networkx(engine)
    lines, report = ftm_lines(g, load_schema())
    assert not report.dropped, report.dropped
    errors = []
    for line in lines:
        data = json.loads(line)
        proxy = model.get_proxy(data, cleaned=False)  # cleans every value again
        if proxy.properties != data["properties"]:
            errors.append((data["id"], data["properties"], proxy.properties))
        try:
            proxy.schema.validate(data)
        except Exception as exc:  # followthemoney's InvalidData
            errors.append((data["id"], str(exc)))
    assert errors == []
    schemata = {json.loads(line)["schema"] for line in lines}
    assert {"Ownership", "Directorship", "Sanction", "Vessel", "Person"} <= schemata
    entities = [json.loads(x) for x in lines]
    for name in ("Ownership", "Directorship", "Sanction"):
        of_schema = [e for e in entities if e["schema"] == name]
        assert all(e["properties"].get("publisher") for e in of_schema), name  # its sources
        assert any("startDate" in e["properties"] or "first_seen" in e
                   for e in of_schema), name  # dates, or when its sources saw it
    dated = sum(1 for _, end, a in g.edges(data=True)
                if a["type"] == "ROLE_IN" and a.get("date_text")
                and g.nodes[end]["label"] == "Organization")
    assert dated == sum(1 for e in entities if e["schema"] == "Directorship"
                        and {"startDate", "endDate", "date"} & e["properties"].keys())

    # Re-import into an empty store: the same counts for every mapped type.
    out = tmp_path / "curated.ftm.json"
    out.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    from rnkg.graph.ladybug import LadybugBackend, release

    path = tmp_path / "again.lbug"
    again = LadybugBackend(path)
    try:
        run_import(again, str(out), None, dry_run=False)
        counts = again.counts()
    finally:
        again.close()
        release(path)
    expected = exported_counts(lines)
    assert {k: counts[k] for k in expected} == expected
    held = engine.counts()
    for label in ("Person", "Organization", "Vessel", "Place", "Event"):
        assert counts[label] == held[label], label  # every node of these types has an FtM form
    assert counts["OWNS"] + counts["OPERATES"] == held["OWNS"] + held["OPERATES"]
    assert counts["Source"] == 1  # the dataset `rnkg`


def exported_counts(lines: list[str]) -> dict[str, int]:
    """rnkg counts an export stands for, by the mapping: entities per type, references."""
    schema = load_schema()
    by_schema = {name: label for label, nt in schema.nodes.items() if nt.ftm
                 for name in nt.ftm.schemata}
    out: dict[str, int] = {}
    for line in lines:
        data = json.loads(line)
        label = by_schema.get(data["schema"])
        if label:
            out[label] = out.get(label, 0) + 1
            mapping = schema.nodes[label].ftm
            assert mapping is not None
            for ref in mapping.refs:
                n = len(data["properties"].get(ref.prop, []))
                out[ref.rel] = out.get(ref.rel, 0) + n
        else:
            rel = next(r for r, rt in schema.relationships.items() if rt.ftm
                       and rt.ftm.schema == data["schema"]
                       and all(v in data["properties"].get(k, []) for k, v in rt.ftm.when.items())
                       and (rt.ftm.when or "role" not in data["properties"]
                            or data["properties"]["role"] != ["operator"]))
            out[rel] = out.get(rel, 0) + 1
    return out


def test_cli_export_ftm_writes_the_stream(tmp_path, curated):
    from rnkg.loaders.pipeline import default_facts_dir
    from tests.fixtures.cli import loaded_file

    with loaded_file(tmp_path / "c.lbug", default_facts_dir()) as db:
        out = tmp_path / "out.ftm.json"
        res = rnkg("--db", str(db), "export", "ftm", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"wrote {out}: ")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(model.get_proxy(json.loads(x)).schema for x in lines)


def test_the_readme_example_is_real_output(tmp_path):
    """The README's FtM example, re-run on a fresh curated store: the same text (durations and
    the store's path aside)."""
    import re
    import shlex

    from rnkg.loaders.pipeline import default_facts_dir
    from tests.fixtures.cli import loaded_file

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- ftm-example -->\n```text\n", 1)[1].split("```", 1)[0]
    shown, ran = [], []
    with loaded_file(tmp_path / "c.lbug", default_facts_dir()) as db:
        pass  # loaded, then released for the commands below
    exe = Path(sys.executable).with_name("rnkg")
    for part in block.split("$ ")[1:]:
        command, _, output = part.partition("\n")
        res = subprocess.run([str(exe), "--db", str(db), *shlex.split(command)[1:]],
                             capture_output=True, text=True, timeout=120, check=False,
                             cwd=Path(__file__).parent.parent, env={**os.environ, "COLUMNS": "160"})
        assert res.returncode == 0, res.stderr
        shown.append(output.rstrip("\n"))
        ran.append((res.stderr + res.stdout).rstrip("\n")
                   .replace(str(db), "~/.local/share/rnkg/rnkg.lbug"))

    def fold_times(text: str) -> str:
        return re.sub(r"\d+\.\d+ s\b", "N s", text)

    assert [fold_times(t) for t in ran] == [fold_times(t) for t in shown]


# ---------------------------------------------------------------- the optional dependency


BLOCK = ("import sys\n"
         "class Block:\n"
         "    def find_spec(self, name, path=None, target=None):\n"
         "        if name.split('.')[0] == 'followthemoney':\n"
         "            raise ImportError('blocked')\n"
         "sys.meta_path.insert(0, Block())\n")


def test_rnkg_cli_does_not_import_followthemoney():
    code = "import sys, rnkg.cli\nassert 'followthemoney' not in sys.modules, 'imported'\n"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=False)
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("args", [["import", "ftm", "x.json"], ["export", "ftm", "x.json"]])
def test_without_followthemoney_the_commands_say_how_to_install_it(args, tmp_path):
    code = BLOCK + ("from rnkg.cli import main\n"
                    f"sys.argv = ['rnkg', '--db', {str(tmp_path / 'x.lbug')!r}, *{args!r}]\n"
                    "main()\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=False, cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    assert res.stderr == ("rnkg: FollowTheMoney support needs the followthemoney library: "
                          "pip install 'rnkg[ftm]'\n")
    assert not (tmp_path / "x.lbug").exists()  # nothing opened


def test_every_mapped_schema_imports_as_its_type_and_exports_back(tmp_path):
    """Membership, Representation, Identification (and Passport, a kind of it), Event with its
    participants, Address, PublicBody and LegalEntity: each read as its declared rnkg type,
    written, exported, and re-imported into an empty store with the same counts."""
    from rnkg.graph.ladybug import LadybugBackend, release

    stream = write_stream(tmp_path / "all.ftm.json", [
        entity("PublicBody", "ministry", name="Ministry of Transport"),
        entity("LegalEntity", "holding", name="Holding X"),
        entity("Company", "agent", name="Agent Ltd"),
        entity("Person", "boss", name="Boss"),
        entity("Membership", "m1", member="agent", organization="ministry", startDate="2020"),
        entity("Representation", "r1", agent="agent", client="holding", role="ship manager"),
        entity("Identification", "i1", holder="boss", number="A-1", type="registry"),
        entity("Passport", "p1", holder="boss", number="P-2", country="ru"),
        entity("Event", "e1", name="Meeting", involved=["boss", "agent"], date="2024-06-19"),
        entity("Address", "a1", full="1 Harbour Road, Vladivostok", country="ru"),
    ])
    first, second = tmp_path / "first.lbug", tmp_path / "second.lbug"
    store = LadybugBackend(first)
    try:
        run_import(store, str(stream), None, dry_run=False)
        counts = {k: v for k, v in store.counts().items() if v}
        lines, report = ftm_lines(to_networkx(store), load_schema())
    finally:
        store.close()
        release(first)
    assert counts == {"Organization": 3, "Person": 1, "Event": 1, "Place": 1, "Source": 1,
                      "Identification": 2, "MEMBER_OF": 1, "REPRESENTS": 1, "ATTENDED": 2,
                      "IDENTIFIED_BY": 2}
    assert not report.dropped, report.dropped
    kinds = sorted(json.loads(x)["schema"] for x in lines)
    assert kinds == ["Address", "Company", "Event", "Identification", "Identification",
                     "Membership", "Organization", "Person", "PublicBody", "Representation"]
    out = tmp_path / "again.ftm.json"
    out.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    store = LadybugBackend(second)
    try:
        run_import(store, str(out), None, dry_run=False)
        again = {k: v for k, v in store.counts().items() if v}
    finally:
        store.close()
        release(second)
    assert again == counts


def test_a_match_to_a_node_of_another_type_is_refused(tmp_path):
    from rnkg.graph.ladybug import LadybugBackend, release

    path = tmp_path / "e.lbug"
    store = LadybugBackend(path)
    try:
        stream = write_stream(tmp_path / "a.ftm.json", [entity("Company", "x", name="X")])
        match = tmp_path / "m.yaml"
        match.write_text("x: person:kim-jong-un\n", encoding="utf-8")
        with pytest.raises(FactErrors, match=r"--match maps x \(read as Organization\) to "
                                             r"person:kim-jong-un, a Person"):
            run_import(store, str(stream), match, dry_run=True)
    finally:
        store.close()
        release(path)


def test_an_import_and_a_facts_reload_never_remove_each_others_rows(engine, curated, tmp_path):
    """An import adds (it removes no curated row); a later load of the facts folder removes only
    what a facts load wrote (the imported rows stay), and reports no removal."""
    engine.load(curated, reset=True)
    held = engine.counts()
    stream = write_stream(tmp_path / "os.ftm.json", must_show_stream())
    run_import(engine, str(stream), None, dry_run=False)
    imported = engine.counts()
    assert all(imported.get(k, 0) >= n for k, n in held.items()), (held, imported)
    assert imported["Vessel"] == held["Vessel"] + 1
    report = engine.load(curated)
    assert report.changes is not None and report.changes.removed == 0
    assert engine.counts() == imported
