"""The raw record every reader produces: a dict of fields tagged with file and lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class RawRecord:
    """One node or relationship as read, before validation.

    ``lines`` maps a field name to the line it stands on, so that an error names it.
    """

    kind: Literal["node", "relationship"]
    data: dict[str, Any]
    path: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, field_name: str | None) -> int:
        """The line of a field, or of the record when the field has none."""
        if field_name is None:
            return self.line
        return self.lines.get(field_name, self.line)
