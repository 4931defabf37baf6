"""The read-only screen: what `rnkg query` without `--write` refuses before an engine runs it.

A statement that starts with a clause that writes (or administers the store) is refused as a
write; one that starts with no Cypher clause at all is refused as a query that does not parse,
and so is any query an engine's parser rejects (:func:`parse_error`).

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

# Clauses that start a statement that writes or administers (in Neo4j's or LadybugDB's Cypher).
WRITE_STARTS = frozenset((
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "FOREACH", "INSERT", "DROP", "ALTER",
    "RENAME", "COMMENT", "COPY", "LOAD", "INSTALL", "UNINSTALL", "ATTACH", "USE", "BEGIN",
    "COMMIT", "ROLLBACK", "CHECKPOINT", "EXPORT", "IMPORT", "GRANT", "DENY", "REVOKE", "START",
    "STOP", "TERMINATE", "ENABLE", "SHOW", "FINISH", "USING",
))

PARSE_ERROR = "this query does not parse"
_FIRST_WORD = re.compile(r"[A-Za-z_]+")


def parse_error(detail: str) -> QueryError:
    """The error for a query that does not parse, with the parser's detail.

    >>> str(parse_error("Invalid input <MATCH (n RETURN>"))
    'this query does not parse: Invalid input <MATCH (n RETURN>'
    """
    return QueryError(f"{PARSE_ERROR}: {detail}")


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
    >>> check_read_only("MATC (n) RETURN n", "embedded")
    Traceback (most recent call last):
    ...
    rnkg.errors.QueryError: this query does not parse: 'MATC' does not start a Cypher clause
    """
    for statement in split_statements(cypher):
        m = _FIRST_WORD.match(statement)
        first = m.group().upper() if m else ""
        if first in READ_STARTS:
            continue
        if first in WRITE_STARTS:
            # One message whatever the statement (CREATE, COPY ... TO, COMMIT, INSTALL...).
            raise QueryError(READ_ONLY_REFUSAL)
        start = m.group() if m else statement.split()[0]
        raise parse_error(f"{start!r} does not start a Cypher clause")
