"""``rnkg export neo4j-import``: the files, and a real ``neo4j-admin database import`` of them
that matches the online load property for property.

The import runs into a second Neo4j home (its own folder and free ports, tests/fixtures/
neo4j_admin.py), started after the import; the same dataset is loaded online into the server
under test. Both are read whole with the driver (labels, types, every property with its
driver type, ``_hash`` and ``rid`` included) and compared, for the curated graph and for the
bench's synthetic 100k-relationship dataset.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rnkg.errors import OutputError
from rnkg.graph.export.neo4j_import import AFTER_FILE, ARGS_FILE, BLANK, write_import
from rnkg.loaders.pipeline import Dataset
from rnkg.schema.ddl import HASH_COLUMN
from tests.fixtures.cli import rnkg
from tests.fixtures.environment import CURATED, IN_CI, REPO
from tests.fixtures.neo4j_admin import ImportHome, import_seconds
from tests.fixtures.neo4j_server import neo4j_or_skip, neo4j_settings, wipe_neo4j

# ---------------------------------------------------------------- the files (no server)


def test_export_writes_a_file_a_label_and_a_type_with_typed_headers(curated, tmp_path):
    files = write_import(curated, tmp_path / "imp")
    counts = curated.counts()
    assert set(files.nodes) == {n for n in curated.schema.nodes if n in counts}
    assert set(files.relationships) == {r for r in curated.schema.relationships if r in counts}
    person = (tmp_path / "imp" / "nodes-Person.csv").read_text(encoding="utf-8")
    head = person.splitlines()[0].split(",")
    assert head[0] == "id:ID(rnkg)" and head[-1] == ":LABEL"
    assert {"name:string", "aliases:string[]", "date_from:date", f"{HASH_COLUMN}:string",
            f"{BLANK}:string[]"} <= set(head)
    # one line a row (no text of the curated graph holds a line break), quoted ids
    assert len(person.splitlines()) == counts["Person"] + 1
    rels = (tmp_path / "imp" / "rels-SIGNED.csv").read_text(encoding="utf-8").splitlines()
    assert rels[0].startswith(":START_ID(rnkg),:END_ID(rnkg),rid:string,")
    assert rels[0].endswith(",:TYPE") and rels[1].endswith(",SIGNED")
    args = (tmp_path / "imp" / ARGS_FILE).read_text().splitlines()
    assert args[:5] == ["database", "import", "full", "neo4j", "--overwrite-destination=true"]
    assert all(Path(a.split("=", 1)[1]).is_absolute() for a in args if a.startswith("--nodes"))
    assert (tmp_path / "imp" / AFTER_FILE).read_text().count("CREATE CONSTRAINT") == len(
        curated.schema.nodes)


def test_array_delimiter_avoids_the_data_and_a_line_break_turns_on_multiline(mini, tmp_path):
    ds = _copy(mini)
    node = next(n for n in ds.nodes.values() if n.label == "Person")
    ds.nodes[node.id] = node.model_copy(update={"aliases": ["a\x1fb", "two\nlines"]})
    files = write_import(ds, tmp_path / "imp")
    assert files.delimiter == "\x1e" and files.multiline
    args = files.arguments()
    assert "--array-delimiter=U+001E" in args and "--multiline-fields=true" in args


def test_export_refuses_a_folder_holding_other_files(mini, tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(OutputError, match="not an empty folder"):
        write_import(mini, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]
    write_import(mini, tmp_path / "imp")
    again = write_import(mini, tmp_path / "imp")  # an earlier export is replaced whole
    assert sorted(p.name for p in (tmp_path / "imp").iterdir()) == sorted(
        [*(p.name for p in again.nodes.values()), *(p.name for p in again.relationships.values()),
         ARGS_FILE, AFTER_FILE])


def test_cli_prints_the_command_with_absolute_paths_and_the_database(tmp_path):
    out = tmp_path / "imp"
    result = rnkg("export", "neo4j-import", str(out), "--facts", str(CURATED),
                  env={"NEO4J_DATABASE": "graphdb"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    command = next(line.strip() for line in lines if line.strip().startswith("neo4j-admin "))
    assert command.startswith("neo4j-admin database import full graphdb "
                              "--overwrite-destination=true ")
    assert f"--nodes={out}/nodes-Person.csv" in command
    assert "Stop the Neo4j server first" in result.stdout
    assert str(out / AFTER_FILE) in result.stdout


def _copy(ds: Dataset) -> Dataset:
    return Dataset(schema=ds.schema, nodes=dict(ds.nodes), relationships=dict(ds.relationships),
                   origins=dict(ds.origins), files=list(ds.files))


# ---------------------------------------------------------------- against real servers


@pytest.fixture(scope="module")
def import_home(tmp_path_factory: Any) -> Iterator[ImportHome]:
    """A second Neo4j home for imports; skips (fails in CI) as the other Neo4j tests do."""
    neo4j_or_skip().close()  # no server under test: skip (CI: fail) with the reason
    if not shutil.which("java"):
        reason = "no Java: no second Neo4j home for neo4j-admin import"
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    home = ImportHome.create(tmp_path_factory.mktemp("admin"))
    yield home
    home.remove()


def _driver(uri: str, password: str) -> Any:
    import neo4j

    return neo4j.GraphDatabase.driver(uri, auth=("neo4j", password))


def _typed(props: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """Every property with the name of its driver type (1 and 1.0 are not the same value)."""
    return {k: (type(v).__name__, v) for k, v in props.items()}


def _graph(driver: Any, ds: Dataset) -> tuple[dict[str, Any], dict[str, Any]]:
    """rnkg's nodes (by id) and relationships (by rid) on a server, with typed properties."""
    prefixes = {label: f"{nt.prefix}:" for label, nt in ds.schema.nodes.items()}
    nodes, rels = {}, {}
    with driver.session(database="neo4j") as session:
        for labels, props in session.run("MATCH (n) RETURN labels(n), properties(n)"):
            if len(labels) == 1 and str(props.get("id", "")).startswith(
                    prefixes.get(labels[0], "\0")):
                nodes[props["id"]] = (tuple(labels), _typed(props))
        for typ, a, b, props in session.run(
                "MATCH (a)-[r]->(b) RETURN type(r), a.id, b.id, properties(r)"):
            if a in nodes and b in nodes:
                rels[props.get("rid")] = (typ, a, b, _typed(props))
    return nodes, rels


def _schema_names(driver: Any) -> set[str]:
    with driver.session(database="neo4j") as session:
        return {name for q in ("SHOW CONSTRAINTS YIELD name", "SHOW INDEXES YIELD name")
                for (name,) in session.run(q) if name.startswith("rnkg_")}


def _import(home: ImportHome, ds: Dataset, folder: Path) -> tuple[Any, float]:
    """Export ``ds``, import it into ``home`` (its server stopped first), start the server, run
    the after-import statements; a driver on it and the tool's own seconds."""
    files = write_import(ds, folder)
    home.script("stop", timeout=120)
    seconds = import_seconds(home.script("import", str(files.folder)))
    home.script("start")
    driver = _driver(home.uri(), home.password())
    with driver.session(database="neo4j") as session:
        for statement in (files.folder / AFTER_FILE).read_text().splitlines():
            session.run(statement.rstrip(";")).consume()
    return driver, seconds


def _online(ds: Dataset) -> Any:
    """Load ``ds`` online into the server under test (rnkg's data wiped first); a driver."""
    backend = neo4j_or_skip()
    try:
        wipe_neo4j(backend)
        report = backend.load(ds, reset=True)
        held = {name: n for name, n in backend.counts().items() if n}
    finally:
        backend.close()
    # A managed transaction retried after a transient error re-runs the load's work with its
    # steps already drawn, and commits what is left (nothing, at commit time) as a success.
    assert held == ds.counts(), (
        f"the online load reported success ({report.seconds:.0f} s) but the server holds "
        f"{held}, not the dataset: a retried transaction?")
    s = neo4j_settings()
    return _driver(s.neo4j_uri, s.neo4j_password or "")


def _first_differences(a: dict[str, Any], b: dict[str, Any], n: int = 3) -> list[str]:
    keys = sorted(set(a) | set(b), key=str)
    out = []
    for k in keys:
        if a.get(k) != b.get(k):
            if k in a and k in b and isinstance(a[k][-1], dict):
                pa, pb = a[k][-1], b[k][-1]
                props = {p: (pa.get(p), pb.get(p)) for p in set(pa) | set(pb)
                         if pa.get(p) != pb.get(p)}
                out.append(f"{k}: {props}")
            else:
                out.append(f"{k}: {a.get(k)!r} vs {b.get(k)!r}")
            if len(out) == n:
                break
    return out


def _assert_same(ds: Dataset, imported: Any, online: Any) -> None:
    (i_nodes, i_rels), (o_nodes, o_rels) = _graph(imported, ds), _graph(online, ds)
    counts = Counter(labels[0] for labels, _ in o_nodes.values())
    counts.update(typ for typ, *_ in o_rels.values())
    assert dict(counts) == ds.counts()  # the online load holds the dataset ...
    i_counts = Counter(labels[0] for labels, _ in i_nodes.values())
    i_counts.update(typ for typ, *_ in i_rels.values())
    assert i_counts == counts  # ... and the import the same, per label and type
    assert i_nodes == o_nodes, _first_differences(i_nodes, o_nodes)
    assert i_rels == o_rels, _first_differences(i_rels, o_rels)
    assert not any(BLANK in props for _, props in i_nodes.values())


@pytest.mark.neo4j
def test_admin_import_of_the_curated_graph_matches_the_online_load(curated, import_home,
                                                                   tmp_path):
    from rnkg.graph.backend import Settings
    from rnkg.graph.neo4j import Neo4jBackend

    imported, _ = _import(import_home, curated, tmp_path / "imp")
    online = _online(curated)
    try:
        _assert_same(curated, imported, online)
        assert _schema_names(imported) == _schema_names(online) != set()
    finally:
        online.close()
        imported.close()
    # the stored hashes are the online load's: a load of the same facts sends nothing
    backend = Neo4jBackend(Settings.resolve(backend="neo4j", env={
        "NEO4J_URI": import_home.uri(), "NEO4J_PASSWORD": import_home.password()}))
    try:
        changes = backend.load(curated).changes
    finally:
        backend.close()
    assert (changes.added, changes.changed, changes.removed) == (0, 0, 0)


@pytest.mark.neo4j
def test_admin_import_of_100k_relationships_matches_the_online_load(import_home, tmp_path):
    ds = _synthetic(100_000)
    imported, seconds = _import(import_home, ds, tmp_path / "imp")
    assert seconds > 0
    online = _online(ds)
    try:
        _assert_same(ds, imported, online)
    finally:
        online.close()
        imported.close()
        wipe_neo4j_quietly()


def _synthetic(n_rels: int) -> Dataset:
    """bench/synthetic.py's dataset (bench/ is not a package the suite imports by name)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("rnkg_bench_synthetic",
                                                  REPO / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ds: Dataset = module.synthetic_dataset(n_rels)
    return ds


def wipe_neo4j_quietly() -> None:
    """Leave the server under test without the 100k graph (other tests load their own)."""
    backend = neo4j_or_skip()
    try:
        wipe_neo4j(backend)
    finally:
        backend.close()
