"""What a SPARQL query returns, in kg's terms: the bottom of kg's query layers.

:class:`QueryResult`, :class:`QueryError`, the predeclared prefixes (:data:`NAMESPACES`) and
the pasteable form of a term (:func:`sparql_term`) are used by the graph stage (SHACL checks,
statistics), by :mod:`kg.query` and the stores, and by ``kg serve``; this module imports no kg
stage, so each of them can use it without importing the others.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from typing import Literal as TypingLiteral

from rdflib.term import BNode, Literal, Node, URIRef

from kg.namespace import DCTERMS, KG, KGR, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

__all__ = [
    "NAMESPACES", "QueryError", "QueryKind", "QueryResult", "QueryTimeout", "call_with_timeout",
    "sparql_term", "to_dataframe",
]

#: Prefixes every query may use without declaring them, and that serialised results use.
NAMESPACES: Mapping[str, str] = {
    "kg": str(KG),
    "kgr": str(KGR),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "schema": str(SCHEMA),
}

QueryKind = TypingLiteral["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

class QueryError(Exception):
    """A query could not be run: unknown name, missing or unknown parameter, bad SPARQL, or a
    graph file that cannot be read. The message says what to fix."""


class QueryTimeout(QueryError):
    """The query ran longer than its time limit."""

@dataclass(frozen=True)
class QueryResult:
    """What a query returned, as plain strings (``None`` for unbound).

    SELECT: one column per projected variable. ASK: one column ``ask`` with one row holding
    ``"true"`` or ``"false"``. CONSTRUCT/DESCRIBE: the triples as ``subject``/``predicate``/
    ``object`` rows, and the whole graph as Turtle in ``graph``. ``terms`` keeps the rdflib terms
    behind ``rows`` (same shape) so serialisers can tell IRIs from literals. ``truncated``
    says that a row limit cut the result short.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    kind: QueryKind = "SELECT"
    graph: str | None = None
    terms: tuple[tuple[Node | None, ...], ...] = field(default=(), repr=False, compare=False)
    truncated: bool = False

    @property
    def boolean(self) -> bool | None:
        """The answer of an ASK query; ``None`` for other kinds."""
        if self.kind != "ASK":
            return None
        return self.rows == (("true",),)

    def __len__(self) -> int:
        return len(self.rows)

    def to_df(self, *, compact: bool = False, typed: bool = True) -> Any:
        """The result as a pandas DataFrame (``pip install 'kg[pandas]'``); see
        :func:`to_dataframe` for ``compact`` and ``typed``."""
        return to_dataframe(self, compact=compact, typed=typed)

def call_with_timeout(work: Any, timeout: float | None, label: str) -> Any:
    """``work()``, in a daemon thread when ``timeout`` is set; :class:`QueryTimeout` if it has
    not finished after ``timeout`` seconds (the thread is then abandoned, not stopped)."""
    if timeout is None:
        return work()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="kg-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise QueryTimeout(f"{label} timed out after {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def sparql_term(term: Node, *, compact: bool = True) -> str:
    """``term`` as SPARQL/Turtle text that parses: an IRI as a prefixed name (kg's prefixes,
    legal local part) or ``<IRI>``, a blank node as ``_:id``, a literal in quotes."""
    if isinstance(term, URIRef):
        return _compact_iri(str(term)) if compact else f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()

# SPARQL 1.1 PN_LOCAL without escapes: no "/", "#", "?" ...; may not end with a dot.
_PN_LOCAL = re.compile(r"^(?:[\w:]|[\w:][\w\-.:\u00B7]*[\w\-:\u00B7])?$")

def _compact_iri(iri: str) -> str:
    """``prefix:local`` when a predeclared namespace holds ``iri`` and ``local`` is a legal
    SPARQL local name, else ``<iri>``."""
    best = ""
    best_prefix = ""
    for prefix, base in NAMESPACES.items():
        if iri.startswith(base) and len(base) > len(best):
            best, best_prefix = base, prefix
    local = iri[len(best):]
    if best and _PN_LOCAL.match(local):
        return f"{best_prefix}:{local}"
    return f"<{iri}>"

def to_dataframe(result: QueryResult, *, compact: bool = False, typed: bool = True) -> Any:
    """The result as a :class:`pandas.DataFrame`, one column per variable (as kglab's
    ``query_as_df``). IRIs become strings (with ``compact``, the pasteable prefixed or ``<…>``
    form of :func:`to_table`); with ``typed``, literals become Python values (``int``,
    ``float``, ``datetime.date`` …), otherwise their text; unbound values are ``None``.
    Needs pandas: ``pip install 'kg[pandas]'``."""
    try:
        import pandas as pd
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("QueryResult.to_df() needs pandas: pip install 'kg[pandas]'") from error
    terms = result.terms if len(result.terms) == len(result.rows) else None
    records = []
    for index, row in enumerate(result.rows):
        values: list[Any] = []
        for position, value in enumerate(row):
            term = terms[index][position] if terms is not None else None
            if value is None:
                values.append(None)
            elif isinstance(term, (URIRef, BNode)):
                values.append(sparql_term(term) if compact else value)
            elif typed and isinstance(term, Literal):
                python = term.toPython()
                values.append(value if isinstance(python, Literal) else python)
            else:
                values.append(value)
        records.append(values)
    return pd.DataFrame.from_records(records, columns=list(result.columns))
