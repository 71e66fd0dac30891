"""One archive, however it is assembled: building all articles at once and adding them to a
store one by one, in two different orders, give byte-identical Turtle (invented articles)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.export import serialize
from kg.graph import build_graph
from kg.graph.namespace import KG
from kg.records import ArticleExtraction
from kg.resolve import resolve
from kg.store import KgStore

from test_identity_evidence import child_of
from test_resolver import article

ARTICLES = {
    "n01_quill_beach": (
        "2023-03-01",
        "Nora Quill, 41, has shared a photo of her son Jack, 6, on Instagram. The Harbour Lane "
        "actress shares Jack with her husband Piers Quill.",
    ),
    "n02_reed_school": (
        "2023-06-10",
        "Tamsin Reed has revealed that her son Jack, 14, is starting secondary school. Tamsin "
        "Reed plays Bex Pryor in Harbour Lane.",
    ),
    "n03_quill_seaside": (
        "2024-01-15",
        "Piers Quill and his wife Nora Quill took their son Jack, 7, to the seaside.",
    ),
    "n04_holt_twins": (
        "2024-02-02",
        "Wanda Holt has welcomed twins, Jack and Ivy, with her partner Owen Holt.",
    ),
}


def _records() -> list[ArticleExtraction]:
    return [
        child_of("r1", "Jack", "Nora Quill", "Piers Quill", age=6, date=dt.date(2023, 3, 1)),
        child_of("r2", "Jack", "Tamsin Reed", age=14, date=dt.date(2023, 6, 10)),
        child_of("r3", "Jack", "Nora Quill", age=7, date=dt.date(2024, 1, 15)),
        child_of("r4", "Buster", "Nora Quill", age=13),
        child_of("r5", "Buster", "Nora Quill", age=4),
        article("r6", [("e", "Person", "Kym Marsh", ("Kym",)), ("j", "Person", "Jamie Lomas")],
                relations=[("e", "exPartner", "j")]),
        article("r7", [("e", "Person", "Kym"), ("j", "Person", "Jamie Lomas")],
                relations=[("e", "exPartner", "j")]),
    ]


def _stepwise(folder: Path, items: list, add) -> bytes:
    with KgStore.create(folder) as store:
        for item in items:
            add(store, item)
        out = store.export(folder.parent / f"{folder.name}.ttl")
    return out.read_bytes()


def test_records_at_once_and_one_by_one_in_two_orders_give_the_same_bytes(tmp_path: Path) -> None:
    records = _records()
    at_once = serialize(build_graph(resolve(records)))
    forward = _stepwise(tmp_path / "forward", records, lambda s, x: s.add_extractions([x]))
    backward = _stepwise(tmp_path / "backward", records[::-1],
                         lambda s, x: s.add_extractions([x]))
    shuffled = _stepwise(tmp_path / "shuffled", records[1::2] + records[::2],
                         lambda s, x: s.add_extractions([x]))
    assert forward == at_once
    assert backward == at_once
    assert shuffled == at_once
    assert b"kg:BlockedMerge" in at_once and b"kg:keptApart" in at_once


@pytest.mark.slow
def test_build_and_kg_add_in_two_orders_give_the_same_bytes(tmp_path: Path, nlp) -> None:
    import kg
    from kg.ingest import read_articles

    folder = tmp_path / "articles"
    folder.mkdir()
    for stem, (date, text) in ARTICLES.items():
        (folder / f"{stem}.txt").write_text(f" date {date} {text}\n", encoding="utf-8")
    kg.build([folder], tmp_path / "out", html=False, validate=False)
    built = (tmp_path / "out" / "graph.ttl").read_bytes()
    articles = sorted(read_articles([folder]), key=lambda a: a.id)

    def add(store: KgStore, one) -> None:
        store.add_articles([one], nlp)

    forward = _stepwise(tmp_path / "forward", articles, add)
    backward = _stepwise(tmp_path / "backward", articles[::-1], add)
    assert forward == built
    assert backward == built
    # whatever the extraction reads, no Jack gets the parents of another family
    with KgStore.open(tmp_path / "forward", read_only=True) as store:
        graph = build_graph(resolve(store.extractions()))
    parents: dict = {}
    for p, _, c in graph.triples((None, KG.child, None)):
        parents.setdefault(c, set()).add(p)
    assert all(len(ps) <= 2 for ps in parents.values())
