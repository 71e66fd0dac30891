"""The one driver of extract -> resolve -> graph, shared by ``kg build`` (:func:`kg.build`) and
the persistent store (``kg add``, :mod:`kg.store`).

Both take the same road and fail the same way: an article whose extraction fails, or that
breaks resolution or the graph on its own, is left out and reported as ``(source, reason)`` in
the caller's ``skipped`` list; the others go on. What stops a run is raised as
:class:`ExtractionError` (the pipeline cannot be loaded, a worker died, the Dask scheduler is
out of reach) or :class:`ResolutionError` (the articles fail together though each resolves
alone: a fault of kg's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from kg.extract.parallel import DEFAULT_BATCH_SIZE, PipelineSpec
from kg.records import Article, ArticleExtraction, InputProblem

if TYPE_CHECKING:
    from rdflib import Graph
    from spacy.language import Language

    from kg.records import ResolvedCorpus

__all__ = ["ExtractionError", "ResolutionError", "extract", "resolve_and_build_graph"]

class ExtractionError(Exception):
    """Extraction could not run at all: the NLP pipeline could not be loaded, a worker process
    died, or the Dask scheduler could not be reached. The message says which."""


class ResolutionError(Exception):
    """Entities could not be resolved, or the graph built, even without the articles that
    fail on their own; the message names the error."""


def extract(
    articles: Iterable[Article],
    skipped: list[tuple[str, str]],
    *,
    spec: PipelineSpec | None = None,
    nlp: Language | Callable[[], Language] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_stage: Callable[..., None] | None = None,
    on_article: Callable[[], None] | None = None,
) -> list[ArticleExtraction]:
    """Extract ``articles`` as they are read: here, in ``workers`` processes, or on the Dask
    cluster at ``scheduler``; the extractions come back in reading order whatever the backend.

    ``spec`` names the pipeline (kg's default when ``None``); in this process ``nlp`` is used
    instead when given (a pipeline, or a function that loads one). An article whose extraction
    fails goes to ``skipped`` with the reason. ``on_stage(description, articles=bool)`` is told
    what runs next, ``on_article()`` of each article done.

    Raises:
        ExtractionError: the pipeline cannot be loaded, a worker died, or the scheduler is out
            of reach.
    """
    from kg.distributed import DaskError, extract_on_dask
    from kg.extract.parallel import PipelineLoadError, WorkerError, extract_stream

    spec = spec or PipelineSpec.of(None, None)
    stage = on_stage or (lambda *args, **kwargs: None)
    extractions: list[ArticleExtraction] = []
    try:
        outcomes: Iterable[ArticleExtraction | InputProblem]
        if scheduler is not None:
            outcomes = extract_on_dask(articles, scheduler, spec=spec, batch_size=batch_size)
            stage(f"extracting articles on the Dask cluster at {scheduler}", articles=True)
        else:
            local: Language | None = None
            if workers == 1:
                stage("loading the NLP pipeline")
                local = _load(nlp, spec)
            outcomes = extract_stream(
                articles, spec=spec, nlp=local, workers=workers, batch_size=batch_size
            )
            where = f" in {workers} worker processes" if workers > 1 else ""
            stage(f"reading and extracting articles{where}", articles=True)
        for outcome in outcomes:
            if isinstance(outcome, InputProblem):
                skipped.append((outcome.source, outcome.reason))
            else:
                extractions.append(outcome)
            if on_article is not None:
                on_article()
    except (PipelineLoadError, WorkerError, DaskError) as error:
        raise ExtractionError(str(error)) from error
    return extractions


def _load(nlp: Language | Callable[[], Language] | None, spec: PipelineSpec) -> Language:
    if nlp is None:
        return spec.load()
    if callable(nlp) and not hasattr(nlp, "pipe"):
        return nlp()
    return nlp  # type: ignore[return-value]


def resolve_and_build_graph(
    extractions: Sequence[ArticleExtraction], skipped: list[tuple[str, str]]
) -> tuple[list[ArticleExtraction], ResolvedCorpus, Graph]:
    """Resolve ``extractions`` and build their graph, leaving out any article that breaks it.

    When resolution or the graph fails (a date arithmetic error, an odd record), each article
    is resolved and built alone: those that fail are left out, each reported in ``skipped`` as
    ``(source, "article 'ID': resolution failed: ...")``, and the rest is resolved again. Returns
    the extractions kept (possibly none), their resolved corpus and their graph.

    Raises:
        ResolutionError: the articles fail together though each succeeds alone (nothing to
            blame on one article: a fault of kg's, to report).
    """
    from kg.graph import build_graph
    from kg.resolve import resolve

    try:
        corpus = resolve(extractions)
        return list(extractions), corpus, build_graph(corpus)
    except Exception as error:  # one article must not stop the build: find the culprits below
        whole: Exception = error
    kept: list[ArticleExtraction] = []
    for extraction in extractions:
        try:
            build_graph(resolve([extraction]))
        except Exception as error:
            article = extraction.article
            skipped.append((article.source, f"article {article.id!r}: resolution failed: "
                                            f"{error_text(error)}; the article is left out"))
        else:
            kept.append(extraction)
    if len(kept) < len(extractions):
        try:
            corpus = resolve(kept)
            return kept, corpus, build_graph(corpus)
        except Exception as error:
            whole = error
    raise ResolutionError(
        f"resolving entities across articles failed ({error_text(whole)}), though each article "
        "resolves on its own; please report this with the articles"
    ) from whole


def error_text(error: BaseException) -> str:
    """``Type: first line of the message``."""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}{': ' + detail if detail else ''}"
