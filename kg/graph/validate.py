"""Check a graph against kg's SHACL shapes (``ontology/shapes.ttl``) with pySHACL."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyshacl import validate
from rdflib import Graph

from kg.graph.namespace import load_ontology

__all__ = ["ValidationResult", "validate_graph"]


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of a SHACL check: whether the graph conforms and pySHACL's report."""

    conforms: bool
    report_text: str

    def __bool__(self) -> bool:
        return self.conforms


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return load_ontology("shapes.ttl")


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return load_ontology("kg.ttl")


def validate_graph(graph: Graph) -> ValidationResult:
    """Validate ``graph`` against ``shapes.ttl``, with ``kg.ttl`` mixed in as the ontology.

    No inference is run: the ontology only supplies the class hierarchy (a ``kg:Broadcaster``
    is a ``kg:Organization``); inferring types from ``rdfs:range`` would hide a relation that
    points at a node of the wrong class. ``graph`` itself is not modified.
    """
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
