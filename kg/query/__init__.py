"""Query a built graph with SPARQL: ad-hoc text or the ready-made queries in ``queries/*.rq``.

>>> graph = load_graph("out/graph.ttl")                      # doctest: +SKIP
>>> result = run_named(graph, "children", {"name": "Kym Marsh"})  # doctest: +SKIP
>>> print(to_csv(result))                                    # doctest: +SKIP
"""

from kg.query.contradictions import CONTRADICTION_KINDS, Contradiction, find_contradictions
from kg.query.engine import (
    NamedQuery,
    QueryError,
    QueryParam,
    QueryResult,
    QuerySource,
    QueryTimeout,
    load_graph,
    named_queries,
    run_named,
    run_query,
)
from kg.query.errors import describe_syntax_error
from kg.query.formatting import sparql_term, to_csv, to_dataframe, to_json, to_records, to_table

__all__ = [
    "CONTRADICTION_KINDS",
    "Contradiction",
    "NamedQuery",
    "QueryError",
    "QueryParam",
    "QueryResult",
    "QuerySource",
    "QueryTimeout",
    "describe_syntax_error",
    "find_contradictions",
    "load_graph",
    "named_queries",
    "run_named",
    "run_query",
    "sparql_term",
    "to_csv",
    "to_dataframe",
    "to_json",
    "to_records",
    "to_table",
]
