"""kg/schema.py reads the relation schema from the ontology, the one place it is stated."""

from __future__ import annotations

from kg.graph.namespace import ontology_text
from kg.schema import fits, predicates


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
