"""SPARQL syntax errors in words: what is wrong, where (line:column), and a caret under the spot.

Oxigraph and rdflib both report a syntax error as their grammar's expectation at the furthest
point the parser reached: Oxigraph lists character ranges (``'\\u{00C0}'..='\\u{00D6}'``),
pyparsing names grammar rules. :func:`describe_syntax_error` turns either into one short
sentence a person can act on::

    SPARQL syntax error at 1:22 in the query: unknown prefix foo:
      SELECT ?x WHERE { ?x foo:bar ?y }
                           ^
    kg predeclares kg, kgr, rdf, rdfs, skos, prov, dcterms, xsd, owl, schema; declare others
    with PREFIX foo: <IRI>
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from kg.query.rewrite import UPDATE_KEYWORDS, _tokens, operation_keyword
from kg.sparql.result import NAMESPACES

__all__ = ["describe_syntax_error", "read_only_message"]

# Oxigraph: "error at 3:14: expected one of ..." / "... expected X".
_OXIGRAPH = re.compile(r"error at (\d+):(\d+): expected (?:one of )?(.*)", re.DOTALL)
# pyparsing: "Expected X, found ')'  (at char 56), (line:3, col:20)".
_PYPARSING = re.compile(r"found (end of text|'(?:[^']|'(?!\s+\(at char))*')\s+\(at char \d+\), "
                        r"\(line:(\d+), col:(\d+)\)")
_RDFLIB_PREFIX = re.compile(r"Unknown namespace prefix\s*:\s*(\S*)")
# Readable items of an Oxigraph expectation list: quoted tokens and KEYWORDS; character
# classes ("['A' ..= 'Z' | ...]", "[_]") and internal names are dropped.
_EXPECTED_ITEM = re.compile(r'"((?:[^"\\]|\\.)*)"|\b([A-Z]{2,})\b')
_INTERNAL = {"IRI parsing failed": "a valid IRI", "Prefix not found": None}


def read_only_message(keyword: str, tool: str = "kg query") -> str:
    """The answer to a SPARQL update given where only queries run."""
    return (f"{tool} is read-only: SPARQL updates ({keyword} …) are refused; "
            "use kg add / kg remove to change a store")


def describe_syntax_error(
    sparql: str,
    error: BaseException | str,
    *,
    label: str | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> str:
    """A SPARQL syntax error from Oxigraph or rdflib (``error``, raised parsing ``sparql``) in
    words: ``SPARQL syntax error at LINE:COL [in LABEL]: WHAT``, then the line with a caret
    under the spot. An unknown prefix is named as such (with the predeclared ones), a query
    that ends too early says what it needed, an update says that queries are read-only."""
    known = dict(NAMESPACES if prefixes is None else prefixes)
    message = str(error)
    keyword = operation_keyword(sparql)
    where = f" in {label}" if label else ""
    if keyword in UPDATE_KEYWORDS:
        return read_only_message(keyword)

    unknown = _unknown_prefix(sparql, known)
    if unknown is not None and ("Prefix not found" in message or _RDFLIB_PREFIX.search(message)):
        name, offset = unknown
        line, column = _line_col(sparql, offset)
        order = list(NAMESPACES)
        declared = ", ".join(sorted(known, key=lambda p: (p not in order, order.index(p)
                                                          if p in order else 0, p)))
        return _sentence(sparql, line, column, where, f"unknown prefix {name}:",
                         f"kg predeclares {declared}; declare others with PREFIX {name}: <IRI>")

    quote = _unclosed_quote(sparql)
    if quote is not None:
        line, column = _line_col(sparql, quote)
        return _sentence(sparql, line, column, where,
                         f"this string is not closed: expected {sparql[quote]}")
    # pyparsing stops at the token it could not read; Oxigraph reports the furthest point any
    # rule reached, often the end of the text, with the rules' character ranges.
    found = _PYPARSING.search(message) or _PYPARSING.search(_rdflib_parse_error(sparql))
    if found is not None:
        token, line, column = found.group(1), int(found.group(2)), int(found.group(3))
        if token != "end of text":
            what = f"unexpected {token}"
            if keyword is None:
                what += "; a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE"
            return _sentence(sparql, line, column, where, what)
    oxigraph = _OXIGRAPH.search(message)
    if oxigraph is not None:
        line, column = int(oxigraph.group(1)), int(oxigraph.group(2))
        expected = _expected(oxigraph.group(3))
    elif found is not None:
        line, column, expected = int(found.group(2)), int(found.group(3)), []
    else:
        first_line = message.strip().splitlines()[0] if message.strip() else type(error).__name__
        return f"SPARQL syntax error{where}: {first_line}"
    if _offset(sparql, line, column) >= len(sparql.rstrip()):
        still_open = _still_open(sparql)
        need = f"'{still_open}'" if still_open else _alternatives(expected)
        what = "the query ends before it is complete" + (f": expected {need}" if need else "")
    elif expected:
        what = f"expected {_alternatives(expected)}"
    else:
        spot = sparql[_offset(sparql, line, column):][:1]
        what = f"unexpected {spot!r}" if spot.strip() else "unexpected text"
    return _sentence(sparql, line, column, where, what)


def _sentence(sparql: str, line: int, column: int, where: str, what: str, hint: str = "") -> str:
    text = f"SPARQL syntax error at {line}:{column}{where}: {what}\n{_excerpt(sparql, line, column)}"
    return f"{text}\n{hint}" if hint else text


def _unclosed_quote(sparql: str) -> int | None:
    """Where a string starts that is never closed (the lexer then sees a lone quote)."""
    for token in _tokens(sparql):
        if token.kind == "other" and token.text in ("'", '"'):
            return token.start
    return None


def _rdflib_parse_error(sparql: str) -> str:
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(sparql)
    except Exception as error:  # pyparsing's ParseException and friends
        return str(error)
    return ""


def _unknown_prefix(sparql: str, known: Mapping[str, str]) -> tuple[str, int] | None:
    """The first prefixed name whose prefix is neither predeclared nor declared in the text,
    and where it starts."""
    declared = set(known)
    previous = ""
    tokens = list(_tokens(sparql))
    for token in tokens:
        if token.kind == "word" and previous.upper() == "PREFIX" and token.text.endswith(":"):
            declared.add(token.text[:-1])
        if token.kind not in ("ws", "comment"):
            previous = token.text if token.kind == "word" else ""
    previous = ""
    for token in tokens:
        if token.kind == "word" and ":" in token.text and previous.upper() != "PREFIX":
            prefix = token.text.split(":", 1)[0]
            if prefix not in declared and not token.text.lower().startswith(("http:", "https:")):
                return prefix, token.start
        if token.kind not in ("ws", "comment"):
            previous = token.text if token.kind == "word" else ""
    return None


def _expected(listing: str) -> list[str]:
    """The readable alternatives of an Oxigraph expectation list, in its order."""
    items: list[str] = []
    for name, replacement in _INTERNAL.items():
        if name in listing and replacement is not None:
            items.append(replacement)
    if "IRI parsing failed" in listing:
        listing = listing.replace("IRI parsing failed", "")
    for match in _EXPECTED_ITEM.finditer(listing):
        quoted, keyword = match.groups()
        if quoted is not None:
            text = quoted.replace('\\"', '"').replace("\\\\", "\\")
            if text not in ("{|", "~"):  # RDF-star annotation syntax: never what a user meant
                items.append(f"'{text}'")
        elif keyword is not None:
            items.append(keyword)
    return list(dict.fromkeys(items))


def _alternatives(items: Iterable[str]) -> str:
    listed = list(items)
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + " or " + listed[-1]


def _still_open(sparql: str) -> str | None:
    """The closing bracket the text still needs (strings, IRIs and comments skipped)."""
    pairs = {"{": "}", "(": ")", "[": "]"}
    stack: list[str] = []
    for token in _tokens(sparql):
        if token.kind != "other":
            continue
        if token.text in pairs:
            stack.append(pairs[token.text])
        elif stack and token.text == stack[-1]:
            stack.pop()
    return stack[-1] if stack else None


def _offset(sparql: str, line: int, column: int) -> int:
    lines = sparql.split("\n")
    before = sum(len(text) + 1 for text in lines[: max(line - 1, 0)])
    return before + max(column - 1, 0)


def _line_col(sparql: str, offset: int) -> tuple[int, int]:
    before = sparql[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _excerpt(sparql: str, line: int, column: int) -> str:
    lines = sparql.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    text = text.replace("\t", " ").rstrip("\r")
    return f"  {text}\n  {' ' * max(column - 1, 0)}^"
