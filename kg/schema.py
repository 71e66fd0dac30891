"""The relation schema, read from the ontology (``ontology/kg.ttl``), the one place it is stated.

>>> from kg.schema import predicates
>>> predicates()["plays"].domain, predicates()["plays"].range
(frozenset({'Person'}), frozenset({'Character'}))

A predicate's domain and range are the entity classes below its ``rdfs:domain`` /
``rdfs:range`` (``kg:Being`` stands for Person and Character). Between two *beings* a relation
holds between two people or two characters, never across (fictional families sit between
characters: never put a fictional relation on the actors).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from kg.namespace import load_ontology

__all__ = ["PredicateSpec", "entity_classes", "fits", "predicates"]

KG = "https://w3id.org/kg-news/ontology#"
_ENTITY_ROOT = URIRef(KG + "NamedEntity")


@dataclass(frozen=True)
class PredicateSpec:
    """One relation predicate of the ontology."""

    name: str
    label: str
    domain: frozenset[str]
    range: frozenset[str]
    symmetric: bool
    #: both ends must be of one class (the Being-to-Being relations: kin, partners, friends)
    same_class: bool


def _local(term: Node) -> str:
    return str(term).rsplit("#", 1)[-1]


def _is_union(graph: Graph, cls: URIRef) -> bool:
    return any((eq, OWL.unionOf, None) in graph for eq in graph.objects(cls, OWL.equivalentClass))


def _leaves(graph: Graph, cls: URIRef) -> frozenset[str]:
    """The entity classes at or below ``cls``; a union class (kg:Being) stands for its members."""
    out: set[str] = set() if _is_union(graph, cls) else {_local(cls)}
    for sub in graph.subjects(RDFS.subClassOf, cls):
        out |= _leaves(graph, sub)  # type: ignore[arg-type]
    return frozenset(out)


@lru_cache(maxsize=4)
def _load(text: str | None = None) -> dict[str, PredicateSpec]:
    graph = load_ontology() if text is None else Graph().parse(data=text, format="turtle")
    specs: dict[str, PredicateSpec] = {}
    for prop in sorted(graph.subjects(RDF.type, OWL.ObjectProperty), key=str):
        if not str(prop).startswith(KG):
            continue
        domain, range_ = graph.value(prop, RDFS.domain), graph.value(prop, RDFS.range)
        if domain is None or range_ is None:
            continue
        dom, rng = _leaves(graph, domain), _leaves(graph, range_)  # type: ignore[arg-type]
        entity = entity_classes(text)
        if not dom <= entity or not rng <= entity:
            continue  # observations, provenance, merges: not relations between entities
        if any(str(o).startswith(KG) for o in graph.objects(prop, OWL.inverseOf)):
            continue  # kg never writes an inverse (parent, playedBy): it follows from the other
        name = _local(prop)
        label = str(graph.value(prop, RDFS.label) or name)
        specs[name] = PredicateSpec(
            name=name, label=label, domain=dom, range=rng,
            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
            same_class=domain == range_ and len(dom) > 1,
        )
    return specs


@lru_cache(maxsize=4)
def entity_classes(text: str | None = None) -> frozenset[str]:
    """The concrete entity classes (Person, Character, Show, Organization, Place, Event)."""
    graph = load_ontology() if text is None else Graph().parse(data=text, format="turtle")
    root = _ENTITY_ROOT
    union = graph.value(root, OWL.unionOf)
    out: set[str] = set()
    if union is not None:
        from rdflib.collection import Collection

        for member in Collection(graph, union):
            out |= _leaves(graph, member)  # type: ignore[arg-type]
    else:
        out |= _leaves(graph, root)
    return frozenset(out)


def predicates(ontology_text: str | None = None) -> dict[str, PredicateSpec]:
    """Relation predicates between entities, by local name (``ontology_text``: another ontology)."""
    return _load(ontology_text)


def fits(predicate: str, subject_cls: str, object_cls: str,
         ontology_text: str | None = None) -> bool:
    """Whether ``subject_cls predicate object_cls`` agrees with the ontology."""
    spec = predicates(ontology_text).get(predicate)
    if spec is None:
        return False
    if subject_cls not in spec.domain or object_cls not in spec.range:
        return False
    return not spec.same_class or subject_cls == object_cls
