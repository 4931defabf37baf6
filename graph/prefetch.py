"""Draw a load's steps in a thread of their own, a few ahead of the statement being run.

Building a batch of rows is Python work; running it is the server's, while the client only
waits on a socket (the GIL released). ``Prefetch`` lets the next batches be built during that
wait. Items come out in the order the source yields them; an exception the source raises is
raised by ``next()`` at the same place in that order, with its traceback; closing stops the
thread and closes the source.

>>> with Prefetch(iter(range(5)), depth=2) as ahead:
...     list(ahead)
[0, 1, 2, 3, 4]
>>> def failing():
...     yield 1
...     raise ValueError("row 2 is bad")
>>> got = []
>>> with Prefetch(failing()) as ahead:
...     try:
...         for item in ahead:
...             got.append(item)
...     except ValueError as exc:
...         got.append(str(exc))
>>> got
[1, 'row 2 is bad']
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")

_ITEM, _END, _ERROR = 0, 1, 2
_POLL = 0.05  # seconds between checks of the stop flag while the queue is full


class Prefetch(Generic[T]):
    """An iterator over ``source`` drawn by a daemon thread, at most ``depth`` items ahead."""

    def __init__(self, source: Iterable[T], depth: int = 2) -> None:
        self._source = iter(source)
        self._queue: queue.Queue[tuple[int, object]] = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._done = False
        self._thread = threading.Thread(target=self._produce, name="rnkg-prefetch", daemon=True)
        self._thread.start()

    def _put(self, entry: tuple[int, object]) -> bool:
        """Queue one entry unless the consumer stopped (then say so)."""
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        try:
            for item in self._source:
                if not self._put((_ITEM, item)):
                    return
        except BaseException as exc:  # handed to the consumer, raised there in order
            self._put((_ERROR, exc))
            return
        self._put((_END, None))

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._done:
            raise StopIteration
        kind, value = self._queue.get()
        if kind == _ITEM:
            return value  # type: ignore[return-value]
        self._done = True
        self._thread.join()
        if kind == _ERROR:
            assert isinstance(value, BaseException)
            raise value
        raise StopIteration

    def close(self) -> None:
        """Stop drawing, wait for the thread (it finishes the item it is building), and close
        the source if it is a generator."""
        self._stop.set()
        self._done = True
        self._thread.join()
        close = getattr(self._source, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> Prefetch[T]:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
