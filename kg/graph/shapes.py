"""kg's SHACL shapes: ``ontology/shapes.ttl`` plus the relation shapes, made from the ontology.

The classes at both ends of each relation are stated once, as ``rdfs:domain`` and
``rdfs:range`` in ``ontology/kg.ttl``; :func:`relation_shapes` turns the predicates
:mod:`kg.schema` reads from there into shapes, so a new relation is checked as soon as the
ontology declares it:

- predicates between two *beings* (``kg:Being``: child, spouse, friend …) get one shape that
  targets their subjects and asks for exactly one of "every such link goes from a Person to a
  Person" and "… from a Character to a Character" (``sh:xone``): never across;
- every other predicate joins the shape of its domain class (``kgsh:PersonRelationShape``,
  ``kgsh:ShowRelationShape`` …), which asks the subject to be of that class and each object to be
  of the range class (subclasses count: the ontology is mixed in when validating).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from rdflib import RDF, SH, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from kg.namespace import KG_NAMESPACE, load_ontology
from kg.schema import PredicateSpec, predicates

__all__ = ["KGSH", "relation_shapes", "shapes_graph"]

KGSH = Namespace("https://w3id.org/kg-news/shapes#")
#: open, unlike :class:`kg.namespace.KG`: the shapes follow any ontology text, new terms included
KG = Namespace(KG_NAMESPACE)


def relation_shapes(specs: Mapping[str, PredicateSpec] | None = None) -> Graph:
    """SHACL shapes for the classes at both ends of each relation of ``specs`` (by default the
    packaged ontology's, :func:`kg.schema.predicates`)."""
    specs = predicates() if specs is None else specs
    graph = Graph()
    graph.bind("kgsh", KGSH)
    graph.bind("kg", KG)
    same_class: dict[str, list[PredicateSpec]] = {}
    by_domain: dict[str, list[PredicateSpec]] = {}
    for spec in specs.values():
        (same_class if spec.same_class else by_domain).setdefault(spec.domain_class, []).append(spec)

    for union, members in same_class.items():
        shape = KGSH[f"{union}RelationShape"]
        alternatives = []
        for cls in sorted(members[0].domain):
            alternative = KGSH[f"{cls}To{cls}Shape"]
            graph.add((alternative, RDF.type, SH.NodeShape))
            graph.add((alternative, SH["class"], KG[cls]))
            for spec in members:
                _property(graph, alternative, spec, cls)
            alternatives.append(alternative)
        names = "/".join(spec.name for spec in members)
        classes = " nodes or two ".join(f"kg:{cls}" for cls in sorted(members[0].domain))
        _node_shape(graph, shape, members, f"{names} must link two {classes} nodes.")
        choice = BNode()
        Collection(graph, choice, alternatives)
        graph.add((shape, SH.xone, choice))

    for domain, members in by_domain.items():
        shape = KGSH[f"{domain}RelationShape"]
        _node_shape(graph, shape, members, None)
        graph.add((shape, SH["class"], KG[domain]))
        for spec in members:
            _property(graph, shape, spec, spec.range_class)
    return graph


def _node_shape(graph: Graph, shape: URIRef, members: list[PredicateSpec], message: str | None) -> None:
    graph.add((shape, RDF.type, SH.NodeShape))
    for spec in members:
        graph.add((shape, SH.targetSubjectsOf, KG[spec.name]))
    if message:
        graph.add((shape, SH.message, Literal(message, lang="en")))


def _property(graph: Graph, shape: URIRef, spec: PredicateSpec, object_class: str) -> None:
    prop = BNode()
    graph.add((shape, SH.property, prop))
    graph.add((prop, SH.path, KG[spec.name]))
    graph.add((prop, SH["class"], KG[object_class]))
    graph.add((prop, SH.nodeKind, SH.IRI))
    graph.add((prop, SH.message, Literal(f"kg:{spec.name} must point at a kg:{object_class}.",
                                         lang="en")))


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """Every shape a graph ``kg build`` writes must pass: ``shapes.ttl`` and
    :func:`relation_shapes`. A fresh copy is cached; do not modify it."""
    graph = load_ontology("shapes.ttl")
    graph += relation_shapes()
    return graph
