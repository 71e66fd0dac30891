"""Export stage: deterministic serialisation of graphs and atomic file writes."""

from kg.export.atomic import atomic_write_bytes, atomic_write_text
from kg.export.serialize import FORMAT_SUFFIX, FORMATS, serialize, write_graph

__all__ = [
    "FORMATS",
    "FORMAT_SUFFIX",
    "atomic_write_bytes",
    "atomic_write_text",
    "serialize",
    "write_graph",
]
