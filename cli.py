"""The ``rnkg`` command: thin commands over the library; errors mapped to exit codes here.

Exit codes: 0 success; 1 a data, query or store error (one line on stderr); 2 a usage error.
"""

from __future__ import annotations

import json
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from rnkg.errors import FactErrors, Interrupted, QueryError, RnkgError, interrupt

if TYPE_CHECKING:  # imported inside the commands, so that `rnkg --help` stays instant
    from rnkg.graph.backend import Settings

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
import_app = typer.Typer(help="Bring other formats into the graph.", no_args_is_help=True)
app.add_typer(import_app, name="import")

FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", help="table, json (an array of row objects) or csv."),
]
FactsOpt = Annotated[
    Path | None,
    typer.Option("--facts", help="Folder of fact files (default: the curated facts).",
                 exists=True, file_okay=False, dir_okay=True),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="YYYY-MM-DD", help="Only facts that hold (periods) or had "
                 "happened (events) on that day; see README \"Time\"."),
]
KnownByOpt = Annotated[
    str | None,
    typer.Option("--known-by", metavar="YYYY-MM-DD", help="Only facts cited by a source "
                 "published on or before that day."),
]
ExcludeTypeOpt = Annotated[
    list[str] | None,
    typer.Option("--exclude-type", metavar="LABEL",
                 help="Leave out nodes of this type, e.g. Country (repeatable)."),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option("--status", help="Keep only facts of this status, e.g. confirmed (repeatable)."),
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


def _settings(ctx: typer.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


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


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"rnkg {version('rnkg')}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option(
        "--version", is_eager=True, callback=_print_version,
        help="Print rnkg's version and exit.")] = False,
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
def validate(
    facts: FactsOpt = None,
    fmt: FormatOpt = "table",
    sources: Annotated[Path | None, typer.Option(
        "--sources", envvar="RNKG_SOURCES", exists=True, file_okay=False, dir_okay=True,
        help="Folder of the seed texts: check every quote of a seed word for word.")] = None,
    warnings: Annotated[bool, typer.Option(
        "--warnings", help="List every warning (confirmed on one source, topic-tag "
        "locators, shared aliases, Source gaps), not only counts.")] = False,
) -> None:
    """Check fact files against the schema, resolve every reference, check the status
    conventions and dates (and, with --sources, the seed quotes); write nothing.

    Warnings (facts/README.md, "Checking") go to stderr and leave the exit code 0."""
    _check_format(fmt)
    from rnkg.loaders.checks import run_checks
    from rnkg.loaders.curation import dataset_warnings, summary_lines
    from rnkg.loaders.pipeline import build_dataset, default_facts_dir

    with reported():
        ds = build_dataset(facts or default_facts_dir())
        problems = run_checks(ds, sources)
        if problems:
            raise FactErrors(problems)
    warned = dataset_warnings(ds)
    for line in summary_lines(warned, every=warnings):
        typer.echo(one_line(line), err=True)
    counts = ds.counts()
    verdict = f"no errors, {len(warned)} warnings" if warned else "no problems"
    _summary(fmt, f"{len(ds.files)} files: {len(ds.nodes)} nodes, "
                  f"{len(ds.relationships)} relationships, {verdict}", counts)


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
    done = report.changes
    _summary(fmt, f"loaded {len(ds.nodes)} nodes and {len(ds.relationships)} relationships "
                  f"into {_settings(ctx).describe()} in {report.seconds:.2f} s: {done.added} "
                  f"added, {done.changed} changed, {done.removed} removed", report.counts,
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
    cypher: Annotated[str | None, typer.Argument(
        help="Cypher text; values as $parameters. Or --file.", show_default=False)] = None,
    file: Annotated[str | None, typer.Option(
        "--file", help="Read the query from this file ('-': standard input).")] = None,
    param: ParamOpt = None,
    write: Annotated[bool, typer.Option("--write", help="Allow the query to write.")] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Run Cypher on the graph (read-only unless --write); a query that does not parse says so."""
    _check_format(fmt)
    if (cypher is None) == (file is None):
        raise typer.BadParameter("give the query as an argument or with --file, not both",
                                 param_hint="CYPHER / --file")
    with reported():
        text = cypher if cypher is not None else _read_query(cast(str, file))
        if not text.strip():
            raise QueryError("the query is empty")
        params = _parse_params(param)
        with _store(ctx, read_only=not write) as store:
            result = store.query(text, params, write=write)
    _print(result.columns, result.rows, fmt)


def _read_query(name: str) -> str:
    """A query's text from a file, or from standard input for ``-``."""
    from rnkg.errors import QueryError

    if name == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise QueryError(f"cannot read {name}: {why}") from None
    if not text.strip():
        raise QueryError(f"{'standard input' if name == '-' else name} holds no query")
    return text


@app.command()
def stats(
    ctx: typer.Context,
    fmt: FormatOpt = "table",
    coverage: Annotated[bool, typer.Option(
        "--coverage", help="Sourcing, dates, scripts and seed claims found: facts/README.md "
        "\"Coverage\". JSON is one object.")] = False,
    index: Annotated[Path | None, typer.Option(
        "--index", exists=True, dir_okay=False,
        help="Seed claims index for --coverage (default: the shipped one).")] = None,
) -> None:
    """Count nodes per label and relationships per type in the store (or, with --coverage,
    how well they are sourced and how many seed claims they hold)."""
    _check_format(fmt)
    if coverage:
        _coverage(ctx, fmt, index)
        return
    with reported(), _store(ctx, read_only=True) as store:
        counts = store.counts()
    _print(["kind", "type", "count"], _count_rows(counts, zeros=True), fmt,
           title=_settings(ctx).describe())


def _coverage(ctx: typer.Context, fmt: str, index_path: Path | None) -> None:
    from rnkg.claims.index import load_index
    from rnkg.graph.coverage import coverage, coverage_rows
    from rnkg.output import json_text

    with reported():
        index = load_index(index_path)
        with _store(ctx, read_only=True) as store:
            data = coverage(store, index).to_dict()
    if fmt == "json":
        typer.echo(json_text(data))
    else:
        _print(["section", "measure", "value"], coverage_rows(data), fmt,
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
    entity: Annotated[str, typer.Argument(
        help="An id, name, alias or IMO number: 'Poutine', 'maia 1', 9358010.")],
    fmt: FormatOpt = "table",
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
) -> None:
    """Show a node with each of its relationships and their sources, and the claims it made.

    JSON prints one object: {"node", "relationships": [{"direction", "relationship", "other"}],
    "claims": [{"status", "date", "fact"}]}; CSV prints one row per relationship.
    """
    _check_format(fmt)
    from rnkg.output import json_text
    from rnkg.show import read_entity, show_rows

    with reported(), _store(ctx, read_only=True) as store:
        shown = read_entity(store, entity, as_of=as_of, known_by=known_by)
    if fmt == "table":
        typer.echo(str(shown))
    elif fmt == "json":
        typer.echo(json_text(shown.to_dict()))
    else:
        columns, rows = show_rows(shown.node, shown.links)
        _print(columns, rows, fmt)


@app.command()
def path(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(help="From: an id, name or alias.")],
    end: Annotated[str, typer.Argument(help="To: an id, name or alias.")],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=8,
                                          help="Longest path to look for.")] = 5,
    via: Annotated[list[str] | None, typer.Option(
        "--via", help="Only these relationship types (repeatable), e.g. --via OWNS.")] = None,
    all_paths: Annotated[bool, typer.Option(
        "--all", help="Every shortest path, not just one.")] = False,
    exclude_type: ExcludeTypeOpt = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", metavar="ENTITY", help="Go around this entity (repeatable).")] = None,
    status: StatusOpt = None,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="How many paths: the "
                                       "shortest, then near-shortest, by length then ids.")] = 1,
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
            avoid = [resolve_entity(store, e).id for e in exclude or ()]
            paths = shortest_paths(store, a.id, b.id, max_hops=max_hops, via=via or (),
                                   exclude_types=exclude_type or (), exclude=avoid,
                                   statuses=status or (), as_of=as_of, known_by=known_by,
                                   limit=limit, all_shortest=all_paths)
        if not paths:
            from rnkg.errors import NotFound

            raise NotFound(f"no path between {a.id} and {b.id} within {max_hops} hops"
                           + _filters_text(exclude_type, avoid, status, as_of, known_by))
    if fmt == "json":
        _print(["path", "length"], [[p, len(p.relationships)] for p in paths], fmt)
        return
    from rnkg.show import hop_rows

    columns, rows = hop_rows(paths)
    _print(columns, rows, fmt,
           title=f"{len(paths)} shortest path(s) of {len(paths[0].relationships)} hops "
                 f"from {a.id} to {b.id}"
                 + _filters_text(exclude_type, avoid, status, as_of, known_by))


def _filters_text(exclude_types: list[str] | None, exclude: list[str] | None,
                  statuses: list[str] | None, as_of: str | None, known_by: str | None) -> str:
    """The filters of a request, for a title or a message: " (as of 2023-01-01, ...)"."""
    parts = [f"as of {as_of}"] if as_of else []
    parts += [f"known by {known_by}"] if known_by else []
    parts += [f"without {', '.join(exclude_types)}"] if exclude_types else []
    parts += [f"avoiding {', '.join(exclude)}"] if exclude else []
    parts += [f"status {', '.join(statuses)}"] if statuses else []
    return f" ({'; '.join(parts)})" if parts else ""


@app.command()
def neighbors(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="An id, name, alias or IMO number.")],
    hops: Annotated[int, typer.Option("--hops", min=1, max=6, help="How far to go.")] = 1,
    types: Annotated[list[str] | None, typer.Option(
        "--types", metavar="TYPE", help="Only these relationship types (repeatable).")] = None,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """The entities within N hops of one, with how far each is and how it was reached.

    One row per node: hops, id, label, name; sorted by hops then id.
    """
    _check_format(fmt)
    from rnkg.graph.lookup import neighbourhood_graph, resolve_entity

    with reported(), _store(ctx, read_only=True) as store:
        node = resolve_entity(store, entity)
        g = neighbourhood_graph(store, node.id, hops=hops, types=types or (), as_of=as_of,
                                known_by=known_by)
    rows = neighbour_rows(g, node.id)
    _print(["hops", "id", "label", "name", "via"], rows, fmt,
           title=f"{len(rows) - 1} entities within {hops} hop(s) of {node.id}"
                 + _filters_text(None, None, None, as_of, known_by))


def neighbour_rows(g: Any, centre: str) -> list[list[Any]]:
    """[hops, id, label, name, via] per node of a neighbourhood graph, nearest first."""
    import networkx as nx

    dist = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), centre)
    rows = []
    for n, d in sorted(dist.items(), key=lambda kv: (kv[1], kv[0])):
        a = g.nodes[n]
        via = sorted({e["type"] for _, _, e in g.in_edges(n, data=True)}
                     | {e["type"] for _, _, e in g.out_edges(n, data=True)}) if d else []
        rows.append([d, n, a.get("label", ""), a.get("name", ""), ", ".join(via)])
    return rows


@app.command()
def analyze(
    ctx: typer.Context,
    measure: Annotated[str, typer.Argument(
        help="centrality, communities, bridges, or ego (with an ENTITY).")],
    entity: Annotated[str | None, typer.Argument(help="For ego: an id, name or alias.")] = None,
    exclude_type: ExcludeTypeOpt = None,
    status: StatusOpt = None,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    top: Annotated[int | None, typer.Option(
        "--top", min=1, help="Only the first N rows (centrality) or communities.")] = None,
    radius: Annotated[int, typer.Option("--radius", min=1, max=6,
                                        help="Hops around the ENTITY (ego).")] = 1,
    fmt: FormatOpt = "table",
) -> None:
    """Network analytics through networkx on the whole graph or a filtered one.

    The graph is read as undirected and simple; rows come in a fixed order.
    """
    _check_format(fmt)
    from rnkg.graph.analytics import MEASURES
    from rnkg.graph.analytics import analyze as run_measure
    from rnkg.graph.lookup import resolve_entity
    from rnkg.graph.nx import to_networkx

    if measure not in MEASURES:
        raise typer.BadParameter(f"{measure!r} is not one of {', '.join(MEASURES)}",
                                 param_hint="MEASURE")
    if measure == "ego" and not entity:
        raise typer.BadParameter("ego needs an ENTITY", param_hint="ENTITY")
    with reported():
        with _store(ctx, read_only=True) as store:
            centre = resolve_entity(store, entity).id if entity else None
            g = to_networkx(store, as_of=as_of, known_by=known_by,
                            exclude_types=exclude_type or (), statuses=status or ())
        columns, rows = run_measure(g, measure, centre, top=top, radius=radius)
    _print(columns, rows, fmt,
           title=f"{measure} over {g.number_of_nodes()} nodes and {g.number_of_edges()} "
                 "relationships" + _filters_text(exclude_type, None, status, as_of, known_by))


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
SourcesOpt = Annotated[bool | None, typer.Option(
    "--sources/--no-sources", show_default=False,
    help="Draw Source nodes too (html: off by default, their citations show on every node and "
         "edge anyway; other formats: on).",
)]
EXPORTS = {
    "html": "Write an interactive, offline HTML view (one file; see README \"Views\").",
    "graphml": "Write GraphML (Gephi, yEd, networkx); list values joined with \"; \".",
    "gexf": "Write GEXF 1.2 for Gephi (label = name, node_type, rel_type); lists joined.",
    "json": "Write networkx node-link JSON (lists kept as lists).",
    "csv": "Write OUT.nodes.csv and OUT.edges.csv (lists joined with \"; \").",
}


def _write_ftm(view: Any, out: Path) -> str:
    """Write a selection as FollowTheMoney entities; the line saying what was written."""
    from rnkg.graph.export.ftm import write_ftm
    from rnkg.schema import load_schema

    report = write_ftm(view.graph, out, load_schema())
    return f"wrote {out}: {report.summary()}"


def _export_command(fmt: str, doc: str,
                    write: Callable[[Any, Path], str] | None = None,
                    needs: Callable[[], None] | None = None) -> None:
    """Register ``rnkg export FMT``: every format takes the same selection options.

    ``write`` replaces the networkx exporters (FtM); ``needs`` checks an optional dependency
    before the store is opened."""

    def command(
        ctx: typer.Context,
        out: Annotated[Path, typer.Argument(help="The file to write.")],
        focus: FocusOpt = None,
        depth: DepthOpt = 2,
        query: Annotated[str | None, typer.Option(
            "--query", metavar="NAME", help="Draw a saved query's result.")] = None,
        param: Annotated[list[str] | None, typer.Option(
            "--param", "-p", help="NAME=VALUE for --query (its declared type) or --cypher "
                                  "(JSON when it parses). Repeatable.")] = None,
        cypher: Annotated[str | None, typer.Option(
            "--cypher", help="Draw the nodes, relationships and paths of read-only Cypher.")]
        = None,
        as_of: AsOfOpt = None,
        known_by: KnownByOpt = None,
        exclude_type: ExcludeTypeOpt = None,
        status: StatusOpt = None,
        sources: SourcesOpt = None,
        title: Annotated[str | None, typer.Option("--title", help="The view's title.")] = None,
        queries: QueriesDirOpt = None,
    ) -> None:
        from rnkg.graph.export.formats import write_view
        from rnkg.graph.selection import Selection, select

        source = ctx.get_parameter_source("depth")
        if not focus and source is not None and source.name != "DEFAULT":
            raise typer.BadParameter("needs --focus (the whole graph has no depth)",
                                     param_hint="--depth")
        with reported():
            if needs is not None:
                needs()
            sel = Selection(
                focus=focus, depth=depth, query=query, cypher=cypher,
                params=_raw_params(param) if query else {},
                cypher_params=_parse_params(param) if cypher else {},
                as_of=as_of, known_by=known_by, statuses=tuple(status or ()),
                exclude_types=tuple(exclude_type or ()),
                sources=sources if sources is not None else fmt != "html", title=title,
                query_dirs=tuple(_query_dirs(queries)))
            try:
                sel.check()
            except ValueError as exc:
                raise typer.BadParameter(str(exc)) from None
            with _store(ctx, read_only=True) as store:
                view = select(store, sel)
            if write is not None:
                typer.echo(write(view, out))
                return
            written = write_view(fmt, view, out)
        g = view.graph
        typer.echo(f"wrote {', '.join(map(str, written))} ({g.number_of_nodes()} nodes, "
                   f"{g.number_of_edges()} edges)")

    command.__doc__ = doc
    command.__name__ = f"export_{fmt}"
    export_app.command(fmt)(command)


for _fmt, _doc in EXPORTS.items():
    _export_command(_fmt, _doc)


def _needs_ftm() -> None:
    from rnkg.schema.ftm import require_followthemoney

    require_followthemoney()


_export_command("ftm", "Write the graph as FollowTheMoney entities, one JSON object per line "
                "(needs the ftm extra: pip install 'rnkg\\[ftm]').",
                write=_write_ftm, needs=_needs_ftm)


@export_app.command("neo4j-import")
def export_neo4j_import(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(
        help="The folder to write (new, empty, or an earlier neo4j-import export).")],
    facts: FactsOpt = None,
) -> None:
    """Write a facts folder as `neo4j-admin database import full` files (the same labels,
    properties and values as `rnkg load` on Neo4j) and print the command that imports them."""
    from rnkg.graph.export.neo4j_import import AFTER_FILE, DEFAULT_DATABASE, write_import
    from rnkg.loaders.pipeline import build_dataset, default_facts_dir

    with reported():
        ds = build_dataset(facts or default_facts_dir())
        files = write_import(ds, out, _settings(ctx).neo4j_database or DEFAULT_DATABASE)
    typer.echo(f"wrote {files.folder}: {files.summary()}")
    typer.echo(f"Stop the Neo4j server first (the import replaces database {files.database!r} "
               "whole; the server refuses it while running), then run:")
    typer.echo(f"  {files.command()}")
    typer.echo(f"(for the server scripts/neo4j runs: scripts/neo4j import {files.folder})")
    typer.echo(f"Then start the server and run {files.folder / AFTER_FILE} once (cypher-shell "
               "-f FILE): it declares the constraints and indexes and restores the empty lists "
               "the import cannot carry.")


@import_app.command("ftm")
def import_ftm(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="An FtM entity stream, one JSON object per line "
                                        "('-': standard input).")],
    match: Annotated[Path | None, typer.Option(
        "--match", help="YAML/JSON map of FtM id: rnkg id (either side first) for entities "
        "that are nodes the store holds.", exists=True, dir_okay=False)] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print what would merge and what would be new; write nothing.")]
    = False,
) -> None:
    """Import a FollowTheMoney entity stream (needs the ftm extra: pip install 'rnkg\\[ftm]')."""
    from rnkg.schema.ftm import require_followthemoney

    with reported():
        require_followthemoney()
        from rnkg.loaders.ftm_run import run_import

        with _store(ctx, read_only=dry_run) as store:
            lines, report = run_import(store, file, match, dry_run)
    for line in lines:
        typer.echo(line)
    if report is not None:
        typer.echo(f"imported into {_settings(ctx).describe()} in {report.seconds:.2f} s "
                   "(counts: rnkg stats)")


def _on_sigint(signum: int, frame: Any) -> None:
    interrupt()


def _unraisable(unraisable: Any) -> None:
    """Keep quiet about a Ctrl-C that native code caught and could only print: it stays
    pending, and the next statement or commit raises it (``rnkg.errors.check_interrupted``)."""
    if isinstance(unraisable.exc_value, Interrupted):
        return
    sys.__unraisablehook__(unraisable)


def main() -> None:
    """Console-script entry point: Ctrl-C prints `rnkg: interrupted` and exits 1."""
    signal.signal(signal.SIGINT, _on_sigint)
    sys.unraisablehook = _unraisable
    try:
        app()
    except (Interrupted, KeyboardInterrupt):
        _err("interrupted")
        sys.exit(1)


if __name__ == "__main__":
    main()
