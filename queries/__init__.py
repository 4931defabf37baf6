"""Saved Cypher queries: ``*.cypher`` files whose ``//`` header declares name, title and params.

A header looks like::

    // title: Signatories of the 2024 treaty
    // description: Who signed the Comprehensive Strategic Partnership treaty, with sources.
    // param: agreement (string) Agreement id, e.g. agreement:ru-kp-treaty-2024

Declared params must match the ``$names`` the text uses, both ways. A file
``NAME.ENGINE.cypher`` beside ``NAME.cypher`` is that query in one engine's dialect, named as
the backend is (``NAME.embedded.cypher`` for LadybugDB).

>>> q = load_saved_queries()["treaty-signatories"]
>>> q.title
'Signatories of the 2024 treaty'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rnkg.errors import NotFound, QueryError
from rnkg.graph.backend import parameter_names
from rnkg.graph.dialect import DIALECTS

QUERY_DIR = Path(__file__).resolve().parent
_HEADER = re.compile(r"^//\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(r"^([A-Za-z_]\w*)\s*\((string|int|float|bool|date)\)\s*(.*?)(?:\s*=\s*(.+))?$")


@dataclass(frozen=True)
class Param:
    """A declared parameter: name, type, help, and an optional default (JSON text)."""

    name: str
    type: str
    doc: str
    default: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    """A saved query parsed from its file."""

    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    variants: dict[str, str] = field(default_factory=dict)

    def text_for(self, engine: str) -> str:
        """The query text for an engine ("embedded" or "neo4j")."""
        return self.variants.get(engine, self.text)

    def bind(self, given: dict[str, object]) -> dict[str, object]:
        """Parameters for a run: the given ones plus defaults; refuse unknown or missing ones."""
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise QueryError(f"query {self.name} has no parameter {', '.join(unknown)}")
        out = dict(given)
        for p in self.params:
            if p.name not in out:
                if p.default is None:
                    raise QueryError(f"query {self.name} needs --param {p.name}=... ({p.doc})")
                out[p.name] = json.loads(p.default)
        return out


def parse_saved_query(path: Path) -> SavedQuery:
    """Parse one ``.cypher`` file, checking declared params against the text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in lines:
        m = _HEADER.match(line.strip())
        if not m:
            continue
        key, value = m[1], m[2].strip()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(
                    f"{path.name}: bad param line {value!r}: NAME (type) help [= default]"
                )
            params.append(Param(pm[1], pm[2], pm[3], pm[4]))
        else:
            meta[key] = value
    text = "\n".join(lines).strip()
    if "title" not in meta:
        raise QueryError(f"{path.name}: the header needs `// title: ...`")
    used = parameter_names(text)
    declared = {p.name for p in params}
    if used != declared:
        raise QueryError(
            f"{path.name}: declared params {sorted(declared)} differ from those used {sorted(used)}"
        )
    variants = {}
    for engine in DIALECTS:
        variant = path.with_name(f"{path.stem}.{engine}.cypher")
        if variant.exists():
            vtext = variant.read_text(encoding="utf-8").strip()
            if parameter_names(vtext) != declared:
                raise QueryError(f"{variant.name}: its params differ from {path.name}'s")
            variants[engine] = vtext
    return SavedQuery(path.stem, meta["title"], meta.get("description", ""), text,
                      tuple(params), variants)


def load_saved_queries(directory: Path = QUERY_DIR) -> dict[str, SavedQuery]:
    """Every saved query in a folder, by name."""
    out = {}
    for path in sorted(directory.glob("*.cypher")):
        if any(path.name.endswith(f".{engine}.cypher") for engine in DIALECTS):
            continue
        q = parse_saved_query(path)
        out[q.name] = q
    return out


def get_saved_query(name: str) -> SavedQuery:
    """One saved query by name, or a NotFound listing the names."""
    queries = load_saved_queries()
    if name not in queries:
        raise NotFound(f"no saved query {name!r}; there are: {', '.join(queries)}")
    return queries[name]
