"""Read YAML fact files: `nodes:` and `relationships:` lists, each field tagged with its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rnkg.errors import FactError
from rnkg.loaders.raw import RawRecord


class _LineLoader(yaml.SafeLoader):
    """A safe loader that keeps dates as text and records each mapping key's line."""


# Dates stay strings: the schema parses them with their precision ("2023-10" is a month).
_LineLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Mapping(dict):
    line: int
    lines: dict[str, int]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    out = _Mapping()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[str(key)] = key_node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

SECTIONS = {"nodes": "node", "relationships": "relationship"}


def read_yaml(path: Path, display: str) -> list[RawRecord]:
    """Read one YAML fact file into raw records.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.yaml"
    >>> _ = p.write_text("nodes:\\n  - id: person:x\\n    date: 2024-06\\n")
    >>> [(r.kind, r.data["date"], r.line_of("date")) for r in read_yaml(p, "a.yaml")]
    [('node', '2024-06', 3)]
    """
    try:
        text = path.read_text(encoding="utf-8")
        doc = yaml.load(text, Loader=_LineLoader)
    except UnicodeDecodeError as exc:
        raise FactError(display, None, None, f"not UTF-8 text ({exc.reason})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise FactError(display, line, None, f"YAML syntax: {problem}") from None
    if doc is None:
        return []
    if not isinstance(doc, dict):
        raise FactError(display, 1, None,
                        "a fact file is a mapping with `nodes:` and/or `relationships:`")
    records: list[RawRecord] = []
    for key, items in doc.items():
        if key not in SECTIONS:
            raise FactError(display, doc.lines.get(str(key)), str(key),
                            "unknown section; use `nodes:` or `relationships:`")
        if items is None:
            continue
        if not isinstance(items, list):
            raise FactError(display, doc.lines.get(key), key, "must be a list of records")
        for item in items:
            if not isinstance(item, _Mapping):
                line = doc.lines.get(key)
                raise FactError(display, line, key, "each record is a mapping of fields")
            records.append(RawRecord(SECTIONS[key], dict(item), display, item.line, item.lines))
    return records


def plain(value: Any) -> Any:
    """Strip line tags from nested values (dict subclasses become plain dicts)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
