"""A synthetic dataset of any size, shaped like the curated graph, built through the same
record models as fact files (so it is valid by construction), or written as CSV fact files
(``python -m bench.synthetic SIZE FOLDER``) for ``rnkg load`` to read."""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterable
from pathlib import Path

from rnkg.loaders.pipeline import Dataset, Relationship
from rnkg.schema import load_schema
from rnkg.schema.records import RecordModels

CITE = [{"source": "source:bench", "section": "synthetic"}]


def synthetic_dataset(n_rels: int, seed: int = 7) -> Dataset:
    """About n_rels/3 people and vessels, and n_rels relationships between them."""
    schema = load_schema()
    models = RecordModels(schema)
    rng = random.Random(seed)
    ds = Dataset(schema=schema)
    source = models.node("Source").model_validate(
        {"id": "source:bench", "name": "Synthetic", "kind": "dataset"})
    ds.nodes[source.id] = source
    n_people = max(2, n_rels // 3)
    n_orgs = max(2, n_rels // 10)
    for i in range(n_people):
        rec = models.node("Person").model_validate({
            "id": f"person:p{i}", "name": f"Person {i}", "aliases": [f"P{i}", f"Персона {i}"],
            "date": f"{1950 + i % 60}", "cite": CITE})
        ds.nodes[rec.id] = rec
    for i in range(n_orgs):
        rec = models.node("Organization").model_validate({
            "id": f"org:o{i}", "name": f"Org {i}", "kind": "company", "cite": CITE})
        ds.nodes[rec.id] = rec
    for i in range(n_rels):
        p = f"person:p{rng.randrange(n_people)}"
        o = f"org:o{rng.randrange(n_orgs)}"
        rel = models.rel("ROLE_IN").model_validate({
            "type": "ROLE_IN", "from": p, "to": o, "role": "member", "key": str(i),
            "date": f"20{10 + i % 15}-{1 + i % 12:02d}", "cite": CITE})
        rid = f"{p}-ROLE_IN->{o}#{i}"
        ds.relationships[rid] = Relationship(rid, rel, "Person", "Organization", "synthetic", i)
    return ds


def write_fact_files(n_rels: int, folder: Path, seed: int = 7, per_file: int = 200_000
                     ) -> list[Path]:
    """The records of ``synthetic_dataset(n_rels, seed)`` as CSV fact files in ``folder``
    (relationships split ``per_file`` to a file, below the fact-file size limit), so that
    ``rnkg load --facts folder`` runs the whole pipeline on them: reading, validation, load.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    n_people = max(2, n_rels // 3)
    n_orgs = max(2, n_rels // 10)
    cite = [CITE[0]["source"], CITE[0]["section"]]
    paths = [folder / "sources.csv", folder / "people.csv", folder / "orgs.csv"]
    _write(paths[0], ["id", "name", "kind"], [["source:bench", "Synthetic", "dataset"]])
    _write(paths[1], ["id", "name", "aliases", "date", "cite_source", "cite_section"],
           ([f"person:p{i}", f"Person {i}", f"P{i}; Персона {i}", f"{1950 + i % 60}", *cite]
            for i in range(n_people)))
    _write(paths[2], ["id", "name", "kind", "cite_source", "cite_section"],
           ([f"org:o{i}", f"Org {i}", "company", *cite] for i in range(n_orgs)))
    header = ["type", "from", "to", "role", "key", "date", "cite_source", "cite_section"]
    for start in range(0, n_rels, per_file):
        rows = []
        for i in range(start, min(n_rels, start + per_file)):
            p = f"person:p{rng.randrange(n_people)}"
            o = f"org:o{rng.randrange(n_orgs)}"
            rows.append(["ROLE_IN", p, o, "member", str(i),
                         f"20{10 + i % 15}-{1 + i % 12:02d}", *cite])
        paths.append(folder / f"roles-{start // per_file:03d}.csv")
        _write(paths[-1], header, rows)
    return paths


def _write(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    """``python -m bench.synthetic SIZE FOLDER``: write the fact files of one size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("size", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    for path in write_fact_files(args.size, args.folder):
        print(path)


if __name__ == "__main__":
    main()
