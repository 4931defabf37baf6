"""Elapsed time per bench step: printed to stderr as each step ends, kept for the report.

>>> steps = Steps("demo", echo=False)
>>> with steps.step("nothing"):
...     pass
>>> list(steps.seconds), steps.seconds["nothing"] < 1
(['nothing'], True)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Steps:
    """Seconds per named step (a step run twice adds up), each echoed as ``bench: LABEL NAME``."""

    def __init__(self, label: str, echo: bool = True) -> None:
        self.label = label
        self.echo = echo
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as step ``name``; print its seconds and the elapsed total when done."""
        start = time.perf_counter()
        try:
            yield
        finally:
            took = time.perf_counter() - start
            self.seconds[name] = self.seconds.get(name, 0.0) + took
            if self.echo:
                print(f"bench: {self.label} {name}: {took:.1f} s "
                      f"(elapsed {time.perf_counter() - self.started:.0f} s)",
                      file=sys.stderr, flush=True)
