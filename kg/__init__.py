"""kg: build one merged, provenance-carrying RDF knowledge graph from entertainment-news articles.

>>> import kg
>>> report = kg.build(["examples"], "out")                        # doctest: +SKIP
>>> graph = kg.load_graph("out/graph.ttl")                        # doctest: +SKIP
>>> kg.run_query(graph, "SELECT ?s WHERE { ?s a kg:Person }")      # doctest: +SKIP

Or one stage at a time::

    nlp = kg.load_pipeline()
    extractions = [kg.extract_article(nlp, a) for a in kg.read_articles(["examples"])
                   if isinstance(a, kg.Article)]
    graph = kg.build_graph(kg.resolve_entities(extractions))

The names in ``__all__`` are the public API; they live in the stage packages (``kg.ingest``,
``kg.nlp``, ``kg.extract``, ``kg.resolve``, ``kg.graph``, ``kg.export``, ``kg.query``,
``kg.viz``) and in the private module ``kg._build``. Each is imported on first use, so ``import
kg`` stays fast (a ``kg serve`` worker or ``kg --help`` does not load spaCy) and a stage that is
missing or broken only fails when it is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the same names, as static re-exports for type checkers and editors
    from kg._build import BuildError as BuildError
    from kg._build import BuildReport as BuildReport
    from kg._build import build as build
    from kg.export import write_graph as write_graph
    from kg.extract import extract_article as extract_article
    from kg.graph import build_graph as build_graph
    from kg.graph import validate_graph as validate_graph
    from kg.ingest import read_articles as read_articles
    from kg.nlp import load_pipeline as load_pipeline
    from kg.query import find_contradictions as find_contradictions
    from kg.query import load_graph as load_graph
    from kg.query import run_named as run_named
    from kg.query import run_query as run_query
    from kg.records import Article as Article
    from kg.records import ArticleExtraction as ArticleExtraction
    from kg.records import Entity as Entity
    from kg.records import InputProblem as InputProblem
    from kg.records import ResolvedCorpus as ResolvedCorpus
    from kg.resolve import resolve as resolve_entities
    from kg.viz.html import write_html as write_html

    __version__: str

__all__ = [
    "Article",
    "ArticleExtraction",
    "BuildError",
    "BuildReport",
    "Entity",
    "InputProblem",
    "ResolvedCorpus",
    "__version__",
    "build",
    "build_graph",
    "extract_article",
    "find_contradictions",
    "load_graph",
    "load_pipeline",
    "read_articles",
    "resolve_entities",
    "run_named",
    "run_query",
    "validate_graph",
    "write_graph",
    "write_html",
]

#: public name -> (module, attribute). ``resolve_entities`` is :func:`kg.resolve.resolve`: the
#: name ``kg.resolve`` is the stage package, and a package attribute cannot be both.
_EXPORTS: dict[str, tuple[str, str]] = {
    "Article": ("kg.records", "Article"),
    "ArticleExtraction": ("kg.records", "ArticleExtraction"),
    "Entity": ("kg.records", "Entity"),
    "InputProblem": ("kg.records", "InputProblem"),
    "ResolvedCorpus": ("kg.records", "ResolvedCorpus"),
    "BuildError": ("kg._build", "BuildError"),
    "BuildReport": ("kg._build", "BuildReport"),
    "build": ("kg._build", "build"),
    "read_articles": ("kg.ingest", "read_articles"),
    "load_pipeline": ("kg.nlp", "load_pipeline"),
    "extract_article": ("kg.extract", "extract_article"),
    "resolve_entities": ("kg.resolve", "resolve"),
    "build_graph": ("kg.graph", "build_graph"),
    "validate_graph": ("kg.graph", "validate_graph"),
    "write_graph": ("kg.export", "write_graph"),
    "load_graph": ("kg.query", "load_graph"),
    "run_query": ("kg.query", "run_query"),
    "run_named": ("kg.query", "run_named"),
    "find_contradictions": ("kg.query", "find_contradictions"),
    "write_html": ("kg.viz.html", "write_html"),
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562) and keep it."""
    if name == "__version__":
        value: Any = _version()
    elif name in _EXPORTS:
        module_name, attribute = _EXPORTS[name]
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            raise AttributeError(
                f"kg.{name} is not available: cannot import {module_name} ({error})"
            ) from error
        value = getattr(module, attribute)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__) | {name for name in globals() if not name.startswith("_")})


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(__name__)
    except PackageNotFoundError:
        return "0.1.0"
