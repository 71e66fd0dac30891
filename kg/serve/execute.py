"""Evaluate one job on an Oxigraph store and serialise the answer (runs inside a worker)."""

from __future__ import annotations

import time
from typing import Any

from kg.query.errors import describe_syntax_error
from kg.query.rewrite import ParameterError, select_blocks
from kg.serve.jobs import Answer, Job
from kg.serve.results import GRAPH_TYPES, RESULT_TYPES, write_rows
from kg.sparql.result import NAMESPACES, QueryError
from kg.store.oxigraph import OxigraphStore, rdf_format

__all__ = ["execute"]


def execute(store: OxigraphStore, job: Job) -> Answer:
    """Run ``job`` on ``store``; a syntax or evaluation error is a ``"bad-query"`` answer whose
    body is Oxigraph's message (with the line and column)."""
    import pyoxigraph as ox

    started = time.perf_counter()
    try:
        bindings = dict(job.bindings)
        text = store.prepare(select_blocks(job.sparql, bindings), bindings, matches=job.matches)
        result = store.native.query(text, prefixes=dict(NAMESPACES))
    except (QueryError, ParameterError) as error:
        return Answer("bad-query", str(error).encode())
    except SyntaxError as error:
        return Answer("bad-query", describe_syntax_error(job.sparql, error).encode())
    except (ValueError, RuntimeError, OSError) as error:
        return Answer("bad-query", f"the query cannot be evaluated: {error}".encode())
    try:
        if isinstance(result, ox.QueryBoolean):
            media = _media(RESULT_TYPES, job.media)
            body = result.serialize(format=_results_format(media.name))
            return Answer("ok", bytes(body), rows=1, seconds=time.perf_counter() - started)
        if isinstance(result, ox.QueryTriples):
            media = _media(GRAPH_TYPES, job.media)
            triples = []
            truncated = False
            for triple in result:
                if len(triples) >= job.limit:
                    truncated = True
                    break
                triples.append(triple)
            body = ox.serialize(triples, format=rdf_format(media.name), prefixes=_prefixes(media.name))
            return Answer("ok", bytes(body or b""), truncated=truncated, rows=len(triples),
                          seconds=time.perf_counter() - started)
        media = _media(RESULT_TYPES, job.media)
        variables = [variable.value for variable in result.variables]
        rows = []
        truncated = False
        for solution in result:
            if len(rows) >= job.limit:
                truncated = True
                break
            rows.append([solution[name] for name in variables])
        return Answer("ok", write_rows(media, variables, rows), truncated=truncated, rows=len(rows),
                      seconds=time.perf_counter() - started)
    except (ValueError, RuntimeError, OSError) as error:
        # Oxigraph evaluates lazily: type errors and the like surface while reading results.
        return Answer("bad-query", f"the query failed: {error}".encode())


def _media(offered: Any, name: str) -> Any:
    for media in offered:
        if media.name == name:
            return media
    return offered[0]


def _results_format(name: str) -> Any:
    import pyoxigraph as ox

    return {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
    }[name]


def _prefixes(name: str) -> dict[str, str] | None:
    return dict(NAMESPACES) if name == "turtle" else None
