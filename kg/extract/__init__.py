"""Extract stage: run the NLP pipeline on articles and return their records with evidence.

:mod:`kg.extract.extractor` turns one processed ``Doc`` into records; :mod:`kg.extract.parallel`
runs that over many articles, in this process or in worker processes. The extractor (and with
it spaCy) is imported on first use, so the parallel machinery can be imported cheaply.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract.extractor import doc_to_extraction, extract_article, extract_articles

__all__ = ["doc_to_extraction", "extract_article", "extract_articles"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        value = getattr(importlib.import_module("kg.extract.extractor"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
