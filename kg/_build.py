"""The library entry point: build the knowledge graph of a set of articles in one call.

>>> report = build(["examples"], "out")                     # doctest: +SKIP
>>> report.articles_read, report.outputs                    # doctest: +SKIP
(4, [PosixPath('out/graph.ttl'), PosixPath('out/graph.html')])

Articles stream from ingest through the NLP pipeline one batch at a time; resolution needs the
whole corpus, so it runs once every article has been read. Extraction, resolution and the graph
are driven by :mod:`kg.driver`, the same driver ``kg add`` uses. Every input that cannot be read and
every article whose extraction fails is recorded in :attr:`BuildReport.articles_skipped` and the
run goes on. Heavy stages are imported when :func:`build` runs, so importing this module (and
``kg``) stays cheap.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.driver import ExtractionError, ResolutionError, extract, resolve_and_build_graph
from kg.extract.parallel import DEFAULT_BATCH_SIZE, PipelineSpec
from kg.records import ENTITY_CLASSES, PREDICATES, Article, ArticleExtraction, InputProblem

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.query.contradictions import Contradiction
    from kg.records import ResolvedCorpus
    from kg.store import OxigraphStore

__all__ = [
    "GRAPH_FORMATS", "PAGE_ENTITIES", "BuildError", "BuildReport", "ResolutionError", "build",
    "resolve_and_build_graph",
]

#: The RDF formats :func:`build` can write and the suffix of each (``graph.<suffix>``).
GRAPH_FORMATS: dict[str, str] = {"turtle": "ttl", "trig": "trig", "nt": "nt", "json-ld": "jsonld"}

_BATCH_SIZE = DEFAULT_BATCH_SIZE
#: ``graph.html`` draws at most this many entities by default, the most connected ones: a page
#: of a few thousand entities opens in about a second, one of a whole archive would not.
PAGE_ENTITIES = 2000
_KG_NAMESPACE = "https://w3id.org/kg-news/ontology#"


@dataclass(frozen=True)
class BuildReport:
    """What :func:`build` did.

    ``articles_read`` counts the articles that made it into the graph. ``articles_skipped``
    lists ``(source, reason)`` for every input or ``.jsonl`` line that could not be read and every
    article whose extraction failed. ``entities_per_class`` counts canonical entities;
    ``relations_per_predicate`` counts distinct relation triples in the graph; ``facts`` counts
    the facts (ages, birth and death dates) extracted. ``shacl_conforms`` is ``None`` when
    validation was switched off; ``shacl_report`` holds pySHACL's text when it ran.
    ``contradictions`` lists the claims that clash (two birth dates, ages that disagree, a
    child with too many parents), as the shipped query ``contradictions`` finds them.
    """

    articles_read: int
    articles_skipped: list[tuple[str, str]] = field(default_factory=list)
    entities_per_class: dict[str, int] = field(default_factory=dict)
    relations_per_predicate: dict[str, int] = field(default_factory=dict)
    facts: int = 0
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    shacl_conforms: bool | None = None
    shacl_report: str = ""
    contradictions: list[Contradiction] = field(default_factory=list)
    #: Wall-clock seconds of each stage, by the stage's description, in the order they ran.
    stage_seconds: dict[str, float] = field(default_factory=dict)


class BuildError(Exception):
    """Nothing could be built: no article was read, or the NLP pipeline could not be loaded.

    ``skipped`` holds the ``(source, reason)`` pairs collected before the build gave up, so a
    caller can still show why each input was rejected. Nothing has been written.
    """

    def __init__(self, message: str, skipped: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.skipped: list[tuple[str, str]] = list(skipped)


def build(
    inputs: Sequence[str | Path],
    outdir: str | Path,
    *,
    formats: Sequence[str] = (),
    model: str | None = None,
    config_path: str | Path | None = None,
    html: bool = True,
    validate: bool = True,
    progress: bool = False,
    workers: int = 1,
    scheduler: str | None = None,
    batch_size: int = _BATCH_SIZE,
    on_graph: Callable[[Sequence[ArticleExtraction], Graph], None] | None = None,
    page_entities: int | None = PAGE_ENTITIES,
) -> BuildReport:
    """Build one merged knowledge graph from ``inputs`` and write it under ``outdir``.

    Args:
        inputs: files, folders (searched recursively for ``.txt`` and ``.jsonl``) and glob
            patterns, as :func:`kg.ingest.read_articles` takes them.
        outdir: the folder to write into; created if missing.
        formats: extra RDF formats to write besides ``graph.ttl``: any of ``"turtle"``,
            ``"trig"``, ``"nt"``, ``"json-ld"``, each to ``outdir/graph.<suffix>``.
        model: the spaCy model the NLP pipeline starts from (see :func:`kg.nlp.load_pipeline`).
        config_path: a pipeline config file (see :func:`kg.nlp.load_pipeline`).
        html: also write the interactive network page ``outdir/graph.html``.
        validate: check the graph against kg's SHACL shapes; the verdict goes into the report
            and does not stop the outputs from being written.
        progress: show each stage and the articles done on stderr (for long runs): a live
            display on a terminal, with the total and the time left when the inputs' article
            count is known; otherwise a plain line every ``KG_PROGRESS_SECONDS`` (10) seconds.
        workers: extract in this many processes, each with its own copy of the pipeline
            (1: in this process). The graph does not depend on the number of workers.
        scheduler: the address of a Dask scheduler (``tcp://HOST:PORT``): extract on that
            cluster instead of locally (needs ``kg[dask]``; see :mod:`kg.distributed`).
        batch_size: articles per batch handed to ``nlp.pipe`` and to a worker.
        on_graph: called with the extractions and the graph once the graph is built (``kg
            build --store`` hands them to :meth:`kg.store.KgStore.replace_all`).
        page_entities: draw at most this many entities in ``graph.html``, the most connected
            ones (``None`` or 0: all of them; ``kg viz`` renders any part of a built graph).

    Returns:
        A :class:`BuildReport`.

    Raises:
        BuildError: no article could be built (nothing is written then), the NLP pipeline
            could not be loaded, or the Dask scheduler could not be reached.
        ValueError: an unknown format in ``formats``, ``workers`` or ``batch_size`` below 1,
            or ``workers`` above 1 together with a ``scheduler``.
        OSError: an output could not be written.
    """
    started = time.perf_counter()
    suffixes = _suffixes(formats)
    _check_parallelism(workers, scheduler, batch_size)
    out = Path(outdir)
    skipped: list[tuple[str, str]] = []

    with _Progress(enabled=progress, total=_count_articles(inputs) if progress else None) as bar:
        # The first article is read before the pipeline loads, so that inputs holding no
        # article fail fast.
        articles = _articles(inputs, skipped)
        first = next(articles, None)
        if first is None:
            raise BuildError(_nothing_built(inputs, skipped), skipped)
        extractions = _extract(
            itertools.chain([first], articles),
            skipped,
            bar,
            spec=PipelineSpec.of(model, config_path),
            workers=workers,
            scheduler=scheduler,
            batch_size=batch_size,
        )
        if not extractions:
            raise BuildError(_nothing_built(inputs, skipped), skipped)

        bar.stage("resolving entities across articles and building the graph")
        try:
            with gc_paused():
                extractions, corpus, graph = resolve_and_build_graph(extractions, skipped)
        except ResolutionError as error:
            raise BuildError(str(error), skipped) from error
        if not extractions:
            raise BuildError(_nothing_built(inputs, skipped), skipped)
        if on_graph is not None:
            bar.stage("writing the store")
            on_graph(extractions, graph)
        articles_read = len(extractions)
        facts = sum(len(extraction.facts) for extraction in extractions)
        entities_per_class = _entities_per_class(corpus)
        relations_per_predicate = _relations_per_predicate(graph)
        # The records are in the graph now: free them before the outputs are made.
        del corpus, extractions
        # _finish lets go of the graph half-way: this frame must not keep it alive.
        holder = [graph]
        del graph
        outputs, conforms, report_text, contradictions = _finish(
            holder, out, suffixes, bar, html=html, validate=validate, page_entities=page_entities
        )

    return BuildReport(
        articles_read=articles_read,
        articles_skipped=skipped,
        entities_per_class=entities_per_class,
        relations_per_predicate=relations_per_predicate,
        facts=facts,
        seconds=time.perf_counter() - started,
        outputs=outputs,
        shacl_conforms=conforms,
        shacl_report=report_text,
        contradictions=contradictions,
        stage_seconds=bar.seconds(),
    )


# --- stages --------------------------------------------------------------------------------


def _suffixes(formats: Sequence[str]) -> list[str]:
    """The file suffixes to write, ``ttl`` first and each once; ``ValueError`` for unknown."""
    if isinstance(formats, str):
        formats = [formats]
    suffixes = ["ttl"]
    for fmt in formats:
        suffix = GRAPH_FORMATS.get(fmt.lower())
        if suffix is None:
            raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(GRAPH_FORMATS)}")
        if suffix not in suffixes:
            suffixes.append(suffix)
    return suffixes


def _check_parallelism(workers: int, scheduler: str | None, batch_size: int) -> None:
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number of at least 1, got {workers!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number of at least 1, got {batch_size!r}")
    if scheduler is not None and workers != 1:
        raise ValueError("give workers or a Dask scheduler, not both: the cluster's workers "
                         "do the work when a scheduler is given")


def _articles(inputs: Sequence[str | Path], skipped: list[tuple[str, str]]) -> Iterator[Article]:
    """The articles of ``inputs``; each :class:`InputProblem` goes to ``skipped``."""
    from kg.ingest import read_articles

    for item in read_articles(inputs):
        if isinstance(item, InputProblem):
            skipped.append((item.source, item.reason))
        else:
            yield item


def _extract(
    articles: Iterable[Article],
    skipped: list[tuple[str, str]],
    bar: _Progress,
    *,
    spec: PipelineSpec,
    workers: int,
    scheduler: str | None,
    batch_size: int,
) -> list[ArticleExtraction]:
    """:func:`kg.driver.extract`, with progress on ``bar``; what stops extraction ends the build
    with :class:`BuildError`."""
    try:
        return extract(articles, skipped, spec=spec, workers=workers, scheduler=scheduler,
                       batch_size=batch_size, on_stage=bar.stage, on_article=bar.advance)
    except ExtractionError as error:
        raise BuildError(str(error), skipped) from error


def _nothing_built(inputs: Sequence[str | Path], skipped: list[tuple[str, str]]) -> str:
    items = [inputs] if isinstance(inputs, (str, Path)) else inputs
    names = ", ".join(str(item) for item in items)
    if not names:
        return "no inputs given"
    if not skipped:
        return f"no articles found in {names} (expected .txt or .jsonl files)"
    return f"no article could be built from {names}: {len(skipped)} input(s) skipped"


# --- outputs -------------------------------------------------------------------------------


def _finish(
    holder: list[Graph],
    outdir: Path,
    suffixes: Sequence[str],
    bar: _Progress,
    *,
    html: bool,
    validate: bool,
    page_entities: int | None,
) -> tuple[list[Path], bool | None, str, list[Contradiction]]:
    """Serialise the graph (taken out of ``holder``), check it, render the page, write it all.

    The graph is serialised to bytes first. The compiled SHACL shapes and the contradictions
    query run on an Oxigraph copy read from the Turtle bytes, in a thread of their own while
    this one renders the page into a temporary file: Oxigraph works outside the interpreter
    lock, so the two overlap. Then the rdflib graph is let go of (the largest object of a
    build); only when the compiled shapes find a violation does pySHACL re-read the Turtle
    and decide, after that. Last, the
    graph files are written and the page moved into place, each replacing its file
    atomically, so nothing is written when an earlier step fails. Returns the paths written,
    the SHACL verdict and report, and the contradictions.
    """
    import gc
    from concurrent.futures import ThreadPoolExecutor

    from kg.export import atomic_write_bytes, serialize
    from kg.export.atomic import sweep_temporaries
    from kg.graph.validate import validate_store

    graph = holder.pop()
    outdir.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(outdir)  # left by a build that was killed
    outputs: list[Path] = []
    page_tmp: Path | None = None
    try:
        bar.stage("serialising the graph")
        by_suffix = {suffix: fmt for fmt, suffix in GRAPH_FORMATS.items()}
        with gc_paused():
            files = {suffix: serialize(graph, by_suffix[suffix]) for suffix in suffixes}
        turtle = files["ttl"]
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-check") as pool:
            checks = pool.submit(_check, turtle, validate)
            if html:
                bar.stage("rendering graph.html (validation alongside, in Oxigraph)")
                with gc_paused():
                    page_tmp = _render_page(graph, outdir, page_entities)
            del graph
            gc.collect()  # rdflib graphs hold reference cycles; the memory is needed next
            bar.stage("validating against the SHACL shapes, looking for contradictions")
            store, conforms, report_text, contradictions = checks.result()
        try:
            if validate and conforms is None:
                # the compiled shapes found a violation (or could not be compiled): pySHACL
                # decides and writes the report, on an rdflib graph read from the Turtle, now
                # that the first one is gone (the two together would be the memory peak)
                bar.stage("validating with pySHACL")
                result = validate_store(store.native, lambda: _parse_turtle(turtle))
                conforms, report_text = result.conforms, result.report_text
        finally:
            store.close()

        bar.stage("writing outputs")
        for suffix in suffixes:
            outputs.append(atomic_write_bytes(outdir / f"graph.{suffix}", files.pop(suffix)))
        if page_tmp is not None:
            page = outdir / "graph.html"
            os.replace(page_tmp, page)
            page_tmp = None
            outputs.append(page)
    finally:
        if page_tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                page_tmp.unlink()
    return [Path(path) for path in outputs], conforms, report_text, contradictions


def _check(turtle: bytes, validate: bool) -> tuple[OxigraphStore, bool | None, str, list[Contradiction]]:
    """Load ``turtle`` into Oxigraph; the store, the compiled shapes' verdict and report
    (``None``, ``""`` without ``validate``, or when they find a violation or cannot be compiled:
    pySHACL decides then, later) and the contradictions."""
    from kg.graph.validate import validate_store
    from kg.query.contradictions import find_contradictions

    store = _oxigraph_store(turtle)
    try:
        conforms: bool | None = None
        report_text = ""
        if validate:
            try:
                result = validate_store(store.native, lambda: _parse_turtle(turtle), sparql_only=True)
            except ValueError:  # shapes the compiler does not translate
                result = None
            if result is not None and result.conforms:
                conforms, report_text = True, result.report_text
        return store, conforms, report_text, find_contradictions(store)
    except BaseException:
        store.close()
        raise


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (on again after, if it was on).

    Resolution, the graph and its serialisation make millions of objects that live on: the
    collector's passes over them found nothing to free and took about 30% of graph building.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _oxigraph_store(turtle: bytes) -> OxigraphStore:
    import pyoxigraph as ox

    from kg.store import OxigraphStore

    store = OxigraphStore()
    store.native.load(turtle, format=ox.RdfFormat.TURTLE)
    return store


def _parse_turtle(turtle: bytes) -> Graph:
    from rdflib import Graph

    return Graph().parse(data=turtle, format="turtle")


def _render_page(graph: Graph, outdir: Path, page_entities: int | None) -> Path:
    from kg.export.atomic import temporary_path
    from kg.viz.html import write_html

    tmp = temporary_path(outdir / "graph", ".html")
    try:
        write_html(graph, tmp, max_entities=page_entities or None)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return tmp


# --- counts --------------------------------------------------------------------------------


def _entities_per_class(corpus: ResolvedCorpus) -> dict[str, int]:
    counts = Counter(entity.cls for entity in corpus.entities)
    ordered = {cls: counts[cls] for cls in ENTITY_CLASSES if counts[cls]}
    ordered.update({cls: n for cls, n in sorted(counts.items()) if cls not in ordered})
    return ordered


def _relations_per_predicate(graph: Graph) -> dict[str, int]:
    from rdflib import URIRef

    counts = {}
    for predicate in PREDICATES:
        n = sum(1 for _ in graph.triples((None, URIRef(_KG_NAMESPACE + predicate), None)))
        if n:
            counts[predicate] = n
    return counts


# --- progress ------------------------------------------------------------------------------


def _count_articles(inputs: Sequence[str | Path]) -> int | None:
    """How many articles ``inputs`` hold, for the progress total: one per ``.txt`` file, one
    per non-blank line of a ``.jsonl`` file. ``None`` when that cannot be told cheaply."""
    from kg.ingest.reader import _expand

    try:
        paths, _ = _expand(inputs)
        total = 0
        for path in paths:
            if path.suffix.lower() == ".jsonl":
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            else:
                total += 1
    except (OSError, ValueError):
        return None
    return total or None


class _Progress:
    """Progress on stderr: one line per stage, articles counted as they go.

    On a terminal, a live rich display; the article line shows ``done/total`` and the time
    left when ``total`` (the inputs' article count) is known, else it counts up. Without a
    terminal (a log, CI), a plain line every ``interval`` seconds (``KG_PROGRESS_SECONDS``,
    default 10), so that a short run prints nothing and a long one shows it is alive.
    """

    def __init__(self, *, enabled: bool, total: int | None = None, interval: float | None = None) -> None:
        self._enabled = enabled
        self._total = total
        self._interval = interval if interval is not None else _progress_interval()
        self._progress: Any = None
        self._plain: Any = None
        self._last_line = time.perf_counter()
        self._task: Any = None
        self._label = ""
        self._articles: int | None = None
        self._articles_started = 0.0
        self._started: float | None = None
        self._timed = ""
        self._seconds: dict[str, float] = {}

    def __enter__(self) -> _Progress:
        if self._enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            console = Console(stderr=True)
            if not console.is_terminal:
                self._plain = console
                return self
            self._progress = Progress(
                SpinnerColumn(finished_text="[green]✓[/]"),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=console,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            if exc_info[0] is None:
                self._finish_task()
            self._progress.__exit__(*exc_info)

    def stage(self, description: str, *, articles: bool = False) -> None:
        """Close the current stage's line and open one for ``description``."""
        self._clock(description)
        if self._progress is None and self._plain is None:
            return
        self._finish_task()
        self._label = description
        self._articles = 0 if articles else None
        self._articles_started = time.perf_counter()
        if self._plain is not None:
            self._plain_line()
            return
        self._task = self._progress.add_task(self._description(), total=None)

    def seconds(self) -> dict[str, float]:
        """Seconds spent in each stage so far (the current one up to now)."""
        self._clock(None)
        return dict(self._seconds)

    def _clock(self, next_label: str | None) -> None:
        now = time.perf_counter()
        if self._started is not None:
            self._seconds[self._timed] = self._seconds.get(self._timed, 0.0) + now - self._started
        self._started = None if next_label is None else now
        self._timed = next_label or ""

    def advance(self) -> None:
        """Count one more article done in the current stage."""
        if self._articles is None:
            return
        self._articles += 1
        if self._progress is not None:
            self._progress.update(self._task, description=self._description())
        elif self._plain is not None:
            self._plain_line()

    def _plain_line(self) -> None:
        now = time.perf_counter()
        if now - self._last_line < self._interval:
            return
        self._last_line = now
        self._plain.print(f"kg build: {self._description()}", highlight=False, soft_wrap=True)

    def _description(self) -> str:
        if self._articles is None:
            return self._label
        if not self._total:
            return f"{self._label}: {self._articles:,}"
        done, total = self._articles, max(self._total, self._articles)
        text = f"{self._label}: {done:,}/{total:,} ({100 * done // total}%)"
        elapsed = time.perf_counter() - self._articles_started
        if done and elapsed > 0 and done < total:
            text += f", about {_duration(elapsed / done * (total - done))} left"
        return text

    def _finish_task(self) -> None:
        if self._task is not None and self._progress is not None:
            self._progress.update(self._task, total=1, completed=1)
            self._task = None


def _progress_interval() -> float:
    try:
        return max(0.0, float(os.environ.get("KG_PROGRESS_SECONDS", "10")))
    except ValueError:
        return 10.0


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
