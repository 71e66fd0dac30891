"""What kg's spaCy components leave on a ``Doc``: entity clusters, relation and fact candidates.

These are doc-local records (offsets into ``doc.text``, cluster ids local to the doc). The
extract stage turns them into :mod:`kg.records` with article ids and evidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token


@dataclass
class Cluster:
    """Mentions of one entity within a doc. Mutable while the pipeline runs."""

    id: int
    cls: str  # Person, Show, Character, Organization, Place, Event, or "Name" while untyped
    name: str
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None
    gender_from_name: bool = False  # only a given name's usual gender: text evidence overrides it
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token indices (start, end)
    votes: dict[str, float] = field(default_factory=dict)
    fixed: bool = False  # class from a gazetteer
    broadcaster: bool = False
    genre: str | None = None
    network: str | None = None  # a show's usual broadcaster, from the gazetteer

    def vote(self, cls: str, weight: float = 1.0) -> None:
        self.votes[cls] = self.votes.get(cls, 0.0) + weight


@dataclass(frozen=True)
class RelationCandidate:
    """``subject predicate object`` between two clusters, read from one sentence."""

    subject: int
    predicate: str
    object: int
    sent_start: int  # character offsets of the sentence
    sent_end: int
    rule: str
    confidence: float
    hedged: bool = False
    chain: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactCandidate:
    """An age or a date of a cluster, read from one sentence."""

    subject: int
    attribute: str  # age, birthDate, deathDate
    value: int | dt.date
    sent_start: int
    sent_end: int
    rule: str
    confidence: float
    as_of: dt.date | None = None
    chain: tuple[str, ...] = ()


def _cls_of(token: Token) -> str | None:
    ref = token._.kg_ref
    if ref is None:
        return None
    clusters = token.doc._.kg_clusters
    return clusters[ref].cls if ref < len(clusters) else None


def register_extensions() -> None:
    """Register kg's ``._`` attributes on Doc, Span and Token (idempotent)."""
    for name, default in (("kg_date", None), ("kg_clusters", None), ("kg_relations", None),
                          ("kg_facts", None), ("kg_quotes", None),
                          ("kg_model_ents", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("kg_ref", "kg_chain", "kg_speaker", "kg_group"):
        if not Token.has_extension(name):
            Token.set_extension(name, default=None)
    if not Token.has_extension("kg_cls"):
        Token.set_extension("kg_cls", getter=_cls_of)
    if not Span.has_extension("kg_kb"):
        Span.set_extension("kg_kb", default=None)


register_extensions()
