"""A small hand-made ResolvedCorpus that exercises every part of the graph shape.

Two articles about Kym Marsh: her children David and Emilie (also "Emily Mae", merged), her
ex-partner Jack Ryder, her son Archie (born and died 2009-02-11), her ages 40 and 44, her friend
Alison King who plays Carla Connor in Coronation Street (broadcast by ITV), and Carla's on-screen
husband Peter Barlow. Also: one piece of evidence repeated verbatim, a symmetric relation written
backwards, and a relation whose two ends resolved to the same entity.

Loaded by path from the graph and export tests (and from a subprocess), so it imports nothing
from the test suite.
"""

from __future__ import annotations

import datetime as dt

from kg.records import (
    Article,
    ArticleExtraction,
    Entity,
    Evidence,
    Fact,
    LocalEntity,
    Merge,
    Relation,
    ResolvedCorpus,
)

A = "000_kym_grief"
B = "001_kym_family"

TEXT_A = (
    "Kym Marsh, 44, spoke about grief. "
    "Kym has two children, David and Emilie, with ex Jack Ryder. "
    "Her friend Alison King plays Carla Connor in ITV's Coronation Street. "
    "Carla is married to Peter Barlow."
)
TEXT_B = (
    "Kym, 40, remembered her son Archie, who was born and died on 11 February 2009. "
    "Kym's daughter Emily Mae was there. "
    "Fans think Peter may marry Carla again."
)


def span(text: str, sentence: str) -> tuple[int, int]:
    """Character offsets of ``sentence`` in ``text``."""
    start = text.index(sentence)
    return start, start + len(sentence)


def ev(article: str, text: str, sentence: str, rule: str, confidence: float,
       hedged: bool = False, chain: tuple[str, ...] = ()) -> Evidence:
    start, end = span(text, sentence)
    return Evidence(article, sentence, start, end, rule, confidence, hedged, chain)


S_A1 = "Kym Marsh, 44, spoke about grief."
S_A2 = "Kym has two children, David and Emilie, with ex Jack Ryder."
S_A3 = "Her friend Alison King plays Carla Connor in ITV's Coronation Street."
S_A4 = "Carla is married to Peter Barlow."
S_B1 = "Kym, 40, remembered her son Archie, who was born and died on 11 February 2009."
S_B2 = "Kym's daughter Emily Mae was there."
S_B3 = "Fans think Peter may marry Carla again."

ENTITIES = (
    Entity("person/kym-marsh", "Person", "Kym Marsh", ("Kym", "Marsh")),
    Entity("person/david", "Person", "David"),
    Entity("person/emilie", "Person", "Emilie", ("Emily Mae",)),
    Entity("person/jack-ryder", "Person", "Jack Ryder"),
    Entity("person/archie", "Person", "Archie"),
    Entity("person/alison-king", "Person", "Alison King", ("Alison",)),
    Entity("character/carla-connor", "Character", "Carla Connor", ("Carla",)),
    Entity("character/peter-barlow", "Character", "Peter Barlow"),
    Entity("show/coronation-street", "Show", "Coronation Street", ("Corrie",)),
    Entity("organization/itv", "Organization", "ITV"),
)


def sample_corpus() -> ResolvedCorpus:
    """The corpus described in the module docstring."""
    article_a = Article(A, dt.date(2020, 10, 28), TEXT_A, f"corpus/{A}.txt",
                        url="https://example.org/news/kym-grief", title="Kym Marsh on grief")
    article_b = Article(B, dt.date(2017, 1, 3), TEXT_B, f"corpus/{B}.txt")

    ext_a = ArticleExtraction(
        article=article_a,
        entities=(
            LocalEntity("kym", "Person", "Kym Marsh", ("Kym",), "f"),
            LocalEntity("david", "Person", "David"),
            LocalEntity("emilie", "Person", "Emilie"),
            LocalEntity("jack", "Person", "Jack Ryder"),
            LocalEntity("alison", "Person", "Alison King"),
            LocalEntity("carla", "Character", "Carla Connor"),
            LocalEntity("peter", "Character", "Peter Barlow"),
            LocalEntity("corrie", "Show", "Coronation Street"),
            LocalEntity("itv", "Organization", "ITV"),
        ),
        relations=(
            Relation("kym", "child", "david", ev(A, TEXT_A, S_A2, "family.children_list", 0.9)),
            Relation("kym", "child", "emilie", ev(A, TEXT_A, S_A2, "family.children_list", 0.9)),
            Relation("kym", "exPartner", "jack", ev(A, TEXT_A, S_A2, "family.ex", 0.8)),
            Relation("kym", "friend", "alison",
                     ev(A, TEXT_A, S_A3, "social.friend", 0.7, chain=("Her -> Kym Marsh",))),
            Relation("alison", "plays", "carla", ev(A, TEXT_A, S_A3, "role.plays", 0.95)),
            Relation("alison", "actsIn", "corrie", ev(A, TEXT_A, S_A3, "role.plays_in", 0.85)),
            Relation("carla", "characterIn", "corrie", ev(A, TEXT_A, S_A3, "role.plays_in", 0.9)),
            Relation("corrie", "broadcastBy", "itv", ev(A, TEXT_A, S_A3, "show.possessive", 0.6)),
            Relation("carla", "spouse", "peter", ev(A, TEXT_A, S_A4, "family.married_to", 0.8)),
            # the same evidence twice (two passes of one rule): one statement
            Relation("carla", "spouse", "peter", ev(A, TEXT_A, S_A4, "family.married_to", 0.8)),
        ),
        facts=(
            Fact("kym", "age", 44, ev(A, TEXT_A, S_A1, "age.apposition", 0.9)),
        ),
    )
    ext_b = ArticleExtraction(
        article=article_b,
        entities=(
            LocalEntity("kym", "Person", "Kym", (), "f"),
            LocalEntity("her", "Person", "her", (), "f"),
            LocalEntity("archie", "Person", "Archie"),
            LocalEntity("emily", "Person", "Emily Mae"),
            LocalEntity("peter", "Character", "Peter Barlow"),
            LocalEntity("carla", "Character", "Carla Connor"),
        ),
        relations=(
            Relation("kym", "child", "archie",
                     ev(B, TEXT_B, S_B1, "family.possessive", 0.85, chain=("her -> Kym",))),
            Relation("kym", "child", "emily", ev(B, TEXT_B, S_B2, "family.possessive", 0.75)),
            # both ends resolved to Kym: dropped
            Relation("kym", "friend", "her", ev(B, TEXT_B, S_B1, "social.friend", 0.5, True)),
            # symmetric and written backwards: stored once with the first article's triple
            Relation("peter", "spouse", "carla",
                     ev(B, TEXT_B, S_B3, "family.marry", 0.4, hedged=True)),
        ),
        facts=(
            Fact("kym", "age", 40, ev(B, TEXT_B, S_B1, "age.apposition", 0.9),
                 as_of=dt.date(2017, 1, 3)),
            Fact("archie", "birthDate", dt.date(2009, 2, 11),
                 ev(B, TEXT_B, S_B1, "date.born_on", 0.8)),
            Fact("archie", "deathDate", dt.date(2009, 2, 11),
                 ev(B, TEXT_B, S_B1, "date.died_on", 0.8)),
        ),
    )
    mapping = {
        (A, "kym"): "person/kym-marsh",
        (A, "david"): "person/david",
        (A, "emilie"): "person/emilie",
        (A, "jack"): "person/jack-ryder",
        (A, "alison"): "person/alison-king",
        (A, "carla"): "character/carla-connor",
        (A, "peter"): "character/peter-barlow",
        (A, "corrie"): "show/coronation-street",
        (A, "itv"): "organization/itv",
        (B, "kym"): "person/kym-marsh",
        (B, "her"): "person/kym-marsh",
        (B, "archie"): "person/archie",
        (B, "emily"): "person/emilie",
        (B, "peter"): "character/peter-barlow",
        (B, "carla"): "character/carla-connor",
    }
    merges = (
        Merge("person/emilie", ("Emilie", "Emily Mae"), "resolve.name_variant_same_parent",
              "both are Kym Marsh's daughter and the names differ by a variant spelling",
              (A, B)),
    )
    return ResolvedCorpus((ext_a, ext_b), ENTITIES, mapping, merges)
