"""``rnkg import ftm``: open the stream, map it against the store, write it in one transaction."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rnkg.errors import FactError
from rnkg.loaders.ftm import import_ftm
from rnkg.loaders.ftm_merge import StoreView, read_match_file
from rnkg.loaders.pipeline import fewer_gc_passes

if TYPE_CHECKING:
    from rnkg.graph.backend import Backend, LoadReport


def run_import(store: Backend, file: str, match: Path | None,
               dry_run: bool) -> tuple[list[str], LoadReport | None]:
    """Import an FtM stream (a path, or ``-`` for standard input) into ``store``.

    Returns the report's lines and the load's report (None for a dry run, which writes
    nothing). The stream is read line by line; any bad entity stops it before a write.
    """
    ids = read_match_file(match, store.schema) if match else {}
    view = StoreView(store, store.schema)
    display = "standard input" if file == "-" else file
    try:
        if file == "-":
            result = import_ftm(sys.stdin, display, store.schema, view, ids)
        else:
            with open(file, encoding="utf-8-sig") as fh:
                result = import_ftm(fh, display, store.schema, view, ids)
    except OSError as exc:
        raise FactError(display, None, None, f"cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise FactError(display, None, None, f"not UTF-8 text ({exc.reason})") from None
    lines = result.report_lines()
    ds = result.dataset
    if dry_run:
        return [*lines, f"dry run: would write {len(ds.nodes)} nodes and "
                        f"{len(ds.relationships)} relationships; nothing written"], None
    with fewer_gc_passes():
        report = store.load(ds)
    return [*lines, f"wrote {len(ds.nodes)} nodes and {len(ds.relationships)} relationships"], \
        report
