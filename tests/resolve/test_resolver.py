"""Tests of kg.resolve: cross-article entity resolution on hand-made extractions (no spaCy)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import random

import pytest

from kg.records import (
    Article,
    ArticleExtraction,
    Evidence,
    Fact,
    LocalEntity,
    Relation,
    ResolvedCorpus,
)
from kg.resolve import ResolverConfig, resolve

# --------------------------------------------------------------------------------------------
# builders


def _ev(article: str) -> Evidence:
    return Evidence(article, "A sentence.", 0, 11, "test", 0.9)


def article(
    aid: str,
    entities: list[tuple[str, str, str] | tuple[str, str, str, tuple[str, ...]]
                   | LocalEntity],
    relations: list[tuple[str, str, str]] = (),
    ages: list[tuple[str, int, dt.date]] = (),
    date: dt.date = dt.date(2021, 1, 1),
) -> ArticleExtraction:
    """An extraction: entities as (key, class, name[, aliases]), relations as (s, p, o)."""
    ents = []
    for e in entities:
        if isinstance(e, LocalEntity):
            ents.append(e)
        else:
            key, cls, name, *rest = e
            ents.append(LocalEntity(key, cls, name, tuple(rest[0]) if rest else ()))
    rels = tuple(Relation(s, p, o, _ev(aid)) for s, p, o in relations)
    facts = tuple(Fact(k, "age", age, _ev(aid), as_of=when) for k, age, when in ages)
    return ArticleExtraction(Article(aid, date, "text", f"{aid}.txt"), tuple(ents), rels, facts)


def ids_of(corpus: ResolvedCorpus, aid: str, *keys: str) -> list[str]:
    return [corpus.canonical(aid, k) for k in keys]


def entity(corpus: ResolvedCorpus, eid: str):
    (found,) = [e for e in corpus.entities if e.id == eid]
    return found


def merges_for(corpus: ResolvedCorpus, eid: str, rule: str | None = None):
    return [m for m in corpus.merges if m.entity == eid and (rule is None or m.rule == rule)]


# --------------------------------------------------------------------------------------------
# fixtures


def kym_articles() -> list[ArticleExtraction]:
    """Kym Marsh in full (a1), by first name with her ex-partner (a2), by surname with her
    character (a3); a4 names her in full with the alias 'Kym'."""
    return [
        article("a1", [("e1", "Person", "Kym Marsh"), ("e2", "Show", "Coronation Street"),
                       ("e3", "Person", "Jamie Lomas"), ("e4", "Character", "Michelle Connor")],
                relations=[("e1", "exPartner", "e3"), ("e1", "plays", "e4"),
                           ("e1", "actsIn", "e2")]),
        article("a2", [("e1", "Person", "Kym"), ("e2", "Show", "Corrie"),
                       ("e3", "Person", "Jamie Lomas")],
                relations=[("e1", "exPartner", "e3")]),
        article("a3", [("e1", "Person", "Marsh"), ("e2", "Show", "Strictly"),
                       ("e4", "Character", "Michelle Connor")],
                relations=[("e1", "plays", "e4")]),
        article("a4", [("e1", "Person", "Kym Marsh", ("Kym",)),
                       ("e2", "Show", "Strictly Come Dancing")]),
    ]


def emilie_articles(
    parent_b: str = "Kym Marsh",
    age_b: tuple[int, dt.date] = (18, dt.date(2017, 1, 3)),
) -> list[ArticleExtraction]:
    return [
        article(
            "2020_emily_mae",
            [("p", "Person", "Kym Marsh"), ("c", "Person", "Emily Mae")],
            relations=[("p", "child", "c")],
            ages=[("c", 23, dt.date(2020, 10, 28))],
        ),
        article(
            "2017_emilie",
            [("p", "Person", parent_b), ("c", "Person", "Emilie")],
            relations=[("p", "child", "c")],
            ages=[("c", age_b[0], age_b[1])],
        ),
    ]


# --------------------------------------------------------------------------------------------
# names across articles


def test_kym_first_name_and_surname_join_the_full_name_they_share_a_context_with() -> None:
    corpus = resolve(kym_articles()[:3])
    assert ids_of(corpus, "a1", "e1") == ["person/kym-marsh"]
    assert ids_of(corpus, "a2", "e1") == ["person/kym-marsh"]
    assert ids_of(corpus, "a3", "e1") == ["person/kym-marsh"]
    kym = entity(corpus, "person/kym-marsh")
    assert kym.name == "Kym Marsh" and kym.cls == "Person"
    assert kym.aliases == ("Kym", "Marsh")
    (merge,) = merges_for(corpus, "person/kym-marsh", "resolve.partial_name")
    assert merge.names == ("Kym", "Kym Marsh", "Marsh")
    assert merge.articles == ("a1", "a2", "a3")
    assert "share the name 'kym'; both partners of kgr person/jamie-lomas" in merge.reason
    assert "share the name 'marsh'; both playing kgr character/michelle-connor" in merge.reason


def test_a_first_name_alone_joins_nothing() -> None:
    # the name is the first name of exactly one person in the archive, but nothing else agrees
    corpus = resolve([article("a1", [("e1", "Person", "Kym Marsh")]),
                      article("a2", [("e1", "Person", "Kym")])])
    assert corpus.canonical("a1", "e1") == "person/kym-marsh"
    assert corpus.canonical("a2", "e1") == "person/kym--a2"
    assert corpus.merges == ()


def test_corrie_is_coronation_street() -> None:
    corpus = resolve(kym_articles()[:2])
    assert ids_of(corpus, "a1", "e2") == ids_of(corpus, "a2", "e2") == ["show/coronation-street"]
    show = entity(corpus, "show/coronation-street")
    assert show.name == "Coronation Street" and show.aliases == ("Corrie",)
    (merge,) = merges_for(corpus, "show/coronation-street", "resolve.alias_table")
    assert merge.names == ("Coronation Street", "Corrie")
    assert "alias table" in merge.reason and "'Corrie'" in merge.reason


def test_lone_alias_takes_the_canonical_name() -> None:
    corpus = resolve([article("a2", [("e2", "Show", "Corrie")])])
    assert corpus.canonical("a2", "e2") == "show/coronation-street"
    assert entity(corpus, "show/coronation-street").aliases == ("Corrie",)


def test_strictly_is_strictly_come_dancing() -> None:
    corpus = resolve(kym_articles())
    assert corpus.canonical("a3", "e2") == corpus.canonical("a4", "e2") == (
        "show/strictly-come-dancing"
    )
    show = entity(corpus, "show/strictly-come-dancing")
    assert show.name == "Strictly Come Dancing" and show.aliases == ("Strictly",)
    assert merges_for(corpus, "show/strictly-come-dancing", "resolve.alias_table")


def test_exact_names_fold_case_punctuation_quotes_and_diacritics() -> None:
    corpus = resolve([
        article("a1", [("e1", "Person", "Ruairí O’Connor")]),
        article("a2", [("e1", "Person", "ruairi o'connor")]),
        article("a3", [("e1", "Person", "Ruairi O'Connor")]),
        article("a4", [("e1", "Person", "Reverend Kate Bottley")]),
        article("a5", [("e1", "Person", "Kate Bottley")]),
    ])
    assert len(set(ids_of(corpus, "a1", "e1") + ids_of(corpus, "a2", "e1")
                   + ids_of(corpus, "a3", "e1"))) == 1
    assert corpus.canonical("a4", "e1") == corpus.canonical("a5", "e1") == "person/kate-bottley"
    (merge,) = merges_for(corpus, "person/kate-bottley", "resolve.exact_name")
    assert merge.names == ("Kate Bottley", "Reverend Kate Bottley")


def test_identical_names_need_no_ledger_entry() -> None:
    corpus = resolve([article("a1", [("e", "Person", "Joe Sugg")]),
                      article("a2", [("e", "Person", "Joe Sugg")])])
    assert [e.id for e in corpus.entities] == ["person/joe-sugg"]
    assert corpus.merges == ()


# --------------------------------------------------------------------------------------------
# what must stay apart


def test_two_kates_stay_apart_and_a_lone_kate_joins_neither() -> None:
    corpus = resolve([
        article("a1", [("e1", "Person", "Kate Bottley", ("Kate",))]),
        article("a2", [("e1", "Person", "Kate McGlynn")]),
        article("a3", [("e1", "Person", "Kate")]),
    ])
    bottley, mcglynn, kate = (corpus.canonical("a1", "e1"), corpus.canonical("a2", "e1"),
                              corpus.canonical("a3", "e1"))
    assert bottley == "person/kate-bottley" and mcglynn == "person/kate-mcglynn"
    assert kate not in (bottley, mcglynn)
    assert not [m for m in corpus.merges if m.rule == "resolve.partial_name"]


def test_partial_name_with_evidence_for_two_full_names_joins_neither() -> None:
    def corrie(aid: str, name: str) -> ArticleExtraction:
        return article(aid, [("e1", "Character", name), ("e2", "Show", "Coronation Street")],
                       relations=[("e1", "characterIn", "e2")])

    corpus = resolve([corrie("a1", "Michelle Connor"), corrie("a2", "Carla Connor"),
                      corrie("a3", "Connor"), corrie("a4", "Carla")])
    michelle, carla, connor, lone_carla = (
        corpus.canonical(a, "e1") for a in ("a1", "a2", "a3", "a4")
    )
    assert len({michelle, carla, connor}) == 3
    assert lone_carla == carla == "character/carla-connor"  # the same show: one Carla
    (blocked,) = [m for m in corpus.merges if m.blocked]
    assert blocked.apart == tuple(sorted((connor, michelle, carla)))
    assert blocked.reason.startswith("not merged: 'Connor' shares a name and a context with")


def test_michelle_connor_and_carla_connor_stay_apart() -> None:
    corpus = resolve([
        article("a1", [("e1", "Character", "Michelle Connor", ("Michelle",))]),
        article("a2", [("e1", "Character", "Carla Connor")]),
    ])
    assert corpus.canonical("a1", "e1") == "character/michelle-connor"
    assert corpus.canonical("a2", "e1") == "character/carla-connor"
    assert corpus.merges == ()


def test_david_and_dave_cunliffe_stay_apart() -> None:
    corpus = resolve([
        article("a1", [("k", "Person", "Kym Marsh"), ("d", "Person", "David"),
                       ("dc", "Person", "Dave Cunliffe")],
                relations=[("k", "child", "d"), ("dc", "child", "k")]),
        article("a2", [("k", "Person", "Kym Marsh"), ("d", "Person", "David")],
                relations=[("k", "child", "d")]),
        article("a3", [("dc", "Person", "Dave Cunliffe")]),
    ])
    assert corpus.canonical("a1", "d") == corpus.canonical("a2", "d") == "person/david--kym-marsh"
    assert corpus.canonical("a1", "dc") == corpus.canonical("a3", "dc") == "person/dave-cunliffe"


def test_character_and_person_with_the_same_name_stay_apart() -> None:
    def with_karen(aid: str, cls: str, name: str) -> ArticleExtraction:
        return article(aid, [("e1", cls, name), ("k", cls, "Karen McDonald")],
                       relations=[("e1", "spouse", "k")])

    corpus = resolve([with_karen("a1", "Character", "Steve McDonald"),
                      with_karen("a2", "Person", "Steve McDonald"),
                      with_karen("a3", "Person", "Steve")])
    char, person, steve = (corpus.canonical(a, "e1") for a in ("a1", "a2", "a3"))
    assert char == "character/steve-mcdonald" and person == "person/steve-mcdonald"
    assert steve == person  # the one-word Person joins the Person, never the Character
    assert {e.cls for e in corpus.entities} == {"Character", "Person"}


def test_partial_names_are_limited_to_people_and_characters_by_default() -> None:
    corpus = resolve([
        article("a1", [("e1", "Place", "New York")]),
        article("a2", [("e1", "Place", "York")]),
    ])
    assert corpus.canonical("a1", "e1") != corpus.canonical("a2", "e1")


def test_partial_name_blocked_by_conflicting_gender() -> None:
    corpus = resolve([
        article("a1", [LocalEntity("e1", "Person", "Alex Jones", gender="f")]),
        article("a2", [LocalEntity("e1", "Person", "Alex", gender="m")]),
    ])
    assert corpus.canonical("a1", "e1") != corpus.canonical("a2", "e1")


# --------------------------------------------------------------------------------------------
# name variants with evidence


def test_emily_mae_and_emilie_merge_on_shared_parent_and_birth_years() -> None:
    corpus = resolve(emilie_articles())
    emily = corpus.canonical("2020_emily_mae", "c")
    assert corpus.canonical("2017_emilie", "c") == emily == "person/emily-mae"
    assert entity(corpus, emily).aliases == ("Emilie",)
    (merge,) = merges_for(corpus, emily, "resolve.name_variant_evidence")
    assert merge.names == ("Emilie", "Emily Mae")
    assert merge.articles == ("2017_emilie", "2020_emily_mae")
    assert "both children of kgr person/kym-marsh" in merge.reason
    assert "implied birth years 1996-1997 (Emily Mae) and 1998-1999 (Emilie)" in merge.reason


def test_emily_mae_and_emilie_stay_apart_when_the_parents_differ() -> None:
    corpus = resolve(emilie_articles(parent_b="Jo Marsh"))
    assert corpus.canonical("2020_emily_mae", "c") != corpus.canonical("2017_emilie", "c")
    assert not [m for m in corpus.merges if m.rule == "resolve.name_variant_evidence"]


def test_emily_mae_and_emilie_stay_apart_when_birth_years_are_ten_years_apart() -> None:
    corpus = resolve(emilie_articles(age_b=(8, dt.date(2017, 1, 3))))
    assert corpus.canonical("2020_emily_mae", "c") != corpus.canonical("2017_emilie", "c")


def test_variant_threshold_and_tolerance_are_configurable() -> None:
    strict = resolve(emilie_articles(), ResolverConfig(variant_threshold=95.0))
    assert strict.canonical("2020_emily_mae", "c") != strict.canonical("2017_emilie", "c")
    loose = resolve(emilie_articles(age_b=(8, dt.date(2017, 1, 3))),
                    ResolverConfig(birth_year_tolerance=12))
    assert loose.canonical("2020_emily_mae", "c") == loose.canonical("2017_emilie", "c")


def test_parent_resolved_through_partial_name_enables_variant_merge() -> None:
    # The second article calls the mother "Kym" (with her ex-partner): only after the
    # partial-name merge do the two girls share a parent.
    arts = emilie_articles(parent_b="Kym")
    arts = [
        dataclasses.replace(
            ext, entities=ext.entities + (LocalEntity("j", "Person", "Jamie Lomas"),),
            relations=ext.relations + (Relation("p", "exPartner", "j", _ev(ext.article.id)),))
        for ext in arts
    ]
    corpus = resolve(arts)
    assert corpus.canonical("2020_emily_mae", "c") == corpus.canonical("2017_emilie", "c")
    assert corpus.canonical("2017_emilie", "p") == "person/kym-marsh"


def test_partial_name_becomes_unique_after_an_evidence_merge() -> None:
    # "Mae", a child of Kym Marsh, is the last name of two of her children's full names until
    # the evidence rule finds they are one girl; the next round then joins "Mae" to her.
    corpus = resolve([
        article("a1", [("p", "Person", "Kym Marsh"), ("c", "Person", "Emily Mae")],
                relations=[("p", "child", "c")], ages=[("c", 23, dt.date(2020, 10, 28))]),
        article("a2", [("p", "Person", "Kym Marsh"), ("c", "Person", "Emilie Mae")],
                relations=[("p", "child", "c")], ages=[("c", 18, dt.date(2017, 1, 3))]),
        article("a3", [("p", "Person", "Kym Marsh"), ("c", "Person", "Mae")],
                relations=[("p", "child", "c")]),
    ])
    ids = {corpus.canonical(a, "c") for a in ("a1", "a2", "a3")}
    assert len(ids) == 1
    (eid,) = ids
    rules = {m.rule for m in merges_for(corpus, eid)}
    assert rules == {"resolve.name_variant_evidence", "resolve.partial_name"}
    assert not [m for m in corpus.merges if m.blocked]  # merged after all: nothing kept apart


def test_the_syndicate_and_syndicate_are_one_show() -> None:
    corpus = resolve([article("a1", [("s", "Show", "The Syndicate")]),
                      article("a2", [("s", "Show", "Syndicate")])])
    assert corpus.canonical("a1", "s") == corpus.canonical("a2", "s") == "show/the-syndicate"
    (merge,) = corpus.merges
    assert merge.rule == "resolve.exact_name" and merge.names == ("Syndicate", "The Syndicate")


def test_siblings_with_different_middle_names_stay_apart() -> None:
    corpus = resolve([
        article("a1", [("p", "Person", "Kym Marsh"), ("c", "Person", "Emily Mae")],
                relations=[("p", "child", "c")]),
        article("a2", [("p", "Person", "Kym Marsh"), ("c", "Person", "Emily Rose")],
                relations=[("p", "child", "c")]),
    ])
    assert corpus.canonical("a1", "c") != corpus.canonical("a2", "c")


# --------------------------------------------------------------------------------------------
# determinism, ids, ledger, config


def _everything() -> list[ArticleExtraction]:
    arts = kym_articles() + emilie_articles() + [
        article("b1", [("e1", "Person", "David")]),
        article("b2", [("e1", "Person", "David"), ("e2", "Person", "Dave Cunliffe")]),
        article("b3", [("e1", "Person", "Kate Bottley"), ("e2", "Person", "Kate")]),
        article("b4", [("e1", "Person", "Kate McGlynn")]),
    ]
    return arts


def test_ids_and_mapping_identical_under_article_order_permutation() -> None:
    arts = _everything()
    base = resolve(arts)
    rng = random.Random(7)
    orders = [list(reversed(arts))] + [rng.sample(arts, len(arts)) for _ in range(6)]
    for order in orders:
        other = resolve(order)
        assert other.entities == base.entities
        assert other.mapping == base.mapping
        assert other.merges == base.merges
        assert [e.article.id for e in other.extractions] == sorted(e.article.id for e in arts)


def test_slug_collision_is_disambiguated_by_a_stable_hash() -> None:
    # Two people one article calls "?" (nothing to compare) never merge, yet they would get
    # the same id.
    arts = [
        article("a1", [("e1", "Person", "?"), ("e2", "Person", "?")]),
        article("a2", [("e1", "Person", "?"), ("e2", "Person", "Kym Marsh")]),
        article("a3", [("e1", "Person", "David"), ("e2", "Character", "David")]),
    ]
    corpus = resolve(arts)
    ids = [e.id for e in corpus.entities]
    assert len(ids) == len(set(ids))
    first, second = corpus.canonical("a1", "e1"), corpus.canonical("a1", "e2")
    assert first == "person/entity--a1"
    assert second.startswith("person/entity--a1-") and len(second) == len(first) + 7
    assert corpus.canonical("a2", "e1") == "person/entity--a2"
    assert "person/david--a3" in ids and "character/david--a3" in ids
    for perm in itertools.permutations(arts):
        again = resolve(perm)
        assert [e.id for e in again.entities] == ids
        assert again.mapping == corpus.mapping


def test_non_latin_names_keep_their_letters() -> None:
    corpus = resolve([article("a1", [("e1", "Person", "张伟")]),
                      article("a2", [("e1", "Person", "张伟"), ("e2", "Person", "李娜")])])
    assert corpus.canonical("a1", "e1") == corpus.canonical("a2", "e1") == "person/张伟"
    assert corpus.canonical("a2", "e2") == "person/李娜"


def test_every_local_entity_is_mapped_to_an_entity() -> None:
    arts = _everything()
    corpus = resolve(arts)
    known = {e.id for e in corpus.entities}
    for ext in arts:
        for ent in ext.entities:
            assert corpus.mapping[(ext.article.id, ent.key)] in known


def test_ledger_entries_have_rule_reason_names_and_articles() -> None:
    corpus = resolve(_everything())
    rules = {m.rule for m in corpus.merges}
    assert {"resolve.partial_name", "resolve.alias_table",
            "resolve.name_variant_evidence"} <= rules
    known = {e.id for e in corpus.entities}
    for merge in corpus.merges:
        assert merge.entity in known
        assert merge.reason
        assert len(merge.names) >= 2 and list(merge.names) == sorted(merge.names)
        assert merge.articles and list(merge.articles) == sorted(merge.articles)
    # one entry per entity per rule (per entities kept apart, for blocked merges)
    keys = [(m.entity, m.rule, m.apart) for m in corpus.merges]
    assert len(keys) == len(set(keys))


def test_extra_alias_file(tmp_path) -> None:
    path = tmp_path / "aliases.jsonl"
    path.write_text(
        "# user aliases\n"
        + json.dumps({"name": "Morning Live", "class": "Show", "aliases": ["ML"]}) + "\n",
        encoding="utf-8",
    )
    arts = [article("a1", [("e1", "Show", "Morning Live")]),
            article("a2", [("e1", "Show", "ML")])]
    assert resolve(arts).canonical("a2", "e1") != "show/morning-live"
    corpus = resolve(arts, ResolverConfig(extra_alias_files=(str(path),)))
    assert corpus.canonical("a2", "e1") == "show/morning-live"
    assert merges_for(corpus, "show/morning-live", "resolve.alias_table")


def test_bad_alias_file_names_the_line(tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"name": "X"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        resolve([], ResolverConfig(extra_alias_files=(str(path),)))


def test_config_is_frozen_and_validated() -> None:
    config = ResolverConfig()
    assert (config.variant_threshold, config.birth_year_tolerance, config.extra_alias_files,
            config.context_threshold, config.max_parents) == (80.0, 1, (), 2.0, 2)
    with pytest.raises(AttributeError):
        config.variant_threshold = 10.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        ResolverConfig(variant_threshold=150)
    with pytest.raises(ValueError):
        ResolverConfig(birth_year_tolerance=-1)
    with pytest.raises(ValueError):
        ResolverConfig(context_threshold=0)
    with pytest.raises(ValueError):
        ResolverConfig(max_parents=0)


def test_duplicate_article_ids_with_different_content_are_rejected() -> None:
    a = article("a1", [("e1", "Person", "Kym Marsh")])
    b = article("a1", [("e1", "Person", "Jamie Lomas")])
    assert len(resolve([a, a]).entities) == 1
    with pytest.raises(ValueError, match="a1"):
        resolve([a, b])


def test_empty_input() -> None:
    corpus = resolve([])
    assert corpus.entities == () and corpus.mapping == {} and corpus.merges == ()


def test_a_few_thousand_articles_resolve_quickly() -> None:
    import time

    rng = random.Random(11)
    letters = "aeioulnrstmkd"

    def word() -> str:
        return rng.choice("BCDFGHJKLMNPRSTW") + "".join(
            rng.choice(letters) for _ in range(rng.randint(3, 7)))

    people = [(word(), word()) for _ in range(3000)]
    arts = []
    for n in range(1500):
        ents = []
        for k in range(8):
            first, last = rng.choice(people)
            r = rng.random()
            ents.append((f"e{k}", "Person", f"{first} {last}" if r < 0.7 else
                         (first if r < 0.85 else last)))
        arts.append(article(f"x{n:05d}", ents, relations=[("e0", "child", "e1")],
                            ages=[("e1", rng.randint(1, 60), dt.date(2020, 1, 1))]))
    start = time.perf_counter()
    corpus = resolve(arts)
    assert time.perf_counter() - start < 30
    assert len(corpus.mapping) == 1500 * 8
    ids = [e.id for e in corpus.entities]
    assert len(ids) == len(set(ids))
