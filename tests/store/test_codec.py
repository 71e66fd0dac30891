"""Extractions survive the trip to JSON and back unchanged."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kg.records import Article, ArticleExtraction, Evidence, Fact, LocalEntity, Relation
from kg.store.codec import CodecError, dumps_extraction, encode, loads_extraction


def _handmade() -> ArticleExtraction:
    evidence = Evidence("a1", "Ann, 40, and her son Bo.", 3, 27, "family.possessive", 0.85, True,
                        ("her -> Ann Lee", "son -> Bo"))
    return ArticleExtraction(
        Article("a1", dt.date(2021, 5, 1), "x Ann, 40, and her son Bo.", "in/a1.txt",
                url="https://example.org/a1", title=None),
        (LocalEntity("ann", "Person", "Ann Lee", ("Ann",), "f", ((3, 6), (17, 20))),
         LocalEntity("bo", "Person", "Bo")),
        (Relation("ann", "child", "bo", evidence),),
        (Fact("ann", "age", 40, evidence, dt.date(2021, 4, 30)),
         Fact("bo", "birthDate", dt.date(2001, 2, 3), evidence)),
    )


def test_handmade_round_trip() -> None:
    record = _handmade()
    text = dumps_extraction(record)
    back = loads_extraction(text)
    assert back == record
    assert isinstance(back.facts[0].value, int) and isinstance(back.facts[1].value, dt.date)
    assert back.entities[0].mentions == ((3, 6), (17, 20))
    assert dumps_extraction(back) == text


def test_real_extractions_round_trip(example_extractions: list[ArticleExtraction]) -> None:
    for extraction in example_extractions:
        assert extraction.relations or extraction.facts, extraction.article.id
        assert loads_extraction(dumps_extraction(extraction)) == extraction


def test_output_is_deterministic_json() -> None:
    text = dumps_extraction(_handmade())
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["article"]["date"] == "2021-05-01"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["article"].pop("text"), r"article\.text: Field required"),
        (lambda d: d["facts"][0].__setitem__("value", "forty"), r"facts\.0\.value\.int: "),
        (lambda d: d["relations"][0]["evidence"].__setitem__("start", "3"),
         r"relations\.0\.evidence\.start: Input should be a valid integer"),
        (lambda d: d["article"].__setitem__("date", "2021-13-01"), r"article\.date: .*month"),
        (lambda d: d["entities"][0].__setitem__("mentions", [[3, 6, 9]]), r"entities\.0\.mentions"),
    ],
    ids=["missing", "bad-union", "bad-int", "bad-date", "bad-tuple"],
)
def test_bad_records_are_reported(change, message: str) -> None:
    data = encode(_handmade())
    change(data)
    with pytest.raises(CodecError, match=message):
        loads_extraction(json.dumps(data))


def test_missing_optional_fields_take_their_defaults() -> None:
    data = encode(_handmade())
    del data["entities"][1]["gender"], data["article"]["url"]
    back = loads_extraction(json.dumps(data))
    assert back.entities[1].gender is None and back.article.url is None


def test_text_that_is_not_json_is_reported() -> None:
    with pytest.raises(CodecError, match="not JSON"):
        loads_extraction("{not json")
