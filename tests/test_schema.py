"""kg/schema.py reads the relation schema from the ontology, the one place it is stated."""

from __future__ import annotations

from kg.graph.namespace import ontology_text
from kg.schema import families, family_members, fits, predicates


def test_predicates_come_from_the_ontology():
    specs = predicates()
    assert specs["plays"].domain == {"Person"} and specs["plays"].range == {"Character"}
    assert specs["spouse"].symmetric and not specs["child"].symmetric
    assert "parent" not in specs and "playedBy" not in specs  # inverses are never written


def test_kin_between_characters_but_never_across():
    assert fits("child", "Character", "Character") and fits("child", "Person", "Person")
    assert not fits("child", "Person", "Character")
    assert fits("broadcastBy", "Show", "Organization") and not fits("broadcastBy", "Person", "Organization")


def test_a_new_predicate_in_the_ontology_is_picked_up():
    extra = ontology_text() + """
kg:mentors a owl:ObjectProperty ;
    rdfs:label "mentors"@en ;
    rdfs:domain kg:Person ;
    rdfs:range kg:Person .
"""
    specs = predicates(extra)
    assert specs["mentors"].domain == {"Person"} and not specs["mentors"].symmetric
    assert fits("mentors", "Person", "Person", extra) and not fits("mentors", "Show", "Person", extra)
    assert "mentors" not in predicates()


# A throwaway predicate in a copy of the ontology reaches every place the schema is used.

MENTORS = """
kg:mentors a owl:ObjectProperty ;
    rdfs:label "mentors"@en ;
    rdfs:subPropertyOf kg:socialRelation ;
    kg:inverseLabel "mentored by"@en ;
    rdfs:comment "The subject guides the object's career."@en ;
    rdfs:domain kg:Person ;
    rdfs:range kg:Person .
"""


def _with_mentors() -> str:
    return ontology_text() + MENTORS


def test_a_new_predicate_gets_its_families_and_wording():
    spec = predicates(_with_mentors())["mentors"]
    assert spec.families == ("socialRelation",) and spec.group == "socialRelation"
    assert (spec.label, spec.inverse_label) == ("mentors", "mentored by")
    assert "mentors" in family_members("socialRelation", _with_mentors())
    assert list(predicates(_with_mentors()))[-1] == "mentors"  # ontology order: last declared


def test_a_new_predicate_is_checked_by_the_shapes():
    from pyshacl import validate
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, RDFS

    from kg.graph.shapes import relation_shapes
    from kg.namespace import KG, KGR

    shapes = relation_shapes(predicates(_with_mentors()))
    ontology = Graph().parse(data=_with_mentors(), format="turtle")
    graph = Graph()
    mentor, pupil, show = (URIRef(KGR + x) for x in ("person/m", "person/p", "show/s"))
    for node, cls in ((mentor, KG.Person), (pupil, KG.Person), (show, KG.Show)):
        graph.add((node, RDF.type, cls))
        graph.add((node, RDFS.label, Literal(str(node))))
    graph.add((mentor, URIRef(str(KG) + "mentors"), pupil))
    conforms, _, _ = validate(graph, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert conforms
    graph.add((mentor, URIRef(str(KG) + "mentors"), show))
    conforms, _, text = validate(graph, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert not conforms and "kg:mentors must point at a kg:Person" in text
    assert not any("mentors" in str(o) for o in relation_shapes().objects())  # the real one: not


def test_a_new_predicate_is_in_the_explorer_legend():
    from kg.viz.html import relation_styles

    styles = relation_styles(_with_mentors())
    assert styles["relations"]["mentors"] == {
        "group": "socialRelation", "forward": "mentors", "inverse": "mentored by",
    }
    assert "mentors" not in relation_styles()["relations"]


def test_families_and_inverses_come_from_the_ontology():
    assert family_members("partnership") == {"spouse", "partner", "exPartner"}
    assert family_members("appearance") == {"actsIn", "presents", "appearsIn"}
    assert families()["partnership"].parent == "familyRelation"
    specs = predicates()
    assert specs["child"].inverse == "parent" and specs["child"].inverse_label == "parent"
    assert specs["plays"].inverse == "playedBy" and specs["plays"].inverse_label == "played by"
    assert specs["actsIn"].inverse_label == "cast member"
    assert all(spec.group for spec in specs.values()), "every relation is in a family"
    assert "familyRelation" not in specs and "partnership" not in specs  # families are never written


def test_friend_links_two_characters_as_the_ontology_says():
    # extraction's signature check used to allow friend between people only
    assert fits("friend", "Character", "Character") and not fits("friend", "Person", "Character")


def test_the_readme_table_of_relations_says_what_the_ontology_says():
    """The README's ontology table is documentation of kg.ttl: every relation is in it, with the
    classes at its ends as the ontology states them."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    listed: dict[str, str] = {}
    for names, ends in re.findall(r"^\| (`\w+`(?:, `\w+`)*) \| ([^|]+) \|", readme, re.MULTILINE):
        for name in re.findall(r"`(\w+)`", names):
            listed[name] = ends.strip()
    for name, spec in predicates().items():
        assert name in listed, f"README's ontology table lacks {name}"
        if spec.same_class:
            members = "/".join(sorted(spec.domain, reverse=True))  # Person/Character
            assert listed[name] in ("same class both ends", f"{members} → {members}"), name
        else:
            arrow = "↔" if spec.symmetric else "→"
            assert listed[name] == f"{spec.domain_class} {arrow} {spec.range_class}", name
