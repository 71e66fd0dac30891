"""Graph stage: turn a resolved corpus into one provenance-carrying RDF graph and check it.

``build_graph`` follows the shape in ``ontology/README.md``; ``validate_graph`` runs the SHACL
shapes of ``ontology/shapes.ttl`` and the relation shapes :mod:`kg.graph.shapes` makes from the
ontology; ``claim_support`` combines the confidence of a triple's
evidence across articles. (The claims that clash are a query over the graph:
:func:`kg.query.find_contradictions`.)

Names are imported on first use, so code that only builds graphs does not load pySHACL. The
graph stage imports nothing above it: no :mod:`kg.query`, store, viz or build (its SPARQL
checks use :mod:`kg.sparql`, below every stage).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.graph.builder import build_graph
    from kg.graph.confidence import (
        ClaimSupport,
        RelationSupport,
        claim_support,
        combine_confidences,
        relation_support,
    )
    from kg.namespace import KG, KGR
    from kg.graph.validate import ValidationResult, Violation, validate_graph

_EXPORTS: dict[str, str] = {
    "KG": "kg.namespace",
    "KGR": "kg.namespace",
    "ClaimSupport": "kg.graph.confidence",
    "RelationSupport": "kg.graph.confidence",
    "ValidationResult": "kg.graph.validate",
    "Violation": "kg.graph.validate",
    "build_graph": "kg.graph.builder",
    "claim_support": "kg.graph.confidence",
    "combine_confidences": "kg.graph.confidence",
    "relation_support": "kg.graph.confidence",
    "validate_graph": "kg.graph.validate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg.graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
