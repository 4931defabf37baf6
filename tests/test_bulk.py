"""Bulk writes and change detection: a full build through COPY FROM (embedded), a reload that
sends only what changed and removes what the facts no longer hold, on both engines."""

from __future__ import annotations

import shutil
from pathlib import Path

from rnkg.graph.backend import Backend
from rnkg.loaders.pipeline import build_dataset, default_facts_dir
from rnkg.schema.ddl import HASH_COLUMN
from tests.fixtures.cli import rnkg
from tests.fixtures.environment import MINI


def _all_properties(backend: Backend) -> tuple[dict, dict]:
    nodes = {n.id: n.properties for (n,) in backend.query("MATCH (n) RETURN n").rows}
    rels = {r.properties["rid"]: (r.type, r.start, r.end, r.properties)
            for (r,) in backend.query("MATCH ()-[r]->() RETURN r").rows}
    return nodes, rels


def _curated_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "facts"
    shutil.copytree(default_facts_dir(), folder, ignore=shutil.ignore_patterns("*.py", "*.md"))
    return folder


def _change_one_fact(folder: Path) -> None:
    path = folder / "summit-2023.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("    name: Kim Jong Un\n") == 1
    path.write_text(text.replace("    name: Kim Jong Un\n", "    name: Kim Jong-un\n"),
                    encoding="utf-8")


def _spy_rows(backend: Backend) -> list[int]:
    """Count the rows every write step sends (rows, ids or rids)."""
    sent: list[int] = []
    original = backend._run_step

    def spy(run, statement, params):
        sent.append(sum(len(v) for v in params.values() if isinstance(v, list)))
        return original(run, statement, params)

    backend._run_step = spy  # type: ignore[method-assign]
    return sent


def test_a_reload_of_curated_facts_with_one_fact_changed_touches_one_row(engine, tmp_path):
    folder = _curated_copy(tmp_path)
    first = engine.load(build_dataset(folder), reset=True)
    assert first.full and first.changes.changed == 0
    _change_one_fact(folder)
    changed = build_dataset(folder)
    sent = _spy_rows(engine)
    report = engine.load(changed)
    assert (report.full, report.changes.added, report.changes.changed,
            report.changes.removed) == (False, 0, 1, 0)
    assert sum(sent) == 1, sent
    name = engine.query("MATCH (n:Person) WHERE n.id = 'person:kim-jong-un' RETURN n.name")
    assert name.scalar() == "Kim Jong-un"
    again = engine.load(changed)
    assert (again.changes.added, again.changes.changed, again.changes.removed) == (0, 0, 0)


def test_a_reload_removes_what_the_facts_no_longer_hold_and_spares_foreign_rows(engine, mini,
                                                                               tmp_path):
    engine.load(mini, reset=True)
    engine.query("CREATE (:Person {id: 'person:foreign', name: 'Not from a load'})", write=True)
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    core = folder / "core.yaml"
    text = core.read_text(encoding="utf-8")
    node = ('  - id: person:kim-yong-bok\n    name: Kim Yong Bok\n'
            '    cite: [{source: source:doc-a, section: "p. 9"}]\n')
    rel = ('  - {type: SIGNED, from: person:kim-jong-un, to: agreement:treaty-2024, '
           'date: 2024-06-19,\n     cite: [{source: source:doc-a, quote: "Kim signed"}]}\n')
    assert node in text and rel in text
    core.write_text(text.replace(node, "").replace(rel, ""), encoding="utf-8")
    smaller = build_dataset(folder)
    assert len(mini.relationships) - len(smaller.relationships) == 1
    report = engine.load(smaller)
    assert (report.changes.added, report.changes.changed, report.changes.removed) == (0, 0, 2)
    ids = {n.id for (n,) in engine.query("MATCH (n:Person) RETURN n").rows}
    assert "person:kim-yong-bok" not in ids and "person:foreign" in ids
    assert _all_properties(engine)[1].keys() == {r for r in smaller.relationships}


def test_the_hash_is_stored_but_never_shown(engine, mini):
    engine.load(mini, reset=True)
    (node,) = engine.query("MATCH (n) WHERE n.id = 'country:ru' RETURN n").rows[0]
    assert HASH_COLUMN not in node.properties
    stored = engine.query(f"MATCH (n) WHERE n.id = 'country:ru' RETURN n.{HASH_COLUMN}").scalar()
    assert stored == next(r for r in mini.node_rows("Country") if r["id"] == "country:ru")[
        HASH_COLUMN]


HOSTILE = '''nodes:
  - id: source:s
    name: "S, with a comma"
    kind: report
  - id: person:a
    name: 'A "quoted", name'
    aliases: ["one, two", 'say "hi"', "new\\nline", "Ünïcödé"]
    description: "line one\\nline two, \\"three\\""
    cite: [{source: source:s, quote: "a, b \\"c\\"", section: "p. 2"}]
  - id: org:b
    name: B
    kind: company
    cite: [{source: source:s, section: "p, 1"}]
relationships:
  - {type: ROLE_IN, from: person:a, to: org:b, role: "chief, \\"acting\\"",
     cite: [{source: source:s, quote: "q,1", section: "p. 3"}]}
'''


def test_a_bulk_build_stores_what_create_batches_store(tmp_path, monkeypatch):
    """COPY FROM (files) and CREATE batches give the same store, awkward text included."""
    from rnkg.graph import bulk as bulk_module
    from rnkg.graph.backend import Backend as Base
    from rnkg.graph.ladybug import LadybugBackend, release

    monkeypatch.setattr(bulk_module, "BULK_MIN_ROWS", 1)  # COPY even these few rows

    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "f.yaml").write_text(HOSTILE, encoding="utf-8")
    ds = build_dataset(folder)
    answers = []
    for name, bulk in (("bulk", True), ("create", False)):
        path = tmp_path / f"{name}.lbug"
        store = LadybugBackend(path)
        if not bulk:
            store._full_steps = lambda d, c, w, s=store: Base._full_steps(s, d, c, w)
        sent = _spy_rows(store)
        report = store.load(ds, reset=True)
        assert report.full
        assert (sum(sent) == 0) is bulk  # COPY steps carry no row parameters
        answers.append(_all_properties(store))
        store.close()
        release(path)
    assert answers[0] == answers[1]
    nodes = answers[0][0]
    assert nodes["person:a"]["aliases"] == ["one, two", 'say "hi"', "new\nline", "Ünïcödé"]
    assert nodes["person:a"]["description"] == 'line one\nline two, "three"'


def test_rnkg_load_prints_added_changed_removed(tmp_path):
    folder = _curated_copy(tmp_path)
    db = str(tmp_path / "cli.lbug")
    first = rnkg("--db", db, "load", "--facts", str(folder), "--reset")
    assert first.returncode == 0, first.stderr
    assert ", 0 changed, 0 removed" in first.stdout
    _change_one_fact(folder)
    again = rnkg("--db", db, "load", "--facts", str(folder))
    assert again.returncode == 0, again.stderr
    assert again.stdout.split(": ", 1)[1].startswith("0 added, 1 changed, 0 removed"), again.stdout


def test_a_table_copied_in_parts_stores_what_one_copy_stores(tmp_path, monkeypatch):
    """A large table goes in several COPY statements of one transaction: same store, and a
    failure in its last part leaves the store as it was."""
    import subprocess
    import sys

    import pytest

    from rnkg.graph import bulk as bulk_module
    from rnkg.graph.ladybug import LadybugBackend, release
    from tests.fixtures.environment import REPO

    subprocess.run([sys.executable, "-m", "bench.synthetic", "1200", str(tmp_path / "facts")],
                   cwd=REPO, check=True, capture_output=True)
    ds = build_dataset(tmp_path / "facts")
    answers = []
    for name, part_rows in (("one", 100_000), ("parts", 250)):
        monkeypatch.setattr(bulk_module, "PART_ROWS", part_rows)
        path = tmp_path / f"{name}.lbug"
        store = LadybugBackend(path)
        copies: list[str] = []
        original = store._run_step

        def spy(run, statement, params, copies=copies, original=original):
            if statement.startswith("COPY ROLE_IN"):
                copies.append(statement)
            return original(run, statement, params)

        store._run_step = spy
        store.load(ds, reset=True)
        assert len(copies) == (1 if name == "one" else 5)  # 1,200 rows in parts of 250
        answers.append(_all_properties(store))
        if name == "parts":
            before = store.counts()
            seen: list[str] = []

            def failing(run, statement, params, seen=seen, original=original):
                if statement.startswith("COPY ROLE_IN"):
                    seen.append(statement)
                    if len(seen) == 5:
                        raise RuntimeError("injected failure in the last part")
                return original(run, statement, params)

            store._run_step = failing
            with pytest.raises(RuntimeError, match="last part"):
                store.load(ds, reset=True)
            assert store.counts() == before
            assert _all_properties(store) == answers[-1]
        store.close()
        release(path)
    assert answers[0] == answers[1]
    assert len(answers[0][1]) == 1200


def test_the_bulk_files_hold_each_field_as_the_cell_format_writes_it(curated, tmp_path):
    """The csv module's files equal, byte for byte, the fields of ``_cell`` (texts quoted, a
    NULL bare and empty, lists after the separator), for every table of the curated graph."""
    from rnkg.graph.bulk import _cell, write_parts

    schema = curated.schema
    tables = [(label, {**schema.node_columns(label), HASH_COLUMN: "string"},
               curated.node_rows(label)) for label in schema.nodes]
    tables += [(f"{t}-{a}-{b}", {"from": "string", "to": "string", **schema.rel_columns(t),
                                 HASH_COLUMN: "string"}, curated.rel_rows(t, a, b))
               for t, rt in schema.relationships.items() for a, b in rt.endpoints]
    written = 0
    for name, columns, rows in tables:
        if not rows:
            continue
        path = tmp_path / f"{name}.csv"
        assert write_parts(path, iter(rows), columns, None) == [path]
        expected = ",".join(columns) + "\n" + "".join(
            ",".join(_cell(row[c], t) for c, t in columns.items()) + "\n" for row in rows)
        assert path.read_bytes().decode("utf-8") == expected, name
        written += len(rows)
    assert written == len(curated.nodes) + len(curated.relationships)


def test_a_full_build_replaces_the_file_and_a_failed_one_leaves_no_trace(tmp_path, mini,
                                                                         curated):
    """A reset of a store holding only rnkg's tables builds a new file that replaces it; a
    build that fails is removed, and the store keeps what it held."""
    import pytest

    from rnkg.graph.ladybug import LadybugBackend, release

    path = tmp_path / "s.lbug"
    store = LadybugBackend(path)
    store.load(mini, reset=True)
    before = _all_properties(store)
    original = store._run_step

    building: list[bool] = []

    def failing(run, statement, params):
        if statement.startswith("COPY") or ("CREATE" in statement and "rows" in params):
            building.append((tmp_path / "s.lbug.build").exists())
            raise RuntimeError("injected failure in the build")
        return original(run, statement, params)

    store._run_step = failing
    with pytest.raises(RuntimeError, match="in the build"):
        store.load(curated, reset=True)
    store._run_step = original
    assert building == [True]  # the rows went to a file beside the store
    assert not any(p.name.startswith("s.lbug.build") for p in tmp_path.iterdir())
    assert _all_properties(store) == before
    report = store.load(curated, reset=True)
    assert report.full and report.counts["Person"] == sum(
        1 for n in curated.nodes.values() if n.label == "Person")
    assert not any(p.name.startswith("s.lbug.build") for p in tmp_path.iterdir())
    store.close()
    release(path)
    again = LadybugBackend(path, read_only=True)  # the new file is the store, reopened
    assert again.counts() == report.counts
    again.close()
    release(path)


def test_a_reset_keeps_tables_that_are_not_rnkg_s(tmp_path, mini):
    """A store with a table of its own is reset in one transaction, as before: rnkg's tables
    are rebuilt, the other one stays."""
    from rnkg.graph.ladybug import LadybugBackend, release

    path = tmp_path / "s.lbug"
    store = LadybugBackend(path)
    store.load(mini, reset=True)
    store.query("CREATE NODE TABLE Mine(k STRING PRIMARY KEY)", write=True)
    store.query("CREATE (:Mine {k: 'kept'})", write=True)
    store.load(mini, reset=True)
    assert store.query("MATCH (m:Mine) RETURN m.k").scalar() == "kept"
    assert store.counts()["Person"] == 4
    store.close()
    release(path)
