"""Resolve stage: merge the local entities of many articles into canonical entities.

``resolve(extractions, config)`` -> :class:`~kg.records.ResolvedCorpus` with stable ids
(``person/kym-marsh``), the (article id, local key) -> id mapping and a merge ledger.
"""

from kg.resolve.resolver import ResolverConfig, resolve

__all__ = ["ResolverConfig", "resolve"]
