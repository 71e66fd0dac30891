"""Identity from evidence: bare first names join only when the context agrees, and the
constraints that block a merge (recorded in the ledger). Hand-made records, invented people."""

from __future__ import annotations

import datetime as dt
import itertools

from kg.graph import build_graph
from kg.graph.namespace import KG, KGR, RDF
from kg.records import ArticleExtraction, Evidence, LocalEntity, Relation
from kg.resolve import ResolverConfig, resolve

from test_resolver import article

DAY = dt.date(2023, 11, 23)


def child_of(aid: str, child: str, *parents: str, age: int | None = None,
             date: dt.date = DAY, sentence: str = "A sentence.") -> ArticleExtraction:
    """An article naming ``child`` as the child of each of ``parents``."""
    ents = [("c", "Person", child)] + [(f"p{n}", "Person", p) for n, p in enumerate(parents)]
    ext = article(aid, ents, relations=[(f"p{n}", "child", "c") for n in range(len(parents))],
                  ages=[("c", age, date)] if age is not None else [], date=date)
    if sentence != "A sentence.":
        rels = tuple(Relation(r.subject, r.predicate, r.object,
                              Evidence(aid, sentence, 0, len(sentence), "test", 0.9))
                     for r in ext.relations)
        ext = ArticleExtraction(ext.article, ext.entities, rels, ext.facts)
    return ext


def blocked(corpus) -> list:
    return [m for m in corpus.merges if m.blocked]


def parents_in_graph(corpus) -> dict[str, int]:
    graph = build_graph(corpus)
    counts: dict[str, int] = {}
    for _p, _, c in graph.triples((None, KG.child, None)):
        counts[str(c)] = counts.get(str(c), 0) + 1
    return counts


# --------------------------------------------------------------------------------------------
# a bare name joins on evidence


def test_bare_first_names_in_unrelated_families_stay_apart() -> None:
    # "Jack" in three families: three people, none with more than two parents
    corpus = resolve([
        child_of("a1", "Jack", "Nora Quill", "Piers Quill"),
        child_of("a2", "Jack", "Tamsin Reed"),
        child_of("a3", "Jack", "Wanda Holt", "Owen Holt"),
    ])
    ids = {corpus.canonical(a, "c") for a in ("a1", "a2", "a3")}
    assert ids == {"person/jack--nora-quill", "person/jack--tamsin-reed", "person/jack--owen-holt"}
    assert max(parents_in_graph(corpus).values()) == 2
    assert not [m for m in corpus.merges if not m.blocked]


def test_bare_first_name_joins_across_articles_on_a_shared_full_named_parent() -> None:
    corpus = resolve([
        child_of("a1", "Jack", "Nora Quill", "Piers Quill", age=4),
        child_of("a2", "Jack", "Nora Quill", age=6, date=dt.date(2025, 12, 1)),
    ])
    assert corpus.canonical("a1", "c") == corpus.canonical("a2", "c") == "person/jack--nora-quill"
    (merge,) = [m for m in corpus.merges if not m.blocked]
    assert merge.rule == "resolve.shared_context"
    assert "both children of kgr person/nora-quill" in merge.reason
    assert "birth years 2018-2019 and 2018-2019 agree" in merge.reason


def test_bare_character_name_joins_on_the_same_show() -> None:
    def character(aid: str, name: str, show: str) -> ArticleExtraction:
        return article(aid, [("c", "Character", name), ("s", "Show", show)],
                       relations=[("c", "characterIn", "s")])

    corpus = resolve([character("a1", "Bex", "Harbour Lane"), character("a2", "Bex", "Harbour Lane"),
                      character("a3", "Bex", "Tin Town")])
    assert corpus.canonical("a1", "c") == corpus.canonical("a2", "c") == "character/bex--harbour-lane"
    assert corpus.canonical("a3", "c") == "character/bex--tin-town"


def test_bare_name_joins_on_an_alias_the_text_states() -> None:
    # a2 names the boy "Edward" and says he is called "Teddy"; a1 calls him Teddy
    corpus = resolve([
        child_of("a1", "Teddy", "Nora Quill"),
        article("a2", [("c", "Person", "Edward", ("Teddy",)), ("p0", "Person", "Nora Quill")],
                relations=[("p0", "child", "c")]),
    ])
    assert corpus.canonical("a1", "c") == corpus.canonical("a2", "c")


def test_a_show_alone_is_not_enough_for_a_person() -> None:
    def cast(aid: str) -> ArticleExtraction:
        return article(aid, [("e", "Person", "Ollie"), ("s", "Show", "Harbour Lane")],
                       relations=[("e", "actsIn", "s")])

    corpus = resolve([cast("a1"), cast("a2")])
    assert corpus.canonical("a1", "e") != corpus.canonical("a2", "e")
    # with ages that agree too, the evidence reaches the threshold
    aged = [article(a, [("e", "Person", "Ollie"), ("s", "Show", "Harbour Lane")],
                    relations=[("e", "actsIn", "s")], ages=[("e", 30, DAY)]) for a in ("a1", "a2")]
    corpus = resolve(aged)
    assert corpus.canonical("a1", "e") == corpus.canonical("a2", "e")
    assert resolve(aged, ResolverConfig(context_threshold=3)).canonical("a1", "e") != (
        resolve(aged, ResolverConfig(context_threshold=3)).canonical("a2", "e"))


# --------------------------------------------------------------------------------------------
# constraints that block a merge


def test_merge_blocked_when_a_child_would_have_three_parents() -> None:
    corpus = resolve([
        child_of("a1", "Beau", "Nora Quill", "Piers Quill"),
        child_of("a2", "Beau", "Nora Quill", "Dev Amis"),
    ])
    assert corpus.canonical("a1", "c") != corpus.canonical("a2", "c")
    (entry,) = blocked(corpus)
    assert entry.rule == "resolve.shared_context"
    assert entry.reason == ("not merged: that would give 3 parents (kgr person/dev-amis, "
                            "kgr person/nora-quill, kgr person/piers-quill)")
    assert entry.apart == tuple(sorted(corpus.canonical(a, "c") for a in ("a1", "a2")))
    assert entry.names == ("Beau",) and entry.articles == ("a1", "a2")
    assert max(parents_in_graph(corpus).values()) == 2


def test_a_step_parent_does_not_count_as_a_third_parent() -> None:
    corpus = resolve([
        child_of("a1", "Beau", "Nora Quill", "Piers Quill"),
        child_of("a2", "Beau", "Nora Quill", "Dev Amis",
                 sentence="Beau lives with his mum Nora Quill and stepdad Dev Amis."),
    ])
    assert corpus.canonical("a1", "c") == corpus.canonical("a2", "c")
    assert not blocked(corpus)


def test_merge_blocked_by_birth_years_more_than_a_year_apart() -> None:
    corpus = resolve([
        child_of("a1", "Buster", "Nora Quill", age=13),
        child_of("a2", "Buster", "Nora Quill", age=4),
    ])
    assert corpus.canonical("a1", "c") != corpus.canonical("a2", "c")
    (entry,) = blocked(corpus)
    assert entry.reason == "not merged: aged 13 and 4 on 2023-11-23"


def test_birth_years_a_year_apart_still_merge() -> None:
    corpus = resolve([
        child_of("a1", "Buster", "Nora Quill", age=13),
        child_of("a2", "Buster", "Nora Quill", age=13, date=dt.date(2025, 1, 10)),
    ])
    assert corpus.canonical("a1", "c") == corpus.canonical("a2", "c")
    tight = resolve([child_of("a1", "Buster", "Nora Quill", age=13),
                     child_of("a2", "Buster", "Nora Quill", age=18, date=dt.date(2025, 1, 10))])
    assert tight.canonical("a1", "c") != tight.canonical("a2", "c")
    assert blocked(tight)[0].reason == (
        "not merged: aged 18 on 2025-01-10 and aged 13 on 2023-11-23 (born 2006-2007 and "
        "2009-2010)")


def test_merge_blocked_by_conflicting_genders() -> None:
    def kid(aid: str, gender: str) -> ArticleExtraction:
        return article(aid, [LocalEntity("c", "Person", "Sam", gender=gender),
                             ("p0", "Person", "Nora Quill")], relations=[("p0", "child", "c")])

    corpus = resolve([kid("a1", "f"), kid("a2", "m")])
    assert corpus.canonical("a1", "c") != corpus.canonical("a2", "c")
    (entry,) = blocked(corpus)
    assert entry.reason == "not merged: 'Sam' is female in a1 but 'Sam' is male in a2"


def test_a_person_never_becomes_their_own_parent() -> None:
    # a1: Leo Hart's son Leo plays Tiny Tim; a2: Leo Hart plays Tiny Tim. "Leo" shares the
    # character with Leo Hart, but joining would make Leo Hart his own father.
    corpus = resolve([
        article("a1", [("f", "Person", "Leo Hart"), ("s", "Person", "Leo"),
                       ("t", "Character", "Tiny Tim")],
                relations=[("f", "child", "s"), ("s", "plays", "t")]),
        article("a2", [("f", "Person", "Leo Hart"), ("t", "Character", "Tiny Tim")],
                relations=[("f", "plays", "t")]),
    ])
    assert corpus.canonical("a1", "s") != corpus.canonical("a1", "f")
    (entry,) = blocked(corpus)
    assert entry.rule == "resolve.partial_name"
    assert entry.reason == ("not merged: article a1 relates them (child): one would be their "
                            "own parent")


def test_same_name_kept_apart_by_a_constraint_is_in_the_ledger() -> None:
    # no shared context at all: never merged; the ledger still says why it would be wrong
    corpus = resolve([
        child_of("a1", "Matilda", "Nora Quill", age=3, date=dt.date(2019, 5, 8)),
        child_of("a2", "Matilda", "Tamsin Reed", age=18, date=dt.date(2024, 12, 31)),
    ])
    (entry,) = blocked(corpus)
    assert entry.rule == "resolve.same_name"
    assert entry.reason == ("not merged: aged 18 on 2024-12-31 and aged 3 on 2019-05-08 "
                            "(born 2006 and 2015-2016)")


def test_variant_merge_blocked_by_ages_is_recorded() -> None:
    corpus = resolve([
        child_of("a1", "Emily Mae", "Nora Quill", age=23, date=dt.date(2020, 10, 28)),
        child_of("a2", "Emilie", "Nora Quill", age=8, date=dt.date(2017, 1, 3)),
    ])
    assert corpus.canonical("a1", "c") != corpus.canonical("a2", "c")
    (entry,) = blocked(corpus)
    assert entry.rule == "resolve.name_variant_evidence"
    assert entry.reason.startswith("not merged: aged 23 on 2020-10-28 and aged 8 on 2017-01-03")


def test_full_names_still_merge_on_the_name_alone() -> None:
    # the same multi-word name is one person, whatever else the articles say
    corpus = resolve([child_of("a1", "Nora Quill", "Ada Quill"),
                      article("a2", [("e", "Person", "Nora Quill")])])
    assert corpus.canonical("a1", "c") == corpus.canonical("a2", "e") == "person/nora-quill"


# --------------------------------------------------------------------------------------------
# ids, ledger in the graph, determinism


def test_bare_name_ids_do_not_change_when_another_namesake_arrives() -> None:
    first = [child_of("a5", "Jack", "Nora Quill"), article("a6", [("e", "Person", "Jack")])]
    later = first + [child_of("a1", "Jack", "Tamsin Reed"), article("a0", [("e", "Person", "Jack")])]
    before, after = resolve(first), resolve(later)
    for key in (("a5", "c"), ("a6", "e")):
        assert before.mapping[key] == after.mapping[key]
    assert after.canonical("a6", "e") == "person/jack--a6"


def test_blocked_merges_become_blocked_merge_nodes_that_validate() -> None:
    from kg.graph import validate_graph

    corpus = resolve([
        child_of("a1", "Buster", "Nora Quill", age=13),
        child_of("a2", "Buster", "Nora Quill", age=4),
        child_of("a3", "Jack", "Nora Quill", age=4),
        child_of("a4", "Jack", "Nora Quill", age=5),
    ])
    graph = build_graph(corpus)
    (node,) = graph.subjects(RDF.type, KG.BlockedMerge)
    assert str(node).startswith(str(KGR) + "blocked-merge/")
    kept = sorted(str(o).rsplit("/", 1)[-1] for o in graph.objects(node, KG.keptApart))
    assert kept[0] == "buster--nora-quill" and kept[1].startswith("buster--nora-quill-")
    assert str(graph.value(node, KG.reason)) == "not merged: aged 13 and 4 on 2023-11-23"
    assert (node, KG.mergedInto, None) not in graph
    assert len(list(graph.subjects(RDF.type, KG.Merge))) == 1  # the two Jacks
    result = validate_graph(graph)
    assert result.conforms, result.report_text


def test_blocked_merges_are_identical_under_article_order_permutation() -> None:
    arts = [
        child_of("a1", "Beau", "Nora Quill", "Piers Quill"),
        child_of("a2", "Beau", "Nora Quill", "Dev Amis"),
        child_of("a3", "Buster", "Nora Quill", age=13),
        child_of("a4", "Buster", "Nora Quill", age=4),
        child_of("a5", "Jack", "Nora Quill", age=4),
    ]
    base = resolve(arts)
    assert len(blocked(base)) >= 2
    for order in itertools.permutations(arts):
        other = resolve(order)
        assert other.merges == base.merges and other.mapping == base.mapping


def test_a_very_common_name_in_a_very_common_context_still_merges() -> None:
    # more bare "Tracy"s of one show than are compared pair by pair: all one character
    arts = [article(f"a{n:03d}", [("c", "Character", "Tracy"), ("s", "Show", "Harbour Lane")],
                    relations=[("c", "characterIn", "s")]) for n in range(150)]
    corpus = resolve(arts)
    assert {corpus.canonical(f"a{n:03d}", "c") for n in range(150)} == {
        "character/tracy--harbour-lane"}
