"""Ingest: read ``.txt`` and ``.jsonl`` inputs into :class:`~kg.records.Article` records."""

from kg.ingest.reader import (
    DATE_LINE_FORMAT,
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    iter_sources,
    normalise_text,
    read_articles,
)

__all__ = [
    "DATE_LINE_FORMAT",
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "iter_sources",
    "normalise_text",
    "read_articles",
]
