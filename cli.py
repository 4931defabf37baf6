"""The ``rnkg`` command: thin commands over the library; errors mapped to exit codes here.

Exit codes: 0 success; 1 a data, query or store error (one line on stderr); 2 a usage error.
"""

from __future__ import annotations

import json
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from rnkg.errors import FactErrors, QueryError, RnkgError

app = typer.Typer(
    name="rnkg",
    help="A sourced, typed knowledge graph of the Russia–North Korea relationship.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
queries_app = typer.Typer(help="Saved Cypher queries: list, show, run, check.",
                          no_args_is_help=True)
export_app = typer.Typer(help="Write views and exports of the graph.", no_args_is_help=True)
app.add_typer(queries_app, name="queries")
app.add_typer(export_app, name="export")

FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", help="table, json (an array of row objects) or csv."),
]
FactsOpt = Annotated[
    Path | None,
    typer.Option("--facts", help="Folder of fact files (default: the curated facts).",
                 exists=True, file_okay=False, dir_okay=True),
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="Query parameter NAME=VALUE; VALUE is read as JSON "
                 "when it parses (3, true, [\"a\"]), else as text. Repeatable."),
]


_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s'\"]*@")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
INT64 = (-(2**63), 2**63 - 1)


def one_line(message: str) -> str:
    """A message as one safe line: control characters escaped, URI userinfo masked.

    >>> one_line("bad key 'a\\nb' at bolt://neo4j:s3cret@host:7687")
    "bad key 'a\\\\nb' at bolt://***@host:7687"
    """
    masked = _USERINFO.sub(r"\1***@", message)
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), masked)


def _err(message: str) -> None:
    typer.echo(f"rnkg: {one_line(message)}", err=True)


@contextmanager
def reported() -> Iterator[None]:
    """Turn rnkg's errors into one stderr line and exit code 1."""
    try:
        yield
    except FactErrors as exc:
        for error in exc.errors:
            _err(str(error))
        if len(exc.errors) > 1:
            _err(f"{len(exc.errors)} problems; nothing was written")
        raise typer.Exit(1) from None
    except RnkgError as exc:
        _err(str(exc))
        raise typer.Exit(1) from None
    except OSError as exc:
        _err(f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc))
        raise typer.Exit(1) from None


def _check_format(fmt: str, allowed: tuple[str, ...] = ("table", "json", "csv")) -> str:
    if fmt not in allowed:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(allowed)}",
                                 param_hint="--format")
    return fmt


def _parse_params(pairs: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs or []:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--param")
        try:
            value = json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            value = raw
        try:
            too_big = _too_big(value)
        except RecursionError:
            raise QueryError(f"--param {name.strip()}: nested too deeply") from None
        if too_big:
            raise QueryError(f"--param {name.strip()}: an integer outside 64 bits "
                             f"({INT64[0]} to {INT64[1]})")
        out[name.strip()] = value
    return out


def _too_big(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not INT64[0] <= value <= INT64[1]
    if isinstance(value, list):
        return any(_too_big(v) for v in value)
    if isinstance(value, dict):
        return any(_too_big(v) for v in value.values())
    return False


def _settings(ctx: typer.Context):
    return ctx.obj


@contextmanager
def _store(ctx: typer.Context, read_only: bool = False) -> Iterator[Any]:
    """The backend the global options name, closed on the way out."""
    from rnkg.graph.backend import open_backend

    store = open_backend(_settings(ctx), read_only=read_only)
    try:
        yield store
    finally:
        store.close()


def _print(columns: list[str], rows: list[list[Any]], fmt: str, title: str | None = None) -> None:
    """Rows on stdout; a title above a table, or on stderr when stdout is JSON or CSV.

    The text is written as rendered (``color=True``: click must not strip escape codes, which
    would change CSV data on its way to a file); ``rnkg.output`` escapes what reaches a terminal.
    """
    from rnkg.output import render, visible

    if title:  # a title may quote the data (ids, names): one line, controls escaped
        typer.echo(visible(title, keep_newlines=False), err=fmt != "table")
    typer.echo(render(columns, rows, fmt, tty=sys.stdout.isatty()), color=True)


def _count_rows(counts: dict[str, int], zeros: bool) -> list[list[Any]]:
    """[kind, type, count] rows in schema order: node types first, then relationship types."""
    from rnkg.schema import load_schema

    schema = load_schema()
    return [["node" if k in schema.nodes else "relationship", k, counts.get(k, 0)]
            for k in [*schema.nodes, *schema.relationships] if zeros or counts.get(k)]


def _summary(fmt: str, line: str, counts: dict[str, int], hint: str = "") -> None:
    """One line for people (table format); count rows for json and csv."""
    if fmt == "table":
        typer.echo(line + hint)
        return
    _print(["kind", "type", "count"], _count_rows(counts, zeros=False), fmt, title=line)


@app.callback()
def main_options(
    ctx: typer.Context,
    backend: Annotated[str | None, typer.Option(
        "--backend", envvar="RNKG_BACKEND", help="embedded (LadybugDB file, default) or neo4j.",
        show_envvar=True)] = None,
    db: Annotated[Path | None, typer.Option(
        "--db", envvar="RNKG_DB", show_envvar=True,
        help="Embedded store file (default ~/.local/share/rnkg/rnkg.lbug).")] = None,
    neo4j_uri: Annotated[str | None, typer.Option(
        "--neo4j-uri", envvar="NEO4J_URI", show_envvar=True,
        help="bolt://, neo4j:// or neo4j+s:// URI; user and password from NEO4J_USERNAME and "
             "NEO4J_PASSWORD.")] = None,
    neo4j_database: Annotated[str | None, typer.Option(
        "--neo4j-database", envvar="NEO4J_DATABASE", show_envvar=True,
        help="Neo4j database name (default: the server's default).")] = None,
) -> None:
    """rnkg: who did what with whom, and when, between Moscow and Pyongyang — and says who."""
    from rnkg.graph.backend import BACKENDS, Settings

    if backend is not None and backend not in BACKENDS:
        raise typer.BadParameter(f"{backend!r} is not embedded or neo4j", param_hint="--backend")
    if neo4j_uri and _USERINFO.search(neo4j_uri):
        raise typer.BadParameter(
            f"{one_line(neo4j_uri)}: no user or password in the URI; give them in "
            "NEO4J_USERNAME and NEO4J_PASSWORD", param_hint="--neo4j-uri / NEO4J_URI")
    ctx.obj = Settings.resolve(backend=backend, db=db, neo4j_uri=neo4j_uri,
                               neo4j_database=neo4j_database)


@app.command()
def validate(facts: FactsOpt = None, fmt: FormatOpt = "table") -> None:
    """Check fact files against the schema and resolve every reference; write nothing."""
    _check_format(fmt)
    from rnkg.loaders.pipeline import build_dataset, default_facts_dir

    with reported():
        ds = build_dataset(facts or default_facts_dir())
    counts = ds.counts()
    _summary(fmt, f"{len(ds.files)} files: {len(ds.nodes)} nodes, "
                  f"{len(ds.relationships)} relationships, no problems", counts)


@app.command()
def load(
    ctx: typer.Context,
    facts: FactsOpt = None,
    reset: Annotated[bool, typer.Option("--reset", help="Delete rnkg's data first and rebuild.")]
    = False,
    allow_empty: Annotated[bool, typer.Option(
        "--allow-empty", help="Let --reset load a folder with no fact files or no nodes "
        "(which empties the store).")] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Validate a facts folder, then write all of it in one transaction (or nothing)."""
    _check_format(fmt)
    from rnkg.loaders.pipeline import build_dataset, default_facts_dir

    folder = facts or default_facts_dir()
    with reported():
        ds = build_dataset(folder)
        with _store(ctx) as store:
            if reset and not ds.nodes and not allow_empty:
                _refuse_empty_reset(folder, ds, store.counts(), _settings(ctx).describe())
            report = store.load(ds, reset=reset)
    _summary(fmt, f"loaded {len(ds.nodes)} nodes and {len(ds.relationships)} relationships "
                  f"into {_settings(ctx).describe()} in {report.seconds:.2f} s", report.counts,
             hint=" (counts: rnkg stats)")
    if report.counts_error:
        _err(f"note: the load committed, but its counts could not be read ({report.counts_error})")
    expected = ds.counts()
    extra = {k: v - expected.get(k, 0) for k, v in report.counts.items()
             if v > expected.get(k, 0)}
    if extra:
        listed = ", ".join(f"{v} {k}" for k, v in extra.items())
        _err(f"note: the store also holds {listed} that these facts do not have "
             "(`rnkg load --reset` rebuilds from the facts alone)")


def _refuse_empty_reset(folder: Path, ds: Any, held: dict[str, int], where: str) -> None:
    """Stop a --reset that would leave the store empty, saying what it would remove."""
    from rnkg.errors import RnkgError
    from rnkg.schema import load_schema

    schema = load_schema()
    nodes = sum(v for k, v in held.items() if k in schema.nodes)
    rels = sum(v for k, v in held.items() if k in schema.relationships)
    what = "has no fact files" if not ds.files else f"has {len(ds.files)} file(s) but no nodes"
    raise RnkgError(f"{folder} {what}: --reset would remove all {nodes} nodes and {rels} "
                    f"relationships from {where} and load nothing; pass --allow-empty to do "
                    "that, or check the --facts folder")


@app.command()
def query(
    ctx: typer.Context,
    cypher: Annotated[str, typer.Argument(help="Cypher text; values as $parameters.")],
    param: ParamOpt = None,
    write: Annotated[bool, typer.Option("--write", help="Allow the query to write.")] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Run Cypher on the graph (read-only unless --write)."""
    _check_format(fmt)
    with reported():
        if not cypher.strip():
            raise QueryError("the query is empty")
        params = _parse_params(param)
    with reported(), _store(ctx, read_only=not write) as store:
        result = store.query(cypher, params, write=write)
    _print(result.columns, result.rows, fmt)


@app.command()
def stats(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """Count nodes per label and relationships per type in the store."""
    _check_format(fmt)
    with reported(), _store(ctx, read_only=True) as store:
        counts = store.counts()
    _print(["kind", "type", "count"], _count_rows(counts, zeros=True), fmt,
           title=_settings(ctx).describe())


@app.command()
def schema(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv or markdown.")]
    = "table",
) -> None:
    """Print the data model: node types, relationship types, properties, allowed endpoints."""
    _check_format(fmt, ("table", "json", "csv", "markdown"))
    from rnkg.schema.docs import markdown, schema_rows

    if fmt == "markdown":
        typer.echo(markdown(), nl=False)
        return
    columns, rows = schema_rows()
    _print(columns, rows, fmt)


@app.command()
def show(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="An id, name or alias: 'Poutine', 'maia 1'.")],
    fmt: FormatOpt = "table",
) -> None:
    """Show a node with each of its relationships and their sources."""
    _check_format(fmt)
    from rnkg.graph.lookup import neighbourhood, resolve_entity
    from rnkg.show import show_rows, show_text

    with reported(), _store(ctx, read_only=True) as store:
        node = resolve_entity(store, entity)
        links = neighbourhood(store, node.id)
    if fmt == "table":
        typer.echo(show_text(node, links))
    else:
        columns, rows = show_rows(node, links)
        _print(columns, rows, fmt)


@app.command()
def path(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(help="From: an id, name or alias.")],
    end: Annotated[str, typer.Argument(help="To: an id, name or alias.")],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=8,
                                          help="Longest path to look for.")] = 4,
    via: Annotated[list[str] | None, typer.Option(
        "--via", help="Only these relationship types (repeatable), e.g. --via OWNS.")] = None,
    all_paths: Annotated[bool, typer.Option(
        "--all", help="Every shortest path, not just one.")] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Shortest paths between two entities, in either direction, each hop with date and sources.

    Table and CSV print one row per hop; JSON prints one row per path: {"path", "length"}.
    """
    _check_format(fmt)
    from rnkg.graph.lookup import resolve_entity
    from rnkg.graph.paths import shortest_paths

    with reported():
        with _store(ctx, read_only=True) as store:
            a, b = resolve_entity(store, start), resolve_entity(store, end)
            paths = shortest_paths(store, a.id, b.id, max_hops, via or (), all_paths)
        if not paths:
            from rnkg.errors import NotFound

            raise NotFound(f"no path between {a.id} and {b.id} within {max_hops} hops")
    if fmt == "json":
        _print(["path", "length"], [[p, len(p.relationships)] for p in paths], fmt)
        return
    from rnkg.show import hop_rows

    columns, rows = hop_rows(paths)
    _print(columns, rows, fmt,
           title=f"{len(paths)} shortest path(s) of {len(paths[0].relationships)} hops "
                 f"from {a.id} to {b.id}")


QueriesDirOpt = Annotated[
    list[Path] | None,
    typer.Option("--queries", envvar="RNKG_QUERIES", show_envvar=True, file_okay=False,
                 help="A folder of your own .cypher files, added to the shipped ones (their "
                      "names may not shadow a shipped query). Repeatable; RNKG_QUERIES takes "
                      "folders separated by ':'."),
]


def _query_dirs(dirs: list[Path] | None) -> list[Path]:
    """The --queries folders, with RNKG_QUERIES's ':'-separated list split."""
    out: list[Path] = []
    for d in dirs or []:
        out += [Path(part) for part in str(d).split(":") if part]
    return out


def _raw_params(pairs: list[str] | None) -> dict[str, str]:
    """NAME=VALUE pairs as text: a saved query coerces each by its declared type."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--param")
        out[name.strip()] = raw
    return out


@queries_app.command("list")
def queries_list(fmt: FormatOpt = "table", queries: QueriesDirOpt = None) -> None:
    """List the saved queries with their parameters."""
    _check_format(fmt)
    from rnkg.queries import load_all_queries

    with reported():
        saved = load_all_queries(_query_dirs(queries))
    rows = [[q.name, q.title, ", ".join(f"{p.name} ({p.type})" for p in q.params)]
            for q in saved.values()]
    _print(["name", "title", "params"], rows, fmt)


@queries_app.command("show")
def queries_show(name: str, queries: QueriesDirOpt = None) -> None:
    """Print a saved query's text."""
    from rnkg.queries import get_saved_query

    with reported():
        typer.echo(get_saved_query(name, _query_dirs(queries)).text)


@queries_app.command("run")
def queries_run(ctx: typer.Context, name: str, param: Annotated[list[str] | None, typer.Option(
                    "--param", "-p", help="NAME=VALUE, read as the parameter's declared type "
                    "(date: ISO; list: JSON array or a,b; entity: id, name, alias or IMO). "
                    "Repeatable.")] = None,
                fmt: FormatOpt = "table", queries: QueriesDirOpt = None) -> None:
    """Run a saved query by name (read-only). A value not of its type is exit 1."""
    _check_format(fmt)
    from rnkg.queries import get_saved_query

    params = _raw_params(param)
    with reported():
        saved = get_saved_query(name, _query_dirs(queries))
        saved.bind(params)  # a wrong type is reported before the store is opened
        with _store(ctx, read_only=True) as store:
            result = saved.run(store, params)
    _print(result.columns, result.rows, fmt, title=saved.title)


@queries_app.command("check")
def queries_check(
    ctx: typer.Context,
    directory: Annotated[Path | None, typer.Argument(
        help="Folder of .cypher files (default: the shipped queries).",
        exists=True, file_okay=False)] = None,
    offline: Annotated[bool, typer.Option(
        "--offline", help="Check headers and parameters only; do not run on the store.")] = False,
) -> None:
    """Check each query file: header, declared params against $names, and a run with its
    example parameters on the current backend. Exit 1 naming each failing file."""
    from rnkg.queries import QUERY_DIR, check_folder, query_files

    folder = directory or QUERY_DIR
    with reported():
        if offline:
            problems = check_folder(folder, None)
        else:
            with _store(ctx, read_only=True) as store:
                problems = check_folder(folder, store)
    for problem in problems:
        _err(problem)
    count = len(query_files(folder))
    if problems:
        _err(f"{len(problems)} of {count} queries in {folder} failed")
        raise typer.Exit(1)
    typer.echo(f"{count} queries in {folder}: all pass" + (" (offline)" if offline else ""))


FocusOpt = Annotated[str | None, typer.Option(help="Only this entity's neighbourhood.")]
DepthOpt = Annotated[int, typer.Option(min=1, max=6, help="Hops around --focus.")]
SourcesOpt = Annotated[bool, typer.Option(
    "--sources/--no-sources",
    help="Draw Source nodes too (their citations show on every node and edge anyway).",
)]


def _view_graph(ctx: typer.Context, focus: str | None, depth: int, sources: bool) -> Any:
    """The graph an export writes, and its title: all of it, or around ``focus``."""
    from rnkg.graph.lookup import resolve_entity
    from rnkg.graph.nx import ego_graph, to_networkx

    with _store(ctx, read_only=True) as store:
        g = to_networkx(store)
        title = "rnkg: Russia–North Korea knowledge graph"
        if focus:
            node = resolve_entity(store, focus)
            g = ego_graph(g, node.id, depth)
            title = f"rnkg: {node.properties.get('name', node.id)} within {depth} hops"
    if not sources:
        g.remove_nodes_from([n for n, a in g.nodes(data=True) if a.get("label") == "Source"])
    return g, title


@export_app.command("html")
def export_html(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The .html file to write.")],
    focus: FocusOpt = None,
    depth: DepthOpt = 2,
    sources: SourcesOpt = False,
) -> None:
    """Write an interactive, offline HTML view of the graph (or of one entity's surroundings)."""
    from rnkg.graph.export.html import write_html

    with reported():
        g, title = _view_graph(ctx, focus, depth, sources)
        write_html(g, out, title)
    typer.echo(f"wrote {out} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


@export_app.command("graphml")
def export_graphml(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The .graphml file to write.")],
    focus: FocusOpt = None,
    depth: DepthOpt = 2,
    sources: SourcesOpt = True,
) -> None:
    """Write the graph as GraphML (Gephi, yEd, networkx); list values joined with "; "."""
    from rnkg.graph.export import export_graph
    from rnkg.graph.export.graphml import GraphMLExporter

    with reported():
        g, _ = _view_graph(ctx, focus, depth, sources)
        export_graph(g, GraphMLExporter(out))
    typer.echo(f"wrote {out} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


class Interrupted(BaseException):
    """Ctrl-C, raised by rnkg's own SIGINT handler.

    Not a KeyboardInterrupt: typer turns that into a silent exit 130. Open stores still close
    on the way out (their context managers run), and a load's transaction is not committed.
    """


def _on_sigint(signum: int, frame: Any) -> None:
    raise Interrupted


def main() -> None:
    """Console-script entry point: Ctrl-C prints `rnkg: interrupted` and exits 1."""
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        app()
    except (Interrupted, KeyboardInterrupt):
        _err("interrupted")
        sys.exit(1)


if __name__ == "__main__":
    main()
