"""Read YAML fact files: `nodes:` and `relationships:` lists, each field tagged with its line.

The loader is safe (no Python tags) and bounded: anchors and aliases are refused (fact files do
not need them, and aliases are how a 1 KB "billion laughs" file expands to gigabytes), nesting
is at most ``MAX_DEPTH`` levels, and the file at most ``RNKG_MAX_FACT_BYTES``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rnkg.errors import FactError
from rnkg.loaders.raw import RawRecord, read_fact_text

MAX_DEPTH = 40
"""Deepest nesting of lists and mappings in a fact file (a record is at depth 3)."""


class _LineLoader(yaml.SafeLoader):
    """A safe loader that keeps dates as text, records each mapping key's line, refuses
    aliases and bounds nesting while composing (before anything is built)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"alias *{event.anchor}: fact files use no aliases",
                event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, f"anchor &{event.anchor}: fact files use no aliases",
                event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a name, not {type(key).__name__} {key!r:.40}",
                key_node.start_mark)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

SECTIONS = {"nodes": "node", "relationships": "relationship"}


def _syntax_error(exc: yaml.YAMLError, text: str, display: str) -> FactError:
    """One line for any YAML error: the line of its mark (or of its position), the problem."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        return FactError(display, line, None,
                         f"YAML syntax: unacceptable character #x{exc.character:04x} "
                         "(control characters are not allowed)")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return FactError(display, line, None, f"YAML syntax: {problem}")


def read_yaml(path: Path, display: str) -> list[RawRecord]:
    """Read one YAML fact file into raw records.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.yaml"
    >>> _ = p.write_text("nodes:\\n  - id: person:x\\n    date: 2024-06\\n")
    >>> [(r.kind, r.data["date"], r.line_of("date")) for r in read_yaml(p, "a.yaml")]
    [('node', '2024-06', 3)]
    >>> _ = p.write_text("nodes:\\n  - id: person:x\\n    aliases: &a [x]\\n")
    >>> read_yaml(p, "a.yaml")
    Traceback (most recent call last):
    rnkg.errors.FactError: a.yaml:3: YAML syntax: anchor &a: fact files use no aliases
    """
    text = read_fact_text(path, display)
    try:
        doc = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text, display) from None
    except RecursionError:
        raise FactError(display, None, None, "YAML: nested too deeply") from None
    if doc is None:
        return []
    if not isinstance(doc, dict):
        raise FactError(display, 1, None,
                        "a fact file is a mapping with `nodes:` and/or `relationships:`")
    records: list[RawRecord] = []
    for key, items in doc.items():
        if key not in SECTIONS:
            raise FactError(display, doc.lines.get(key), key,
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
