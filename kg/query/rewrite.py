"""Token-level edits of SPARQL text: what kind of operation it is, parameters bound by
substitution, and label-index hints.

Oxigraph binds variables only through SEP-0007 substitution of *projected* variables, while
kg's queries take parameters that only their filters see. So the Oxigraph engine substitutes a
parameter in the text itself: every ``?name`` becomes the literal, ``BOUND(?name)`` becomes
``true``; a projected parameter becomes ``("value" AS ?name)``. That is the semantics of
rdflib's ``initBindings`` (the variable is bound everywhere, filters in nested groups
included), so both engines give the same answers.

The lexer knows just enough SPARQL to never touch the inside of strings, IRIs and comments.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "UPDATE_KEYWORDS",
    "ParameterError",
    "insert_values",
    "operation_keyword",
    "select_blocks",
    "sparql_string",
    "substitute",
]

#: First keywords of SPARQL 1.1 Update operations.
UPDATE_KEYWORDS: frozenset[str] = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_QUERY_KEYWORDS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
               |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-.:\u00B7\u00C0-\uFFFF]*:?[A-Za-z0-9_\-.\u00C0-\uFFFF]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_CLAUSE_ENDS = frozenset({"WHERE", "FROM", "LIMIT", "OFFSET", "HAVING", "VALUES", "ORDER", "GROUP"})


class ParameterError(ValueError):
    """A parameter cannot be substituted where the query uses its variable."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int


def _tokens(sparql: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        yield _Token(kind, match.group(), match.start())


def operation_keyword(sparql: str) -> str | None:
    """The keyword that starts the operation after the prologue (``SELECT``, ``ASK``,
    ``CONSTRUCT``, ``DESCRIBE``, or an update's ``INSERT``, ``DELETE``, ``LOAD`` ...), upper
    case; ``None`` when there is none."""
    for token in _tokens(sparql):
        if token.kind == "word":
            upper = token.text.upper()
            if upper in _QUERY_KEYWORDS or upper in UPDATE_KEYWORDS:
                return upper
    return None


_BLOCK_LINE = re.compile(r"^[ \t]*#(if|end)\b[ \t]*(!?)[ \t]*(?:[?$]([A-Za-z_][A-Za-z0-9_]*))?[ \t]*$")


def select_blocks(sparql: str, given: Collection[str]) -> str:
    """Keep or drop the conditional blocks of a query, by which parameters are given.

    A block is the lines between a comment line ``#if ?name`` (or ``#if !?name``) and the next
    ``#end`` at the same depth; blocks nest. ``#if ?name`` keeps its lines when the parameter
    ``name`` is given, ``#if !?name`` when it is not. Since the markers are comments the text
    stays valid SPARQL. This lets a query put "only this entity" patterns in the same basic
    graph pattern as the rest, where a query planner starts from them, instead of behind a
    ``FILTER(!BOUND(?name) || ...)`` that every engine evaluates after a full scan.
    Raises :class:`ParameterError` for an unbalanced ``#if``/``#end``.
    """
    if "#" not in sparql:
        return sparql
    out: list[str] = []
    keep: list[bool] = []
    for number, line in enumerate(sparql.splitlines(keepends=True), start=1):
        marker = _BLOCK_LINE.match(line)
        if marker is None:
            if all(keep):
                out.append(line)
            continue
        kind, negated, name = marker.groups()
        if kind == "if":
            if name is None:
                raise ParameterError(f"line {number}: '#if' needs a parameter, as in '#if ?name'")
            keep.append((name in given) != bool(negated))
        else:
            if not keep:
                raise ParameterError(f"line {number}: '#end' without '#if'")
            keep.pop()
    if keep:
        raise ParameterError("an '#if' block is not closed by '#end'")
    return "".join(out)


def sparql_string(value: str) -> str:
    """``value`` as a SPARQL string literal."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        .replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def substitute(sparql: str, terms: Mapping[str, str]) -> str:
    """Replace each variable named in ``terms`` by the SPARQL term text given for it.

    ``BOUND(?v)`` becomes ``true``; ``?v`` in a SELECT clause becomes ``(term AS ?v)``, a bare
    ``?v`` in GROUP BY or ORDER BY becomes ``(term)``. A variable that the query assigns itself
    (``AS ?v``, ``VALUES ?v``) raises :class:`ParameterError`.
    """
    if not terms:
        return sparql
    tokens = [t for t in _tokens(sparql)]
    out: list[str] = []
    significant: list[_Token] = []  # non-space, non-comment tokens seen so far
    depth = 0
    clause: str | None = None  # "select" | "modifier" | "values" | None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind in ("ws", "comment"):
            out.append(token.text)
            index += 1
            continue
        upper = token.text.upper() if token.kind == "word" else ""
        if token.kind == "word":
            if upper == "SELECT":
                clause = "select"
            elif upper == "VALUES":
                clause = "values"
            elif upper == "BY" and significant and significant[-1].text.upper() in ("GROUP", "ORDER"):
                clause = "modifier"
            elif clause == "select" and upper in _CLAUSE_ENDS:
                clause = None
            elif clause == "modifier" and upper in _CLAUSE_ENDS:
                clause = None
        elif token.text in "{}":
            clause = None
        elif token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1

        if token.kind == "var" and token.text[1:] in terms:
            name = token.text[1:]
            term = terms[name]
            before = [t.text.upper() for t in significant[-2:]]
            if before == ["BOUND", "("]:
                # BOUND ( ?v ) -> true: drop the two tokens already written, skip the ")".
                closing = _next_significant(tokens, index + 1)
                if closing is not None and tokens[closing].text == ")":
                    _drop_last_significant(out, 2)
                    out.append("true")
                    significant.append(_Token("word", "true", token.start))
                    depth -= 1
                    index = closing + 1
                    continue
            if before[-1:] == ["AS"]:
                raise ParameterError(f"the query assigns ?{name} itself; it cannot be a parameter")
            if clause == "values":
                raise ParameterError(f"the query lists values for ?{name}; it cannot be a parameter")
            if clause == "select" and depth == 0:
                out.append(f"({term} AS ?{name})")
            elif clause == "modifier" and depth == 0:
                out.append(f"({term})")
            else:
                out.append(term)
        else:
            out.append(token.text)
        significant.append(token)
        index += 1
    return "".join(out)


def _next_significant(tokens: Sequence[_Token], start: int) -> int | None:
    for index in range(start, len(tokens)):
        if tokens[index].kind not in ("ws", "comment"):
            return index
    return None


def _drop_last_significant(out: list[str], count: int) -> None:
    """Remove the last ``count`` non-blank pieces written to ``out`` (and blanks between)."""
    while count and out:
        piece = out.pop()
        if piece.strip() and not piece.lstrip().startswith("#"):
            count -= 1


def insert_values(sparql: str, variable: str, values: Sequence[str]) -> str:
    """Add ``VALUES ?variable { values... }`` at the start of every group pattern that directly
    holds ``?variable`` (in the WHERE clause, subqueries and EXISTS included).

    ``values`` are SPARQL term texts. Joined with each of those groups, the block keeps exactly
    the solutions whose ``?variable`` is one of ``values``. Raises :class:`ParameterError` when
    the variable appears in no group.
    """
    block = f" VALUES ?{variable} {{ {' '.join(values)} }} "
    form: str | None = None
    template_done = False
    groups: list[int] = []  # start offsets of the open "{"
    targets: set[int] = set()
    for token in _tokens(sparql):
        if token.kind == "word":
            upper = token.text.upper()
            if form is None and upper in _QUERY_KEYWORDS:
                form = upper
            elif upper == "WHERE" and not groups:
                template_done = True
        elif token.text == "{":
            groups.append(token.start)
        elif token.text == "}":
            if groups:
                groups.pop()
            if form == "CONSTRUCT" and not groups:
                template_done = True
        elif token.kind == "var" and token.text[1:] == variable and groups:
            if form == "CONSTRUCT" and not template_done:
                continue
            targets.add(groups[-1] + 1)
    if not targets:
        raise ParameterError(f"?{variable} does not appear in a group pattern of the query")
    for position in sorted(targets, reverse=True):
        sparql = sparql[:position] + block + sparql[position:]
    return sparql
