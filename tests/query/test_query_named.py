"""The shipped queries, run on the hand-made sample graph (tests/data/sample_graph.ttl)."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF

from kg.query import QueryResult, named_queries, run_named

KG = Namespace("https://w3id.org/kg-news/ontology#")
KGR = "https://w3id.org/kg-news/id/"
DANA = KGR + "person/dana-rourke"
TOM = KGR + "person/tom-hale"
CALLUM = KGR + "person/callum-vance"
A0, A1 = "000_3f2a9c1d5e7b8a60", "001_7c41d0e9b2a65f13"

SHIPPED = {
    "children", "parents", "partners", "costars", "cast", "who-plays", "shows-of",
    "person-facts", "age-conflicts", "support", "entities", "merges", "contradictions",
}

#: Parameters that make each query return something on the sample graph.
EXAMPLE_PARAMS: dict[str, dict[str, str]] = {
    "children": {"name": "Dana Rourke"},
    "parents": {"name": "Dana Rourke"},
    "partners": {"name": "Dana Rourke"},
    "costars": {"name": "Dana Rourke"},
    "cast": {},
    "who-plays": {"character": "Nina Bright"},
    "shows-of": {"name": "Dana Rourke"},
    "person-facts": {"name": "Tom Hale"},
    "age-conflicts": {},
    "contradictions": {},
    "support": {},
    "entities": {},
    "merges": {},
}


def records(result: QueryResult) -> list[dict[str, str | None]]:
    return [dict(zip(result.columns, row)) for row in result.rows]


def column(result: QueryResult, name: str) -> list[str | None]:
    index = result.columns.index(name)
    return [row[index] for row in result.rows]


def test_all_queries_are_shipped_with_a_header() -> None:
    queries = named_queries()
    assert SHIPPED <= set(queries)
    for name, query in queries.items():
        assert query.name == name
        assert query.title and query.title != name, name
        assert query.description, name
        assert query.text.lstrip().startswith("# title:"), name
        for param in query.params:
            assert param.name.isidentifier() and param.description, (name, param)
            assert f"?{param.name}" in query.text, (name, param.name)


def test_declared_parameters() -> None:
    queries = named_queries()
    assert queries["children"].required_params == ("name",)
    assert queries["who-plays"].required_params == ("character",)
    assert [(p.name, p.required) for p in queries["cast"].params] == [("show", False), ("character", False)]
    assert [(p.name, p.required) for p in queries["merges"].params] == [("name", False)]


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_query_runs_on_the_sample(sample_graph: rdflib.Graph, name: str) -> None:
    result = run_named(sample_graph, name, EXAMPLE_PARAMS[name])
    assert result.kind == "SELECT"
    assert result.rows, f"{name} found nothing in the sample graph"
    assert all(len(row) == len(result.columns) for row in result.rows)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_query_runs_on_an_empty_graph(name: str) -> None:
    params = {key: "nobody" for key in EXAMPLE_PARAMS[name]} or {
        p.name: "nobody" for p in named_queries()[name].params if p.required
    }
    assert run_named(rdflib.Graph(), name, params).rows == ()


def sparse_graph() -> rdflib.Graph:
    """Relations with no statement and no labels on one end, an article with no date."""
    graph = rdflib.Graph()
    a, b, show, character = (URIRef(KGR + x) for x in ("person/a", "person/b", "show/s", "character/c"))
    graph.add((a, RDF.type, KG.Person))
    graph.add((a, rdflib.RDFS.label, Literal("A")))
    graph.add((b, RDF.type, KG.Person))
    graph.add((show, RDF.type, KG.Show))
    graph.add((character, RDF.type, KG.Character))
    graph.add((character, rdflib.RDFS.label, Literal("C")))
    for predicate, obj in ((KG.child, b), (KG.spouse, b), (KG.coStar, b), (KG.actsIn, show), (KG.plays, character)):
        graph.add((a, predicate, obj))
    observation = URIRef(KGR + "observation/x")
    graph.add((a, KG.ageObservation, observation))
    graph.add((observation, KG.birthYear, Literal(1970)))
    observation2 = URIRef(KGR + "observation/y")
    graph.add((a, KG.ageObservation, observation2))
    graph.add((observation2, KG.birthYear, Literal(1980)))
    graph.add((observation2, rdflib.namespace.PROV.wasDerivedFrom, URIRef(KGR + "article/undated")))
    graph.add((URIRef(KGR + "merge/m"), RDF.type, KG.Merge))
    return graph


#: What each query finds in :func:`sparse_graph`: ``(columns, rows)``. A relation missing its
#: statements, a label on its far end or a show still comes back, with the missing parts unbound
#: (or counted as 0); what needs a label by design (the shapes give every entity one) or an age
#: does not.
SPARSE_ROWS: dict[str, tuple[tuple[str, ...], set[tuple[str | None, ...]]]] = {
    "age-conflicts": (("entity",), set()),
    "cast": (("actorLabel", "characterLabel", "showLabel"), {("A", "C", None)}),
    "children": (("parentLabel", "child", "childLabel", "otherParents", "articles"),
                 {("A", KGR + "person/b", None, "", "0")}),
    "contradictions": (("kind",), set()),
    "costars": (("personLabel", "costar", "costarLabel", "basis"),
                {("A", KGR + "person/b", None, "coStar")}),
    "entities": (("entityClass", "label"), {("Character", "C"), ("Person", "A")}),
    "merges": (("merge",), set()),
    "parents": (("parent",), set()),
    "partners": (("relation", "partner", "partnerLabel", "articles", "firstReported"),
                 {("spouse", KGR + "person/b", None, "0", None)}),
    "person-facts": (("relation",), set()),
    "shows-of": (("showIri",), set()),
    "support": (("predicate", "articles", "statements", "maxConfidence"),
                {(predicate, "0", "0", None)
                 for predicate in ("actsIn", "child", "coStar", "plays", "spouse")}),
    "who-plays": (("characterLabel", "actorLabel", "showLabel", "articles"),
                  {("C", "A", None, "0")}),
}


def test_every_query_has_its_sparse_rows() -> None:
    assert set(SPARSE_ROWS) == set(SHIPPED)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_query_copes_with_missing_optional_parts(name: str) -> None:
    params = {"character": "C"} if name == "who-plays" else {
        p.name: "A" for p in named_queries()[name].params if p.required
    }
    result = run_named(sparse_graph(), name, params)
    columns, expected = SPARSE_ROWS[name]
    found = [tuple(record[column] for column in columns) for record in records(result)]
    assert len(found) == len(set(found)), f"{name} repeats a row: {found}"
    assert set(found) == expected


@pytest.mark.parametrize("name", ["Dana Rourke", "dana rourke", "DANA", "Rourke"])
def test_children_of_the_mother_are_exactly_three(sample_graph: rdflib.Graph, name: str) -> None:
    result = run_named(sample_graph, "children", {"name": name})
    assert sorted(column(result, "childLabel")) == ["Ellis Hale", "Mae Hale", "Ruby Vance"]
    assert set(column(result, "parent")) == {DANA}


def test_children_name_the_other_parent_and_count_articles(sample_graph: rdflib.Graph) -> None:
    rows = {r["childLabel"]: r for r in records(run_named(sample_graph, "children", {"name": "Dana Rourke"}))}
    assert rows["Ellis Hale"]["otherParents"] == "Tom Hale"
    assert rows["Ruby Vance"]["otherParents"] == "Callum Vance"
    assert rows["Ellis Hale"]["articles"] == "2"
    assert rows["Mae Hale"]["articles"] == "1"


def test_children_of_each_father(sample_graph: rdflib.Graph) -> None:
    assert sorted(column(run_named(sample_graph, "children", {"name": "Tom Hale"}), "childLabel")) == [
        "Ellis Hale", "Mae Hale",
    ]
    assert column(run_named(sample_graph, "children", {"name": "Callum"}), "childLabel") == ["Ruby Vance"]


def test_parents(sample_graph: rdflib.Graph) -> None:
    assert sorted(column(run_named(sample_graph, "parents", {"name": "Mae"}), "parentLabel")) == [
        "Dana Rourke", "Tom Hale",
    ]
    assert column(run_named(sample_graph, "parents", {"name": "Dana Rourke"}), "parentLabel") == ["Jim Rourke"]


def test_partners_include_spouses_and_exes(sample_graph: rdflib.Graph) -> None:
    result = run_named(sample_graph, "partners", {"name": "Dana Rourke"})
    found = {(r["partnerLabel"], r["relation"], r["predicate"]) for r in records(result)}
    assert found == {
        ("Tom Hale", "exPartner", str(KG.exPartner)),
        ("Callum Vance", "spouse", str(KG.spouse)),
    }
    dates = {r["partnerLabel"]: (r["firstReported"], r["articles"]) for r in records(result)}
    assert dates["Tom Hale"] == ("2020-10-28", "1")
    assert dates["Callum Vance"] == ("2023-05-02", "1")


def test_partners_are_found_from_either_end(sample_graph: rdflib.Graph) -> None:
    from_tom = records(run_named(sample_graph, "partners", {"name": "Tom"}))
    assert [(r["partnerLabel"], r["relation"]) for r in from_tom] == [("Dana Rourke", "exPartner")]
    on_screen = records(run_named(sample_graph, "partners", {"name": "Steve Bright"}))
    assert [(r["partnerLabel"], r["relation"]) for r in on_screen] == [("Nina Bright", "spouse")]


def test_costars(sample_graph: rdflib.Graph) -> None:
    rows = records(run_named(sample_graph, "costars", {"name": "Rico Lane"}))
    assert {(r["costarLabel"], r["basis"], r["showLabel"]) for r in rows} == {
        ("Dana Rourke", "coStar", None),
        ("Dana Rourke", "same show", "Harbour Lane"),
    }


def test_cast(sample_graph: rdflib.Graph) -> None:
    everyone = records(run_named(sample_graph, "cast"))
    assert {(r["actorLabel"], r["characterLabel"], r["showLabel"]) for r in everyone} == {
        ("Dana Rourke", "Nina Bright", "Harbour Lane"),
        ("Rico Lane", "Steve Bright", "Harbour Lane"),
    }
    assert len(run_named(sample_graph, "cast", {"show": "harbour lane"}).rows) == 2
    assert run_named(sample_graph, "cast", {"show": "Wake Up North"}).rows == ()
    only = records(run_named(sample_graph, "cast", {"character": "Steve"}))
    assert [r["actorLabel"] for r in only] == ["Rico Lane"]
    both = run_named(sample_graph, "cast", {"show": "Harbour Lane", "character": "Nina Bright"})
    assert column(both, "actorLabel") == ["Dana Rourke"]
    # an empty or None optional parameter is the same as leaving it out
    blank = run_named(sample_graph, "cast", {"show": "", "character": None})
    assert blank.rows == run_named(sample_graph, "cast").rows


def test_who_plays(sample_graph: rdflib.Graph) -> None:
    rows = records(run_named(sample_graph, "who-plays", {"character": "steve bright"}))
    assert [(r["actorLabel"], r["showLabel"], r["articles"]) for r in rows] == [("Rico Lane", "Harbour Lane", "1")]
    assert run_named(sample_graph, "who-plays", {"character": "Nobody"}).rows == ()


def test_shows_of(sample_graph: rdflib.Graph) -> None:
    def shows(name: str) -> set[tuple[str | None, ...]]:
        rows = records(run_named(sample_graph, "shows-of", {"name": name}))
        return {(r["how"], r["viaLabel"], r["showLabel"]) for r in rows}

    assert shows("Nina Bright") == {("characterIn", None, "Harbour Lane")}
    assert shows("Dana Rourke") == {("actsIn", None, "Harbour Lane"), ("plays", "Nina Bright", "Harbour Lane")}
    assert shows("Callum Vance") == {("presents", None, "Wake Up North")}
    assert shows("Channel North") == {("broadcastBy", None, "Harbour Lane"), ("broadcastBy", None, "Wake Up North")}


def test_person_facts(sample_graph: rdflib.Graph) -> None:
    rows = records(run_named(sample_graph, "person-facts", {"name": "Tom Hale"}))
    relations = {(r["subjectLabel"], r["relation"], r["object"]) for r in rows}
    assert {
        ("Tom Hale", "child", "Ellis Hale"),
        ("Tom Hale", "child", "Mae Hale"),
        ("Dana Rourke", "exPartner", "Tom Hale"),
        ("Tom Hale", "age", "50"),
        ("Tom Hale", "age", "45"),
    } == relations
    for row in rows:
        assert row["articleId"] in {A0, A1}
        assert row["date"] in {"2020-10-28", "2023-05-02"}
        assert row["sentence"] and row["rule"] and row["confidence"]
    # one row per piece of evidence: Tom -> Mae has two sentences, one of them hedged
    mae = [r for r in rows if r["object"] == "Mae Hale"]
    assert sorted(r["hedged"] for r in mae) == ["false", "true"]
    age = next(r for r in rows if r["object"] == "45")
    assert age["detail"] == "as of 2023-05-02, implies birth year 1978"


def test_person_facts_lists_dated_facts(sample_graph: rdflib.Graph) -> None:
    rows = records(run_named(sample_graph, "person-facts", {"name": "Ruby Vance"}))
    birth = [r for r in rows if r["relation"] == "birthDate"]
    assert [(r["object"], r["articleId"], r["rule"]) for r in birth] == [("2011-06-01", A1, "date.birth_month")]
    died = records(run_named(sample_graph, "person-facts", {"name": "Jim Rourke"}))
    assert ("deathDate", "2019-03-02") in {(r["relation"], r["object"]) for r in died}


def test_age_conflicts_find_only_the_disagreeing_person(sample_graph: rdflib.Graph) -> None:
    rows = records(run_named(sample_graph, "age-conflicts"))
    assert [r["entity"] for r in rows] == [TOM]
    (row,) = rows
    assert (row["ageA"], row["birthYearA"], row["articleA"], row["dateA"]) == ("50", "1970", A0, "2020-10-28")
    assert (row["ageB"], row["birthYearB"], row["articleB"], row["dateB"]) == ("45", "1978", A1, "2023-05-02")
    assert row["yearsApart"] == "8"


def test_age_conflicts_by_name(sample_graph: rdflib.Graph) -> None:
    assert len(run_named(sample_graph, "age-conflicts", {"name": "tom"}).rows) == 1
    # Dana's implied birth years (1976, 1977) are a year apart: no conflict
    assert run_named(sample_graph, "age-conflicts", {"name": "Dana Rourke"}).rows == ()


def test_support_orders_by_distinct_articles(sample_graph: rdflib.Graph) -> None:
    rows = records(run_named(sample_graph, "support"))
    relation_triples = sum(
        1 for _, p, _ in sample_graph if str(p).startswith(str(KG)) and str(p)[len(str(KG)):] in {
            "child", "spouse", "partner", "exPartner", "sibling", "friend", "coStar", "coHost", "actsIn",
            "presents", "appearsIn", "plays", "characterIn", "createdBy", "broadcastBy",
        }
    )
    dated_facts = sum(1 for _, p, _ in sample_graph if p in {KG.birthDate, KG.deathDate})
    # one row per relation triple and per birth or death date
    assert (len(rows), relation_triples, dated_facts) == (23, 21, 2)
    born = next(r for r in rows if r["predicate"] == "birthDate")
    assert (born["subjectLabel"], born["objectLabel"], born["articles"]) == ("Ruby Vance", "2011-06-01", "1")
    counts = [int(r["articles"] or 0) for r in rows]
    assert counts == sorted(counts, reverse=True)
    top = rows[0]
    assert (top["subjectLabel"], top["predicate"], top["objectLabel"], top["articles"]) == (
        "Dana Rourke", "child", "Ellis Hale", "2",
    )
    assert sorted(top["articleIds"].split()) == [A0, A1]
    tom_mae = next(r for r in rows if (r["subjectLabel"], r["objectLabel"]) == ("Tom Hale", "Mae Hale"))
    assert (tom_mae["articles"], tom_mae["statements"]) == ("1", "2")


def test_support_for_one_relation(sample_graph: rdflib.Graph) -> None:
    rows = records(run_named(sample_graph, "support", {"relation": "CHILD"}))
    assert {r["predicate"] for r in rows} == {"child"}
    assert len(rows) == 7


@pytest.mark.parametrize("relation", [None, "child", "birthDate"])
@pytest.mark.parametrize("name", ["Tom Hale", "mae hale", "Harbour Lane"])
def test_support_for_one_entity_is_the_listing_restricted_to_it(
    sample_graph: rdflib.Graph, name: str, relation: str | None
) -> None:
    params = {"relation": relation} if relation else {}
    listing = records(run_named(sample_graph, "support", params))
    entity = next(r["subject"] for r in listing if r["subjectLabel"].lower() == name.lower()) \
        if any(r["subjectLabel"].lower() == name.lower() for r in listing) else \
        next((r["object"] for r in listing if r["objectLabel"].lower() == name.lower()), None)

    def key(row: dict[str, str]) -> tuple[str, ...]:
        return tuple(sorted((row.get("articleIds") or "").split())) + tuple(
            row[k] for k in ("subject", "predicate", "object", "articles", "statements"))

    expected = sorted(key(r) for r in listing if entity in (r["subject"], r["object"]))
    found = sorted(key(r) for r in records(run_named(sample_graph, "support", {**params, "name": name})))
    assert found == expected
    if relation is None:
        assert found  # every one of these names has claims


def test_entities(sample_graph: rdflib.Graph) -> None:
    rows = records(run_named(sample_graph, "entities"))
    assert len(rows) == 14
    by_label = {r["label"]: r for r in rows}
    assert by_label["Mae Hale"]["entityClass"] == "Person"
    assert set(by_label["Mae Hale"]["aliases"].split("; ")) == {"Mae", "Maisie"}
    assert by_label["Channel North"]["entityClass"] == "Organization"
    shows = run_named(sample_graph, "entities", {"class": "show"})
    assert sorted(column(shows, "label")) == ["Harbour Lane", "Wake Up North"]
    (mae,) = records(run_named(sample_graph, "entities", {"name": "MAISIE"}))  # by an alias
    assert mae == by_label["Mae Hale"]
    assert not run_named(sample_graph, "entities", {"name": "Mae Hale", "class": "Show"}).rows


def test_merges(sample_graph: rdflib.Graph) -> None:
    assert run_named(sample_graph, "merges", {"name": "mae"}).rows == run_named(sample_graph, "merges").rows
    assert not run_named(sample_graph, "merges", {"name": "Harbour Lane"}).rows
    (row,) = records(run_named(sample_graph, "merges"))
    assert row["mergedIntoLabel"] == "Mae Hale"
    assert set(row["mergedNames"].split("; ")) == {"Mae", "Maisie"}
    assert row["rule"] == "resolve.name_variant_same_parent"
    assert row["articles"] == A0
