"""A synthetic kg corpus of any size, in kg's exact graph shape, for the store benchmark.

The corpus is made of records (:class:`~kg.records.ResolvedCorpus`) and turned into RDF by kg's
own :func:`kg.graph.build_graph`, so the graph has the ontology's classes, relations, age
observations, one ``rdf:Statement`` per piece of evidence, article nodes and merge-ledger
entries exactly as ``kg build`` writes them. Entities recur across articles with a skewed
(Zipf-like) popularity, as stars do in a news archive. A real graph has about 145 triples per
article (``kg build examples``: 578 triples, 4 articles); this one about 250.

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
TRIPLES_PER_ARTICLE = 250

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


def _world(rng: random.Random, people: list[Entity]) -> dict[str, list[tuple[str, str]]]:
    """Stable facts about people, as the world has them: families (two parents of a few
    children, the parents married, partnered or split), siblings among the children, and
    friendships. Returns, per person id, the ``(predicate, other id)`` facts an article about
    that person may report (``child`` both ways: ``("child", c)`` for a parent,
    ``("parent", p)`` for a child)."""
    facts: dict[str, list[tuple[str, str]]] = {person.id: [] for person in people}
    order = people[:]
    rng.shuffle(order)
    index = 0
    while index + 2 <= len(order):
        mother, father = order[index], order[index + 1]
        index += 2
        kids = order[index:index + rng.choice((0, 1, 1, 2, 2, 3, 4))]
        index += len(kids)
        couple = rng.choice(("spouse", "spouse", "partner", "exPartner"))
        facts[mother.id].append((couple, father.id))
        facts[father.id].append((couple, mother.id))
        for kid in kids:
            for parent in (mother, father):
                facts[parent.id].append(("child", kid.id))
                facts[kid.id].append(("parent", parent.id))
        for first, second in zip(kids, kids[1:]):
            facts[first.id].append(("sibling", second.id))
            facts[second.id].append(("sibling", first.id))
    for person in people:
        if rng.random() < 0.3:
            friend = rng.choice(people)
            if friend.id != person.id:
                facts[person.id].append(("friend", friend.id))
                facts[friend.id].append(("friend", person.id))
    return facts


def synthetic_corpus(articles: int, seed: int = 7) -> ResolvedCorpus:
    """A resolved corpus of ``articles`` articles with kg's relations, facts and merges.

    The world is stable, as news is: every person has one family, one birth date and one set
    of friends, every show one cast, broadcaster and roster of characters, each character one
    actor. Articles re-report those facts about the people they mention, so a star in hundreds
    of articles has hundreds of pieces of evidence for a handful of relatives. A few articles
    get something wrong (an age, a birth date, a parent), which gives the contradictions query
    something to find.
    """
    rng = random.Random(seed)
    people = _pool(rng, "Person", max(20, articles * 2), 2)
    characters = _pool(rng, "Character", max(10, articles // 3), 2)
    shows = _pool(rng, "Show", max(5, articles // 25), 2)
    orgs = _pool(rng, "Organization", max(3, min(60, articles // 10)), 1)
    places = _pool(rng, "Place", max(3, articles // 20), 1)
    pick_person, pick_show = _Picker(rng, people), _Picker(rng, shows)
    pick_org, pick_place = _Picker(rng, orgs), _Picker(rng, places)
    by_id = {person.id: person for person in people}
    show_of = {character.id: rng.choice(shows) for character in characters}
    roster: dict[str, list[Entity]] = {}
    for character in characters:
        roster.setdefault(show_of[character.id].id, []).append(character)
    actor_of = {character.id: pick_person(1)[0] for character in characters}
    broadcaster = {show.id: pick_org(1)[0] for show in shows}
    cast_of: dict[str, list[Entity]] = {}
    for character in characters:
        cast_of.setdefault(show_of[character.id].id, []).append(actor_of[character.id])
    presenters = {show.id: pick_person(2) for show in shows}
    born = {person.id: dt.date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28))
            for person in people}
    world = _world(rng, people)

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
        org = broadcaster[show.id]
        place = pick_place(1)[0]
        stars = [*players, *(p for p in pick_person(3) if p not in players)][:4]
        local: dict[str, Entity] = {entity.id: entity for entity in [*stars, *roles, show, org, place]}
        relations: list[Relation] = [
            Relation(show.id, "broadcastBy", org.id, evidence(f"{org.name} airs {show.name}")),
        ]
        for actor, role in zip(players, roles):
            relations.append(Relation(actor.id, "plays", role.id,
                                      evidence(f"{actor.name} plays {role.name}")))
            relations.append(Relation(role.id, "characterIn", show.id,
                                      evidence(f"{role.name} in {show.name}")))
            relations.append(Relation(actor.id, "actsIn", show.id,
                                      evidence(f"{actor.name} joined {show.name}")))
        if len(players) == 2:
            relations.append(Relation(players[0].id, "coStar", players[1].id,
                                      evidence(f"{players[0].name} and co-star {players[1].name}")))
        if rng.random() < 0.3:
            host = rng.choice(presenters[show.id])
            local[host.id] = host
            relations.append(Relation(host.id, "presents", show.id,
                                      evidence(f"{host.name} presents {show.name}")))
        if rng.random() < 0.1:
            creator = rng.choice(presenters[show.id])
            local[creator.id] = creator
            relations.append(Relation(show.id, "createdBy", creator.id,
                                      evidence(f"{show.name} was created by {creator.name}")))
        for star in stars:
            known = world[star.id]
            for predicate, other_id in rng.sample(known, min(len(known), rng.randint(1, 3))):
                other = by_id[other_id]
                if rng.random() < 0.01:  # a wrong relative, now and then
                    other = pick_person(1)[0]
                if other.id == star.id:
                    continue
                local[other.id] = other
                if predicate == "parent":
                    relations.append(Relation(other.id, "child", star.id,
                                              evidence(f"{star.name}, whose parent is {other.name}")))
                else:
                    relations.append(Relation(star.id, predicate, other.id,
                                              evidence(f"{star.name} and {other.name}")))

        def age(person: Entity) -> int:
            years = date.year - born[person.id].year - (
                (date.month, date.day) < (born[person.id].month, born[person.id].day))
            return years + rng.choice((-3, 4)) if rng.random() < 0.03 else years

        facts = [Fact(star.id, "age", age(star), evidence(f"{star.name}, aged",
                                                          rng.choice(("age.apposition", "age.year_old"))))
                 for star in stars[:2]]
        if rng.random() < 0.15:
            star = rng.choice(stars)
            day = born[star.id]
            if rng.random() < 0.02:  # a wrong birth date, now and then
                day = day.replace(year=day.year + rng.choice((-2, 1)))
            facts.append(Fact(star.id, "birthDate", day, evidence(f"{star.name} was born", "date.born")))
        relations = [r for r in relations if r.subject != r.object]
        for entity_id in local:
            mapping[(article_id, entity_id)] = entity_id
        text = " ".join(sentences)
        article = Article(article_id, date, text, f"archive/{article_id}.txt",
                          title=f"{stars[0].name if stars else show.name} news")
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
