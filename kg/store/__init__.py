"""Stores: kg's graph in a persistent, fast triple store, updated article by article.

- :class:`KgStore` — a store folder (``kg build --store DIR``, ``kg add``, ``kg remove``): the
  graph plus every article's extraction, so updates only extract what is new.
- :class:`OxigraphStore` — kg's store interface (:class:`TripleStore`) over Oxigraph, on disk or
  in memory; :class:`MemoryStore` — the same interface over an rdflib graph.
- :func:`open_graph` — any store folder or RDF file, ready for :func:`kg.query.run_query`.

>>> store = KgStore.create("archive")                              # doctest: +SKIP
>>> store.add_articles(kg.ingest.read_articles(["news/"]))          # doctest: +SKIP
>>> kg.query.run_named(open_graph("archive"), "children", {"name": "Kym Marsh"})  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.store.archive import MANIFEST, KgStore, UpdateReport, content_hash, is_store
from kg.store.base import RDF_FORMATS, StoreError, Triple, TripleStore, format_of
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore

__all__ = [
    "MANIFEST",
    "RDF_FORMATS",
    "KgStore",
    "MemoryStore",
    "OxigraphStore",
    "StoreError",
    "Triple",
    "TripleStore",
    "UpdateReport",
    "content_hash",
    "format_of",
    "is_store",
    "open_graph",
]


def open_graph(path: str | os.PathLike[str]) -> TripleStore:
    """The graph at ``path`` as a read-only store: a kg store folder, a bare Oxigraph folder,
    or an RDF file of any format kg reads (loaded into an in-memory Oxigraph store).
    Raises :class:`StoreError` naming the path when it is none of these or cannot be read."""
    target = Path(path)
    if target.is_dir():
        if is_store(target):
            return KgStore.open(target, read_only=True).graph
        if (target / "CURRENT").is_file():
            return OxigraphStore(target, read_only=True)
        raise StoreError(f"{str(target)!r} is a folder but not a kg store (no {MANIFEST})")
    if not target.exists():
        raise StoreError(f"graph file or store not found: {str(target)!r}")
    return OxigraphStore.from_file(target)
