"""The read-only screen: what `rnkg query` without `--write` refuses before an engine runs it.

Both backends call :func:`check_read_only` before a non-write query; the engine's own read-only
mode (a LadybugDB read-only database and transaction, a Neo4j READ_ACCESS session) is a second
guard behind it.
"""

from __future__ import annotations

import re

from rnkg.errors import QueryError

READ_ONLY_REFUSAL = "this query writes; rnkg query is read-only unless --write is given"

_STRINGS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)

# What a read-only statement may start with. Anything else (COPY ... TO a file, INSTALL, ATTACH,
# COMMIT/ROLLBACK that would end the read-only transaction, DDL, writes) needs --write.
READ_STARTS = ("MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL", "EXPLAIN", "PROFILE")


def split_statements(cypher: str) -> list[str]:
    r"""The ``;``-separated statements of a query text (semicolons in strings do not count).

    >>> split_statements("MATCH (n) RETURN ';' AS x; // done;\n RETURN 1;")
    ["MATCH (n) RETURN ';' AS x", 'RETURN 1']
    """
    masked = _STRINGS.sub(lambda m: "\0" * len(m.group()), cypher)
    out, start = [], 0
    for i, ch in enumerate(masked):
        if ch == ";":
            out.append(cypher[start:i])
            start = i + 1
    out.append(cypher[start:])
    cleaned = [_STRINGS.sub(lambda m: m.group() if m.group()[0] in "'\"`" else " ", s).strip()
               for s in out]
    return [s for s in cleaned if s]


def check_read_only(cypher: str, engine: str) -> None:
    """Refuse a text with a statement that does not start like a read.

    ``engine`` is the backend's name (``embedded`` or ``neo4j``): some clauses exist in one
    dialect only.

    >>> check_read_only("MATCH (n) RETURN n", "embedded")
    >>> check_read_only("COMMIT; CREATE (:X)", "neo4j")
    Traceback (most recent call last):
    ...
    rnkg.errors.QueryError: this query writes; rnkg query is read-only unless --write is given
    """
    for statement in split_statements(cypher):
        words = statement.split()
        first = words[0].upper() if words else ""
        if first not in READ_STARTS:
            # One message whatever the statement (CREATE, COPY ... TO, COMMIT, INSTALL...).
            raise QueryError(READ_ONLY_REFUSAL)
