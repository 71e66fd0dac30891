"""ontology/kg.ttl and shapes.ttl: they parse, and the ontology declares what kg relies on."""

from __future__ import annotations

import re

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.namespace import KG, ONTOLOGY_IRI, load_ontology, ontology_text
from kg.records import ENTITY_CLASSES, PREDICATES, SYMMETRIC_PREDICATES

NS = str(KG)


def _kg_subjects(graph: Graph, kind: URIRef) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, kind) if str(s).startswith(NS)}


def test_ontology_header_has_a_version() -> None:
    onto = load_ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert onto.value(ONTOLOGY_IRI, OWL.versionIRI) is not None


def test_every_relation_is_an_object_property() -> None:
    onto = load_ontology()
    for name in PREDICATES:
        assert (KG[name], RDF.type, OWL.ObjectProperty) in onto, name


def test_exactly_the_symmetric_relations_are_symmetric() -> None:
    onto = load_ontology()
    assert _kg_subjects(onto, OWL.SymmetricProperty) == {KG[n] for n in SYMMETRIC_PREDICATES}


def test_parent_is_the_inverse_of_child() -> None:
    onto = load_ontology()
    assert (KG.parent, OWL.inverseOf, KG.child) in onto
    assert (KG.playedBy, OWL.inverseOf, KG.plays) in onto


def test_entity_classes_are_classes() -> None:
    onto = load_ontology()
    for name in ENTITY_CLASSES + ("Article", "Observation", "AgeObservation", "Merge"):
        assert (KG[name], RDF.type, OWL.Class) in onto, name
    assert (KG.Broadcaster, RDFS.subClassOf, KG.Organization) in onto
    assert (KG.AgeObservation, RDFS.subClassOf, KG.Observation) in onto


def test_every_term_is_documented() -> None:
    onto = load_ontology()
    properties = _kg_subjects(onto, OWL.ObjectProperty) | _kg_subjects(onto, OWL.DatatypeProperty)
    for term in _kg_subjects(onto, OWL.Class) | properties:
        assert onto.value(term, RDFS.label) is not None, term
        assert onto.value(term, RDFS.comment) is not None, term
    for term in properties:
        assert onto.value(term, RDFS.domain) is not None, term
        assert onto.value(term, RDFS.range) is not None, term


def test_every_kg_term_used_is_declared() -> None:
    onto = load_ontology()
    declared = {s for s in onto.subjects(RDF.type, None) if str(s).startswith(NS)}
    for name in ("kg.ttl", "shapes.ttl"):
        used = {URIRef(NS + local) for local in re.findall(r"\bkg:(\w+)", ontology_text(name))}
        assert used <= declared, (name, sorted(used - declared))


def test_shapes_parse_and_cover_the_main_nodes() -> None:
    shapes = load_ontology("shapes.ttl")
    targets = set(shapes.objects(None, SH.targetClass))
    assert {KG.Person, KG.Show, KG.Character, KG.Organization, RDF.Statement,
            KG.AgeObservation, KG.Article, KG.Merge} <= targets


def test_relation_domains_and_ranges_are_stated_in_the_ontology_only() -> None:
    """shapes.ttl checks no relation: kg.graph.shapes makes those shapes from kg.ttl."""
    shapes = load_ontology("shapes.ttl")
    paths = set(shapes.objects(None, SH.path)) | set(shapes.objects(None, SH.targetSubjectsOf))
    assert not paths & {KG[name] for name in PREDICATES}
