"""Fixtures of the store tests: the real extractions of the four example articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.records import Article, ArticleExtraction

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="session")
def example_articles() -> list[Article]:
    """The example articles, in file order."""
    from kg.ingest import read_articles

    articles = [item for item in read_articles([EXAMPLES]) if isinstance(item, Article)]
    assert len(articles) == 4
    return sorted(articles, key=lambda article: article.id)


@pytest.fixture(scope="session")
def example_extractions(nlp, example_articles: list[Article]) -> list[ArticleExtraction]:
    """What kg's pipeline reads in each example article."""
    from kg.extract import extract_article

    return [extract_article(nlp, article) for article in example_articles]
