"""Check a graph against kg's SHACL shapes (``ontology/shapes.ttl``).

pySHACL is the reference and writes every report. On a large graph it takes minutes, so by
default the shapes are first run as SPARQL queries on Oxigraph (:mod:`kg.graph.shapes_sparql`,
compiled from the same ``shapes.ttl``): when they find no violation the graph conforms and
pySHACL is not needed; when they find one, or the shapes use SHACL the compiler does not
translate, pySHACL validates the graph and its verdict and report are returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pyshacl import validate
from rdflib import Graph

from kg.namespace import load_ontology
from kg.sparql.oxigraph import to_store

if TYPE_CHECKING:
    import pyoxigraph

    from kg.graph.shapes_sparql import ShapeCheck

__all__ = ["CONFORMING_REPORT", "ValidationResult", "validate_graph", "validate_store"]

#: pySHACL's report text for a graph that conforms.
CONFORMING_REPORT = "Validation Report\nConforms: True\n"

#: ``"auto"``: the compiled SPARQL checks first, pySHACL when they find a violation;
#: ``"pyshacl"``: pySHACL only; ``"sparql"``: the compiled checks only (the report then names
#: the first violated constraint instead of pySHACL's full report).
Engine = Literal["auto", "pyshacl", "sparql"]


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of a SHACL check: whether the graph conforms and the report.

    ``engine`` says which check decided: ``"pyshacl"`` or ``"sparql"`` (the compiled queries).
    """

    conforms: bool
    report_text: str
    engine: str = "pyshacl"

    def __bool__(self) -> bool:
        return self.conforms


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return load_ontology("shapes.ttl")


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return load_ontology("kg.ttl")


@lru_cache(maxsize=1)
def _checks() -> tuple[ShapeCheck, ...] | None:
    from kg.graph.shapes_sparql import UnsupportedShapes, compile_shapes

    try:
        return compile_shapes(_shapes())
    except UnsupportedShapes:
        return None


def validate_graph(
    graph: Graph, *, engine: Engine = "auto", store: pyoxigraph.Store | None = None
) -> ValidationResult:
    """Validate ``graph`` against ``shapes.ttl``, with ``kg.ttl`` mixed in as the ontology.

    No inference is run: the ontology only supplies the class hierarchy (a ``kg:Broadcaster``
    is a ``kg:Organization``); inferring types from ``rdfs:range`` would hide a relation that
    points at a node of the wrong class. ``graph`` itself is not modified. ``store``, when
    given, already holds ``graph``'s triples in its default graph (the compiled checks run on
    it instead of on a fresh copy). ``engine`` as :data:`Engine` describes.
    """
    if engine == "pyshacl":
        return _pyshacl(graph)
    if engine not in ("auto", "sparql"):
        raise ValueError(f"unknown validation engine {engine!r}: expected auto, pyshacl or sparql")
    if store is None:
        store = to_store(graph)
    return validate_store(store, lambda: graph, sparql_only=engine == "sparql")


def validate_store(
    store: pyoxigraph.Store, graph: Callable[[], Graph], *, sparql_only: bool = False
) -> ValidationResult:
    """Validate the default graph of the Oxigraph ``store`` with the compiled checks; when they
    find a violation (or cannot be compiled), call ``graph()`` for the same triples as an
    rdflib graph and let pySHACL decide. ``sparql_only`` keeps the compiled verdict instead.
    """
    from kg.graph.shapes_sparql import violated

    checks = _checks()
    if checks is None:
        if sparql_only:
            raise ValueError("shapes.ttl uses SHACL that kg.graph.shapes_sparql does not translate")
        return _pyshacl(graph())
    found = violated(store, checks, _ontology())
    if not found:
        return ValidationResult(True, CONFORMING_REPORT, engine="sparql")
    if sparql_only:
        check = found[0]
        return ValidationResult(
            False,
            f"Validation Report\nConforms: False\nViolated: {check.shape}: {check.constraint}\n",
            engine="sparql",
        )
    return _pyshacl(graph())


def _pyshacl(graph: Graph) -> ValidationResult:
    conforms, _report_graph, report_text = validate(
        graph,
        shacl_graph=_shapes(),
        ont_graph=_ontology(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
        inplace=False,
    )
    return ValidationResult(conforms=bool(conforms), report_text=str(report_text))
