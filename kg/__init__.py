"""kg: build one merged, provenance-carrying RDF knowledge graph from entertainment-news articles.

>>> import kg
>>> report = kg.build(["examples"], "out")                        # doctest: +SKIP
>>> graph = kg.load_graph("out/graph.ttl")                        # doctest: +SKIP
>>> kg.run_query(graph, "SELECT ?s WHERE { ?s a kg:Person }")      # doctest: +SKIP

Or one stage at a time::

    nlp = kg.load_pipeline()
    extractions = [kg.extract_article(nlp, a) for a in kg.read_articles(["examples"])
                   if isinstance(a, kg.Article)]
    graph = kg.build_graph(kg.resolve(extractions))

Every name here is imported on first use, so ``import kg`` stays fast and a stage that is
missing or broken only fails when it is used.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import inspect

    from kg.build import BuildError, BuildReport, build
    from kg.export import write_graph
    from kg.extract import extract_article
    from kg.graph import build_graph, validate_graph
    from kg.ingest import read_articles
    from kg.nlp import load_pipeline
    from kg.query import load_graph, run_named, run_query
    from kg.records import Article, ArticleExtraction, Entity, InputProblem, ResolvedCorpus
    from kg.resolve import resolve
    from kg.viz.html import write_html

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
    "load_graph",
    "load_pipeline",
    "read_articles",
    "resolve",
    "run_named",
    "run_query",
    "validate_graph",
    "write_graph",
    "write_html",
]

#: public name -> (module, attribute)
_EXPORTS: dict[str, tuple[str, str]] = {
    "Article": ("kg.records", "Article"),
    "ArticleExtraction": ("kg.records", "ArticleExtraction"),
    "Entity": ("kg.records", "Entity"),
    "InputProblem": ("kg.records", "InputProblem"),
    "ResolvedCorpus": ("kg.records", "ResolvedCorpus"),
    "BuildError": ("kg.build", "BuildError"),
    "BuildReport": ("kg.build", "BuildReport"),
    "read_articles": ("kg.ingest", "read_articles"),
    "load_pipeline": ("kg.nlp", "load_pipeline"),
    "extract_article": ("kg.extract", "extract_article"),
    "build_graph": ("kg.graph", "build_graph"),
    "validate_graph": ("kg.graph", "validate_graph"),
    "write_graph": ("kg.export", "write_graph"),
    "load_graph": ("kg.query", "load_graph"),
    "run_query": ("kg.query", "run_query"),
    "run_named": ("kg.query", "run_named"),
    "write_html": ("kg.viz.html", "write_html"),
}

# ``build`` and ``resolve`` are functions named like the submodules that define them. Importing
# a submodule sets it as an attribute of its package, so ``kg.build`` would be the function or
# the module depending on import order. Instead it is always the module, made callable: it calls
# the function of the same name, and ``kg.build.BuildReport`` or patching ``kg.build.build``
# keep working.
_CALLABLE_SUBMODULES: frozenset[str] = frozenset({"build", "resolve"})


class _CallableModule(types.ModuleType):
    """A module that, when called, calls its own function of the same (last) name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(self, self.__name__.rpartition(".")[2])(*args, **kwargs)

    @property
    def __signature__(self) -> inspect.Signature:
        import inspect

        return inspect.signature(getattr(self, self.__name__.rpartition(".")[2]))


class _Package(types.ModuleType):
    """kg itself: makes the callable submodules callable as the import system attaches them."""

    def __setattr__(self, name: str, value: Any) -> None:
        if (
            name in _CALLABLE_SUBMODULES
            and type(value) is types.ModuleType
            and value.__name__ == f"{__name__}.{name}"
        ):
            value.__class__ = _CallableModule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name in _CALLABLE_SUBMODULES:
        return _import(name, f"{__name__}.{name}")
    elif name in _EXPORTS:
        module_name, attribute = _EXPORTS[name]
        value = getattr(_import(name, module_name), attribute, _MISSING)
        if value is _MISSING:
            raise AttributeError(f"kg.{name} is not available: {module_name} has no {attribute!r}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__) | {name for name in globals() if name.startswith("__")})


_MISSING = object()


def _import(name: str, module_name: str) -> types.ModuleType:
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        raise AttributeError(
            f"kg.{name} is not available: cannot import {module_name} ({error})"
        ) from error


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(__name__)
    except PackageNotFoundError:
        return "0.1.0"
