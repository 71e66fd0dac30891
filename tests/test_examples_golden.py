"""The graph of ``examples/`` against a golden copy (``examples/golden/graph.ttl``), compared by
isomorphism: any change in what kg reads from the four articles, how it resolves them or how it
writes the graph shows up here as the triples gained and lost.

After an intended change, look at the difference, then write the new golden graph with
``KG_UPDATE_GOLDEN=1 python -m pytest tests/test_examples_golden.py`` and commit it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from kg.driver import extract, resolve_and_build_graph
from kg.export import serialize
from kg.ingest import read_articles
from kg.records import Article

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "examples" / "golden" / "graph.ttl"
_SHOWN = 20


def _examples_graph(nlp) -> Graph:
    articles = [a for a in read_articles(["examples"]) if isinstance(a, Article)]
    skipped: list[tuple[str, str]] = []
    extractions = extract(articles, skipped, nlp=nlp)
    kept, _, graph = resolve_and_build_graph(extractions, skipped)
    assert not skipped and len(kept) == 4
    return graph


def _lines(graph: Graph) -> list[str]:
    return sorted(" ".join(term.n3() for term in triple) for triple in graph)


def test_the_examples_give_the_golden_graph(nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # article sources are written as given: examples/NAME.txt
    built = _examples_graph(nlp)
    if os.environ.get("KG_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(serialize(built, "turtle"))
    golden = Graph().parse(GOLDEN, format="turtle")
    if to_isomorphic(built) == to_isomorphic(golden):
        return
    _, lost, gained = graph_diff(to_isomorphic(golden), to_isomorphic(built))
    lost_lines, gained_lines = _lines(lost), _lines(gained)
    pytest.fail(
        f"the examples' graph differs from {GOLDEN.relative_to(ROOT)}: "
        f"{len(lost_lines)} triples lost, {len(gained_lines)} gained\n"
        + "".join(f"- {line}\n" for line in lost_lines[:_SHOWN])
        + "".join(f"+ {line}\n" for line in gained_lines[:_SHOWN])
        + "if the change is intended: KG_UPDATE_GOLDEN=1 python -m pytest "
          "tests/test_examples_golden.py"
    )
