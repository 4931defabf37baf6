"""Saved Cypher queries: ``*.cypher`` files whose ``//`` header declares name, title and params.

A header looks like::

    // title: Signatories of the 2024 treaty
    // description: Who signed the Comprehensive Strategic Partnership treaty, with sources.
    // param: agreement (entity) The agreement: an id, name or alias
    // example: agreement=agreement:ru-kp-treaty-2024

Parameter types: ``string``, ``int``, ``float``, ``bool``, ``date`` (ISO text), ``list`` (a JSON
array or comma-separated text) and ``entity`` (an id, name, alias or IMO number, resolved to the
entity's id as ``rnkg show`` resolves it). A param line may end in ``= DEFAULT`` (JSON text); an
``example:`` line (one ``NAME=VALUE`` each, the value as a user types it) gives the parameters
``rnkg queries check`` and the golden answers (queries/expected/) run the query with.

Declared params must match the ``$names`` the text uses, both ways. A file
``NAME.ENGINE.cypher`` beside ``NAME.cypher`` is that query in one engine's dialect, named as
the backend is (``NAME.embedded.cypher`` for LadybugDB).

>>> q = load_saved_queries()["treaty-signatories"]
>>> q.title
'Signatories of the 2024 treaty'
>>> coerce(Param("since", "date", ""), "2024-06-19")
datetime.date(2024, 6, 19)
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rnkg.errors import NotFound, QueryError
from rnkg.graph.backend import parameter_names
from rnkg.graph.dialect import DIALECTS

if TYPE_CHECKING:
    from rnkg.graph.backend import Backend

QUERY_DIR = Path(__file__).resolve().parent
EXPECTED_DIR = QUERY_DIR / "expected"
PARAM_TYPES = ("string", "int", "float", "bool", "date", "list", "entity")
_HEADER = re.compile(r"^//\s*(title|description|param|example)\s*:\s*(.*)$")
_PARAM = re.compile(rf"^([A-Za-z_]\w*)\s*\(({'|'.join(PARAM_TYPES)})\)\s*(.*?)(?:\s*=\s*(.+))?$")
_EXAMPLE = re.compile(r"^([A-Za-z_]\w*)\s*=\s*(.*)$")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


@dataclass(frozen=True)
class Param:
    """A declared parameter: name, type, help, and an optional default (JSON text)."""

    name: str
    type: str
    doc: str
    default: str | None = None


def coerce(param: Param, raw: object) -> Any:
    """A value given as text (or already typed, e.g. a JSON default) in the param's type.

    Entities stay text here (:func:`resolve_entities` turns them into ids on a store). A value
    that is not of the type is a QueryError naming the parameter.

    >>> coerce(Param("n", "int", ""), "3"), coerce(Param("ok", "bool", ""), "yes")
    (3, True)
    >>> coerce(Param("xs", "list", ""), "a, b"), coerce(Param("xs", "list", ""), '["a,b"]')
    (['a', 'b'], ['a,b'])
    >>> coerce(Param("since", "date", ""), "x")
    Traceback (most recent call last):
    ...
    rnkg.errors.QueryError: --param since: not a date: 'x'
    """
    def bad(what: str) -> QueryError:
        return QueryError(f"--param {param.name}: not {what}: {raw!r}")

    typ = param.type
    if typ in ("string", "entity"):
        if not isinstance(raw, str):
            raise bad("a text")
        return raw
    if typ == "list":
        if isinstance(raw, list):
            return [str(v) for v in raw]
        text = str(raw).strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                raise bad("a list (a JSON array or comma-separated)") from None
            if not isinstance(value, list):
                raise bad("a list")
            return [str(v) for v in value]
        return [part.strip() for part in text.split(",") if part.strip()]
    text = str(raw).strip()
    if typ == "int":
        if isinstance(raw, bool) or not re.fullmatch(r"[+-]?\d+", text):
            raise bad("an integer")
        if not -(2**63) <= int(text) < 2**63:
            raise QueryError(f"--param {param.name}: an integer outside 64 bits: {text[:30]}")
        return int(text)
    if typ == "float":
        try:
            return float(text)
        except ValueError:
            raise bad("a number") from None
    if typ == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise bad("true or false")
    if typ == "date":
        if isinstance(raw, dt.date):
            return raw
        if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        raise bad("a date")
    raise QueryError(f"--param {param.name}: unknown type {typ!r}")  # pragma: no cover


@dataclass(frozen=True)
class SavedQuery:
    """A saved query parsed from its file."""

    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    variants: dict[str, str] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def text_for(self, engine: str) -> str:
        """The query text for an engine ("embedded" or "neo4j")."""
        return self.variants.get(engine, self.text)

    def bind(self, given: Mapping[str, object]) -> dict[str, object]:
        """Parameters for a run, coerced to their declared types: the given ones plus defaults.

        Refuses unknown or missing ones. Entity parameters are still names here: pass the
        result to :func:`resolve_entities` (``run`` does both).
        """
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise QueryError(f"query {self.name} has no parameter {', '.join(unknown)}")
        out: dict[str, object] = {}
        for p in self.params:
            if p.name in given:
                out[p.name] = coerce(p, given[p.name])
            elif p.default is not None:
                out[p.name] = coerce(p, json.loads(p.default))  # JSON checked when parsed
            else:
                raise QueryError(f"query {self.name} needs --param {p.name}=... ({p.doc})")
        return out

    def example_params(self) -> dict[str, str]:
        """The header's ``example:`` values (defaults fill in the rest when bound)."""
        return dict(self.examples)

    def run(self, backend: Backend, given: Mapping[str, object]) -> Any:
        """Run on a store: coerce, resolve entity names to ids, and query (read-only)."""
        params = resolve_entities(self, backend, self.bind(given))
        return backend.query(self.text_for(backend.name), params)


def resolve_entities(query: SavedQuery, backend: Backend,
                     params: dict[str, object]) -> dict[str, object]:
    """The bound params with each ``entity`` value resolved to its node id on ``backend``."""
    from rnkg.errors import Ambiguous
    from rnkg.graph.lookup import resolve_entity

    out = dict(params)
    for p in query.params:
        if p.type == "entity":
            try:
                out[p.name] = resolve_entity(backend, str(params[p.name])).id
            except (NotFound, Ambiguous) as exc:
                raise QueryError(f"--param {p.name}: {exc}") from None
    return out


def parse_saved_query(path: Path) -> SavedQuery:
    """Parse one ``.cypher`` file, checking declared params and examples against the text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    meta: dict[str, str] = {}
    params: list[Param] = []
    examples: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        m = _HEADER.match(line.strip())
        if not m:
            continue
        key, value = m[1], m[2].strip()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"{path}:{number}: param: bad line {value!r}: NAME (TYPE) help "
                                 f"[= default], TYPE one of {', '.join(PARAM_TYPES)}")
            params.append(Param(pm[1], pm[2], pm[3], pm[4]))
        elif key == "example":
            em = _EXAMPLE.match(value)
            if not em:
                raise QueryError(f"{path}:{number}: example: bad line {value!r}: NAME=VALUE")
            examples[em[1]] = em[2].strip()
        else:
            meta[key] = value
    text = "\n".join(lines).strip()
    if "title" not in meta:
        raise QueryError(f"{path}: the header needs `// title: ...`")
    used = parameter_names(text)
    declared = {p.name for p in params}
    if used != declared:
        raise QueryError(
            f"{path}: declared params {sorted(declared)} differ from those used {sorted(used)}"
        )
    stray = sorted(set(examples) - declared)
    if stray:
        raise QueryError(f"{path}: example names undeclared params {', '.join(stray)}")
    variants = {}
    for engine in DIALECTS:
        variant = path.with_name(f"{path.stem}.{engine}.cypher")
        if variant.exists():
            vtext = variant.read_text(encoding="utf-8").strip()
            if parameter_names(vtext) != declared:
                raise QueryError(f"{variant}: its params differ from {path.name}'s")
            variants[engine] = vtext
    query = SavedQuery(path.stem, meta["title"], meta.get("description", ""), text,
                       tuple(params), variants, examples, path)
    for p in params:  # examples and defaults must have their declared types
        if p.name in examples:
            coerce(p, examples[p.name])
        if p.default is not None:
            try:
                default = json.loads(p.default)
            except json.JSONDecodeError:
                raise QueryError(f"{path}: param {p.name}: the default is not JSON text: "
                                 f"{p.default}") from None
            coerce(p, default)
    return query


def query_files(directory: Path) -> list[Path]:
    """The query files of a folder, in name order (engine variants left out)."""
    return [path for path in sorted(directory.glob("*.cypher"))
            if not any(path.name.endswith(f".{engine}.cypher") for engine in DIALECTS)]


def load_saved_queries(directory: Path = QUERY_DIR) -> dict[str, SavedQuery]:
    """Every saved query in one folder, by name."""
    out = {}
    for path in query_files(directory):
        q = parse_saved_query(path)
        out[q.name] = q
    return out


def load_all_queries(extra: Iterable[Path] = ()) -> dict[str, SavedQuery]:
    """The shipped queries plus those of each extra folder (``--queries`` / RNKG_QUERIES).

    A user's query may not take the name of a shipped one (or of another folder's): that is
    refused, naming both files, rather than one silently hiding the other.
    """
    out = load_saved_queries()
    for directory in extra:
        if not directory.is_dir():
            raise QueryError(f"--queries {directory}: not a folder")
        for name, q in load_saved_queries(directory).items():
            if name in out:
                raise QueryError(f"{q.path}: the name {name!r} is taken by {out[name].path}; "
                                 "rename the file")
            out[name] = q
    return out


def get_saved_query(name: str, extra: Iterable[Path] = ()) -> SavedQuery:
    """One saved query by name, or a NotFound listing the names."""
    queries = load_all_queries(extra)
    if name not in queries:
        raise NotFound(f"no saved query {name!r}; there are: {', '.join(queries)}")
    return queries[name]


def check_folder(directory: Path, backend: Backend | None) -> list[str]:
    """Problems of every ``.cypher`` file in a folder: its header, its declared params against
    its ``$names``, and (given a store) a run with its example parameters. Empty when all pass.
    """
    problems = []
    for path in query_files(directory):
        try:
            q = parse_saved_query(path)
            if backend is not None:
                q.run(backend, q.example_params())
        except QueryError as exc:
            message = str(exc)
            problems.append(message if str(path) in message else f"{path}: {message}")
    return problems


def golden_answer(result: Any) -> list[dict[str, Any]]:
    """A result in its normalised JSON form (the contract's), for queries/expected/NAME.json.

    Rows are records; a list-valued cell is sorted (queries do not order what they collect),
    a list of maps by each map's JSON text with its keys in order (engines order keys apart).
    """
    import json

    from rnkg.graph.values import to_jsonable

    def cell(value: Any) -> Any:
        if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
            return sorted(value, key=lambda v: (v is None, str(v)))
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return sorted(value, key=lambda v: json.dumps(v, sort_keys=True, default=str))
        return value

    return [{k: cell(v) for k, v in row.items()} for row in to_jsonable(result.records())]


def golden_path(name: str) -> Path:
    """Where a shipped query's golden answer lives."""
    return EXPECTED_DIR / f"{name}.json"


def write_goldens(backend: Backend, names: Iterable[str] | None = None) -> list[Path]:
    """Run each shipped query with its example parameters and write its golden answer."""
    queries = load_saved_queries()
    EXPECTED_DIR.mkdir(exist_ok=True)
    written = []
    for name in names or queries:
        answer = golden_answer(queries[name].run(backend, queries[name].example_params()))
        path = golden_path(name)
        path.write_text(json.dumps(answer, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written
