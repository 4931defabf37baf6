"""The suite's fixtures, from the modules of tests/fixtures/ (import helpers from there too):

- ``tests.fixtures.facts``: ``curated`` and ``mini``, the fact folders validated once;
- ``tests.fixtures.stores``: ``engine`` (a fresh store on each engine, for tests that write),
  ``curated_store`` / ``curated_stores`` (the curated graph loaded once per run per engine,
  shared read-only) and the ordering that keeps the shared Neo4j graph intact.

Helpers without fixtures: ``tests.fixtures.environment`` (REPO, MINI, CURATED, SEEDS, IN_CI),
``tests.fixtures.neo4j_server`` (the server under test), ``tests.fixtures.cli`` (the console
script as a subprocess).
"""

pytest_plugins = ["tests.fixtures.facts", "tests.fixtures.stores"]


def pytest_collection_modifyitems(config, items):
    """Tag each security test with its class (tests/security.py; SECURITY.md counts them)."""
    from tests.security import tag

    tag(items)
