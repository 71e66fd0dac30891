"""Why a shipped query found nothing: a parameter that names no class, relation or entity.

A query with ``--param class=Persn`` or a name nobody in the graph has answers with an empty
table, the same as a real "nothing known". :func:`empty_result_hints` tells the two apart: it
checks each parameter against the graph and says what is wrong with it, with the valid values
or the closest names.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from kg.query.engine import Queryable, run_query

__all__ = ["ENTITY_CLASSES", "empty_result_hints"]

#: The entity classes kg writes (``kg:Person`` ...), as the ``class`` parameter takes them.
ENTITY_CLASSES: tuple[str, ...] = ("Person", "Character", "Show", "Organization", "Place", "Event")

# Parameters that name an entity by label or alias.
_NAME_PARAMS = frozenset({"name", "character", "show"})


def empty_result_hints(graph: Queryable, params: Mapping[str, str | None]) -> list[str]:
    """For a query that returned no rows with ``params``: one sentence per parameter that cannot
    match anything in ``graph`` ("no class 'Persn'; the classes are ...", "no entity named
    'Kym Marsch'; did you mean Kym Marsh?"). Empty when every parameter names something that
    exists, so that the empty answer is a real one."""
    hints: list[str] = []
    for key, value in params.items():
        if value is None or not value.strip():
            continue
        if key == "class":
            if value.strip().casefold() not in {c.casefold() for c in ENTITY_CLASSES}:
                hints.append(f"no class {value!r}{_did_you_mean(value, ENTITY_CLASSES)}; "
                             f"the classes are {', '.join(ENTITY_CLASSES)}")
        elif key == "relation":
            relations = _local_names(graph)
            if relations and value.strip().casefold() not in {r.casefold() for r in relations}:
                hints.append(f"no relation or fact {value!r} in the graph"
                             f"{_did_you_mean(value, relations)}; it has {', '.join(relations)}")
        elif key in _NAME_PARAMS and not _has_label(graph, value):
            labels = _labels(graph)
            hints.append(f"no entity named {value!r}{_did_you_mean(value, labels)}")
    return hints


def _did_you_mean(value: str, candidates: list[str] | tuple[str, ...]) -> str:
    folded = {candidate.casefold(): candidate for candidate in candidates}
    close = difflib.get_close_matches(value.casefold(), list(folded), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(folded[c] for c in close) + "?)"


def _has_label(graph: Queryable, name: str) -> bool:
    found = run_query(graph, "ASK { ?e rdfs:label|skos:altLabel ?l "
                             "FILTER(LCASE(STR(?l)) = LCASE(STR(?wanted))) }", {"wanted": name})
    return bool(found.boolean)


def _labels(graph: Queryable) -> list[str]:
    found = run_query(graph, "SELECT DISTINCT ?l WHERE { ?e a ?c ; rdfs:label|skos:altLabel ?l . "
                             "FILTER(STRSTARTS(STR(?c), STR(kg:))) }")
    return sorted({row[0] for row in found.rows if row[0]})


def _local_names(graph: Queryable) -> list[str]:
    found = run_query(graph, "SELECT DISTINCT ?p WHERE { ?st rdf:predicate ?p }")
    return sorted({str(row[0]).rsplit("#", 1)[-1] for row in found.rows if row[0]})
