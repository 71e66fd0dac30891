"""SPARQL 1.1 result formats for ``kg serve``: content negotiation and serialisation.

pyoxigraph writes the formats (JSON, XML, CSV, TSV as the W3C recommendations define them): ASK
answers and CONSTRUCT/DESCRIBE graphs directly; SELECT rows, which a row cap may cut short, by
way of the SPARQL JSON :func:`write_rows` writes for the rows kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "MediaType",
    "NotAcceptable",
    "negotiate",
    "write_rows",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class MediaType:
    """A result format: its media type, the short name ``format=`` accepts, and the names it
    answers to in an ``Accept`` header."""

    media_type: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value."""
        return f"{self.media_type}; charset=utf-8"


#: Formats for SELECT and ASK, the default first.
RESULT_TYPES: tuple[MediaType, ...] = (
    MediaType("application/sparql-results+json", "json", ("application/json",)),
    MediaType("application/sparql-results+xml", "xml", ("application/xml", "text/xml")),
    MediaType("text/csv", "csv"),
    MediaType("text/tab-separated-values", "tsv"),
)
#: Formats for CONSTRUCT and DESCRIBE, the default first.
GRAPH_TYPES: tuple[MediaType, ...] = (
    MediaType("text/turtle", "turtle", ("application/x-turtle",)),
    MediaType("application/ld+json", "json-ld", ("application/json",)),
    MediaType("application/n-triples", "nt", ("text/plain",)),
    MediaType("application/rdf+xml", "xml", ("application/xml", "text/xml")),
)


class NotAcceptable(ValueError):
    """No format the client accepts can carry this kind of result."""


def negotiate(accept: str | None, offered: Sequence[MediaType], format_name: str | None = None) -> MediaType:
    """The best of ``offered`` for an ``Accept`` header (q-values honoured, ``*/*`` and
    ``type/*`` understood), or for an explicit ``format=`` name, which wins. No header, or one
    that names nothing kg writes but allows anything, gives the first (default) format.
    Raises :class:`NotAcceptable`."""
    if format_name:
        wanted = format_name.strip().lower()
        for media in offered:
            if wanted in (media.name, media.media_type, *media.aliases):
                return media
        names = ", ".join(media.name for media in offered)
        raise NotAcceptable(f"format {format_name!r} is not available here; use one of {names}")
    if not accept or not accept.strip():
        return offered[0]
    candidates = []
    for position, (media_range, quality) in enumerate(_parse_accept(accept)):
        if quality <= 0:
            continue
        specificity = 0 if media_range == "*/*" else 1 if media_range.endswith("/*") else 2
        for rank, media in enumerate(offered):
            if _matches(media_range, media):
                # the client's q first, then the most specific range, its order, kg's order
                candidates.append(((quality, specificity, -position, -rank), media))
    if not candidates:
        names = ", ".join(media.media_type for media in offered)
        raise NotAcceptable(f"cannot answer with any of {accept!r}; available: {names}")
    return max(candidates, key=lambda candidate: candidate[0])[1]


def _parse_accept(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        media_range = pieces[0].lower()
        if not media_range:
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range, quality))
    return ranges


def _matches(media_range: str, media: MediaType) -> bool:
    if media_range == "*/*":
        return True
    names = (media.media_type, *media.aliases)
    if media_range.endswith("/*"):
        return any(name.startswith(media_range[:-1]) for name in names)
    return media_range in names


# --- SELECT rows ------------------------------------------------------------------------------
# pyoxigraph writes every format, but only for a whole solution stream (QuerySolutions.serialize),
# and kg serve must stop at its row cap and say so. So the capped rows are written here as
# SPARQL JSON, the one thing pyoxigraph lacks, and pyoxigraph rewrites that in the other formats.


def write_rows(media: MediaType, variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Serialise SELECT ``rows`` (pyoxigraph terms or ``None``, one per variable) as ``media``."""
    import pyoxigraph as ox

    document = _json_rows(variables, rows)
    if media.name == "json":
        return document
    formats = {"xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV,
               "tsv": ox.QueryResultsFormat.TSV}
    solutions = ox.parse_query_results(document, ox.QueryResultsFormat.JSON)
    return bytes(solutions.serialize(format=formats[media.name]))


def _json_term(term: Any) -> dict[str, Any]:
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    if kind == "Literal":
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if kind == "Triple":
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        }}
    raise TypeError(f"cannot write {term!r} as a SPARQL result term")


def _json_rows(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row) if term is not None}
        for row in rows
    ]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
