"""The relation schema, read from the ontology (``ontology/kg.ttl``), the one place it is stated.

>>> from kg.schema import predicates
>>> predicates()["plays"].domain, predicates()["plays"].range
(frozenset({'Person'}), frozenset({'Character'}))

For every relation predicate the ontology states its name and display label
(``rdfs:label``), its domain and range, whether it is symmetric, its inverse (an
``owl:inverseOf`` property, which kg never writes, or a ``kg:inverseLabel``) and its families:
the abstract properties it is ``rdfs:subPropertyOf`` (``kg:partnership`` below
``kg:familyRelation``, ``kg:appearance`` below ``kg:workRelation``). Extraction's signature
check, the graph's symmetric predicates, the SHACL shapes of the relations
(:func:`kg.graph.shapes.relation_shapes`) and the explorer's legend all derive from these
records, so a new relation type is an ontology term, its extraction data and a test.

A predicate's domain and range are the entity classes below its ``rdfs:domain`` /
``rdfs:range`` (``kg:Being`` stands for Person and Character). Between two *beings* a relation
holds between two people or two characters, never across (fictional families sit between
characters: never put a fictional relation on the actors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.namespace import KG_NAMESPACE, load_ontology

__all__ = [
    "Family", "PredicateSpec", "disjoint_groups", "entity_classes", "families", "family_members", "fits",
    "predicates", "symmetric_predicates",
]

KG = KG_NAMESPACE
_ENTITY_ROOT = URIRef(KG + "NamedEntity")
_INVERSE_LABEL = URIRef(KG + "inverseLabel")


@dataclass(frozen=True)
class PredicateSpec:
    """One relation predicate of the ontology."""

    name: str
    #: how it reads from subject to object ("acts in")
    label: str
    domain: frozenset[str]
    range: frozenset[str]
    symmetric: bool
    #: both ends must be of one class (the Being-to-Being relations: kin, partners, friends)
    same_class: bool
    #: how it reads from object to subject ("cast member"; the label again when symmetric)
    inverse_label: str = ""
    #: the class the ontology names as ``rdfs:domain`` / ``rdfs:range`` ("Being", "Organization")
    domain_class: str = ""
    range_class: str = ""
    #: the kg property declared ``owl:inverseOf`` this one ("parent" for child), never written
    inverse: str | None = None
    #: every family it belongs to, nearest first ("partnership", "familyRelation")
    families: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        """The widest family ("familyRelation", "socialRelation", "workRelation"), or ""."""
        return self.families[-1] if self.families else ""


@dataclass(frozen=True)
class Family:
    """An abstract property of the ontology that relations are ``rdfs:subPropertyOf``."""

    name: str
    label: str
    #: the relation predicates in it, directly or through a narrower family, in ontology order
    members: tuple[str, ...]
    #: the wider family it belongs to, if any
    parent: str | None = None


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


def _graph(text: str | None) -> Graph:
    return load_ontology() if text is None else Graph().parse(data=text, format="turtle")


def _text_order(text: str | None) -> dict[str, int]:
    """Where each ``kg:name a owl:…`` declaration starts in the ontology text: the order the
    ontology lists its terms in, which the legend and the reports keep."""
    from kg.namespace import ontology_text

    source = ontology_text() if text is None else text
    return {m.group(1): m.start() for m in re.finditer(r"^kg:(\w+)\s+a\s", source, re.MULTILINE)}


def _kg_parents(graph: Graph, prop: Node) -> list[URIRef]:
    return sorted((p for p in graph.objects(prop, RDFS.subPropertyOf)  # type: ignore[misc]
                   if str(p).startswith(KG)), key=str)


def _family_chain(graph: Graph, prop: Node) -> tuple[str, ...]:
    chain: list[str] = []
    parents = _kg_parents(graph, prop)
    while parents and _local(parents[0]) not in chain:
        chain.append(_local(parents[0]))
        parents = _kg_parents(graph, parents[0])
    return tuple(chain)


@lru_cache(maxsize=4)
def _load(text: str | None = None) -> tuple[dict[str, PredicateSpec], dict[str, Family]]:
    graph = _graph(text)
    order = _text_order(text)
    entity = entity_classes(text)
    family_iris = {p for prop in graph.subjects(RDFS.subPropertyOf, None)
                   for p in _kg_parents(graph, prop)}
    specs: dict[str, PredicateSpec] = {}
    for prop in sorted(graph.subjects(RDF.type, OWL.ObjectProperty),
                       key=lambda p: (order.get(_local(p), len(order)), str(p))):
        if not str(prop).startswith(KG) or prop in family_iris:
            continue  # other vocabularies; families are never written
        domain, range_ = graph.value(prop, RDFS.domain), graph.value(prop, RDFS.range)
        if domain is None or range_ is None:
            continue
        dom, rng = _leaves(graph, domain), _leaves(graph, range_)  # type: ignore[arg-type]
        if not dom <= entity or not rng <= entity:
            continue  # observations, provenance, merges: not relations between entities
        if any(str(o).startswith(KG) for o in graph.objects(prop, OWL.inverseOf)):
            continue  # kg never writes an inverse (parent, playedBy): it follows from the other
        name = _local(prop)
        label = str(graph.value(prop, RDFS.label) or name)
        symmetric = (prop, RDF.type, OWL.SymmetricProperty) in graph
        inverse = next((s for s in graph.subjects(OWL.inverseOf, prop) if str(s).startswith(KG)), None)
        inverse_label = (label if symmetric else
                         str(graph.value(inverse, RDFS.label) or "") if inverse is not None else
                         str(graph.value(prop, _INVERSE_LABEL) or ""))
        specs[name] = PredicateSpec(
            name=name, label=label, domain=dom, range=rng,
            symmetric=symmetric,
            same_class=domain == range_ and len(dom) > 1,
            inverse_label=inverse_label or f"{label} (inverse)",
            domain_class=_local(domain), range_class=_local(range_),
            inverse=None if inverse is None else _local(inverse),
            families=_family_chain(graph, prop),
        )
    found: dict[str, Family] = {}
    for iri in sorted(family_iris, key=lambda p: (order.get(_local(p), len(order)), str(p))):
        name = _local(iri)
        parents = _kg_parents(graph, iri)
        found[name] = Family(
            name=name,
            label=str(graph.value(iri, RDFS.label) or name),
            members=tuple(p for p, spec in specs.items() if name in spec.families),
            parent=_local(parents[0]) if parents else None,
        )
    return specs, found


@lru_cache(maxsize=4)
def entity_classes(text: str | None = None) -> frozenset[str]:
    """The concrete entity classes (Person, Character, Show, Organization, Place, Event)."""
    graph = _graph(text)
    union = graph.value(_ENTITY_ROOT, OWL.unionOf)
    out: set[str] = set()
    if union is not None:
        for member in Collection(graph, union):
            out |= _leaves(graph, member)  # type: ignore[arg-type]
    else:
        out |= _leaves(graph, _ENTITY_ROOT)
    return frozenset(out)


def predicates(ontology_text: str | None = None) -> dict[str, PredicateSpec]:
    """Relation predicates between entities, by local name, in the order the ontology lists
    them (``ontology_text``: another ontology than the packaged one)."""
    return _load(ontology_text)[0]


def families(ontology_text: str | None = None) -> dict[str, Family]:
    """The families of relations, by local name, in ontology order."""
    return _load(ontology_text)[1]


def family_members(family: str, ontology_text: str | None = None) -> frozenset[str]:
    """The predicates in ``family`` (``"partnership"``, ``"appearance"``…); ``KeyError`` for
    a family the ontology does not have."""
    return frozenset(families(ontology_text)[family].members)


def symmetric_predicates(ontology_text: str | None = None) -> frozenset[str]:
    """The predicates written once per pair (``owl:SymmetricProperty``)."""
    return frozenset(name for name, spec in predicates(ontology_text).items() if spec.symmetric)


def fits(predicate: str, subject_cls: str, object_cls: str,
         ontology_text: str | None = None) -> bool:
    """Whether ``subject_cls predicate object_cls`` agrees with the ontology."""
    spec = predicates(ontology_text).get(predicate)
    if spec is None:
        return False
    if subject_cls not in spec.domain or object_cls not in spec.range:
        return False
    return not spec.same_class or subject_cls == object_cls


@lru_cache(maxsize=4)
def disjoint_groups(ontology_text: str | None = None) -> tuple[frozenset[str], ...]:
    """Sets of predicates the ontology declares ``owl:AllDisjointProperties``: no pair of
    entities holds two of one set (a couple is married, together or split up, not two of these)."""
    graph = _graph(ontology_text)
    groups = []
    for node in graph.subjects(RDF.type, OWL.AllDisjointProperties):
        members = graph.value(node, OWL.members)
        if members is not None:
            groups.append(frozenset(_local(m) for m in Collection(graph, members)))
    return tuple(sorted(groups, key=sorted))
