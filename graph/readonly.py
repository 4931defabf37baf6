"""The read-only screen: what `rnkg query` without `--write` refuses before an engine runs it.

Both backends call :func:`check_read_only` before a non-write query; the engine's own read-only
mode (a LadybugDB read-only database and transaction, a Neo4j READ_ACCESS session) is a second
guard behind it.

The screen tokenises the text the way both engines read it (strings with backslash escapes,
backtick-quoted names, ``//`` and ``/* */`` comments, any Unicode whitespace) and then:

- every statement (``;``-separated) starts with a read clause (:data:`STATEMENT_STARTS`),
  optionally after one ``EXPLAIN`` or (on Neo4j) ``PROFILE``: the body is screened like any
  statement. ``PROFILE`` runs its body; on the embedded store it is refused
  (:data:`EMBEDDED_PROFILE_REFUSAL`);
- no word of :data:`REFUSED_WORDS` stands in a keyword position anywhere: a word after ``.``
  (``n.set``), a map key (``{load: 1}``), a ``$parameter`` or a backtick-quoted name is a
  name, not a keyword;
- ``CALL`` names a procedure or table function of :data:`ALLOWED_PROCEDURES`, or opens a
  subquery (``CALL {`` or ``CALL (x) {``); ``CALL threads=1`` style settings are refused;
- a namespaced function (``db.x()``, ``apoc.x()``) is on :data:`ALLOWED_FUNCTIONS`, and no
  function of :data:`REFUSED_FUNCTIONS` (side effects) is called.

A text that cannot be tokenised (an unclosed string, name or comment), or a statement that
starts with no read clause and holds no refused word (``MATC (n) RETURN n``), is refused with
its own message, :data:`PARSE_REFUSAL`; so is a text an engine's parser rejects
(:func:`parse_error`). Neo4j turns ``\\uXXXX`` escapes into characters before it
reads the text (even outside strings), so the text is screened both as written and decoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rnkg.errors import QueryError

READ_ONLY_REFUSAL = "this query writes; rnkg query is read-only unless --write is given"
PARSE_REFUSAL = "cannot read this query"
# LadybugDB 0.22 crashes the process (SIGSEGV) re-running a PROFILE given parameters, and
# F1/F2 of the review came through PROFILE: on the embedded store it is refused.
EMBEDDED_PROFILE_REFUSAL = "PROFILE is not available on the embedded store; use EXPLAIN"

# What a statement may start with (after an optional EXPLAIN or PROFILE).
STATEMENT_STARTS = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"})
PLAN_PREFIXES = frozenset({"EXPLAIN", "PROFILE"})

# Words refused wherever they stand as a keyword: writes, DDL, file and network access,
# extensions, transaction control, administration (both dialects).
REFUSED_WORDS = frozenset({
    "CREATE", "INSERT", "MERGE", "SET", "DELETE", "DETACH", "NODETACH", "REMOVE", "DROP",
    "ALTER", "RENAME", "FOREACH", "LOAD", "COPY", "INSTALL", "UNINSTALL", "UPDATE", "ATTACH",
    "USE", "EXPORT", "IMPORT", "CHECKPOINT", "COMMENT", "TERMINATE", "SHOW", "GRANT", "DENY",
    "REVOKE", "ENABLE", "DEALLOCATE", "REALLOCATE", "BEGIN", "COMMIT", "ROLLBACK",
    "TRANSACTION", "TRANSACTIONS", "CYPHER", "EXPLAIN", "PROFILE", "ANALYZE", "FORCE",
})
# Refused only before DATABASE(S): START and STOP are otherwise fine variable names.
REFUSED_BEFORE_DATABASE = frozenset({"START", "STOP"})

# Procedures and table functions a read-only CALL may name (lower case; LadybugDB's table
# function names are case-insensitive). Everything else, `dbms.*` and other `db.*`, is refused.
ALLOWED_PROCEDURES = {
    "neo4j": frozenset({
        "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships",
    }),
    "embedded": frozenset({"show_tables", "table_info"}),
}
# Namespaced functions a read-only expression may call (plain built-ins are pure).
ALLOWED_FUNCTIONS: dict[str, frozenset[str]] = {"neo4j": frozenset(), "embedded": frozenset()}
# Plain functions with side effects.
REFUSED_FUNCTIONS = frozenset({"nextval", "setval", "project_graph", "project_graph_cypher",
                               "drop_projected_graph", "clear_warnings"})

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is word, name (backtick-quoted), param, string, number or punct."""

    kind: str
    text: str
    line: int
    column: int


def _where(text: str, pos: int) -> tuple[int, int]:
    before = text[:pos]
    line = before.count("\n") + 1
    return line, pos - (before.rfind("\n") + 1) + 1


def _word_char(ch: str) -> bool:
    # Identifier characters as Java and Python define them (XID_Continue): anything else,
    # such as a zero-width space or a superscript digit, separates words.
    return ("a" + ch).isidentifier()


def _closing(text: str, start: int, quote: str) -> int:
    """Index just past the quote closing the string or name opened at ``start``."""
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and quote != "`":
            i += 2
            continue
        if ch == quote:
            if quote == "`" and text[i + 1:i + 2] == "`":  # `a``b` is one name
                i += 2
                continue
            return i + 1
        i += 1
    kind = "name" if quote == "`" else "string"
    line, column = _where(text, start)
    raise QueryError(f"{PARSE_REFUSAL}: unclosed {kind} starting at line {line}, column {column}")


def tokenize(text: str) -> list[Token]:
    """The tokens of a query text, without whitespace and comments.

    >>> [t.text for t in tokenize("MATCH (n) /* c */ RETURN n.set // x\\n;")]
    ['MATCH', '(', 'n', ')', 'RETURN', 'n', '.', 'set', ';']
    >>> tokenize("RETURN 'x")
    Traceback (most recent call last):
    ...
    rnkg.errors.QueryError: cannot read this query: unclosed string starting at line 1, column 8
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace() or ch == "\ufeff":
            i += 1
            continue
        if text.startswith("//", i):
            while i < n and text[i] not in _LINE_BREAKS:
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                line, column = _where(text, i)
                raise QueryError(
                    f"{PARSE_REFUSAL}: unclosed comment starting at line {line}, column {column}")
            i = end + 2
            continue
        line, column = _where(text, i)
        if ch in "'\"`":
            end = _closing(text, i, ch)
            kind = "name" if ch == "`" else "string"
            tokens.append(Token(kind, text[i + 1:end - 1], line, column))
            i = end
        elif ch.isdigit():  # digits only: in `1CREATE` the engine may see 1 then CREATE
            j = i
            while j < n and text[j].isdigit():
                j += 1
            tokens.append(Token("number", text[i:j], line, column))
            i = j
        elif _word_char(ch):
            j = i
            while j < n and _word_char(text[j]):
                j += 1
            tokens.append(Token("word", text[i:j], line, column))
            i = j
        elif ch == "$" and i + 1 < n and (_word_char(text[i + 1]) or text[i + 1] == "`"):
            if text[i + 1] == "`":
                end = _closing(text, i + 1, "`")
            else:
                end = i + 1
                while end < n and _word_char(text[end]):
                    end += 1
            tokens.append(Token("param", text[i + 1:end], line, column))
            i = end
        else:
            tokens.append(Token("punct", ch, line, column))
            i += 1
    return tokens



def parse_error(detail: str) -> QueryError:
    """The error for a query that does not parse (:data:`PARSE_REFUSAL`), with the detail: the
    screen's, or an engine parser's (both backends report their parser's errors through it).

    >>> str(parse_error("Invalid input <MATCH (n RETURN>"))
    'cannot read this query: Invalid input <MATCH (n RETURN>'
    """
    return QueryError(f"{PARSE_REFUSAL}: {detail}")


def _statements(tokens: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for t in tokens:
        if t.kind == "punct" and t.text == ";":
            out.append([])
        else:
            out[-1].append(t)
    return [s for s in out if s]


def _is(token: Token | None, kind: str, text: str | None = None) -> bool:
    return token is not None and token.kind == kind and (text is None or token.text == text)


def _refuse(what: str, token: Token) -> QueryError:
    """One message whatever was refused (``what`` and ``token`` say what, for a debugger)."""
    error = QueryError(READ_ONLY_REFUSAL)
    error.refused = (what, token.line, token.column)  # type: ignore[attr-defined]
    return error


def _is_keyword(tokens: list[Token], i: int) -> bool:
    """Whether the word at ``i`` stands where a keyword can: not ``x.word``, not a map key."""
    before = tokens[i - 1] if i > 0 else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if _is(before, "punct", "."):
        return before is not None and i >= 2 and tokens[i - 2].kind == "number"
    map_key = (_is(before, "punct", "{") or _is(before, "punct", ",")) and _is(after, "punct", ":")
    return not map_key


def _qualified_name(tokens: list[Token], i: int) -> tuple[str, int]:
    """The dotted name starting at ``i`` (``db.index.x``) and the index after it."""
    parts: list[str] = []
    while i < len(tokens) and tokens[i].kind in ("word", "name"):
        parts.append(tokens[i].text)
        i += 1
        if not (i + 1 < len(tokens) and _is(tokens[i], "punct", ".")
                and tokens[i + 1].kind in ("word", "name")):
            break
        i += 1
    return ".".join(parts), i


def _writes(tokens: list[Token]) -> bool:
    """Whether a refused word (or START / STOP) stands in a keyword position in the statement."""
    words = REFUSED_WORDS | REFUSED_BEFORE_DATABASE
    return any(t.kind == "word" and t.text.upper() in words and _is_keyword(tokens, i)
               for i, t in enumerate(tokens))


def _check_statement(tokens: list[Token], engine: str) -> None:
    first = tokens[0]
    start = 0
    if first.kind == "word" and first.text.upper() in PLAN_PREFIXES:
        start = 1
        if len(tokens) == 1:
            raise _refuse(f"{first.text} without a query", first)
    head = tokens[start]
    if head.kind != "word" or head.text.upper() not in STATEMENT_STARTS:
        if _writes(tokens):
            raise _refuse(f"a statement starting with {head.text!r}", head)
        # No read clause and no writing word: a typo (MATC) or not Cypher at all.
        raise parse_error(f"{head.text!r} does not start a read statement "
                          "(MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN or CALL)")
    allowed_calls = ALLOWED_PROCEDURES.get(engine, frozenset())
    allowed_functions = ALLOWED_FUNCTIONS.get(engine, frozenset())
    for i in range(start, len(tokens)):
        t = tokens[i]
        if t.kind != "word" or not _is_keyword(tokens, i):
            continue
        word = t.text.upper()
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if word in REFUSED_WORDS:
            raise _refuse(word, t)
        if word in REFUSED_BEFORE_DATABASE and after is not None and after.kind == "word" \
                and after.text.upper() in ("DATABASE", "DATABASES"):
            raise _refuse(f"{word} DATABASE", t)
        if word == "CALL":
            if _is(after, "punct", "{") or _is(after, "punct", "("):
                continue  # a subquery; its clauses are screened like the rest
            name, _ = _qualified_name(tokens, i + 1)
            if not name or name.lower() not in allowed_calls:
                raise _refuse(f"CALL {name or (after.text if after else '')}".rstrip(), t)
            continue
        if _is(after, "punct", "(") and t.text.lower() in REFUSED_FUNCTIONS:
            raise _refuse(f"the function {t.text}", t)
    for i, t in enumerate(tokens):  # namespaced functions: db.x(), apoc.x(), ...
        if t.kind not in ("word", "name") or (i and _is(tokens[i - 1], "punct", ".")):
            continue
        name, j = _qualified_name(tokens, i)
        called = "." in name and j < len(tokens) and _is(tokens[j], "punct", "(")
        after_call = i > 0 and _is(tokens[i - 1], "word") and tokens[i - 1].text.upper() == "CALL"
        if called and not after_call and name.lower() not in allowed_functions:
            raise _refuse(f"the function {name}", t)
    if start and engine == "embedded" and first.text.upper() == "PROFILE":
        raise QueryError(EMBEDDED_PROFILE_REFUSAL)  # a body that reads, but PROFILE crashes


_UNICODE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u+([0-9A-Fa-f]{4})")


def decode_unicode_escapes(text: str) -> str:
    r"""The text as Neo4j's parser reads it: ``\uXXXX`` becomes its character *before* lexing,
    anywhere (so ``\u0027`` closes a string and ``\u004cOAD`` is ``LOAD``), unless the
    backslash is itself escaped (``\\u0041`` stays as it is), as in Java source.

    >>> decode_unicode_escapes(r"RETURN 'x\u0027 AS s \u004cOAD")
    "RETURN 'x' AS s LOAD"
    >>> decode_unicode_escapes(r"RETURN '\\u0041'")
    "RETURN '\\\\u0041'"
    """
    return _UNICODE_ESCAPE.sub(lambda m: m[1] + chr(int(m[2], 16)), text)


def check_read_only(cypher: str, engine: str) -> None:
    """Refuse a text unless every statement in it only reads the graph.

    ``engine`` is the backend's name (``embedded`` or ``neo4j``): the procedures a ``CALL``
    may name differ. Raises :class:`~rnkg.errors.QueryError` with one line.

    >>> check_read_only("MATCH (n) WHERE n.set = 1 RETURN {load: n.count} AS m", "embedded")
    >>> check_read_only("WITH 1 AS x LOAD FROM '/etc/passwd' RETURN *", "embedded")
    Traceback (most recent call last):
    ...
    rnkg.errors.QueryError: this query writes; rnkg query is read-only unless --write is given
    >>> check_read_only("CALL dbms.components()", "neo4j")
    Traceback (most recent call last):
    ...
    rnkg.errors.QueryError: this query writes; rnkg query is read-only unless --write is given
    >>> check_read_only("MATC (n) RETURN n", "embedded")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rnkg.errors.QueryError: cannot read this query: 'MATC' does not start a read statement (...)
    """
    # Screen the text as written and as Neo4j decodes it (LadybugDB does not decode escapes;
    # a text must pass both readings on either engine).
    decoded = decode_unicode_escapes(cypher)
    for text in (cypher, decoded) if decoded != cypher else (cypher,):
        for statement in _statements(tokenize(text)):
            _check_statement(statement, engine)
