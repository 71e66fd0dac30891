"""The persistent store: incremental adds and removals give the graph a full build gives."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic, to_isomorphic

from kg.graph.builder import build_graph
from kg.namespace import KG, PROV, RDF
from kg.records import Article, ArticleExtraction
from kg.resolve import resolve
from kg.store import MANIFEST, KgStore, StoreError, content_hash, open_graph


def full_build(extractions: Sequence[ArticleExtraction]) -> rdflib.Graph:
    """What kg build makes of these extractions."""
    return build_graph(resolve(list(extractions)))


def store_graph(store: KgStore) -> rdflib.Graph:
    return store.graph.to_graph()


def files(folder: Path) -> dict[str, bytes]:
    """Every file of a store except Oxigraph's own (RocksDB rewrites its logs on open)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "oxigraph" not in path.parts
    }


def _no_pipeline() -> None:
    raise AssertionError("nothing should need extracting")


@pytest.fixture(params=["oxigraph", "rdflib"])
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


def test_adding_in_two_steps_gives_the_graph_of_one_build(
    tmp_path: Path, example_extractions: list[ArticleExtraction], engine: str
) -> None:
    first, second = example_extractions[:2], example_extractions[2:]
    at_once = KgStore.create(tmp_path / "once", engine=engine)
    at_once.add_extractions(example_extractions)
    stepwise = KgStore.create(tmp_path / "steps", engine=engine)
    report_a = stepwise.add_extractions(first)
    report_b = stepwise.add_extractions(second)

    assert report_a.added == tuple(x.article.id for x in first) and report_a.rebuilt
    assert report_b.added == tuple(x.article.id for x in second) and report_b.unchanged == ()
    expected = full_build(example_extractions)
    assert isomorphic(store_graph(stepwise), expected)
    assert isomorphic(store_graph(at_once), expected)
    # the resolver merged across the steps: one Hayley Brannigan, with evidence from 02 and 04
    graph = store_graph(stepwise)
    hayley = [s for s in graph.subjects(RDF.type, KG.Person)
              if str(graph.value(s, rdflib.RDFS.label)).startswith("Hayley")]
    assert len(hayley) == 1


def test_adding_b_to_a_also_in_reverse_order(tmp_path: Path, example_extractions: list[ArticleExtraction]) -> None:
    store = KgStore.create(tmp_path / "s")
    for extraction in reversed(example_extractions):
        store.add_extractions([extraction])
    assert isomorphic(store_graph(store), full_build(example_extractions))


def test_re_adding_unchanged_articles_writes_nothing(
    tmp_path: Path, example_articles: list[Article], example_extractions: list[ArticleExtraction]
) -> None:
    folder = tmp_path / "s"
    with KgStore.create(folder) as store:
        store.add_extractions(example_extractions)
        dump = store.graph.serialize("nquads")
    before = files(folder)
    mtimes = {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()
              and "oxigraph" not in path.parts}

    with KgStore.open(folder) as store:
        report = store.add_articles(example_articles, _no_pipeline)
        assert report.unchanged == tuple(a.id for a in example_articles)
        assert not report.added and not report.replaced and not report.rebuilt
        assert store.add_extractions(example_extractions[:1]).rebuilt is False
        assert store.graph.serialize("nquads") == dump

    assert files(folder) == before
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes
    reopened = open_graph(folder)
    assert reopened.serialize("nquads") == dump


def test_only_new_articles_are_extracted(
    tmp_path: Path, nlp, example_articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.extract

    seen: list[str] = []
    real_one, real_many = kg.extract.extract_article, kg.extract.extract_articles

    def counting(pipeline, article: Article) -> ArticleExtraction:
        seen.append(article.id)
        return real_one(pipeline, article)

    def counting_many(pipeline, articles, **kwargs):  # kg add extracts in batches, as kg build
        articles = list(articles)
        seen.extend(article.id for article in articles)
        return real_many(pipeline, articles, **kwargs)

    monkeypatch.setattr(kg.extract, "extract_article", counting)
    monkeypatch.setattr(kg.extract, "extract_articles", counting_many)
    store = KgStore.create(tmp_path / "s")
    store.add_articles(example_articles[:2], nlp)
    assert seen == [a.id for a in example_articles[:2]]
    seen.clear()
    report = store.add_articles(example_articles, nlp)
    assert seen == [a.id for a in example_articles[2:]]
    assert report.added == tuple(a.id for a in example_articles[2:])
    assert report.unchanged == tuple(a.id for a in example_articles[:2])


def test_a_changed_article_replaces_its_old_version(
    tmp_path: Path, example_extractions: list[ArticleExtraction]
) -> None:
    store = KgStore.create(tmp_path / "s")
    store.add_extractions(example_extractions)
    old = example_extractions[1]
    # the same article, corrected: its last relation withdrawn and its text changed
    new = dataclasses.replace(
        old,
        article=dataclasses.replace(old.article, text=old.article.text + " Correction."),
        relations=old.relations[:-1],
    )
    assert content_hash(new.article) != content_hash(old.article)
    report = store.add_extractions([new])
    assert report.replaced == (old.article.id,) and report.added == ()
    expected = full_build([*example_extractions[:1], new, *example_extractions[2:]])
    assert isomorphic(store_graph(store), expected)
    assert not isomorphic(store_graph(store), full_build(example_extractions))
    assert store.extraction(old.article.id) == new


def _support(graph: rdflib.Graph) -> dict[tuple[rdflib.term.Node, ...], set[str]]:
    """(subject, predicate, object) -> the ids of the articles whose statements support it."""
    support: dict[tuple[rdflib.term.Node, ...], set[str]] = {}
    for statement in graph.subjects(RDF.type, RDF.Statement):
        triple = (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate),
                  graph.value(statement, RDF.object))
        article = str(graph.value(statement, PROV.wasDerivedFrom)).rsplit("/", 1)[-1]
        support.setdefault(triple, set()).add(article)
    return support


def test_removing_an_article_retracts_only_what_it_alone_supports(
    tmp_path: Path, example_extractions: list[ArticleExtraction]
) -> None:
    store = KgStore.create(tmp_path / "s")
    store.add_extractions(example_extractions)
    before = store_graph(store)
    support = _support(before)
    gone = example_extractions[-1].article.id
    shared = [t for t, ids in support.items() if gone in ids and len(ids) > 1]
    alone = [t for t, ids in support.items() if ids == {gone}]
    assert shared and alone, "the examples should have both kinds of fact"

    report = store.remove([gone, "no-such-article"])
    assert report.removed == (gone,) and report.missing == ("no-such-article",)
    after = store_graph(store)
    assert isomorphic(after, full_build(example_extractions[:-1]))
    left = _support(after)
    for triple in shared:
        if triple in left:  # (the entities keep their IRIs unless resolution changed them)
            assert gone not in left[triple] and left[triple] == support[triple] - {gone}
            assert triple in after
    assert any(triple in left for triple in shared)
    for triple in alone:
        assert triple not in left and triple not in after
    assert store.article_ids() == sorted(x.article.id for x in example_extractions[:-1])


def test_removing_every_article_leaves_an_empty_graph(
    tmp_path: Path, example_extractions: list[ArticleExtraction]
) -> None:
    store = KgStore.create(tmp_path / "s")
    store.add_extractions(example_extractions[:1])
    store.remove([example_extractions[0].article.id])
    assert len(store.graph) == 0 and len(store) == 0
    assert not list((tmp_path / "s" / "extractions").iterdir())


def test_build_hands_over_its_graph(tmp_path: Path, example_extractions: list[ArticleExtraction]) -> None:
    graph = full_build(example_extractions)
    store = KgStore.create(tmp_path / "s")
    report = store.replace_all(example_extractions, graph)
    assert report.articles == 4 and report.triples == len(graph)
    store.close()
    reopened = KgStore.open(tmp_path / "s")
    assert isomorphic(store_graph(reopened), graph)
    assert reopened.extractions() == sorted(example_extractions, key=lambda x: x.article.id)


def test_an_interrupted_update_is_repaired(tmp_path: Path, example_extractions: list[ArticleExtraction]) -> None:
    folder = tmp_path / "s"
    with KgStore.create(folder) as store:
        store.add_extractions(example_extractions)
        store.graph.replace(rdflib.Graph())  # as if the process died while rewriting the graph
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["graph"]["state"] = "stale"
    (folder / MANIFEST).write_text(json.dumps(manifest))

    with pytest.raises(StoreError, match="out of date"):
        KgStore.open(folder, read_only=True)
    with KgStore.open(folder) as store:
        assert isomorphic(store_graph(store), full_build(example_extractions))
    with KgStore.open(folder, read_only=True) as store:
        assert len(store.graph) > 0


def test_read_only_stores_refuse_writes(tmp_path: Path, example_extractions: list[ArticleExtraction]) -> None:
    with KgStore.create(tmp_path / "s") as store:
        store.add_extractions(example_extractions[:1])
    with KgStore.open(tmp_path / "s", read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.add_extractions(example_extractions[1:2])
        with pytest.raises(StoreError, match="read-only"):
            store.remove([example_extractions[0].article.id])


def test_create_never_writes_into_a_foreign_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(StoreError, match="not empty"):
        KgStore.create(folder)
    assert (folder / "notes.txt").read_text() == "keep me"
    KgStore.create(tmp_path / "s").close()
    with pytest.raises(StoreError, match="already a kg store"):
        KgStore.create(tmp_path / "s")
    KgStore.create(tmp_path / "s", overwrite=True).close()
    with pytest.raises(StoreError, match="not a kg store"):
        KgStore.open(folder)


def test_a_broken_extraction_file_is_named(tmp_path: Path, example_extractions: list[ArticleExtraction]) -> None:
    folder = tmp_path / "s"
    with KgStore.create(folder) as store:
        store.add_extractions(example_extractions[:1])
    [path] = (folder / "extractions").iterdir()
    path.write_text("{not json")
    with KgStore.open(folder) as store, pytest.raises(StoreError, match=path.name):
        store.extraction(example_extractions[0].article.id)


def test_canonical_form_is_stable(tmp_path: Path, example_extractions: list[ArticleExtraction]) -> None:
    # the same articles give the same triples whichever way they were stored
    a = KgStore.create(tmp_path / "a")
    a.add_extractions(example_extractions)
    b = KgStore.create(tmp_path / "b", engine="rdflib")
    for extraction in example_extractions:
        b.add_extractions([extraction])
    assert to_isomorphic(store_graph(a)) == to_isomorphic(store_graph(b))


class _Killed(BaseException):
    """Stands for SIGKILL at one step of an update (a BaseException, so nothing catches it)."""


def _kill_at(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    def die(*args: object, **kwargs: object) -> None:
        raise _Killed(step)

    monkeypatch.setattr(KgStore, step, die)


def _content(folder: Path) -> tuple[list[str], rdflib.Graph]:
    with KgStore.open(folder) as store:
        return store.article_ids(), store_graph(store)


def _updates(extractions: list[ArticleExtraction]) -> dict[str, object]:
    """Updates of a store holding the first three extractions, each with what it should give."""
    old = extractions[1]
    changed = dataclasses.replace(
        old, article=dataclasses.replace(old.article, text=old.article.text + " Correction."),
        relations=old.relations[:-1],
    )
    return {
        "add": (lambda s: s.add_extractions(extractions[3:]), extractions),
        "replace": (lambda s: s.add_extractions([changed]), [extractions[0], changed, extractions[2]]),
        "remove": (lambda s: s.remove([extractions[0].article.id]), extractions[1:3]),
        "replace_all": (lambda s: s.replace_all(extractions[2:]), extractions[2:]),
    }


def _store_of_three(folder: Path, extractions: list[ArticleExtraction]) -> None:
    with KgStore.create(folder) as store:
        store.add_extractions(extractions[:3])


def _update_killed_at(folder: Path, extractions: list[ArticleExtraction], update: str, step: str,
                      monkeypatch: pytest.MonkeyPatch) -> list[ArticleExtraction]:
    """Run ``update`` on the store at ``folder``, killed at ``step``; what it should have given."""
    action, expected = _updates(extractions)[update]
    with monkeypatch.context() as patch:
        _kill_at(patch, step)
        store = KgStore.open(folder)
        with pytest.raises(_Killed):
            action(store)  # type: ignore[operator]
        store.close()
    return expected  # type: ignore[return-value]


@pytest.mark.parametrize("update", ["add", "replace", "remove", "replace_all"])
def test_an_update_killed_before_its_commit_leaves_the_previous_store(
    tmp_path: Path, example_extractions: list[ArticleExtraction], update: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "s"
    _store_of_three(folder, example_extractions)
    before_ids, before_graph = _content(folder)
    _update_killed_at(folder, example_extractions, update, "_commit", monkeypatch)

    with KgStore.open(folder, read_only=True) as store:  # still current: readers need no repair
        assert store.article_ids() == before_ids
        assert isomorphic(store_graph(store), before_graph)
    ids, graph = _content(folder)
    assert ids == before_ids and isomorphic(graph, before_graph)
    # files the killed update wrote before its commit are gone after a writable open
    with KgStore.open(folder) as store:
        named = {f"extractions/{p.name}" for p in (folder / "extractions").iterdir()}
        assert named == {store._manifest.articles[i].file for i in store.article_ids()}


@pytest.mark.parametrize("update", ["add", "replace", "remove", "replace_all"])
def test_an_update_killed_after_its_commit_is_finished_on_the_next_open(
    tmp_path: Path, example_extractions: list[ArticleExtraction], update: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "s"
    _store_of_three(folder, example_extractions)
    expected = _update_killed_at(folder, example_extractions, update, "_store_graph", monkeypatch)

    with pytest.raises(StoreError, match="out of date"):
        KgStore.open(folder, read_only=True)
    ids, graph = _content(folder)
    assert ids == sorted(x.article.id for x in expected)
    assert isomorphic(graph, full_build(expected))
    with KgStore.open(folder, read_only=True) as store:
        assert isomorphic(store_graph(store), graph)


def test_extraction_files_are_named_by_content_and_old_versions_are_deleted(
    tmp_path: Path, example_extractions: list[ArticleExtraction]
) -> None:
    folder = tmp_path / "s"
    store = KgStore.create(folder)
    store.add_extractions(example_extractions[:2])
    first = sorted(p.name for p in (folder / "extractions").iterdir())
    action, _ = _updates(example_extractions)["replace"]
    action(store)
    second = sorted(p.name for p in (folder / "extractions").iterdir())
    assert len(first) == len(second) == 2
    assert len(set(first) & set(second)) == 1  # the unchanged article kept its file
    store.close()


def test_adding_with_workers_gives_the_graph_of_one_process(
    tmp_path: Path, nlp, example_articles: list[Article]
) -> None:
    """``kg add --workers N`` runs the driver ``kg build`` runs: same extractions, same graph."""
    with KgStore.create(tmp_path / "one") as store:
        store.add_articles(example_articles, nlp)
        one = store.graph.serialize("nquads")
    with KgStore.create(tmp_path / "two") as store:
        report = store.add_articles(example_articles, workers=2)
        assert report.added == tuple(sorted(a.id for a in example_articles))
        assert store.graph.serialize("nquads") == one
