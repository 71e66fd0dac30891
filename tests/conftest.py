"""Shared fixtures: one NLP pipeline per test session, paths to the repo and ../shared."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.records import Article, ArticleExtraction

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


SAMPLE_GRAPH = ROOT / "tests" / "data" / "sample_graph.ttl"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The hand-made sample graph that follows ontology/README.md."""
    return SAMPLE_GRAPH


@pytest.fixture(scope="session")
def sample_graph():
    from kg.query import load_graph

    return load_graph(SAMPLE_GRAPH)


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline()


def _extractor(nlp, **kwargs):
    from kg.extract import extract_article

    def run(text: str, date: str = "2021-05-01", article_id: str = "t") -> ArticleExtraction:
        return extract_article(nlp, Article(article_id, dt.date.fromisoformat(date), text, "test"), **kwargs)

    return run


@pytest.fixture(scope="session")
def extract(nlp):
    """``extract(text, date="2021-05-01") -> ArticleExtraction``: kg's default extraction (the
    shipped learned model over the rules) on a hand-written article."""
    return _extractor(nlp)


@pytest.fixture(scope="session")
def extract_rules(nlp):
    """The same with kg's rules alone: the candidates and features the learned model reads."""
    return _extractor(nlp, model=None)


def triples(x: ArticleExtraction) -> set[tuple[str, str, str]]:
    """(subject name, predicate, object name) of an extraction, symmetric ones sorted."""
    from kg.records import SYMMETRIC_PREDICATES

    names = {e.key: e.name for e in x.entities}
    out = set()
    for r in x.relations:
        s, o = names[r.subject], names[r.object]
        if r.predicate in SYMMETRIC_PREDICATES:
            s, o = sorted((s, o))
        out.add((s, r.predicate, o))
    return out


def classes(x: ArticleExtraction) -> dict[str, str]:
    return {e.name: e.cls for e in x.entities}
