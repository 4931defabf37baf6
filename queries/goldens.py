"""Regenerate the golden answers (queries/expected/NAME.json): ``make goldens``.

Loads the curated facts (facts/, or ``--facts DIR``) into a fresh LadybugDB file in a temporary
folder, runs every shipped saved query with its header's example parameters and writes each
normalised answer. Read the diff before committing: a golden is what the suite holds both
engines to.

    python -m rnkg.queries.goldens [--facts DIR] [NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rnkg.queries import load_saved_queries, write_goldens

CURATED = Path(__file__).resolve().parent.parent / "facts"


def main(argv: list[str] | None = None) -> int:
    """Write the goldens; print one line per file (and a warning for each empty answer)."""
    from rnkg.graph.ladybug import LadybugBackend, release
    from rnkg.loaders.pipeline import build_dataset

    parser = argparse.ArgumentParser(prog="python -m rnkg.queries.goldens")
    parser.add_argument("--facts", type=Path, default=CURATED)
    parser.add_argument("names", nargs="*", help="only these queries (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(load_saved_queries()))
    if unknown:
        print(f"rnkg: no saved query {', '.join(unknown)}", file=sys.stderr)
        return 2
    dataset = build_dataset(args.facts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "goldens.lbug"
        store = LadybugBackend(path)
        try:
            store.load(dataset, reset=True)
            for written in write_goldens(store, args.names or None):
                rows = written.read_text(encoding="utf-8").count('\n {')
                note = "" if rows else "  (EMPTY: say why in the query's header)"
                print(f"wrote {written.relative_to(CURATED.parent)}: {rows} rows{note}")
        finally:
            store.close()
            release(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
