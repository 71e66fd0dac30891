"""The records that flow between kg's stages.

ingest -> :class:`Article`; extract -> :class:`ArticleExtraction` (local entities, relations,
facts, each with its :class:`Evidence`); resolve -> :class:`ResolvedCorpus` (canonical entities,
the mapping from local to canonical ids and the merge ledger); graph turns that into RDF.

Every record is a frozen dataclass so stages cannot mutate what an earlier stage produced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Union

from kg.schema import predicates, symmetric_predicates

EntityClass = Literal["Person", "Show", "Character", "Organization", "Place", "Event"]
ENTITY_CLASSES: tuple[str, ...] = ("Person", "Show", "Character", "Organization", "Place", "Event")

#: Relation predicates (local names in the ontology, in its order), read from ``ontology/kg.ttl``
#: by :mod:`kg.schema`. Symmetric ones are stored once, with the ends in a canonical order.
PREDICATES: tuple[str, ...] = tuple(predicates())
SYMMETRIC_PREDICATES: frozenset[str] = symmetric_predicates()
FactAttribute = Literal["age", "birthDate", "deathDate"]


@dataclass(frozen=True)
class Article:
    """One news article: its id (the file stem), publication date and body text."""

    id: str
    date: dt.date
    text: str
    source: str
    url: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be read as an article; reported by name and skipped."""

    source: str
    reason: str


@dataclass(frozen=True)
class Evidence:
    """Where a claim comes from: the sentence of an article, the rule that read it, how sure.

    ``start``/``end`` are character offsets of the sentence in ``Article.text``.
    ``chain`` lists how mentions were resolved (``"her -> Kym Marsh"``) when coreference was
    needed to make the claim.
    """

    article_id: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float
    hedged: bool = False
    chain: tuple[str, ...] = ()


@dataclass(frozen=True)
class LocalEntity:
    """An entity as one article knows it. ``key`` is unique within the article."""

    key: str
    cls: str
    name: str
    aliases: tuple[str, ...] = ()
    gender: str | None = None  # "f", "m" or None
    mentions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Relation:
    """``subject predicate object`` between two local entities of one article."""

    subject: str
    predicate: str
    object: str
    evidence: Evidence


@dataclass(frozen=True)
class Fact:
    """A literal about a local entity: an age (with the date it holds for) or a date."""

    subject: str
    attribute: str  # one of FactAttribute
    value: Union[int, dt.date]
    evidence: Evidence
    as_of: dt.date | None = None


@dataclass(frozen=True)
class ArticleExtraction:
    """Everything kg read in one article."""

    article: Article
    entities: tuple[LocalEntity, ...]
    relations: tuple[Relation, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Entity:
    """A canonical entity after resolution across articles.

    ``id`` is a stable slug (``person/kym-marsh``) that becomes the tail of the entity's IRI.
    """

    id: str
    cls: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Merge:
    """One entry of the merge ledger: which names became one entity, by which rule, why.

    A *blocked* entry records a merge that a rule proposed and a constraint refused
    (``reason`` starts with ``"not merged: "``): ``apart`` lists the entities kept apart
    (``entity`` is the first of them), ``names`` the names of both sides.
    """

    entity: str
    names: tuple[str, ...]
    rule: str
    reason: str
    articles: tuple[str, ...] = ()
    blocked: bool = False
    apart: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResolvedCorpus:
    """The output of resolution: canonical entities and where every local entity went."""

    extractions: tuple[ArticleExtraction, ...]
    entities: tuple[Entity, ...]
    #: (article id, local key) -> canonical entity id
    mapping: dict[tuple[str, str], str] = field(default_factory=dict, hash=False, compare=False)
    merges: tuple[Merge, ...] = ()

    def canonical(self, article_id: str, key: str) -> str:
        """The canonical entity id of a local entity."""
        return self.mapping[(article_id, key)]
