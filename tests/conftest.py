"""Shared fixtures: fact folders, and a store on each engine (LadybugDB file, real Neo4j).

Neo4j: the server the project provisions (``scripts/neo4j start``), or whatever NEO4J_URI
names. With CI=true an unreachable server FAILS the Neo4j tests; elsewhere they skip, once,
with the reason.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rnkg.graph.backend import Settings

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "data" / "mini"
CURATED = REPO / "facts"
# The seed articles are not ours to ship: they sit in shared/ beside the repository (as in CI),
# or wherever RNKG_SEEDS says.
SEEDS = Path(os.environ.get("RNKG_SEEDS") or REPO.parent / "shared" / "seeds")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def neo4j_settings() -> Settings:
    """Settings for the test server: NEO4J_* if set, else the project's provisioned server."""
    env = dict(os.environ)
    if not env.get("NEO4J_PASSWORD"):
        password_file = REPO / ".neo4j" / "password"
        if password_file.exists():
            env["NEO4J_PASSWORD"] = password_file.read_text().strip()
            env.setdefault("NEO4J_URI", "bolt://127.0.0.1:17687")
    return Settings.resolve(backend="neo4j", env=env)


_NEO4J_PROBLEM: list[str] = []


def _neo4j_or_skip():
    from rnkg.errors import BackendUnavailable
    from rnkg.graph.neo4j import Neo4jBackend

    if _NEO4J_PROBLEM:
        reason = _NEO4J_PROBLEM[0]
    else:
        if not shutil.which("java") and not os.environ.get("NEO4J_URI"):
            reason = "no Java on this machine and no NEO4J_URI: Neo4j tests cannot run"
        else:
            try:
                return Neo4jBackend(neo4j_settings())
            except BackendUnavailable as exc:
                reason = f"Neo4j unavailable: {exc}"
        _NEO4J_PROBLEM.append(reason)
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def engine(request, tmp_path):
    """A fresh, empty-of-rnkg-data store on each engine."""
    if request.param == "embedded":
        from rnkg.graph.ladybug import LadybugBackend, release

        path = tmp_path / "test.lbug"
        backend = LadybugBackend(path)
        yield backend
        backend.close()
        release(path)
    else:
        backend = _neo4j_or_skip()
        _wipe_neo4j(backend)
        yield backend
        backend.close()


def _wipe_neo4j(backend) -> None:
    for label, nt in backend.schema.nodes.items():
        backend.query(f"MATCH (n:{label}) WHERE n.id STARTS WITH $p DETACH DELETE n",
                      {"p": f"{nt.prefix}:"}, write=True)


@pytest.fixture(scope="session")
def curated():
    """The curated facts, validated once per session."""
    from rnkg.loaders.pipeline import build_dataset

    return build_dataset(CURATED)


@pytest.fixture(scope="session")
def mini():
    """The tiny test fact folder, validated."""
    from rnkg.loaders.pipeline import build_dataset

    return build_dataset(MINI)


@pytest.fixture
def loaded(engine, curated):
    """A store on each engine holding the curated facts."""
    engine.load(curated, reset=True)
    return engine


def on_both_engines(dataset, tmp_path, read):
    """Load ``dataset`` on Neo4j and on a fresh LadybugDB file; return ``read(backend)`` of each."""
    from rnkg.graph.ladybug import LadybugBackend, release

    neo = _neo4j_or_skip()
    try:
        neo.load(dataset, reset=True)
        neo_answer = read(neo)
    finally:
        neo.close()
    path = tmp_path / "both.lbug"
    emb = LadybugBackend(path)
    try:
        emb.load(dataset, reset=True)
        emb_answer = read(emb)
    finally:
        emb.close()
        release(path)
    return neo_answer, emb_answer


def pytest_collection_modifyitems(config, items):
    """Tag each security test with its class (tests/security.py; SECURITY.md counts them)."""
    from tests.security import tag

    tag(items)
