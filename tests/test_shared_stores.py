"""The shared curated stores keep their promise: read-only, checked before each use, reloaded on
Neo4j after a test that may write, and read by tests that run before every writer."""

import pytest

from rnkg.errors import QueryError
from tests.fixtures import stores
from tests.fixtures.neo4j_server import neo4j_or_skip, wipe_neo4j
from tests.fixtures.stores import check_holds, is_reader

INTRUDER = "CREATE (:Person {id: 'person:intruder', name: 'x'})"


def test_readers_of_the_curated_graph_run_before_every_other_test(request):
    flags = [is_reader(item) for item in request.session.items]
    assert flags == sorted(flags, reverse=True)


def test_the_shared_store_refuses_writes_on_each_engine(curated_store, curated):
    if curated_store.name == "embedded":  # opened read-only: the engine itself refuses
        with pytest.raises(QueryError, match="read-only"):
            curated_store.query(INTRUDER, write=True)
    else:
        with pytest.raises(AssertionError, match="shared read-only"):
            curated_store.query(INTRUDER, write=True)
        with pytest.raises(AssertionError, match="shared read-only"):
            curated_store.load(curated, reset=True)
    assert curated_store.query("MATCH (n:Person {id: 'person:intruder'}) RETURN n").rows == []


@pytest.mark.parametrize("engine", ["embedded"], indirect=True)
def test_the_check_refuses_a_store_without_the_curated_graph(engine, mini, curated):
    engine.load(mini, reset=True)
    with pytest.raises(AssertionError, match="does not hold the curated graph"):
        check_holds(engine, curated)


@pytest.mark.neo4j
def test_the_shared_neo4j_graph_is_loaded_again_after_a_writer(curated_stores_cache, curated):
    store = curated_stores_cache.get("neo4j")  # loaded if needed, and checked
    check_holds(store, curated)
    writer = neo4j_or_skip()
    try:
        wipe_neo4j(writer)
    finally:
        writer.close()
    with pytest.raises(AssertionError, match="does not hold the curated graph"):
        check_holds(store, curated)
    stores._generation += 1  # what a test that may write does as it starts
    assert curated_stores_cache.get("neo4j") is store  # loaded again, and checked
    check_holds(store, curated)
