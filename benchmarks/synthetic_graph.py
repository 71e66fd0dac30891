"""A synthetic kg corpus of any size, in kg's exact graph shape, for the store benchmark.

The corpus is made of records (:class:`~kg.records.ResolvedCorpus`) and turned into RDF by kg's
own :func:`kg.graph.build_graph`, so the graph has the ontology's classes, relations, age
observations, one ``rdf:Statement`` per piece of evidence, article nodes and merge-ledger
entries exactly as ``kg build`` writes them. Entities recur across articles with a skewed
(Zipf-like) popularity, as stars do in a news archive. A real graph has about 145 triples per
article (``kg build examples``: 578 triples, 4 articles); this one about 200.

    python benchmarks/synthetic_graph.py --triples 1000000 -o /tmp/kg-bench/synthetic.nt

The generator is seeded: the same ``--articles``/``--triples`` and ``--seed`` give the same
graph.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

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

#: Measured on kg build examples; used to turn a triple target into a number of articles.
TRIPLES_PER_ARTICLE = 200

_SYLLABLES = (
    "ka", "ri", "mo", "lan", "de", "sa", "vi", "to", "bel", "na", "ro", "shi", "el", "ja", "con",
    "mar", "ty", "lo", "fen", "ash", "wyn", "dor", "ha", "li", "quin", "ev", "os", "bra", "mi",
)
_RULES = (
    "family.possessive", "family.possessive_apposition", "casting.who_plays", "casting.played_by",
    "appearance.verb", "role.before_name", "marriage.verb", "split.verb", "infer.costar",
)


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _pool(rng: random.Random, cls: str, size: int, words: int) -> list[Entity]:
    entities: dict[str, Entity] = {}
    while len(entities) < size:
        name = " ".join(_word(rng, rng.randint(2, 3)) for _ in range(words))
        entity_id = f"{cls.lower()}/{_slug(name)}"
        if entity_id in entities:
            continue
        aliases = (name.split()[0],) if words > 1 and rng.random() < 0.5 else ()
        entities[entity_id] = Entity(entity_id, cls, name, aliases)
    return list(entities.values())


class _Picker:
    """Draws entities with Zipf-like weights: a few are in many articles, most in a handful."""

    def __init__(self, rng: random.Random, entities: list[Entity]) -> None:
        self._rng = rng
        self._entities = entities
        self._weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(entities))]

    def __call__(self, k: int) -> list[Entity]:
        chosen: dict[str, Entity] = {}
        while len(chosen) < min(k, len(self._entities)):
            entity = self._rng.choices(self._entities, self._weights)[0]
            chosen[entity.id] = entity
        return list(chosen.values())


def synthetic_corpus(articles: int, seed: int = 7) -> ResolvedCorpus:
    """A resolved corpus of ``articles`` articles with kg's relations, facts and merges."""
    rng = random.Random(seed)
    people = _pool(rng, "Person", max(20, articles * 2), 2)
    characters = _pool(rng, "Character", max(10, articles // 3), 2)
    shows = _pool(rng, "Show", max(5, articles // 25), 2)
    orgs = _pool(rng, "Organization", max(3, min(60, articles // 10)), 1)
    places = _pool(rng, "Place", max(3, articles // 20), 1)
    pick_person, pick_show = _Picker(rng, people), _Picker(rng, shows)
    pick_org, pick_place = _Picker(rng, orgs), _Picker(rng, places)
    # Stable world facts: each character belongs to one show and is played by one actor, each
    # show has one broadcaster, each person one birth year (a few articles get an age wrong).
    show_of = {character.id: rng.choice(shows) for character in characters}
    roster: dict[str, list[Entity]] = {}
    for character in characters:
        roster.setdefault(show_of[character.id].id, []).append(character)
    actor_of = {character.id: pick_person(1)[0] for character in characters}
    broadcaster = {show.id: pick_org(1)[0] for show in shows}
    born = {person.id: rng.randint(1940, 2005) for person in people}

    extractions: list[ArticleExtraction] = []
    mapping: dict[tuple[str, str], str] = {}
    start = dt.date(2015, 1, 1)
    for index in range(articles):
        article_id = f"{index:07d}_{rng.getrandbits(48):012x}"
        date = start + dt.timedelta(days=rng.randrange(3650))
        sentences: list[str] = []

        def evidence(what: str, rule: str | None = None) -> Evidence:
            sentence = f"{what}, the paper reported in a sentence about {rng.choice(_SYLLABLES)}."
            offset = sum(len(s) + 1 for s in sentences)
            sentences.append(sentence)
            chain = (f"she -> {what.split(' ')[0]}",) if rng.random() < 0.3 else ()
            return Evidence(
                article_id, sentence, offset, offset + len(sentence), rule or rng.choice(_RULES),
                round(rng.uniform(0.4, 0.95), 3), rng.random() < 0.1, chain,
            )

        show = pick_show(1)[0]
        roles = rng.sample(roster[show.id], min(2, len(roster[show.id]))) if show.id in roster else []
        players = [actor_of[role.id] for role in roles]
        cast = [*players, *(p for p in pick_person(6) if p not in players)][:6]
        org = broadcaster[show.id]
        place = pick_place(1)[0]
        local = {entity.id: entity for entity in [*cast, *roles, show, org, place]}
        for entity_id in local:
            mapping[(article_id, entity_id)] = entity_id
        d, e, a, b, c, f = cast
        relations = [
            Relation(a.id, "child", c.id, evidence(f"{a.name} is the mother of {c.name}")),
            Relation(b.id, "child", c.id, evidence(f"{b.name} is the father of {c.name}")),
            Relation(a.id, rng.choice(("spouse", "partner", "exPartner")), b.id,
                     evidence(f"{a.name} and {b.name}")),
            Relation(d.id, "coStar", e.id, evidence(f"{d.name} and co-star {e.name}")),
            Relation(d.id, "actsIn", show.id, evidence(f"{d.name} joined {show.name}")),
            Relation(show.id, "broadcastBy", org.id, evidence(f"{org.name} airs {show.name}")),
        ]
        for actor, role in zip(players, roles):
            relations.append(Relation(actor.id, "plays", role.id,
                                      evidence(f"{actor.name} plays {role.name}")))
            relations.append(Relation(role.id, "characterIn", show.id,
                                      evidence(f"{role.name} in {show.name}")))
        link = rng.choice(("presents", "appearsIn", "friend", "sibling"))
        other = show if link in ("presents", "appearsIn") else a
        relations.append(Relation(f.id, link, other.id, evidence(f"{f.name} and {other.name}")))
        if rng.random() < 0.2:
            relations.append(Relation(show.id, "createdBy", f.id,
                                      evidence(f"{show.name} was created by {f.name}")))
        relations = [r for r in relations if r.subject != r.object]

        def age(person: Entity) -> int:
            years = date.year - born[person.id]
            return years + rng.choice((-3, 4)) if rng.random() < 0.03 else years

        facts = [
            Fact(a.id, "age", age(a), evidence(f"{a.name}, aged", "age.apposition")),
            Fact(d.id, "age", age(d), evidence(f"{d.name}, aged", "age.year_old")),
        ]
        if rng.random() < 0.15:
            day = date - dt.timedelta(days=rng.randrange(365 * 5))
            facts.append(Fact(c.id, "birthDate", day, evidence(f"{c.name} was born", "date.born")))
        text = " ".join(sentences)
        article = Article(article_id, date, text, f"archive/{article_id}.txt",
                          title=f"{a.name} news")
        entities = tuple(LocalEntity(x.id, x.cls, x.name, x.aliases) for x in local.values())
        extractions.append(ArticleExtraction(article, entities, tuple(relations), tuple(facts)))

    merges = tuple(
        Merge(person.id, (person.name, person.name.split()[0]), "resolve.partial_name",
              f"{person.name.split()[0]!r} is the only {person.name.split()[0]} in the corpus",
              tuple(sorted(rng.sample([x.article.id for x in extractions], 2))))
        for person in people[: max(1, len(people) // 50)]
        if len(extractions) >= 2
    )
    used = {entity_id for entity_id in mapping.values()}
    all_entities = [*people, *characters, *shows, *orgs, *places]
    return ResolvedCorpus(
        extractions=tuple(extractions),
        entities=tuple(entity for entity in all_entities if entity.id in used),
        mapping=mapping,
        merges=tuple(merge for merge in merges if merge.entity in used),
    )


def sample_names(corpus: ResolvedCorpus, k: int, seed: int = 11) -> dict[str, list[str]]:
    """Names to bind the shipped queries' parameters to, drawn as a user would ask: people and
    characters by popularity in the archive, shows and classes by name."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    for (_, _), entity_id in corpus.mapping.items():
        counts[entity_id] = counts.get(entity_id, 0) + 1
    by_class: dict[str, list[Entity]] = {}
    for entity in corpus.entities:
        by_class.setdefault(entity.cls, []).append(entity)

    def draw(cls: str) -> list[str]:
        pool = by_class.get(cls, [])
        if not pool:
            return []
        weights = [counts.get(entity.id, 1) for entity in pool]
        return [entity.name for entity in rng.choices(pool, weights, k=k)]

    return {"person": draw("Person"), "character": draw("Character"), "show": draw("Show")}


def main(argv: Sequence[str] | None = None) -> int:
    """Write a synthetic graph as N-Triples (sorted) or Turtle, chosen by the suffix."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--triples", type=int, default=1_000_000, help="about this many triples")
    size.add_argument("--articles", type=int, help="exactly this many articles")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True, help="file.nt or file.ttl")
    args = parser.parse_args(argv)

    from kg.export import write_graph
    from kg.graph import build_graph

    articles = args.articles or max(1, args.triples // TRIPLES_PER_ARTICLE)
    started = time.perf_counter()
    graph = build_graph(synthetic_corpus(articles, args.seed))
    write_graph(graph, args.output)
    print(f"{len(graph):,} triples from {articles:,} articles -> {args.output} "
          f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
