"""build_graph: the shape of ontology/README.md, provenance for every relation, stable IRIs."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.graph import build_graph
from kg.graph.builder import article_iri, entity_iri
from kg.graph.namespace import DCTERMS, KG, KGR, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.records import PREDICATES, SYMMETRIC_PREDICATES, Relation, ResolvedCorpus

KYM = entity_iri("person/kym-marsh")
DAVID = entity_iri("person/david")
EMILIE = entity_iri("person/emilie")
JACK = entity_iri("person/jack-ryder")
ARCHIE = entity_iri("person/archie")
ALISON = entity_iri("person/alison-king")
CARLA = entity_iri("character/carla-connor")
PETER = entity_iri("character/peter-barlow")
CORRIE = entity_iri("show/coronation-street")
ITV = entity_iri("organization/itv")

RELATION_IRIS = {KG[name] for name in PREDICATES}

PREFIXES = """
PREFIX kg: <https://w3id.org/kg-news/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def test_entity_iris_follow_the_readme() -> None:
    assert KYM == URIRef("https://w3id.org/kg-news/id/person/kym-marsh")
    assert article_iri("000_b91") == URIRef("https://w3id.org/kg-news/id/article/000_b91")


def test_entities_have_class_label_and_aliases(graph: Graph) -> None:
    assert (KYM, RDF.type, KG.Person) in graph
    assert (KYM, RDFS.label, Literal("Kym Marsh")) in graph
    assert set(graph.objects(KYM, SKOS.altLabel)) == {Literal("Kym"), Literal("Marsh")}
    assert (CARLA, RDF.type, KG.Character) in graph
    assert (CORRIE, RDF.type, KG.Show) in graph
    assert (ITV, RDF.type, KG.Organization) in graph
    assert set(graph.objects(EMILIE, SKOS.altLabel)) == {Literal("Emily Mae")}


def test_relations_are_plain_triples(graph: Graph) -> None:
    expected = {
        (KYM, KG.child, DAVID),
        (KYM, KG.child, EMILIE),
        (KYM, KG.child, ARCHIE),
        (JACK, KG.exPartner, KYM),  # symmetric: stored with the smaller IRI first
        (ALISON, KG.friend, KYM),
        (ALISON, KG.plays, CARLA),
        (ALISON, KG.actsIn, CORRIE),
        (CARLA, KG.characterIn, CORRIE),
        (CORRIE, KG.broadcastBy, ITV),
        (CARLA, KG.spouse, PETER),
    }
    found = {t for t in graph if t[1] in RELATION_IRIS}
    assert found == expected


def test_symmetric_relations_are_stored_once_in_iri_order(graph: Graph) -> None:
    for s, p, o in graph:
        if p in {KG[name] for name in SYMMETRIC_PREDICATES}:
            assert str(s) < str(o)
            assert (o, p, s) not in graph


def test_inverse_parent_is_not_materialised(graph: Graph) -> None:
    assert not list(graph.triples((None, KG.parent, None)))
    assert not list(graph.triples((None, KG.playedBy, None)))


def test_relation_between_one_entity_is_dropped(graph: Graph) -> None:
    assert not any(s == o for s, p, o in graph if p in RELATION_IRIS)
    assert not list(graph.triples((KYM, KG.friend, KYM)))


def test_every_relation_has_a_statement_with_a_source(graph: Graph) -> None:
    missing = graph.query(PREFIXES + """
        SELECT ?s ?p ?o WHERE {
            ?s ?p ?o .
            VALUES ?p { kg:child kg:spouse kg:partner kg:exPartner kg:sibling kg:friend
                        kg:coStar kg:coHost kg:actsIn kg:presents kg:appearsIn kg:plays
                        kg:characterIn kg:createdBy kg:broadcastBy }
            FILTER NOT EXISTS {
                ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                    prov:wasDerivedFrom ?article .
                ?article a kg:Article .
            }
        }""")
    assert list(missing) == []


def test_one_statement_per_piece_of_evidence(graph: Graph) -> None:
    def statements(s: URIRef, p: URIRef, o: URIRef) -> list[URIRef]:
        rows = graph.query(PREFIXES + """
            SELECT ?st WHERE { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ;
                                   rdf:object ?o }""",
                           initBindings={"s": s, "p": p, "o": o})
        return [row[0] for row in rows]

    # article A states the marriage twice with identical evidence, article B once (backwards)
    assert len(statements(CARLA, KG.spouse, PETER)) == 2
    assert len(statements(KYM, KG.child, EMILIE)) == 2
    assert len(statements(KYM, KG.child, DAVID)) == 1


def test_statement_carries_the_evidence(graph: Graph, sample) -> None:
    rows = list(graph.query(PREFIXES + """
        SELECT ?st WHERE { ?st rdf:subject ?s ; rdf:predicate kg:child ; rdf:object ?o }""",
                            initBindings={"s": KYM, "o": ARCHIE}))
    assert len(rows) == 1
    st = rows[0][0]
    assert str(st).startswith(str(KGR) + "statement/")
    assert graph.value(st, PROV.wasDerivedFrom) == article_iri(sample.B)
    assert graph.value(st, KG.sentenceText) == Literal(sample.S_B1)
    start, end = sample.span(sample.TEXT_B, sample.S_B1)
    assert graph.value(st, KG.charStart) == Literal(start)
    assert graph.value(st, KG.charEnd) == Literal(end)
    assert graph.value(st, KG.rule) == Literal("family.possessive")
    assert graph.value(st, KG.confidence) == Literal(Decimal("0.85"), datatype=XSD.decimal)
    assert graph.value(st, KG.hedged) == Literal(False)
    assert list(graph.objects(st, KG.corefChain)) == [Literal("her -> Kym")]


def test_symmetric_statement_uses_the_stored_order(graph: Graph) -> None:
    hedged = list(graph.subjects(KG.hedged, Literal(True)))
    assert len(hedged) == 1
    st = hedged[0]
    assert (graph.value(st, RDF.subject), graph.value(st, RDF.object)) == (CARLA, PETER)


def test_confidence_is_rounded_to_three_decimals(corpus: ResolvedCorpus) -> None:
    ext = corpus.extractions[0]
    rel = ext.relations[0]
    odd = dataclasses.replace(rel, evidence=dataclasses.replace(rel.evidence,
                                                                 confidence=0.123456))
    changed = dataclasses.replace(corpus, extractions=(
        dataclasses.replace(ext, relations=(odd,)),) + corpus.extractions[1:])
    graph = build_graph(changed)
    values = {graph.value(st, KG.confidence) for st in graph.subjects(RDF.type, RDF.Statement)}
    assert Literal(Decimal("0.123"), datatype=XSD.decimal) in values


def test_ages_become_observations(graph: Graph, sample) -> None:
    observations = list(graph.objects(KYM, KG.ageObservation))
    assert len(observations) == 2
    seen = set()
    for obs in observations:
        assert (obs, RDF.type, KG.AgeObservation) in graph
        assert str(obs).startswith(str(KGR) + "observation/")
        seen.add((graph.value(obs, KG.age).toPython(), graph.value(obs, KG.asOf).toPython(),
                  graph.value(obs, KG.birthYear).toPython(),
                  graph.value(obs, PROV.wasDerivedFrom)))
        assert graph.value(obs, KG.sentenceText) is not None
        assert graph.value(obs, KG.rule) == Literal("age.apposition")
        assert graph.value(obs, KG.charStart) is not None
    assert seen == {
        (44, dt.date(2020, 10, 28), 1976, article_iri(sample.A)),
        (40, dt.date(2017, 1, 3), 1977, article_iri(sample.B)),
    }


def test_dates_are_triples_with_statements(graph: Graph, sample) -> None:
    born = Literal("2009-02-11", datatype=XSD.date)
    assert (ARCHIE, KG.birthDate, born) in graph
    assert (ARCHIE, KG.deathDate, born) in graph
    for predicate in (KG.birthDate, KG.deathDate):
        rows = list(graph.query(PREFIXES + """
            SELECT ?st ?src WHERE { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ;
                                        rdf:object ?o ; prov:wasDerivedFrom ?src }""",
                                initBindings={"s": ARCHIE, "p": predicate, "o": born}))
        assert [row[1] for row in rows] == [article_iri(sample.B)]


def test_articles(graph: Graph, sample) -> None:
    a = article_iri(sample.A)
    assert (a, RDF.type, KG.Article) in graph
    assert graph.value(a, KG.articleId) == Literal(sample.A)
    assert graph.value(a, DCTERMS.date) == Literal("2020-10-28", datatype=XSD.date)
    assert graph.value(a, KG.sourcePath) == Literal(f"corpus/{sample.A}.txt")
    assert graph.value(a, SCHEMA.url) == Literal("https://example.org/news/kym-grief",
                                                 datatype=XSD.anyURI)
    assert graph.value(a, DCTERMS.title) == Literal("Kym Marsh on grief")
    b = article_iri(sample.B)
    assert graph.value(b, SCHEMA.url) is None
    assert graph.value(b, DCTERMS.title) is None


def test_merge_ledger(graph: Graph, sample) -> None:
    merges = list(graph.subjects(RDF.type, KG.Merge))
    assert len(merges) == 1
    m = merges[0]
    assert str(m).startswith(str(KGR) + "merge/")
    assert graph.value(m, KG.mergedInto) == EMILIE
    assert set(graph.objects(m, KG.mergedName)) == {Literal("Emilie"), Literal("Emily Mae")}
    assert graph.value(m, KG.rule) == Literal("resolve.name_variant_same_parent")
    assert graph.value(m, KG.reason) is not None
    assert set(graph.objects(m, PROV.wasDerivedFrom)) == {article_iri(sample.A),
                                                          article_iri(sample.B)}


def test_no_blank_nodes(graph: Graph) -> None:
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_prefixes_are_bound(graph: Graph) -> None:
    bound = {prefix for prefix, _ in graph.namespaces()}
    assert {"kg", "kgr", "prov", "dcterms", "skos", "schema", "xsd", "rdfs", "rdf"} <= bound


def test_same_input_gives_same_iris_whatever_the_order(corpus: ResolvedCorpus) -> None:
    first = build_graph(corpus)
    shuffled = dataclasses.replace(
        corpus,
        extractions=tuple(
            dataclasses.replace(e, relations=e.relations[::-1], facts=e.facts[::-1])
            for e in reversed(corpus.extractions)
        ),
        entities=corpus.entities[::-1],
    )
    second = build_graph(shuffled)
    assert set(first) == set(second)
    assert isomorphic(first, second)


def test_unmapped_local_entities_are_skipped(corpus: ResolvedCorpus, sample) -> None:
    mapping = {k: v for k, v in corpus.mapping.items() if k != (sample.A, "jack")}
    graph = build_graph(dataclasses.replace(corpus, mapping=mapping))
    assert not list(graph.triples((None, KG.exPartner, None)))
    assert not list(graph.subjects(RDF.predicate, KG.exPartner))


def test_unknown_predicate_is_an_error(corpus: ResolvedCorpus) -> None:
    ext = corpus.extractions[0]
    bad = Relation("kym", "nemesis", "jack", ext.relations[0].evidence)
    broken = dataclasses.replace(corpus, extractions=(
        dataclasses.replace(ext, relations=(bad,)),))
    with pytest.raises(ValueError, match="nemesis"):
        build_graph(broken)


def test_mapping_to_a_missing_entity_is_an_error(corpus: ResolvedCorpus, sample) -> None:
    mapping = dict(corpus.mapping)
    mapping[(sample.A, "jack")] = "person/nobody"
    with pytest.raises(ValueError, match="person/nobody"):
        build_graph(dataclasses.replace(corpus, mapping=mapping))


def test_a_relation_the_merged_classes_forbid_is_left_out(corpus: ResolvedCorpus) -> None:
    """Regression: a child one article gave a person whom resolution made a character (another
    article's reading) put a person-to-character kin edge in the graph, which SHACL rejects."""
    ext = corpus.extractions[0]
    kym_child = next(r for r in ext.relations if r.predicate == "child")
    odd = dataclasses.replace(kym_child, object="carla")  # Kym Marsh (Person) -> Carla (Character)
    ext = dataclasses.replace(ext, relations=ext.relations + (odd,))
    graph = build_graph(dataclasses.replace(corpus, extractions=(ext,) + corpus.extractions[1:],
                                            mapping=corpus.mapping))
    assert (KYM, KG.child, CARLA) not in graph
    assert (KYM, KG.child, DAVID) in graph
