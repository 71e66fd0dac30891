"""kg.extract.parallel: batching, ordering, failures, and builds with several workers.

The determinism tests run the real pipeline on ``examples/`` with one article per batch, so
two workers really do share the work, and compare the Turtle byte for byte.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

import kg
from kg.extract.parallel import (
    PipelineSpec,
    batched,
    batched_to_the_end,
    extract_stream,
    ordered_results,
    run_batch,
)
from kg.records import Article, ArticleExtraction, InputProblem, LocalEntity

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def article(article_id: str, text: str = "Fine.") -> Article:
    return Article(article_id, dt.date(2022, 3, 4), text, f"in/{article_id}.txt")


# --- batching and ordering -----------------------------------------------------------------


def test_batched_keeps_order_and_a_short_last_batch() -> None:
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched([], 3)) == []


def test_batched_reads_lazily() -> None:
    seen: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(100):
            seen.append(n)
            yield n

    first = next(batched(numbers(), 4))
    assert first == [0, 1, 2, 3] and seen == [0, 1, 2, 3]


@pytest.mark.parametrize("n", [0, 1, 5, 32, 63, 64, 65, 96, 375])
def test_batched_to_the_end_splits_the_last_articles_among_the_workers(n: int) -> None:
    batches = list(batched_to_the_end(range(n), 32, 2))
    assert [x for batch in batches for x in batch] == list(range(n))
    assert all(0 < len(batch) <= 32 for batch in batches)
    full = [len(b) for b in batches].count(32)
    assert sum(len(b) for b in batches[full:]) <= 32 * 3  # what is left when the input ends
    if n > 32 * 3:
        assert len(batches) - full >= 4  # about two batches for each of the two workers


def test_batched_to_the_end_reads_a_bounded_number_ahead() -> None:
    seen: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(1000):
            seen.append(n)
            yield n

    first = next(batched_to_the_end(numbers(), 4, 2))
    assert first == [0, 1, 2, 3] and len(seen) == 4 * 3


def test_ordered_results_keeps_input_order_when_later_tasks_finish_first() -> None:
    def work(n: int) -> int:
        time.sleep(0.02 * (5 - n))  # the first submitted finishes last
        return n * 10

    with ThreadPoolExecutor(4) as pool:
        results = list(ordered_results(lambda n: pool.submit(work, n), range(5), window=5))
    assert results == [0, 10, 20, 30, 40]


def test_ordered_results_never_has_more_than_window_pending() -> None:
    pending = 0
    most = 0
    lock = threading.Lock()

    def submit(n: int) -> Future[int]:
        nonlocal pending, most
        with lock:
            pending += 1
            most = max(most, pending)
        future: Future[int] = Future()
        future.set_result(n)
        return future

    for _ in ordered_results(submit, range(50), window=3):
        with lock:
            pending -= 1
    assert most == 3


def test_ordered_results_raises_a_task_error() -> None:
    def fail(n: int) -> int:
        raise ValueError(f"task {n}")

    with ThreadPoolExecutor(2) as pool, pytest.raises(ValueError, match="task 0"):
        list(ordered_results(lambda n: pool.submit(fail, n), range(3), window=2))


# --- failures inside a batch ---------------------------------------------------------------


class _Stub:
    max_length = 50


@pytest.fixture
def stub_extract(monkeypatch: pytest.MonkeyPatch) -> None:
    """Extraction that raises for an article whose text holds FAIL (one Person otherwise)."""

    def extract_article(nlp: object, art: Article) -> ArticleExtraction:
        if "FAIL" in art.text:
            raise RuntimeError("cannot read this one\nsecond line")
        return ArticleExtraction(art, (LocalEntity("p", "Person", art.id),), (), ())

    def extract_articles(
        nlp: object, arts: Iterable[Article], batch_size: int = 16
    ) -> Iterator[ArticleExtraction]:
        for art in arts:
            yield extract_article(nlp, art)

    monkeypatch.setattr("kg.extract.extract_article", extract_article)
    monkeypatch.setattr("kg.extract.extract_articles", extract_articles)


@pytest.mark.usefixtures("stub_extract")
def test_run_batch_isolates_the_failing_article() -> None:
    arts = [article("a1"), article("a2", "FAIL here"), article("a3")]
    outcomes = run_batch(_Stub(), arts)  # type: ignore[arg-type]
    assert [type(o).__name__ for o in outcomes] == [
        "ArticleExtraction", "InputProblem", "ArticleExtraction"]
    problem = outcomes[1]
    assert isinstance(problem, InputProblem)
    assert problem.source == "in/a2.txt"
    assert problem.reason == "article 'a2': extraction failed: RuntimeError: cannot read this one"


@pytest.mark.usefixtures("stub_extract")
def test_run_batch_reports_an_article_over_the_length_limit_without_running_it() -> None:
    arts = [article("a1"), article("long", "x" * 51), article("a3")]
    outcomes = run_batch(_Stub(), arts)  # type: ignore[arg-type]
    problem = outcomes[1]
    assert isinstance(problem, InputProblem) and problem.source == "in/long.txt"
    assert "51 characters" in problem.reason and "limit of 50" in problem.reason
    assert [o.article.id for o in outcomes if isinstance(o, ArticleExtraction)] == ["a1", "a3"]


@pytest.mark.usefixtures("stub_extract")
def test_extract_stream_in_process_keeps_order_across_batches() -> None:
    arts = [article(f"a{i}", "FAIL" if i == 4 else "ok") for i in range(10)]
    outcomes = list(extract_stream(arts, spec=PipelineSpec(), nlp=_Stub(),  # type: ignore[arg-type]
                                   workers=1, batch_size=3))
    assert [getattr(o, "source", None) or o.article.source for o in outcomes] == [  # type: ignore[union-attr]
        a.source for a in arts]


@pytest.mark.usefixtures("stub_extract")
def test_extract_stream_reads_articles_one_batch_at_a_time() -> None:
    read: list[str] = []

    def articles() -> Iterator[Article]:
        for i in range(1000):
            read.append(f"a{i}")
            yield article(f"a{i}")

    stream = extract_stream(articles(), spec=PipelineSpec(), nlp=_Stub(),  # type: ignore[arg-type]
                            workers=1, batch_size=8)
    first = next(stream)
    assert isinstance(first, ArticleExtraction) and first.article.id == "a0"
    assert len(read) == 8


def test_extract_stream_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="workers"):
        next(extract_stream([], spec=PipelineSpec(), workers=0))
    with pytest.raises(ValueError, match="batch_size"):
        next(extract_stream([], spec=PipelineSpec(), batch_size=0))


# --- real builds with several workers --------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples plus a file that cannot be read, so the skip list is compared too."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(EXAMPLES.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    (folder / "05_bad_date.txt").write_text(" date 2021-02-30 Nothing.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def one_worker(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[kg.BuildReport, bytes]:
    out = tmp_path_factory.mktemp("one")
    report = kg.build([corpus], out, html=False, validate=False)
    return report, (out / "graph.ttl").read_bytes()


def test_two_workers_give_byte_identical_turtle(
    corpus: Path, one_worker: tuple[kg.BuildReport, bytes], tmp_path: Path
) -> None:
    report, turtle = one_worker
    two = kg.build([corpus], tmp_path, html=False, validate=False, workers=2, batch_size=1)
    assert two.articles_read == report.articles_read == 4
    assert two.articles_skipped == report.articles_skipped
    assert [Path(s).name for s, _ in two.articles_skipped] == ["05_bad_date.txt"]
    assert (tmp_path / "graph.ttl").read_bytes() == turtle


def test_workers_that_cannot_load_the_pipeline_end_the_build(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(kg.BuildError, match="no_such_spacy_model_kg"):
        kg.build([corpus], tmp_path / "out", html=False, validate=False, workers=2,
                 model="no_such_spacy_model_kg")
    assert not (tmp_path / "out").exists()


def test_build_rejects_bad_worker_settings(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="workers"):
        kg.build([corpus], tmp_path, workers=0)
    with pytest.raises(ValueError, match="not both"):
        kg.build([corpus], tmp_path, workers=2, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(ValueError, match="batch_size"):
        kg.build([corpus], tmp_path, batch_size=0)
