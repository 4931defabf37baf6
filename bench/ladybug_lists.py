"""Why the 1M embedded load misses its target: a reproducer of LadybugDB's behaviour, with no
rnkg code in it (for the upstream report).

    python -m bench.ladybug_lists [--rows 300000]

A rel table is copied in two ways, each into a fresh store with a 1 GB buffer pool: one
``COPY`` of every row, then the same rows in two ``COPY`` parts (the second goes into a
non-empty table), with and without one ``STRING[]`` column. Seen on 0.22.0, at 300,000 rows:
without the list column the second part took 2.6 s against 1.0 s for the first; with it, 17 s
against 1.6 s, while one ``COPY`` of all the rows took 2.9 s. rnkg's
relationship tables have six list columns (the citations and ``status_by``), and rnkg cannot
copy 1M relationships in one ``COPY`` within its 2 GB target: one ``COPY`` of its rows holds
about 2.7 KB a row in memory.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

HEAD = "a STRING, b STRING, rid STRING, role STRING, d STRING, src STRING"


def _write(folder: Path, rows: int, people: int, orgs: int) -> list[Path]:
    rng = random.Random(1)
    (folder / "p.csv").write_text("".join(f"p{i}\n" for i in range(people)))
    (folder / "o.csv").write_text("".join(f"o{i}\n" for i in range(orgs)))
    lines = [f"p{rng.randrange(people)},o{rng.randrange(orgs)},r{i},member,2014-03-01,s:{i % 7}\n"
             for i in range(rows)]
    paths = []
    for name, part in (("all", lines), ("first", lines[: rows // 2]),
                       ("second", lines[rows // 2:])):
        paths.append(folder / f"{name}.csv")
        paths[-1].write_text("a,b,rid,role,d,src\n" + "".join(part))
    return paths


def _copy(folder: Path, files: list[Path], with_list: bool) -> list[float]:
    """Seconds of each COPY of ``files`` into one fresh rel table."""
    import ladybug

    db = ladybug.Database(str(folder / f"db-{time.monotonic_ns()}"),
                          buffer_pool_size=1024 * 1024 * 1024)
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE P(id STRING PRIMARY KEY)")
    conn.execute("CREATE NODE TABLE O(id STRING PRIMARY KEY)")
    src = "STRING[]" if with_list else "STRING"
    conn.execute(f"CREATE REL TABLE R(FROM P TO O, rid STRING, role STRING, d STRING, src {src})")
    conn.execute(f"COPY P FROM '{folder / 'p.csv'}'")
    conn.execute(f"COPY O FROM '{folder / 'o.csv'}'")
    value = "regexp_extract_all(src, '[^,]+')" if with_list else "src"
    out = []
    for path in files:
        start = time.perf_counter()
        conn.execute(f"COPY R FROM (LOAD WITH HEADERS ({HEAD}) FROM '{path}' "
                     f"(HEADER=true, PARALLEL=false) RETURN a, b, rid, role, d, {value})")
        out.append(time.perf_counter() - start)
    conn.close()
    db.close()
    return out


def main() -> None:
    """Print the COPY timings, one line per case."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        every, first, second = _write(folder, args.rows, args.rows // 3, args.rows // 10)
        for with_list in (False, True):
            kind = "with a STRING[] column" if with_list else "no list column"
            one = _copy(folder, [every], with_list)
            two = _copy(folder, [first, second], with_list)
            print(f"{args.rows:,} rows, {kind}: one COPY {one[0]:.2f} s; two parts "
                  f"{two[0]:.2f} s + {two[1]:.2f} s (the second into a non-empty table)")


if __name__ == "__main__":
    main()
