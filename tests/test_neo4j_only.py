"""Neo4j-specific promises: parity with the embedded engine through the CLI, a client nobody
here wrote reading what rnkg wrote, the refusal of writes, and URI schemes."""

import os
import subprocess
from pathlib import Path

import pytest

from rnkg.graph.backend import Settings
from tests.fixtures.cli import rnkg
from tests.fixtures.environment import REPO
from tests.fixtures.neo4j_server import neo4j_or_skip, neo4j_settings, wipe_neo4j

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo4j_env():
    backend = neo4j_or_skip()  # skips or fails (CI) with the reason
    backend.close()
    s = neo4j_settings()
    return {"NEO4J_URI": s.neo4j_uri, "NEO4J_USERNAME": s.neo4j_user,
            "NEO4J_PASSWORD": s.neo4j_password, "NEO4J_DATABASE": s.neo4j_database or "neo4j"}


def _counts(args, env):
    result = rnkg(*args, "stats", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    import json

    return {row["type"]: row["count"] for row in json.loads(result.stdout)}


def test_neo4j_load_twice_matches_the_embedded_engine(neo4j_env, tmp_path):
    backend = neo4j_or_skip()
    try:
        wipe_neo4j(backend)  # twice from empty: not over what an earlier test left
    finally:
        backend.close()
    for _ in range(2):
        loaded = rnkg("--backend", "neo4j", "load", env=neo4j_env)
        assert loaded.returncode == 0, loaded.stderr
    neo = _counts(["--backend", "neo4j"], neo4j_env)
    db = str(tmp_path / "parity.lbug")
    assert rnkg("--db", db, "load", env={"RNKG_BACKEND": "embedded"}).returncode == 0
    embedded = _counts(["--db", db], {"RNKG_BACKEND": "embedded"})
    assert neo == embedded
    assert sum(neo.values()) > 500


def test_write_query_is_refused_and_creates_nothing(neo4j_env):
    result = rnkg("--backend", "neo4j", "query", "CREATE (:X)", env=neo4j_env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "rnkg: this query writes; rnkg query is read-only unless --write is given"]
    count = rnkg("--backend", "neo4j", "query", "--format", "csv",
                 "MATCH (x:X) RETURN count(x) AS n", env=neo4j_env)
    assert count.stdout.splitlines() == ["n", "0"]


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_direct_and_routing_uris_both_work(neo4j_env, scheme):
    uri = neo4j_env["NEO4J_URI"].replace("bolt://", f"{scheme}://")
    result = rnkg("--backend", "neo4j", "query", "--format", "csv", "RETURN 1 AS one",
                  env={**neo4j_env, "NEO4J_URI": uri})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["one", "1"]


def test_tls_routing_uri_is_accepted_and_fails_cleanly_without_tls(neo4j_env):
    # neo4j+s:// is how Aura is reached; the local test server has no TLS, so the driver
    # must get as far as the handshake and report one sentence.
    uri = neo4j_env["NEO4J_URI"].replace("bolt://", "neo4j+s://")
    result = rnkg("--backend", "neo4j", "stats", env={**neo4j_env, "NEO4J_URI": uri})
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot reach Neo4j at neo4j+s://" in result.stderr


def test_cypher_shell_reads_what_rnkg_wrote(neo4j_env):
    loaded = rnkg("--backend", "neo4j", "load", "--reset", env=neo4j_env)
    assert loaded.returncode == 0, loaded.stderr
    script = REPO / "scripts" / "neo4j"
    env = {**os.environ, "NEO4J_PASSWORD": neo4j_env["NEO4J_PASSWORD"]}

    def shell(cypher: str) -> list[str]:
        out = subprocess.run([str(script), "cypher-shell", "--format", "plain", cypher],
                             capture_output=True, text=True, env=env, timeout=120, check=False)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip().splitlines()

    signers = shell("MATCH (p:Person)-[:SIGNED]->(:Agreement {id: 'agreement:ru-kp-treaty-2024'}) "
                    "RETURN p.name AS name ORDER BY name;")
    assert signers == ["name", '"Kim Jong Un"', '"Vladimir Putin"']
    votes = shell("MATCH (c:Country)-[v:CAST_VOTE]->(e:Event) "
                  "WHERE e.date_from = date('2024-03-28') "
                  "RETURN v.vote AS vote, count(*) AS n ORDER BY vote;")
    assert votes == ["vote, n", '"abstain", 1', '"against", 1', '"for", 13']
    veto = shell("MATCH (c:Country)-[v:CAST_VOTE {veto: true}]->(e:Event) "
                 "WHERE e.date_from = date('2024-03-28') RETURN c.id AS id;")
    assert veto == ["id", '"country:ru"']


def test_settings_never_show_the_password():
    s = Settings.resolve(backend="neo4j", env={"NEO4J_PASSWORD": "hunter2-secret"})
    assert "hunter2-secret" not in repr(s) and "hunter2-secret" not in s.describe()


def test_wrong_password_is_one_sentence(neo4j_env):
    result = rnkg("--backend", "neo4j", "stats",
                  env={**neo4j_env, "NEO4J_PASSWORD": "definitely-wrong-pw"})
    assert result.returncode == 1
    assert "refused the user 'neo4j'" in result.stderr
    assert "definitely-wrong-pw" not in result.stderr + result.stdout
    assert Path(REPO / ".neo4j").exists() or os.environ.get("NEO4J_URI")


def test_both_engines_hold_identical_nodes_and_relationships(curated, curated_stores):
    """Conformance: the same facts give the same property maps, node for node, edge for edge."""
    from tests.test_backends import _all_properties

    neo_props = _all_properties(curated_stores["neo4j"])
    emb_props = _all_properties(curated_stores["embedded"])
    assert len(emb_props[0]) == len(curated.nodes)
    assert len(emb_props[1]) == len(curated.relationships)
    assert neo_props == emb_props


def test_reset_deletes_only_rnkg_data(neo4j_env, mini):
    from rnkg.graph.neo4j import Neo4jBackend

    backend = Neo4jBackend(neo4j_settings())
    try:
        backend.query("MATCH (n:Foreign) DETACH DELETE n", write=True)
        backend.query("CREATE (:Foreign {name: 'theirs'})-[:KNOWS]->(:Person {name: 'no id'})",
                      write=True)
        backend.load(mini, reset=True)
        backend.load(mini, reset=True)
        theirs = backend.query(
            "MATCH (f:Foreign)-[:KNOWS]->(p:Person) RETURN f.name, p.name").rows
        assert theirs == [["theirs", "no id"]]
        assert backend.counts()["Person"] == 4 + 1  # mini's four and theirs
    finally:
        backend.query("MATCH (n:Foreign)-[:KNOWS]->(p) DETACH DELETE n, p", write=True)
        backend.close()


def test_provisioning_script_reports_status_and_hides_the_password(neo4j_env):
    script = REPO / "scripts" / "neo4j"
    if not (REPO / ".neo4j" / "password").exists():
        pytest.skip("the server under test is not the one scripts/neo4j provisions")
    status = subprocess.run([str(script), "status"], capture_output=True, text=True, check=False)
    assert status.returncode == 0, status.stderr
    env = subprocess.run([str(script), "env"], capture_output=True, text=True, check=True)
    lines = env.stdout.strip().splitlines()
    assert [line.split("=", 1)[0] for line in lines] == [
        "export NEO4J_URI", "export NEO4J_USERNAME", "export NEO4J_PASSWORD",
        "export NEO4J_DATABASE"]
    assert neo4j_env["NEO4J_PASSWORD"] not in env.stdout + env.stderr
    again = subprocess.run([str(script), "start"], capture_output=True, text=True, check=False,
                           timeout=60)
    assert again.returncode == 0 and again.stdout == env.stdout  # idempotent: already running


def test_a_reload_of_unchanged_data_opens_no_write_transaction(neo4j_env, mini):
    # The reload reads names, counts and hashes in one read transaction and, with nothing to
    # write, reports the counts that read found: they must be the store's real counts.
    backend = neo4j_or_skip()
    try:
        wipe_neo4j(backend)
        backend.load(mini, reset=True)
        opened = []
        original = backend._write_transaction
        backend._write_transaction = lambda work: (opened.append(1), original(work))[1]
        report = backend.load(mini)
        backend._write_transaction = original
        assert opened == []
        assert (report.changes.added, report.changes.changed, report.changes.removed) == (0, 0, 0)
        assert report.counts == backend.counts()
        assert report.counts["Person"] == 4
    finally:
        wipe_neo4j(backend)
        backend.close()


def test_stored_hashes_after_a_load_read_the_store_again(neo4j_env, mini):
    # A load keeps what its first read found for its own use only: a later stored_hashes(),
    # and a later load's report, see writes made since by someone else.
    backend = neo4j_or_skip()
    try:
        wipe_neo4j(backend)
        backend.load(mini, reset=True)
        backend.load(mini)
        backend.query("MATCH (n:Person {id: 'person:kim-yong-bok'}) DETACH DELETE n",
                      write=True)
        assert "person:kim-yong-bok" not in backend.stored_hashes()["Person"]
        assert backend.counts()["Person"] == 3
        report = backend.load(mini)  # puts the node back: a write, counts read again
        assert report.changes.added >= 1
        assert report.counts == backend.counts()
        assert report.counts["Person"] == 4
    finally:
        wipe_neo4j(backend)
        backend.close()
