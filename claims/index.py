"""The seed claims index: read it, check its quotes against the seeds, find its claims in a store.

An entry names a claim of one seed article, the seed's words for it (``quote``) and the facts
that carry it in the graph (``facts``: node ids and relationship keys, ``rid``, or
``from-TYPE->to`` for any relationship of that type between two ends), or why it is left out
(``omitted``). A claim is *found* in a store when every fact it names is there and at least one
of them cites the claim's seed.

>>> index = load_index()
>>> sorted({entry.source for entry in index.seeds})
['source:s000', 'source:s001', 'source:s002', 'source:s003', 'source:s004']
>>> all(c.facts or c.omitted for entry in index.seeds for c in entry.claims)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from rnkg.errors import FactError
from rnkg.graph.backend import Backend
from rnkg.loaders.checks import normalise_quote
from rnkg.schema.values import MAX_QUOTE_WORDS

NODES_CITING = "MATCH (n) WHERE n.id IN $ids RETURN n.id, n.cite_sources"
# A relationship is named by its key (rid); one named without the `#...` part stands for every
# relationship of that type between those two ends (what tells them apart, often a date, may
# change as facts are curated).
RELS_CITING = ("UNWIND $ids AS ref MATCH ()-[r]->() "
               "WHERE r.rid = ref OR r.rid STARTS WITH (ref + '#') "
               "RETURN ref, r.cite_sources")


def default_index_path() -> Path:
    """The index shipped with rnkg (``claims/seed-claims.yaml``)."""
    return Path(str(files("rnkg.claims").joinpath("seed-claims.yaml"))).resolve()


class SeedClaim(BaseModel):
    """One claim of a seed: an id (``000-01``), our summary, the seed's words, where it sits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^\d{3}-\d{2}$")
    claim: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    facts: tuple[str, ...] = ()
    omitted: str = ""

    @field_validator("quote")
    @classmethod
    def _short(cls, v: str) -> str:
        if len(v.split()) > MAX_QUOTE_WORDS:
            raise ValueError(f"quote has {len(v.split())} words; at most {MAX_QUOTE_WORDS}")
        return v

    @model_validator(mode="after")
    def _placed_or_omitted(self) -> SeedClaim:
        if bool(self.facts) == bool(self.omitted.strip()):
            raise ValueError("a claim has `facts` (where it sits) or `omitted` (why not), not both")
        return self


class SeedEntry(BaseModel):
    """The claims of one seed article: its Source id and file name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    file: str
    claims: tuple[SeedClaim, ...]


class SeedIndex(BaseModel):
    """The whole index, one entry per seed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seeds: tuple[SeedEntry, ...]

    @model_validator(mode="after")
    def _unique(self) -> SeedIndex:
        ids = [c.id for entry in self.seeds for c in entry.claims]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"claim ids used twice: {', '.join(twice)}")
        return self

    def claims(self) -> Iterable[tuple[SeedEntry, SeedClaim]]:
        """Every (seed, claim) pair in index order."""
        for entry in self.seeds:
            for claim in entry.claims:
                yield entry, claim


def load_index(path: Path | None = None) -> SeedIndex:
    """Read and check an index file; a bad one is one FactError naming the file and field."""
    path = path or default_index_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return SeedIndex.model_validate(data)
    except OSError as exc:
        raise FactError(str(path), None, None, f"cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FactError(str(path), mark.line + 1 if mark else None, None,
                        f"not YAML ({getattr(exc, 'problem', exc)})") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise FactError(str(path), None, where or None,
                        str(err["msg"]).removeprefix("Value error, ")) from None


def quote_problems(index: SeedIndex, sources_dir: Path) -> list[str]:
    """Claims whose quote is not, word for word, in its seed's text (normalised as
    ``rnkg validate --sources`` does); one line per problem."""
    out = []
    texts: dict[str, str] = {}
    for entry, claim in index.claims():
        if entry.file not in texts:
            texts[entry.file] = normalise_quote((sources_dir / entry.file).read_text("utf-8"))
        if normalise_quote(claim.quote) not in texts[entry.file]:
            out.append(f"{claim.id}: “{claim.quote}” is not in {entry.file}")
    return out


@dataclass(frozen=True)
class ClaimFound:
    """Whether one claim is in a store: the facts it names that are missing, and whether one
    of those present cites its seed."""

    seed: str
    claim: SeedClaim
    missing: tuple[str, ...]
    cites_seed: bool

    @property
    def found(self) -> bool:
        """Placed, all its facts present, at least one citing the seed."""
        return bool(self.claim.facts) and not self.missing and self.cites_seed

    def problem(self) -> str:
        """Why a placed claim is not found, as one line ('' when it is)."""
        if self.found or not self.claim.facts:
            return ""
        if self.missing:
            return f"{self.claim.id}: not in the graph: {', '.join(self.missing)}"
        return f"{self.claim.id}: none of its facts cites {self.seed}"


def find_claims(backend: Backend, index: SeedIndex) -> list[ClaimFound]:
    """Look every placed claim's facts up in a store (two queries in all)."""
    ids = sorted({f for _, c in index.claims() for f in c.facts})
    nodes = [i for i in ids if "->" not in i]
    rels = [i for i in ids if "->" in i]
    cited: dict[str, set[str]] = {}
    for cypher, wanted in ((NODES_CITING, nodes), (RELS_CITING, rels)):
        if wanted:
            for key, sources in backend.query(cypher, {"ids": wanted}).rows:
                cited.setdefault(str(key), set()).update(_strings(sources))
    out = []
    for entry, claim in index.claims():
        missing = tuple(f for f in claim.facts if f not in cited)
        cites = any(entry.source in cited.get(f, ()) for f in claim.facts)
        out.append(ClaimFound(entry.source, claim, missing, cites))
    return out


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value or []]
