"""Check a graph against kg's SHACL shapes (``ontology/shapes.ttl`` and the relation shapes
:mod:`kg.graph.shapes` makes from the ontology).

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
from rdflib import RDF, SH, Graph, URIRef
from rdflib.term import Node

from kg.graph.shapes import shapes_graph
from kg.namespace import load_ontology
from kg.sparql.oxigraph import to_store

if TYPE_CHECKING:
    import pyoxigraph

    from kg.graph.shapes_sparql import ShapeCheck

__all__ = [
    "CONFORMING_REPORT", "ValidationResult", "Violation", "validate_graph", "validate_store",
]

#: pySHACL's report text for a graph that conforms.
CONFORMING_REPORT = "Validation Report\nConforms: True\n"

#: ``"auto"``: the compiled SPARQL checks first, pySHACL when they find a violation;
#: ``"pyshacl"``: pySHACL only; ``"sparql"``: the compiled checks only (the report then names
#: the first violated constraint instead of pySHACL's full report).
Engine = Literal["auto", "pyshacl", "sparql"]


@dataclass(frozen=True)
class Violation:
    """One constraint a graph breaks: which shape fired, on which node, along which path.

    ``shape`` is the local name of the node shape (``"EntityShape"``; for a constraint of one
    of its property shapes, the node shape that holds it), ``path`` the property path's IRI
    (``None`` for a node constraint), ``focus`` the node checked, ``component`` the SHACL
    constraint component's local name (``"MinCountConstraintComponent"``), ``message`` the
    shape's ``sh:message`` or pySHACL's own words.
    """

    shape: str
    path: str | None
    focus: str | None
    component: str
    message: str


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of a SHACL check: whether the graph conforms, the report and its violations.

    ``engine`` says which check decided: ``"pyshacl"`` or ``"sparql"`` (the compiled queries;
    they name the first violated constraint only, with no focus node).
    """

    conforms: bool
    report_text: str
    engine: str = "pyshacl"
    violations: tuple[Violation, ...] = ()

    def __bool__(self) -> bool:
        return self.conforms

    def fired(self, shape: str, path: str | None = None) -> list[Violation]:
        """The violations of ``shape`` (along ``path``, an IRI, when given)."""
        return [v for v in self.violations
                if v.shape == shape and (path is None or v.path == str(path))]


def _shapes() -> Graph:
    return shapes_graph()


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
    check = found[0]
    compiled = ValidationResult(
        False,
        f"Validation Report\nConforms: False\nViolated: {check.shape}: {check.constraint}\n",
        engine="sparql",
        violations=(Violation(_local(URIRef(check.shape)), None, None, check.constraint,
                              check.constraint),),
    )
    if sparql_only:
        return compiled
    try:
        return _pyshacl(graph())
    except TypeError:
        # pySHACL fails comparing an ill-typed literal ("nope"^^xsd:integer under
        # sh:lessThanOrEquals); the compiled checks have found the graph does not conform.
        return compiled


def _pyshacl(graph: Graph) -> ValidationResult:
    shapes = _shapes()
    conforms, report_graph, report_text = validate(
        graph,
        shacl_graph=shapes,
        ont_graph=_ontology(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
        inplace=False,
    )
    return ValidationResult(conforms=bool(conforms), report_text=str(report_text),
                            violations=_violations(report_graph, shapes))


def _violations(report: Graph, shapes: Graph) -> tuple[Violation, ...]:
    """pySHACL's results graph as :class:`Violation` records, sorted."""
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        source = report.value(result, SH.sourceShape)
        owner = shapes.value(predicate=SH.property, object=source) if source is not None else None
        shape = owner if owner is not None else source
        path, focus = report.value(result, SH.resultPath), report.value(result, SH.focusNode)
        component = report.value(result, SH.sourceConstraintComponent)
        found.add(Violation(
            shape=_local(shape) if shape is not None else "",
            path=str(path) if isinstance(path, URIRef) else None,
            focus=None if focus is None else str(focus),
            component=_local(component) if component is not None else "",
            message=str(report.value(result, SH.resultMessage) or ""),
        ))
    return tuple(sorted(found, key=lambda v: (v.shape, v.path or "", v.focus or "", v.component,
                                              v.message)))


def _local(term: Node) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
