"""SPARQL in kg's terms, below every stage that runs it.

:mod:`kg.sparql.result` holds what a query returns (:class:`QueryResult`, :class:`QueryError`,
the predeclared prefixes); :mod:`kg.sparql.oxigraph` moves terms and graphs between rdflib and
Oxigraph. The graph stage (SHACL checks), :mod:`kg.query`, :mod:`kg.store` and :mod:`kg.serve`
build on these; this package imports only :mod:`kg.namespace`.
"""

from kg.sparql.oxigraph import from_oxigraph, quads, to_oxigraph, to_store
from kg.sparql.result import (
    NAMESPACES,
    QueryError,
    QueryKind,
    QueryResult,
    QueryTimeout,
    call_with_timeout,
    sparql_term,
    to_dataframe,
)

__all__ = [
    "NAMESPACES",
    "QueryError",
    "QueryKind",
    "QueryResult",
    "QueryTimeout",
    "call_with_timeout",
    "from_oxigraph",
    "quads",
    "sparql_term",
    "to_dataframe",
    "to_oxigraph",
    "to_store",
]
