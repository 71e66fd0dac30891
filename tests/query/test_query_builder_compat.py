"""The shipped queries on a graph written by kg.graph.builder (not the hand-made fixture), so the
two stay on the same contract."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.records import Article, ArticleExtraction, Entity, Evidence, Fact, LocalEntity, Merge, Relation, ResolvedCorpus

builder = pytest.importorskip("kg.graph.builder")

from kg.query import run_named  # noqa: E402

A, B = "000_one", "001_two"


def evidence(article: str, sentence: str, rule: str = "test.rule", confidence: float = 0.8) -> Evidence:
    return Evidence(article, sentence, 0, len(sentence), rule, confidence)


def corpus() -> ResolvedCorpus:
    entities = (
        Entity("person/ann-lee", "Person", "Ann Lee", ("Ann",)),
        Entity("person/bob-ray", "Person", "Bob Ray"),
        Entity("person/cal-fox", "Person", "Cal Fox"),
        Entity("person/xia-ray", "Person", "Xia Ray"),
        Entity("person/yan-ray", "Person", "Yan Ray"),
        Entity("person/zoe-fox", "Person", "Zoe Fox"),
        Entity("character/meg", "Character", "Meg"),
        Entity("show/the-street", "Show", "The Street"),
        Entity("organization/tvco", "Organization", "TVCo"),
    )
    local = {e.id: e.id.split("/")[1] for e in entities}
    s1, s2 = "Ann Lee, 40, and her ex Bob Ray share Xia and Yan.", "Ann, 50, wed Cal Fox; their girl is Zoe."
    s3 = "Ann plays Meg in TVCo's The Street."
    rel = Relation
    one = ArticleExtraction(
        Article(A, dt.date(2020, 1, 10), f"{s1} {s3}", "one.txt"),
        tuple(LocalEntity(local[e.id], e.cls, e.name) for e in entities),
        (
            rel("ann-lee", "child", "xia-ray", evidence(A, s1)),
            rel("ann-lee", "child", "yan-ray", evidence(A, s1)),
            rel("bob-ray", "child", "xia-ray", evidence(A, s1)),
            rel("bob-ray", "child", "yan-ray", evidence(A, s1)),
            rel("bob-ray", "exPartner", "ann-lee", evidence(A, s1)),
            rel("ann-lee", "plays", "meg", evidence(A, s3)),
            rel("meg", "characterIn", "the-street", evidence(A, s3)),
            rel("the-street", "broadcastBy", "tvco", evidence(A, s3)),
        ),
        (Fact("ann-lee", "age", 40, evidence(A, s1, "age.apposition", 0.9)),),
    )
    two = ArticleExtraction(
        Article(B, dt.date(2021, 6, 1), s2, "two.txt"),
        tuple(LocalEntity(local[e.id], e.cls, e.name) for e in entities),
        (
            rel("ann-lee", "child", "zoe-fox", evidence(B, s2)),
            rel("cal-fox", "child", "zoe-fox", evidence(B, s2)),
            rel("ann-lee", "spouse", "cal-fox", evidence(B, s2)),
            rel("cal-fox", "coStar", "ann-lee", evidence(B, s2)),
            rel("ann-lee", "child", "xia-ray", evidence(B, s2, "other.rule")),
        ),
        (Fact("ann-lee", "age", 50, evidence(B, s2, "age.apposition", 0.9)),),
    )
    mapping = {(article, key): entity_id for article in (A, B) for entity_id, key in local.items()}
    merges = (Merge("person/ann-lee", ("Ann", "Ann Lee"), "resolve.test", "same person", (A, B)),)
    return ResolvedCorpus((one, two), entities, mapping, merges)


@pytest.fixture(scope="module")
def built():  # type: ignore[no-untyped-def]
    return builder.build_graph(corpus())


def test_children_partners_and_conflicts_on_a_built_graph(built) -> None:  # type: ignore[no-untyped-def]
    children = run_named(built, "children", {"name": "ann"})
    labels = sorted(row[children.columns.index("childLabel")] for row in children.rows)
    assert labels == ["Xia Ray", "Yan Ray", "Zoe Fox"]
    partners = run_named(built, "partners", {"name": "Ann Lee"})
    index = partners.columns.index("relation")
    assert sorted(row[index] for row in partners.rows) == ["exPartner", "spouse"]
    conflicts = run_named(built, "age-conflicts")
    assert len(conflicts.rows) == 1
    row = dict(zip(conflicts.columns, conflicts.rows[0]))
    assert (row["birthYearA"], row["articleA"], row["birthYearB"], row["articleB"]) == ("1971", B, "1980", A)


def test_every_query_runs_on_a_built_graph(built) -> None:  # type: ignore[no-untyped-def]
    from kg.query import named_queries

    params = {"name": "Ann Lee", "character": "Meg"}
    for name, query in named_queries().items():
        given = {p.name: params[p.name] for p in query.params if p.required}
        if name == "parents":
            given = {"name": "Zoe Fox"}
        result = run_named(built, name, given)
        assert result.rows, name


def test_support_counts_articles_on_a_built_graph(built) -> None:  # type: ignore[no-untyped-def]
    result = run_named(built, "support")
    top = dict(zip(result.columns, result.rows[0]))
    assert (top["subjectLabel"], top["predicate"], top["objectLabel"], top["articles"]) == (
        "Ann Lee", "child", "Xia Ray", "2",
    )
