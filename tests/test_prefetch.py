"""graph/prefetch.py: steps drawn in a thread come out in order, errors where they happened,
and closing stops the thread and the source."""

import threading

import pytest

from rnkg.graph.prefetch import Prefetch


def test_items_come_out_in_the_source_order():
    source = ({"batch": i, "rows": list(range(i))} for i in range(200))
    with Prefetch(source, depth=3) as ahead:
        got = [item["batch"] for item in ahead]
    assert got == list(range(200)), got[:10]


def test_an_error_is_raised_after_the_items_before_it_and_only_then():
    def source():
        yield from range(5)
        raise KeyError("row 5")

    got = []
    with Prefetch(source(), depth=2) as ahead, pytest.raises(KeyError, match="row 5"):
        for item in ahead:
            got.append(item)
    assert got == [0, 1, 2, 3, 4]


def test_closing_early_stops_the_thread_and_closes_the_source():
    drawn, closed = [], []

    def source():
        try:
            for i in range(10_000):
                drawn.append(i)
                yield i
        finally:
            closed.append(True)

    ahead = Prefetch(source(), depth=2)
    assert next(ahead) == 0
    ahead.close()
    assert closed == [True]
    assert len(drawn) <= 4, drawn  # the producer stayed at most depth (+1 in hand) ahead
    assert not any(t.name == "rnkg-prefetch" and t.is_alive() for t in threading.enumerate())
    with pytest.raises(StopIteration):
        next(ahead)


def test_an_exhausted_prefetch_stays_exhausted():
    ahead = Prefetch(iter([1]))
    assert list(ahead) == [1]
    assert list(ahead) == []
    ahead.close()
