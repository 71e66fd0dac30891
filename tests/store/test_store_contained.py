"""One article must not make a store unusable: an article whose resolution fails is left out of
``kg add`` by name, and an add that fails as a whole leaves the store exactly as it was."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kg.cli import app
from kg.records import ArticleExtraction
from kg.resolve import resolver
from kg.store import KgStore, StoreError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = sorted(EXAMPLES.glob("*.txt"))
ANCIENT = " date 0030-05-01 \nJane Roe, 40, is the mother of Tom Roe.\n"
runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})


def invoke(*args: object) -> Result:
    return runner.invoke(app, [str(arg) for arg in args])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a store but Oxigraph's own (its content is compared by query)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "oxigraph" not in p.parts}


def count(folder: Path) -> str:
    answer = invoke("query", folder, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--csv")
    assert answer.exit_code == 0, answer.output
    return answer.stdout


def test_kg_add_of_an_article_dated_year_30_with_an_age_keeps_the_store_usable(tmp_path: Path) -> None:
    """Was: ``ValueError: year -10 is out of range`` and a store every later command refused."""
    store = tmp_path / "archive"
    assert invoke("add", store, FILES[0], "--model", "blank").exit_code == 0
    ancient = tmp_path / "in" / "ancient.txt"
    ancient.parent.mkdir()
    ancient.write_text(ANCIENT, encoding="utf-8")
    added = invoke("add", store, ancient, "--model", "blank")
    assert added.exit_code == 0, added.output
    with KgStore.open(store, read_only=True) as opened:
        assert opened.article_ids() == sorted([FILES[0].stem, "ancient"])
    people = invoke("query", store, "SELECT ?n WHERE { ?p a kg:Person ; rdfs:label ?n }", "--csv")
    assert people.exit_code == 0 and "Jane Roe" in people.stdout
    assert invoke("export", store, "-o", tmp_path / "g.ttl").exit_code == 0
    assert invoke("remove", store, "ancient").exit_code == 0


def _store_of_two(tmp_path: Path, extractions: list[ArticleExtraction]) -> Path:
    folder = tmp_path / "s"
    with KgStore.create(folder) as store:
        store.add_extractions(extractions[:2])
    return folder


def _fail_for(article_ids: set[str], monkeypatch: pytest.MonkeyPatch, *, together: bool = False) -> None:
    """Make resolution raise for those articles (alone, or only ``together`` with others)."""
    original = resolver.resolve

    def resolve(extractions, config=None):  # type: ignore[no-untyped-def]
        extractions = list(extractions)
        ids = {extraction.article.id for extraction in extractions}
        if (ids & article_ids) and (not together or len(ids) > 1):
            raise ValueError("year -10 is out of range")
        return original(extractions, config)

    monkeypatch.setattr(resolver, "resolve", resolve)
    monkeypatch.setattr("kg.resolve.resolve", resolve)


def test_an_article_whose_resolution_fails_is_left_out_by_name(
    tmp_path: Path, example_extractions: list[ArticleExtraction], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _store_of_two(tmp_path, example_extractions)
    bad = example_extractions[2].article.id
    _fail_for({bad}, monkeypatch)
    with KgStore.open(folder) as store:
        report = store.add_extractions(example_extractions[2:])
    assert report.added == (example_extractions[3].article.id,)
    ((source, reason),) = report.skipped
    assert source == example_extractions[2].article.source
    assert reason.startswith(f"article {bad!r}: resolution failed: ValueError: year -10")
    with KgStore.open(folder, read_only=True) as store:  # current: readers need no repair
        assert bad not in store.article_ids() and len(store) == 3


def test_a_replacement_whose_resolution_fails_keeps_the_stored_version(
    tmp_path: Path, example_extractions: list[ArticleExtraction], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _store_of_two(tmp_path, example_extractions)
    before = snapshot(folder)
    first = example_extractions[0]
    changed = dataclasses.replace(first, article=dataclasses.replace(first.article, date=dt.date(2001, 1, 1)))
    original = resolver.resolve

    def resolve(extractions, config=None):  # type: ignore[no-untyped-def]
        extractions = list(extractions)
        if any(x.article.date == dt.date(2001, 1, 1) for x in extractions):
            raise OverflowError("date value out of range")
        return original(extractions, config)

    monkeypatch.setattr("kg.resolve.resolve", resolve)
    with KgStore.open(folder) as store:
        report = store.add_extractions([changed])
    assert report.replaced == () and "OverflowError" in report.skipped[0][1]
    assert snapshot(folder) == before


def test_an_add_that_fails_as_a_whole_leaves_the_store_exactly_as_it_was(
    tmp_path: Path, example_extractions: list[ArticleExtraction], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _store_of_two(tmp_path, example_extractions)
    before, triples = snapshot(folder), count(folder)
    _fail_for({example_extractions[2].article.id}, monkeypatch, together=True)
    with KgStore.open(folder) as store, pytest.raises(StoreError, match="left as it was"):
        store.add_extractions(example_extractions[2:3])
    assert snapshot(folder) == before
    monkeypatch.undo()
    assert count(folder) == triples
    with KgStore.open(folder, read_only=True) as store:
        assert len(store) == 2


def test_a_failure_while_writing_the_graph_puts_the_previous_store_back(
    tmp_path: Path, example_extractions: list[ArticleExtraction], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _store_of_two(tmp_path, example_extractions)
    before, triples = snapshot(folder), count(folder)
    calls = []
    original = KgStore._store_graph

    def store_graph(self, graph):  # type: ignore[no-untyped-def]
        calls.append(graph)
        if len(calls) == 1:
            raise OSError("No space left on device")
        return original(self, graph)

    monkeypatch.setattr(KgStore, "_store_graph", store_graph)
    with KgStore.open(folder) as store, pytest.raises(OSError, match="No space"):
        store.add_extractions(example_extractions[2:])
    monkeypatch.undo()
    assert snapshot(folder) == before
    assert count(folder) == triples
