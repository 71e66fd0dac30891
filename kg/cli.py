"""The ``kg`` command line: build a graph from articles, query it, draw it, check it.

Exit codes: 0 success; 1 the work could not be done (nothing built, a query or graph file that
fails, a graph that does not conform); 2 the command line itself is wrong. User errors are
reported as one message on stderr, never as a traceback.
"""

from __future__ import annotations

import datetime
import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rdflib import Graph

    from kg import BuildReport
    from kg.query import QueryResult
    from kg.records import ArticleExtraction
    from kg.serve import SparqlServer
    from kg.store import UpdateReport

__all__ = ["app"]

def _without_flag_types(params: list[Any]) -> list[Any]:
    # typer shows a "<bool>" type next to every on/off flag; a flag takes no value, so none.
    for param in params:
        if getattr(param, "is_flag", False) and getattr(param, "metavar", "") is None:
            param.metavar = ""
    return params


class _Command(TyperCommand):
    """A command whose help shows no ``<bool>`` type for on/off flags."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _without_flag_types(super().get_params(ctx))


class _Group(TyperGroup):
    """The ``kg`` group, with the same flag-aware help."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _without_flag_types(super().get_params(ctx))


app = typer.Typer(
    name="kg",
    cls=_Group,
    help="Build one merged RDF knowledge graph from entertainment-news articles, then query, "
    "draw and validate it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help: readable at 80 columns (rich panels squeeze the text)
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


ModelOption = Annotated[
    Optional[str],
    typer.Option("--model", metavar="NAME", help="spaCy model to start the pipeline from."),
]
ConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--config", metavar="FILE", exists=True, dir_okay=False, readable=True,
        help="Pipeline config file instead of the shipped default.cfg.",
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress and no summary; problems only.")
]
GraphSource = Annotated[
    Path,
    typer.Argument(
        metavar="GRAPH", exists=True, readable=True,
        help="A kg store folder (kg build --store, kg add) or a graph file (.ttl, .trig, .nt, "
        ".jsonld, ...).",
    ),
]


class GraphFormat(str, enum.Enum):
    """An RDF format ``kg build`` can write besides Turtle."""

    turtle = "turtle"
    trig = "trig"
    nt = "nt"
    json_ld = "json-ld"


def _stdout() -> Console:
    # Made per call so that a replaced sys.stdout (tests, redirection) is honoured.
    return Console(highlight=False)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _fail(message: str, code: int = 1) -> NoReturn:
    _stderr().print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)
    raise typer.Exit(code)


def _usage_error(message: str, command: str) -> NoReturn:
    _fail(f"{message} (see 'kg {command} --help')", code=2)


def _version_callback(value: bool) -> None:
    if value:
        import kg

        typer.echo(f"kg {kg.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True,
            help="Show kg's version and exit.",
        ),
    ] = False,
) -> None:
    """Build one merged RDF knowledge graph from entertainment-news articles, then query,
    draw and validate it."""


# --- build ---------------------------------------------------------------------------------


WorkersOption = Annotated[
    int,
    typer.Option(
        "--workers", "-j", metavar="N", min=1,
        help="Extract in N processes (use the machine's cores); the graph is the same.",
    ),
]


@app.command("build", cls=_Command)
def build_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT",
            help="Article files (.txt, .jsonl), folders searched recursively, or glob patterns.",
            show_default=False,
        ),
    ],
    outdir: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="OUTDIR", file_okay=False,
            help="Folder to write graph.ttl (and graph.html, extra formats) into.",
            show_default=False,
        ),
    ],
    formats: Annotated[
        Optional[list[GraphFormat]],
        typer.Option(
            "--format", metavar="FORMAT", case_sensitive=False, show_default=False,
            help="Also write the graph as turtle, trig, nt or json-ld (repeatable).",
        ),
    ] = None,
    model: ModelOption = None,
    config: ConfigOption = None,
    html: Annotated[
        bool, typer.Option("--html/--no-html", help="Write the network page graph.html.")
    ] = True,
    page_entities: Annotated[
        int,
        typer.Option(
            "--page-entities", metavar="N", min=0,
            help="Draw at most N entities in graph.html, the most connected (0: all).",
        ),
    ] = 2000,
    validate: Annotated[
        bool,
        typer.Option("--validate/--no-validate", help="Check the graph against the SHACL shapes."),
    ] = True,
    quiet: QuietOption = False,
    workers: WorkersOption = 1,
    scheduler: Annotated[
        Optional[str],
        typer.Option(
            "--scheduler", metavar="tcp://HOST:PORT", show_default=False,
            help="Extract on this Dask cluster instead (pip install 'kg[dask]').",
        ),
    ] = None,
    store: Annotated[
        Optional[Path],
        typer.Option(
            "--store", metavar="DIR", file_okay=False, show_default=False,
            help="Also write a persistent store (Oxigraph) that kg add/remove/query/serve use.",
        ),
    ] = None,
) -> None:
    """Build the knowledge graph of INPUT... into OUTDIR.

    Inputs that cannot be read, and articles whose extraction fails, are named on stderr and
    skipped. Exits 0 when at least one article was built, 1 when none could be.
    """
    from kg import BuildError, build

    if scheduler is not None and workers != 1:
        _usage_error("give --workers or --scheduler, not both", "build")
    from kg.store import StoreError

    err = _stderr()
    try:
        report = build(
            inputs,
            outdir,
            formats=[fmt.value for fmt in formats or ()],
            model=model,
            config_path=config,
            html=html,
            validate=validate,
            progress=not quiet,
            workers=workers,
            scheduler=scheduler,
            on_graph=None if store is None else _store_writer(store),
            page_entities=page_entities or None,
        )
    except BuildError as error:
        _print_skipped(error.skipped)
        _fail(str(error))
    except StoreError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"cannot write to {str(outdir)!r}: {error.strerror or error}")

    _print_skipped(report.articles_skipped)
    if report.shacl_conforms is False:
        graph_file = outdir / "graph.ttl"
        err.print(
            Text.assemble(
                ("warning: ", "bold yellow"),
                "the graph does not conform to kg's SHACL shapes; "
                f"run 'kg validate {graph_file}' for the report",
            ),
            soft_wrap=True,
        )
    if not quiet:
        _stdout().print(_summary_table(report))
        if store is not None:
            _stdout().print(Text(f"wrote {store}"), soft_wrap=True)


def _store_writer(folder: Path) -> Callable[[Sequence[ArticleExtraction], Graph], None]:
    """The ``on_graph`` hook of ``kg build --store``: the build's extractions and graph become
    the store's whole content. An existing store is updated in place, crash-safely: until the
    new content is committed it keeps its previous content."""

    def write(extractions: Sequence[ArticleExtraction], graph: Graph) -> None:
        from kg.store import KgStore, is_store

        opened = KgStore.open(folder, repair=False) if is_store(folder) else KgStore.create(folder)
        with opened as kg_store:
            kg_store.replace_all(extractions, graph)

    return write


def _print_skipped(skipped: list[tuple[str, str]]) -> None:
    err = _stderr()
    for source, reason in skipped:
        err.print(Text.assemble(("skipped ", "yellow"), source, ": ", reason), soft_wrap=True)


def _summary_table(report: BuildReport) -> Table:
    table = Table(title="kg build", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value", overflow="fold")
    table.add_row("Articles read", str(report.articles_read))
    table.add_row("Articles skipped", str(len(report.articles_skipped)))
    table.add_section()
    for cls, count in report.entities_per_class.items():
        table.add_row(f"Entities: {cls}", str(count))
    if not report.entities_per_class:
        table.add_row("Entities", "0")
    table.add_section()
    for predicate, count in report.relations_per_predicate.items():
        table.add_row(f"Relations: {predicate}", str(count))
    if not report.relations_per_predicate:
        table.add_row("Relations", "0")
    table.add_section()
    table.add_row("Facts", str(report.facts))
    table.add_row("Contradictions", _contradictions_cell(report))
    shacl = {None: "not checked", True: "conforms", False: "does not conform"}
    table.add_row("SHACL", shacl[report.shacl_conforms])
    table.add_row("Seconds", f"{report.seconds:.2f}")
    table.add_row("Outputs", "\n".join(str(path) for path in report.outputs))
    return table


def _contradictions_cell(report: BuildReport, shown: int = 10) -> Text:
    """The number of contradictions, then the first ``shown`` of them, one per line (plain
    text: a name with brackets is not rich markup)."""
    found = report.contradictions
    lines = [str(len(found))] + [c.summary() for c in found[:shown]]
    if len(found) > shown:
        graph = next((path for path in report.outputs if path.suffix == ".ttl"), "GRAPH")
        lines.append(f"… {len(found) - shown} more: kg query {graph} --name contradictions")
    return Text("\n".join(lines))


# --- query ---------------------------------------------------------------------------------


AllowServiceOption = Annotated[
    Optional[list[str]],
    typer.Option("--allow-service", metavar="URL_PREFIX", show_default=False,
                 help="Run SERVICE clauses whose endpoint starts with this URL (repeatable); "
                      "refused by default."),
]


class QueryEngine(str, enum.Enum):
    """The SPARQL engine ``kg query`` runs on."""

    oxigraph = "oxigraph"
    rdflib = "rdflib"


@app.command("query", cls=_Command)
def query_command(
    graph_file: GraphSource,
    sparql: Annotated[
        Optional[str],
        typer.Argument(metavar="SPARQL", help="SPARQL text; the usual prefixes are predeclared."),
    ] = None,
    query_file: Annotated[
        Optional[Path],
        typer.Option(
            "--file", "-f", metavar="FILE.rq", exists=True, dir_okay=False, readable=True,
            help="Read the SPARQL from this file.",
        ),
    ] = None,
    name: Annotated[
        Optional[str],
        typer.Option("--name", "-n", metavar="NAME", help="Run a shipped query (see kg queries)."),
    ] = None,
    params: Annotated[
        Optional[list[str]],
        typer.Option(
            "--param", "-p", metavar="KEY=VALUE",
            help="Bind the variable KEY to the text VALUE (repeatable).",
            show_default=False,
        ),
    ] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print SPARQL 1.1 CSV.")] = False,
    json: Annotated[bool, typer.Option("--json", help="Print SPARQL 1.1 results JSON.")] = False,
    timeout: Annotated[
        Optional[float],
        typer.Option("--timeout", metavar="SECONDS", min=0.001, show_default=False,
                     help="Give up (exit 1) when the query runs longer than this."),
    ] = None,
    engine: Annotated[
        QueryEngine,
        typer.Option("--engine", case_sensitive=False,
                     help="oxigraph (fast; stores and files) or rdflib (files only)."),
    ] = QueryEngine.oxigraph,
    allow_service: AllowServiceOption = None,
) -> None:
    """Run a SPARQL query over GRAPH (a kg store or a graph file): inline SPARQL, a file (-f)
    or a shipped query (--name).

    Results print as a table, or as CSV or JSON.
    """
    sources = [flag for flag, given in (("SPARQL", sparql), ("--file", query_file),
                                        ("--name", name)) if given is not None]
    if len(sources) != 1:
        problem = "give one of" if not sources else "give only one of"
        _usage_error(f"{problem} SPARQL, --file or --name", "query")
    if csv and json:
        _usage_error("choose one of --csv and --json", "query")
    bindings = _parse_params(params or [])

    from kg.query import QueryError, load_graph, run_named, run_query, to_csv, to_json
    from kg.query.errors import read_only_message
    from kg.query.hints import empty_result_hints
    from kg.query.rewrite import UPDATE_KEYWORDS, operation_keyword
    from kg.store import StoreError, open_graph

    text = sparql
    if query_file is not None:
        try:
            text = query_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise typer.BadParameter(f"cannot read {str(query_file)!r}: {error}",
                                     param_hint="--file") from error
    if text is not None and (keyword := operation_keyword(text)) in UPDATE_KEYWORDS:
        _fail(read_only_message(keyword))
    if engine is QueryEngine.rdflib and graph_file.is_dir():
        _usage_error("--engine rdflib reads graph files; query a store with oxigraph", "query")
    try:
        graph = load_graph(graph_file) if engine is QueryEngine.rdflib else open_graph(graph_file)
        if name is not None:
            result = run_named(graph, name, bindings, timeout=timeout)
        else:
            assert text is not None
            result = run_query(graph, text, bindings, timeout=timeout,
                               allow_service=tuple(allow_service or ()))
        hints = empty_result_hints(graph, bindings) if not result.rows and bindings else []
    except (QueryError, StoreError) as error:
        _fail(str(error))

    for hint in hints:
        _warn(hint)
    if csv:
        sys.stdout.write(to_csv(result))
    elif json:
        sys.stdout.write(to_json(result) + "\n")
    elif result.kind in ("CONSTRUCT", "DESCRIBE") and result.graph is not None:
        sys.stdout.write(result.graph)
    else:
        _print_result(result)


def _print_result(result: QueryResult) -> None:
    """A table when it fits the terminal, else one row at a time: IRIs are never cut."""
    from kg.query.formatting import table_min_width, to_records, to_table

    out = _stdout()
    table = to_table(result)
    if table_min_width(table) <= out.width:
        out.print(table)
    else:
        out.print(to_records(result), soft_wrap=True)


def _warn(message: str) -> None:
    _stderr().print(Text.assemble(("warning: ", "bold yellow"), message), soft_wrap=True)


def _parse_params(items: list[str]) -> dict[str, str]:
    bindings: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().lstrip("?$")
        if not sep or not key:
            raise typer.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--param")
        if key in bindings:
            raise typer.BadParameter(f"{key!r} given more than once", param_hint="--param")
        bindings[key] = value
    return bindings


@app.command("queries", cls=_Command)
def queries_command(
    name: Annotated[
        Optional[str],
        typer.Argument(metavar="NAME", help="Show this query in full: parameters, description, SPARQL.",
                       show_default=False),
    ] = None,
) -> None:
    """List the shipped queries (for kg query --name), one line each; kg queries NAME shows
    one in full."""
    from kg.query import named_queries

    queries = named_queries()
    if name is None:
        table = Table(header_style="bold", box=None, pad_edge=False)
        table.add_column("name", no_wrap=True)
        table.add_column("parameters", no_wrap=True)
        table.add_column("what it lists")
        for query in queries.values():
            params = " ".join(p.name if p.required else f"[{p.name}]" for p in query.params)
            table.add_row(Text(query.name), Text(params), Text(_summary(query.description)
                                                               or query.title))
        _stdout().print(table)
        _stdout().print(Text("[param]: optional.  kg queries NAME: the details.  "
                             "Run one: kg query GRAPH --name NAME --param KEY=VALUE"), soft_wrap=True)
        return
    query = queries.get(name)
    if query is None:
        import difflib

        close = difflib.get_close_matches(name, queries, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        _usage_error(f"no shipped query {name!r}{hint} (known: {', '.join(queries)})", "queries")
    out = _stdout()
    out.print(Text.assemble((query.name, "bold"), f": {query.title}"), soft_wrap=False)
    if query.description:
        out.print(Text(query.description))
    out.print(Text("parameters:", style="bold"))
    for param in query.params or ():
        need = "required" if param.required else "optional"
        out.print(Text(f"  {param.name} ({need}): {param.description}"))
    if not query.params:
        out.print(Text("  none"))
    example = " ".join(f'--param {p.name}="…"' for p in query.params if p.required)
    out.print(Text.assemble(("run: ", "bold"), f"kg query GRAPH --name {query.name} {example}".rstrip()))
    out.print(Text("SPARQL:", style="bold"))
    out.print(Text(query.text.rstrip()), soft_wrap=True)


def _summary(description: str, width: int = 56) -> str:
    """The start of a description, to its first clause, at most ``width`` characters."""
    cut = min((index for mark in (": ", " (", ". ", "; ")
               if (index := description.find(mark)) > 0), default=len(description))
    text = description[:cut].rstrip(".")
    if len(text) > width:
        text = text[:width].rsplit(" ", 1)[0] + " …"
    return text


# --- store: add, remove, serve, push ---------------------------------------------------------


StoreDir = Annotated[
    Path,
    typer.Argument(metavar="DIR", file_okay=False, help="The store folder.", show_default=False),
]


@app.command("add", cls=_Command)
def add_command(
    store_dir: StoreDir,
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="ARTICLE",
            help="Article files (.txt, .jsonl), folders searched recursively, or glob patterns.",
            show_default=False,
        ),
    ],
    model: ModelOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    workers: WorkersOption = 1,
) -> None:
    """Add articles to the store DIR (created if missing): new articles are read, changed ones
    replace their old version, unchanged ones (same content) are left alone.

    Entities are resolved again over the whole store, so the graph is the one kg build would
    make of all the articles together. Exits 1 when no article could be read.
    """
    from kg.ingest import read_articles
    from kg.records import InputProblem
    from kg.store import KgStore, StoreError, is_store

    articles = []
    problems: list[tuple[str, str]] = []
    for item in read_articles(inputs):
        if isinstance(item, InputProblem):
            problems.append((item.source, item.reason))
        else:
            articles.append(item)
    _print_skipped(problems)
    if not articles:
        _fail(f"no article could be read from {', '.join(inputs)}")

    from kg.extract.parallel import PipelineSpec

    try:
        opened = KgStore.open(store_dir) if is_store(store_dir) else KgStore.create(store_dir)
        with opened as kg_store:
            report = kg_store.add_articles(articles, spec=PipelineSpec.of(model, config),
                                           workers=workers)
    except (StoreError, OSError, ValueError) as error:
        _fail(str(error))
    _print_skipped(list(report.skipped))
    if not quiet:
        _stdout().print(_update_table("kg add", store_dir, report))
    if not (report.added or report.replaced or report.unchanged):
        raise typer.Exit(1)


@app.command("remove", cls=_Command)
def remove_command(
    store_dir: StoreDir,
    article_ids: Annotated[
        list[str],
        typer.Argument(metavar="ARTICLE_ID",
                       help="Ids of the articles to retract (file stems), or their files.",
                       show_default=False),
    ],
) -> None:
    """Retract articles from the store DIR: what only they said disappears, facts that other
    articles also report keep that support. Exits 1 when none of the ids is in the store."""
    from kg.store import KgStore, StoreError

    try:
        with KgStore.open(store_dir) as kg_store:
            stored = kg_store.article_ids()
            report = kg_store.remove(_article_ids(article_ids, set(stored)))
    except (StoreError, OSError, ValueError) as error:
        _fail(str(error))
    for article_id in report.missing:
        _stderr().print(Text.assemble(("not in the store: ", "yellow"), article_id,
                                      _id_hint(article_id, stored)), soft_wrap=True)
    _stdout().print(_update_table("kg remove", store_dir, report))
    if not report.removed:
        raise typer.Exit(1)


def _article_ids(given: list[str], stored: set[str]) -> list[str]:
    """The ids ``kg remove`` is given, a path to an article file standing for its id (the file
    stem; every article of a .jsonl file)."""
    ids: list[str] = []
    for item in given:
        path = Path(item)
        if item in stored or (path.suffix.lower() not in (".txt", ".jsonl", ".json")
                              and len(path.parts) < 2):
            ids.append(item)
        elif path.suffix.lower() in (".jsonl", ".json") and path.is_file():
            from kg.ingest import read_articles
            from kg.records import InputProblem

            ids.extend(a.id for a in read_articles([item]) if not isinstance(a, InputProblem))
        else:
            ids.append(path.stem)
    return list(dict.fromkeys(ids))


def _id_hint(article_id: str, stored: list[str]) -> str:
    """What to give ``kg remove`` instead of an id the store does not hold."""
    import difflib

    close = difflib.get_close_matches(article_id, stored, n=3, cutoff=0.5)
    if close:
        return f" (did you mean {' or '.join(close)}?)"
    shown = ", ".join(stored[:5]) + (f", … ({len(stored) - 5} more)" if len(stored) > 5 else "")
    return f"; an article's id is its file stem; the store holds {shown or 'no article'}"


@app.command("export", cls=_Command)
def export_command(
    store_dir: StoreDir,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FILE", dir_okay=False, show_default=False,
                     help="The file to write; its suffix picks the format (.ttl, .nt, .trig, .jsonld)."),
    ],
    fast: Annotated[
        bool,
        typer.Option("--fast", help="Let Oxigraph write the file: much faster on a big store, in "
                                    "Oxigraph's triple order instead of kg's."),
    ] = False,
) -> None:
    """Write the graph of the store DIR to a file, atomically. Without --fast the file is byte for
    byte the graph.ttl that kg build writes for the same articles."""
    from kg.store import KgStore, StoreError

    try:
        with KgStore.open(store_dir, read_only=True) as kg_store:
            written = kg_store.export(output, fast=fast)
    except (StoreError, OSError, ValueError) as error:
        _fail(str(error))
    _stdout().print(Text(f"wrote {written}"), soft_wrap=True)


def _update_table(title: str, store_dir: Path, report: UpdateReport) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value", overflow="fold")
    for label, field in (("Added", "added"), ("Replaced", "replaced"), ("Unchanged", "unchanged"),
                         ("Removed", "removed")):
        ids = getattr(report, field)
        if ids:
            shown = ", ".join(ids[:8]) + (f", … ({len(ids) - 8} more)" if len(ids) > 8 else "")
            table.add_row(label, f"{len(ids)}: {shown}")
    table.add_section()
    table.add_row("Articles in store", str(report.articles))
    table.add_row("Triples", str(report.triples))
    table.add_row("Graph rewritten", "yes" if report.rebuilt else "no (nothing changed)")
    table.add_row("Seconds", f"{report.seconds:.2f}")
    table.add_row("Store", str(store_dir))
    return table


@app.command("serve", cls=_Command)
def serve_command(
    graph_source: GraphSource,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="SECONDS", min=0.001, help="Time limit per query.")
    ] = 30.0,
    limit: Annotated[
        int, typer.Option("--limit", metavar="ROWS", min=1, help="Most rows (or triples) per answer.")
    ] = 10_000,
    workers: Annotated[
        int, typer.Option("--workers", metavar="N", min=1, help="Queries answered at once.")
    ] = 2,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not log each request.")] = False,
    memory_limit: Annotated[
        int, typer.Option("--memory-limit", metavar="MIB", min=64,
                          help="Memory per query worker, in MiB; past it the query gets 503.")
    ] = 1024,
    read_timeout: Annotated[
        float, typer.Option("--read-timeout", metavar="SECONDS", min=0.1,
                            help="Close a connection silent for this long.")
    ] = 20.0,
    max_connections: Annotated[
        int, typer.Option("--max-connections", metavar="N", min=1,
                          help="Open connections at once; more are answered 503.")
    ] = 64,
    cors: Annotated[
        Optional[list[str]],
        typer.Option("--cors", metavar="ORIGIN", show_default=False,
                     help="Send CORS headers to this origin ('*': any); none by default (repeatable)."),
    ] = None,
    allow_service: AllowServiceOption = None,
) -> None:
    """Serve GRAPH (a store folder or a graph file) as a read-only SPARQL 1.1 endpoint at
    /sparql, with a query page at /. Stop with Ctrl-C."""
    from kg.serve import ServerConfig, serve
    from kg.store import StoreError

    config = ServerConfig(timeout=timeout, limit=limit, workers=workers, quiet=quiet,
                          memory_limit=memory_limit << 20, read_timeout=read_timeout,
                          max_connections=max_connections, cors=tuple(cors or ()),
                          allow_service=tuple(allow_service or ()))

    def ready(server: SparqlServer) -> None:
        _stderr().print(
            Text(f"serving {graph_source} at {server.url} (SPARQL endpoint: {server.url}sparql); "
                 "Ctrl-C stops"),
            soft_wrap=True,
        )

    try:
        serve(graph_source, host, port, config, on_ready=ready)
    except StoreError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"cannot listen on {host}:{port}: {error.strerror or error}")


@app.command("push", cls=_Command)
def push_command(
    graph_source: GraphSource,
    endpoint: Annotated[
        str,
        typer.Option("--endpoint", metavar="URL", show_default=False,
                     help="SPARQL 1.1 Graph Store endpoint, e.g. http://localhost:7878/store."),
    ],
    graph: Annotated[
        Optional[str],
        typer.Option("--graph", metavar="IRI", show_default=False,
                     help="Named graph to write (default: the endpoint's default graph)."),
    ] = None,
    merge: Annotated[
        bool, typer.Option("--merge", help="Add to the graph (POST) instead of replacing it (PUT).")
    ] = False,
    headers: Annotated[
        Optional[list[str]],
        typer.Option("--header", "-H", metavar="'NAME: VALUE'", show_default=False,
                     help="Extra HTTP header, e.g. 'Authorization: Bearer …' (repeatable)."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="SECONDS", min=0.001,
                            help="Deadline for the whole push (connect, send, answer).")
    ] = 300.0,
) -> None:
    """Send GRAPH (a store folder or a graph file) to a SPARQL 1.1 Graph Store endpoint."""
    from kg.push import PushError, push

    extra: dict[str, str] = {}
    for header in headers or []:
        key, sep, value = header.partition(":")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected 'NAME: VALUE', got {header!r}", param_hint="--header")
        extra[key.strip()] = value.strip()
    try:
        report = push(graph_source, endpoint, graph=graph, replace=not merge, headers=extra,
                      timeout=timeout)
    except PushError as error:
        _fail(str(error))
    _stdout().print(
        Text(f"{report.method} {report.triples} triples ({report.bytes} bytes) to {report.url}: "
             f"{report.status} in {report.seconds:.2f} s"),
        soft_wrap=True,
    )


# --- viz, validate -------------------------------------------------------------------------


@app.command("viz", cls=_Command)
def viz_command(
    graph_file: GraphSource,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="PAGE.html", dir_okay=False,
            help="Where to write the page.", show_default=False,
        ),
    ],
    focus: Annotated[
        Optional[str],
        typer.Option("--focus", metavar="NAME",
                     help="Show only the entities near this one (name, alias or IRI)."),
    ] = None,
    depth: Annotated[
        int,
        typer.Option("--depth", metavar="N", min=0, help="Hops around --focus to show."),
    ] = 1,
    classes: Annotated[
        Optional[list[str]],
        typer.Option("--classes", metavar="CLASS,...", show_default=False,
                     help="Show only entities of these classes (Person, Show, ...; repeatable)."),
    ] = None,
    relations: Annotated[
        Optional[list[str]],
        typer.Option("--relations", metavar="PREDICATE,...", show_default=False,
                     help="Show only these relations (child, plays, ...) and the entities they link."),
    ] = None,
    since: Annotated[
        Optional[datetime.datetime],
        typer.Option("--since", metavar="DATE", formats=["%Y-%m-%d"], show_default=False,
                     help="Use only evidence from articles dated on or after DATE (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """Render GRAPH as an interactive network page that works offline: search, filters,
    neighbourhoods, and the evidence behind every entity and relation."""
    from kg.viz.html import write_html
    from kg.viz.network import View, ViewError, parse_classes, parse_relations

    if focus is None and depth != 1:
        _usage_error("--depth needs --focus", "viz")
    try:
        view = View(
            focus=focus,
            depth=depth,
            classes=None if classes is None else parse_classes(_split_list(classes)),
            relations=None if relations is None else parse_relations(_split_list(relations)),
            since=None if since is None else since.date(),
        )
    except ViewError as error:
        _usage_error(str(error), "viz")
    graph = _rdflib_graph(graph_file)
    warnings: list[str] = []
    try:
        written = write_html(graph, output, view=view, warnings=warnings)
    except ViewError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"cannot write {str(output)!r}: {error.strerror or error}")
    for warning in warnings:
        _warn(warning)
    _stdout().print(Text(f"wrote {written}"), soft_wrap=True)


def _rdflib_graph(source: Path) -> Graph:
    """The rdflib graph of a graph file or a kg store folder (its whole graph, read-only)."""
    from kg.query import QueryError, load_graph
    from kg.query.engine import NAMESPACES
    from kg.store import StoreError, open_graph

    try:
        if not source.is_dir():
            return load_graph(source)
        store = open_graph(source)
        try:
            graph = store.to_graph()
        finally:
            store.close()
    except (QueryError, StoreError) as error:
        _fail(str(error))
    for prefix, namespace in NAMESPACES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def _split_list(values: list[str]) -> list[str]:
    # "--classes Person,Show --classes Character" -> ["Person", "Show", "Character"]
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@app.command("validate", cls=_Command)
def validate_command(
    graph_file: GraphSource,
) -> None:
    """Check GRAPH against kg's SHACL shapes; exits 1 if it does not conform."""
    from kg.graph import validate_graph

    graph = _rdflib_graph(graph_file)
    result = validate_graph(graph)
    out = _stdout()
    if result.conforms:
        out.print(Text(f"{graph_file}: conforms to kg's SHACL shapes"), soft_wrap=True)
        return
    out.print(Text(result.report_text.rstrip()), soft_wrap=True)
    _fail(f"{graph_file} does not conform to kg's SHACL shapes")


if __name__ == "__main__":  # pragma: no cover
    app()
