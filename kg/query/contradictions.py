"""Claims about one entity that cannot all be true, found in a built graph.

kg does not pick a winner when articles disagree: both birth dates, every age and every parent
stay in the graph with their own statements. The shipped query ``contradictions``
(``kg/query/queries/contradictions.rq``) lists where they clash; :func:`find_contradictions`
runs it and returns one :class:`Contradiction` per row, for the build report and the summary
``kg build`` prints. The query is the one statement of what a contradiction is: the explorer
(:mod:`kg.viz`) and the build report both read its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from rdflib import Graph

from kg.query.engine import QuerySource, run_named

__all__ = [
    "CONTRADICTION_KINDS", "Contradiction", "contradictions_by_entity", "find_contradictions",
]

#: The kinds the query reports, in the order they are listed.
CONTRADICTION_KINDS: tuple[str, ...] = (
    "age", "age-birth-date", "birth-date", "death-date", "death-before-birth", "parents",
    "two-mothers", "two-fathers",
)
#: Each kind in words, for a reader (the explorer's warnings).
_TITLES: dict[str, str] = {
    "age": "Ages disagree",
    "age-birth-date": "An age does not fit the birth date",
    "birth-date": "Birth dates disagree",
    "death-date": "Death dates disagree",
    "death-before-birth": "Died before being born",
    "parents": "More than two parents",
    "two-mothers": "Two mothers",
    "two-fathers": "Two fathers",
}

_VALUE_SEPARATOR = " | "


@dataclass(frozen=True)
class Contradiction:
    """One contradiction: an entity, the kind of claim, the values that clash and their sources.

    ``values`` and ``sources`` (each ``"value: article id (article date)"``) are sorted;
    ``articles`` are the distinct article ids, sorted.
    """

    kind: str
    entity: str
    label: str
    values: tuple[str, ...]
    articles: tuple[str, ...]
    sources: tuple[str, ...]
    detail: str

    def summary(self) -> str:
        """One line: ``kind: label: value | value (articles)``."""
        articles = f" ({', '.join(self.articles)})" if self.articles else ""
        return f"{self.kind}: {self.label}: {_VALUE_SEPARATOR.join(self.values)}{articles}"

    def explain(self) -> str:
        """A sentence for a reader: what clashes, then each value with its article and date."""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{_TITLES.get(self.kind, self.kind)}{detail}: {'; '.join(self.sources)}."


def find_contradictions(graph: Graph | QuerySource, name: str | None = None) -> list[Contradiction]:
    """Every contradiction in ``graph`` (only those about the entity called ``name``, matched
    case-insensitively against labels and aliases, when given), ordered by kind, then label.
    ``graph`` may also be one of kg's stores (:mod:`kg.store`; ``kg build`` uses Oxigraph)."""
    result = run_named(graph, "contradictions", {"name": name} if name else None)
    found = []
    for row in result.rows:
        record = dict(zip(result.columns, row))
        found.append(Contradiction(
            kind=record["kind"] or "",
            entity=record["entity"] or "",
            label=record["label"] or "",
            values=_split(record["values"], _VALUE_SEPARATOR),
            articles=_split(record["articles"], " "),
            sources=_split(record["sources"], _VALUE_SEPARATOR),
            detail=record["detail"] or "",
        ))
    order = {kind: i for i, kind in enumerate(CONTRADICTION_KINDS)}
    found.sort(key=lambda c: (order.get(c.kind, len(order)), c.kind, c.label, c.entity))
    return found


def _split(text: str | None, separator: str) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(sorted({part for part in text.split(separator) if part}))


def contradictions_by_entity(graph: Graph | QuerySource) -> dict[str, list[Contradiction]]:
    """:func:`find_contradictions` grouped by entity IRI, each entity's in the usual order."""
    grouped: dict[str, list[Contradiction]] = {}
    for found in find_contradictions(graph):
        grouped.setdefault(found.entity, []).append(found)
    return grouped
