"""The backend interface every engine implements, its settings, and the factory.

Settings resolve explicitly (flag > environment > default) into one object:

>>> s = Settings.resolve(backend="embedded", db="/tmp/x.lbug", env={})
>>> (s.backend, str(s.db))
('embedded', '/tmp/x.lbug')
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rnkg.errors import QueryError, RnkgError

if TYPE_CHECKING:
    from rnkg.graph.values import Result
    from rnkg.loaders.pipeline import Dataset

BACKENDS = ("embedded", "neo4j")


def default_db_path(env: Mapping[str, str]) -> Path:
    """Where the embedded store lives unless told: ``$XDG_DATA_HOME/rnkg/rnkg.lbug``."""
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rnkg" / "rnkg.lbug"


@dataclass(frozen=True)
class Settings:
    """Where the graph lives. Credentials come from the environment and are never printed."""

    backend: str = "embedded"
    db: Path = field(default_factory=lambda: default_db_path(os.environ))
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = field(default="", repr=False)
    neo4j_database: str | None = None

    @classmethod
    def resolve(
        cls,
        backend: str | None = None,
        db: str | Path | None = None,
        neo4j_uri: str | None = None,
        neo4j_database: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Settings:
        """Flags first, then ``RNKG_*`` / ``NEO4J_*`` environment variables, then defaults."""
        env = os.environ if env is None else env
        chosen = backend or env.get("RNKG_BACKEND") or "embedded"
        if chosen not in BACKENDS:
            raise RnkgError(f"unknown backend {chosen!r}: use embedded or neo4j")
        db_path = Path(db or env.get("RNKG_DB") or default_db_path(env)).expanduser()
        return cls(
            backend=chosen,
            db=db_path,
            neo4j_uri=neo4j_uri or env.get("NEO4J_URI") or "bolt://127.0.0.1:7687",
            neo4j_user=env.get("NEO4J_USERNAME") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD", ""),
            neo4j_database=neo4j_database or env.get("NEO4J_DATABASE") or None,
        )

    def describe(self) -> str:
        """Where the graph is, for messages (never the password)."""
        if self.backend == "embedded":
            return f"embedded store {self.db}"
        return f"Neo4j at {self.neo4j_uri}" + (
            f" (database {self.neo4j_database})" if self.neo4j_database else ""
        )


@dataclass
class LoadReport:
    """What a load did: counts per label and type after it, and how long it took."""

    counts: dict[str, int]
    seconds: float
    reset: bool


class Backend(Protocol):
    """A graph store rnkg can load and query. Implementations: LadybugDB, Neo4j."""

    name: str

    def load(self, dataset: Dataset, reset: bool = False) -> LoadReport:
        """Write a whole dataset in one transaction (all or nothing); MERGE on stable ids."""
        ...

    def query(
        self, cypher: str, params: Mapping[str, Any] | None = None, write: bool = False
    ) -> Result:
        """Run Cypher with parameters; read-only unless ``write``."""
        ...

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, every declared one (zeros included)."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...


def open_backend(settings: Settings, read_only: bool = False) -> Backend:
    """Open the backend the settings name.

    Heavy imports happen here, so ``rnkg --help`` stays instant.
    """
    if settings.backend == "neo4j":
        from rnkg.graph.neo4j import Neo4jBackend

        return Neo4jBackend(settings)
    from rnkg.graph.ladybug import LadybugBackend

    return LadybugBackend(settings.db, read_only=read_only)


_STRINGS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def parameter_names(cypher: str) -> set[str]:
    """The ``$names`` a query uses, outside strings and comments.

    >>> sorted(parameter_names("MATCH (n {id: $id}) WHERE n.name <> '$no' RETURN $x // $c"))
    ['id', 'x']
    """
    return set(_PARAM.findall(_STRINGS.sub(" ", cypher)))


def check_parameters(cypher: str, params: Mapping[str, Any]) -> None:
    """Refuse a query whose ``$names`` are not all given (LadybugDB would read them as NULL)."""
    missing = sorted(parameter_names(cypher) - set(params))
    if missing:
        names = ", ".join(f"${m}" for m in missing)
        raise QueryError(f"missing parameter {names}: pass --param NAME=VALUE")
