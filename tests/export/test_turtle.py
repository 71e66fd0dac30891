"""kg's Turtle writer gives rdflib's bytes exactly (kg.export.turtle)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from kg.export.turtle import turtle_bytes

KG = Namespace("https://w3id.org/kg-news/ontology#")
ID = "https://w3id.org/kg-news/id/"
ODD = Namespace("http://example.org/odd/")  # never bound: rdflib generates ns1 for predicates


def _odd_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    g.bind("kg", KG)
    g.bind("rdfs", RDFS)
    g.bind("xsd", XSD)
    g.bind("_hidden", Namespace("http://example.org/hidden/"))  # a prefix Turtle must rewrite
    people = [URIRef(f"{ID}person/{name}") for name in ("b-one", "a-two", "c.three", "d(4)", "e%zz")]
    for i, person in enumerate(people):
        g.add((person, RDF.type, KG.Person))
        g.add((person, RDFS.label, Literal(f"Person {i}")))
        g.add((person, KG.age, Literal(30 + i)))
        g.add((person, KG.confidence, Literal(Decimal("0.85"))))
        g.add((person, KG.score, Literal(1.5e-3 * i)))
        g.add((person, KG.flag, Literal(i % 2 == 0)))
        g.add((person, KG.born, Literal(dt.date(1980 + i, 1, 2))))
        g.add((person, ODD.weird, Literal("x", datatype=ODD.custom)))
        g.add((person, URIRef("http://example.org/hidden/p"), Literal("hidden")))
    alice = people[0]
    g.add((alice, KG.quote, Literal('She said "hi" \\ and\nleft\ttoday')))
    g.add((alice, KG.quote, Literal("three \"\"\" quotes\n")))
    g.add((alice, KG.quote, Literal("café – “curly” ✓")))
    g.add((alice, KG.quote, Literal("Bonjour", lang="fr")))
    g.add((alice, KG.quote, Literal("ends with a quote\"")))
    g.add((alice, KG.knows, people[1]))
    g.add((alice, KG.knows, people[2]))
    g.add((people[3], KG.knows, alice))
    g.add((alice, KG.list, RDF.nil))
    g.add((KG.Person, RDF.type, RDFS.Class))  # rdfs:Class instances come first
    g.add((URIRef("http://example.org/no-prefix.ttl."), KG.about, alice))
    return g


def test_the_bytes_are_rdflibs_on_odd_terms() -> None:
    g = _odd_graph()
    assert turtle_bytes(g) == g.serialize(format="turtle", encoding="utf-8")


def test_the_bytes_are_rdflibs_on_a_built_graph(graph: Graph) -> None:
    """kg's graph of the sample corpus (the export tests' fixture)."""
    assert turtle_bytes(graph) == graph.serialize(format="turtle", encoding="utf-8")


def test_blank_nodes_are_left_to_rdflib() -> None:
    g = _odd_graph()
    node = BNode("b1")
    g.add((URIRef(f"{ID}person/b-one"), KG.address, node))
    g.add((node, KG.city, Literal("Leeds")))
    items = BNode("l1")
    Collection(g, items, [Literal(1), Literal(2)])
    g.add((node, KG.items, items))
    assert turtle_bytes(g) == g.serialize(format="turtle", encoding="utf-8")


def test_an_empty_graph() -> None:
    g = Graph()
    assert turtle_bytes(g) == g.serialize(format="turtle", encoding="utf-8")


@pytest.mark.parametrize("prefix", ["ns1", "kg"])
def test_a_predicate_namespace_bound_late(prefix: str) -> None:
    """An object IRI with no prefix yet, then a predicate in its namespace that generates one."""
    g = Graph(bind_namespaces="none")
    g.bind(prefix, Namespace("http://example.org/other/"))
    s = URIRef("http://example.org/s")
    g.add((s, URIRef("http://example.org/x/p"), URIRef("http://example.org/x/o")))
    g.add((URIRef("http://example.org/x/o"), URIRef("http://example.org/x/q"), s))
    assert turtle_bytes(g) == g.serialize(format="turtle", encoding="utf-8")
