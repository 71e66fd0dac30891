"""Graph stage: turn a resolved corpus into one provenance-carrying RDF graph and check it.

``build_graph`` follows the shape in ``ontology/README.md``; ``validate_graph`` runs the SHACL
shapes of ``ontology/shapes.ttl``; ``relation_support`` combines the confidence of a
relation's evidence across articles.
"""

from kg.graph.builder import build_graph
from kg.graph.confidence import RelationSupport, combine_confidences, relation_support
from kg.graph.namespace import KG, KGR
from kg.graph.validate import ValidationResult, validate_graph

__all__ = [
    "KG",
    "KGR",
    "RelationSupport",
    "ValidationResult",
    "build_graph",
    "combine_confidences",
    "relation_support",
    "validate_graph",
]
