"""Normalised entity kinds, whatever base pipeline produced the entities.

kg's shipped pipeline labels ``PER``/``ORG``/``LOC``; ``en_core_web_*`` label ``PERSON``,
``GPE``, ``WORK_OF_ART`` …. kg's components read :func:`entity_kind` (or the ``kg_kind``
extension on a span) instead of the raw label. The mapping is ``data/ner_labels.json``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span

KINDS = ("person", "place", "organization", "work")


@lru_cache(maxsize=1)
def label_map() -> dict[str, str]:
    """Raw NER label -> kind (``person``, ``place``, ``organization``, ``work``)."""
    text = resources.files("kg.nlp").joinpath("data/ner_labels.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_") and v in KINDS}


def entity_kind(label: str) -> str | None:
    """The kind of a raw NER label, or None for labels kg does not use (DATE, MISC …)."""
    return label_map().get(label.upper())


def _span_kind(span: Span) -> str | None:
    return entity_kind(span.label_)


if not Span.has_extension("kg_kind"):
    Span.set_extension("kg_kind", getter=_span_kind)
