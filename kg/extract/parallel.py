"""Extraction over many articles: in this process, in worker processes, or on a Dask cluster.

Every backend runs :func:`run_batch` on batches of articles and hands the results back in the
order the articles came in, so the records that reach resolution, and so the graph, do not
depend on the backend, the number of workers or the batch size.

Worker processes (``workers > 1``) and Dask workers (:mod:`kg.distributed`) each load the NLP
pipeline once, from a :class:`PipelineSpec`, and keep it for every batch they are given.
Articles are read lazily and only a bounded number of batches is in flight at any time, so the
corpus is never held in memory whole on its way through extraction.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from kg.records import Article, ArticleExtraction, InputProblem

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Future

    from spacy.language import Language

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "BatchOutcome",
    "PipelineLoadError",
    "PipelineSpec",
    "WorkerError",
    "batched",
    "batched_to_the_end",
    "extract_batch",
    "extract_stream",
    "ordered_results",
    "run_batch",
]

#: Articles per batch: one unit of work for ``nlp.pipe`` and for a worker.
DEFAULT_BATCH_SIZE = 32

#: What extraction makes of one article: its records, or why it was skipped.
BatchOutcome = ArticleExtraction | InputProblem

T = TypeVar("T")
R = TypeVar("R")


class PipelineLoadError(RuntimeError):
    """A worker could not load the NLP pipeline (the message says which and why)."""


class WorkerError(RuntimeError):
    """A worker process died (killed, out of memory, or it could not start)."""


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker needs to load its own copy of the NLP pipeline.

    ``model`` and ``config_path`` are passed to :func:`kg.nlp.load_pipeline`; on a cluster they
    must name a model installed, and a file readable, on every worker.
    """

    model: str | None = None
    config_path: str | None = None

    @classmethod
    def of(cls, model: str | None, config_path: str | Path | None) -> PipelineSpec:
        """The spec for ``model`` and ``config_path`` as :func:`kg.build` takes them.

        ``$KG_MODEL``, which :func:`kg.nlp.load_pipeline` reads when no model is given, is read
        here, in the build process, so workers elsewhere load the same pipeline.
        """
        model = model or os.environ.get("KG_MODEL") or None
        return cls(model, None if config_path is None else str(config_path))

    def load(self) -> Language:
        """Load the pipeline; :class:`PipelineLoadError` when it cannot be loaded."""
        from kg.nlp import load_pipeline

        try:
            return load_pipeline(model=self.model, config_path=self.config_path)
        except (OSError, ValueError, ImportError) as error:
            what = f"model {self.model!r}" if self.model else "the default model"
            config = f" with config {self.config_path!r}" if self.config_path else ""
            raise PipelineLoadError(
                f"cannot load the NLP pipeline ({what}{config}): {error}"
            ) from error


# One pipeline per spec and process, shared by the threads of a process (a Dask worker may
# run several); the lock makes them take turns, since kg's components are not thread-safe.
_PIPELINES: dict[PipelineSpec, Language] = {}
_PIPELINE_LOCKS: dict[PipelineSpec, threading.Lock] = {}
_REGISTRY_LOCK = threading.Lock()


def _pipeline_lock(spec: PipelineSpec) -> threading.Lock:
    with _REGISTRY_LOCK:
        return _PIPELINE_LOCKS.setdefault(spec, threading.Lock())


def _worker_pipeline(spec: PipelineSpec) -> Language:
    """This process's pipeline for ``spec``, loaded on first use (call with its lock held)."""
    nlp = _PIPELINES.get(spec)
    if nlp is None:
        nlp = _PIPELINES[spec] = spec.load()
    return nlp


def extract_batch(
    spec: PipelineSpec, articles: Sequence[Article], batch_size: int = DEFAULT_BATCH_SIZE
) -> list[BatchOutcome]:
    """:func:`run_batch` with this process's pipeline for ``spec``: the task workers run.

    Raises:
        PipelineLoadError: the pipeline cannot be loaded in this process.
    """
    with _pipeline_lock(spec):
        return run_batch(_worker_pipeline(spec), articles, batch_size)


def _init_worker(spec: PipelineSpec, build_pid: int) -> None:
    """Pool initializer: watch the build process, and load the pipeline before the first batch.

    A worker whose build process has died (``kill -9``) exits instead of waiting for work
    forever. A pipeline that fails to load is not raised here (that would break the pool with
    no message); the first :func:`extract_batch` raises it again, with its reason.
    """
    threading.Thread(target=_exit_with, args=(build_pid,), daemon=True).start()
    try:
        with _pipeline_lock(spec):
            _worker_pipeline(spec)
    except PipelineLoadError:
        pass


def _exit_with(pid: int, every_s: float = 1.0) -> None:
    while True:
        time.sleep(every_s)
        try:
            os.kill(pid, 0)
        except (ProcessLookupError, PermissionError):  # gone, or the pid now is someone else's
            os._exit(1)


def run_batch(
    nlp: Language, articles: Sequence[Article], batch_size: int = DEFAULT_BATCH_SIZE
) -> list[BatchOutcome]:
    """Extract ``articles`` with ``nlp``; one outcome per article, in order.

    The batch goes through ``nlp.pipe``. If that raises, the batch is run again one article at
    a time, so only the articles that fail on their own become an :class:`InputProblem` naming
    the article and the error. An article longer than the pipeline's ``max_length`` is
    reported without being processed.
    """
    # Looked up on the package at call time, so a replacement installed there is used.
    import kg.extract

    extract_article = kg.extract.extract_article
    extract_articles = kg.extract.extract_articles
    limit: int | None = getattr(nlp, "max_length", None)
    outcomes: list[BatchOutcome | None] = [None] * len(articles)
    todo: list[int] = []
    for index, article in enumerate(articles):
        if limit is not None and len(article.text) > limit:
            outcomes[index] = InputProblem(article.source, _too_long(article, limit))
        else:
            todo.append(index)
    if len(todo) > 1:
        try:
            results = list(
                extract_articles(nlp, [articles[i] for i in todo], batch_size=batch_size)
            )
        except Exception:  # noqa: BLE001 - retried one article at a time below
            results = []
        if len(results) == len(todo):
            for index, extraction in zip(todo, results):
                outcomes[index] = extraction
            todo = []
    for index in todo:
        article = articles[index]
        try:
            outcomes[index] = extract_article(nlp, article)
        except Exception as error:  # noqa: BLE001 - one bad article must not end a long run
            outcomes[index] = InputProblem(article.source, _extraction_failed(article, error))
    return [outcome for outcome in outcomes if outcome is not None]


def extract_stream(
    articles: Iterable[Article],
    *,
    spec: PipelineSpec,
    nlp: Language | None = None,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[BatchOutcome]:
    """Extract ``articles`` as they are read, yielding one outcome per article, in order.

    With ``workers == 1`` the batches run in this process, with ``nlp`` (loaded from ``spec``
    when not given). With more, a pool of ``workers`` processes each loads the pipeline from
    ``spec`` once; at most ``2 * workers`` batches are in flight.

    Raises:
        ValueError: ``workers`` or ``batch_size`` below 1.
        PipelineLoadError: the pipeline cannot be loaded.
        WorkerError: a worker process died.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if workers == 1:
        local = nlp if nlp is not None else spec.load()
        for batch in batched(articles, batch_size):
            yield from run_batch(local, batch, batch_size)
        return
    batches = batched_to_the_end(articles, batch_size, workers)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_process_context(),
        initializer=_init_worker,
        initargs=(spec, os.getpid()),
    )
    try:

        def submit(batch: list[Article]) -> Future[list[BatchOutcome]]:
            return pool.submit(extract_batch, spec, batch, batch_size)

        for outcomes in ordered_results(submit, batches, window=2 * workers):
            yield from outcomes
    except BrokenProcessPool as error:
        raise WorkerError(
            f"a worker process stopped unexpectedly ({error}); when kg.build(workers=N) is "
            "called from a script, the script must start it under "
            "`if __name__ == '__main__':`"
        ) from error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _HasResult(Protocol[R]):
    def result(self) -> R: ...


def ordered_results(
    submit: Callable[[T], _HasResult[R]], items: Iterable[T], *, window: int
) -> Iterator[R]:
    """Submit ``items`` one by one, keeping at most ``window`` pending; yield results in order.

    ``submit`` returns anything with a blocking ``result()`` (a :mod:`concurrent.futures` or a
    Dask future). The next item is read from ``items`` only when a slot is free, so a lazy
    ``items`` is never read far ahead of the results.
    """
    pending: deque[_HasResult[R]] = deque()
    iterator = iter(items)
    exhausted = False
    while True:
        while not exhausted and len(pending) < max(1, window):
            item = next(iterator, _END)
            if item is _END:
                exhausted = True
            else:
                pending.append(submit(item))  # type: ignore[arg-type]
        if not pending:
            return
        yield pending.popleft().result()


_END = object()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` consecutive items (the last may be shorter), read lazily."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def batched_to_the_end(items: Iterable[T], size: int, workers: int) -> Iterator[list[T]]:
    """Like :func:`batched`, but the last articles go out in smaller batches, so that every
    worker has work until the end instead of one finishing a full batch while the others wait.

    Reads at most ``size * (workers + 1)`` items ahead. Once the input is exhausted, what
    remains is split into about ``2 * workers`` batches of equal size (never more than
    ``size``, never empty). The concatenated batches are the items in order.
    """
    reserve = size * workers
    buffer: deque[T] = deque()
    for item in items:
        buffer.append(item)
        if len(buffer) >= reserve + size:
            yield [buffer.popleft() for _ in range(size)]
    rest = len(buffer)
    if not rest:
        return
    small = min(size, max(1, -(-rest // (2 * workers))))
    while buffer:
        yield [buffer.popleft() for _ in range(min(small, len(buffer)))]


def _process_context() -> multiprocessing.context.BaseContext:
    """Fresh interpreters for workers: the fork server where there is one, else spawn.

    Forking the build process itself could copy a lock held by one of its threads (a progress
    display) into a child; the fork server forks from a clean process that has imported spaCy
    and kg's components once, so each worker starts in well under a second.
    """
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["kg.extract.parallel", "kg.nlp"])
        return context
    return multiprocessing.get_context("spawn")


def _too_long(article: Article, limit: int) -> str:
    return (
        f"article {article.id!r} is {len(article.text):,} characters long, over the NLP "
        f"pipeline's limit of {limit:,} (nlp.max_length); split it into smaller articles"
    )


def _extraction_failed(article: Article, error: Exception) -> str:
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    detail = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return f"article {article.id!r}: extraction failed: {detail}"
