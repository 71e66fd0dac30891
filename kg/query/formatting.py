"""Turn a :class:`~kg.sparql.result.QueryResult` into CSV, SPARQL 1.1 JSON, a rich table or a
pandas DataFrame (:func:`to_dataframe` and :func:`sparql_term` live in :mod:`kg.sparql.result`)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib.term import BNode, Literal, Node, URIRef
from rich.table import Table
from rich.text import Text

from kg.sparql.result import QueryResult, sparql_term, to_dataframe  # noqa: F401 (re-exported)

_NUMERIC_TYPES = frozenset(
    f"http://www.w3.org/2001/XMLSchema#{name}"
    for name in ("integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger")
)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV: a header of column names, then one line per row; IRIs bare, unbound
    values empty, CRLF line ends. ASK gives the single column ``ask``; CONSTRUCT/DESCRIBE give
    ``subject,predicate,object`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def to_json(result: QueryResult, *, indent: int | None = 2) -> str:
    """SPARQL 1.1 Query Results JSON: ``{"head": {"vars": [...]}, "results": {"bindings":
    [...]}}``, each bound value as ``{"type": "uri"|"literal"|"bnode", "value": ...}`` with
    ``datatype`` or ``xml:lang`` when the literal has one. ASK gives ``{"head": {}, "boolean":
    ...}``; CONSTRUCT/DESCRIBE give bindings of ``subject``/``predicate``/``object``."""
    if result.kind == "ASK":
        document: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
        return json.dumps(document, indent=indent, ensure_ascii=False)
    terms = result.terms if len(result.terms) == len(result.rows) else None
    bindings = []
    for index, row in enumerate(result.rows):
        binding: dict[str, dict[str, str]] = {}
        for position, column in enumerate(result.columns):
            value = row[position]
            if value is None:
                continue
            term = terms[index][position] if terms is not None else None
            binding[column] = _json_term(term, value)
        bindings.append(binding)
    document = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=indent, ensure_ascii=False)


def _json_term(term: Node | None, value: str) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": value}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": value}
    out = {"type": "literal", "value": value}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
    return out


def to_table(result: QueryResult, *, title: str | None = None, compact: bool = True) -> Table:
    """A rich table of the result. IRIs are shown in a form that can be pasted back into a
    query: with ``compact``, a prefixed name where kg predeclares the prefix and the local part
    is legal SPARQL (``kg:Person``), otherwise the IRI in angle brackets
    (``<https://w3id.org/kg-news/id/person/kym-marsh>``). IRI and number cells are never
    wrapped; text wraps between words. Numeric columns are right-aligned."""
    table = Table(title=title, show_lines=False, header_style="bold")
    terms = result.terms if len(result.terms) == len(result.rows) else None
    for position, column in enumerate(result.columns):
        numeric = terms is not None and bool(result.rows) and all(
            row[position] is None or _is_numeric(row[position]) for row in terms
        )
        unbreakable = terms is not None and bool(result.rows) and all(
            row[position] is None or isinstance(row[position], (URIRef, BNode)) or _is_numeric(row[position])
            for row in terms
        )
        table.add_column(column, justify="right" if numeric else "left",
                         no_wrap=unbreakable, overflow="ignore" if unbreakable else "fold")
    for index, row in enumerate(result.rows):
        cells = []
        for position, value in enumerate(row):
            term = terms[index][position] if terms is not None else None
            cells.append(Text(_cell(value, term, compact)))
        table.add_row(*cells)
    if not result.rows:
        table.caption = "no results"
    return table


def table_min_width(table: Table) -> int:
    """The narrowest width at which :func:`to_table`'s ``table`` shows every IRI and number
    whole and breaks text only between words (headers included)."""
    width = 1
    for column in table.columns:
        cells = [str(cell) for cell in column.cells]
        if column.no_wrap:
            widest = max((len(cell) for cell in cells), default=0)
        else:
            widest = max((len(word) for cell in cells for word in cell.split()), default=0)
        width += max(widest, len(str(column.header))) + 3
    return width


def to_records(result: QueryResult, *, compact: bool = True) -> Text:
    """The result one row at a time, ``column  value`` per line: what ``kg query`` prints when
    the table would be wider than the terminal, so that no IRI is cut or folded."""
    terms = result.terms if len(result.terms) == len(result.rows) else None
    width = max((len(column) for column in result.columns), default=0)
    out = Text()
    for index, row in enumerate(result.rows):
        out.append(f"-- row {index + 1} --\n", style="bold")
        for position, value in enumerate(row):
            term = terms[index][position] if terms is not None else None
            out.append(f"{result.columns[position]:<{width}}  ", style="bold")
            out.append(_cell(value, term, compact) + "\n")
    if not result.rows:
        out.append("no results\n")
    out.rstrip()
    return out


def _cell(value: str | None, term: Node | None, compact: bool) -> str:
    if value is None:
        return ""
    if isinstance(term, (URIRef, BNode)):
        return sparql_term(term, compact=compact)
    return value


def _is_numeric(term: Node | None) -> bool:
    return isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in _NUMERIC_TYPES
