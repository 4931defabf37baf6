"""A synthetic dataset of any size, shaped like the curated graph, built through the same
record models as fact files (so it is valid by construction)."""

from __future__ import annotations

import random

from rnkg.loaders.pipeline import Dataset, Origin, Relationship
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
        ds.relationships[rid] = Relationship(rid, rel, "Person", "Organization")
        ds.origins[rid] = Origin("synthetic", i)
    return ds
