"""Tests of kg.resolve.names and kg.resolve.aliases: folding, slugs, first-name similarity."""

from __future__ import annotations

import random

import pytest

from kg.resolve.aliases import load_alias_table, read_alias_lines
from kg.resolve.names import (
    first_name_similarity,
    fold,
    is_prefix_variant,
    normalise,
    similar_name_pairs,
    slugify,
)


@pytest.mark.parametrize(
    ("a", "b", "cls"),
    [
        ("Ruairí O’Connor", "ruairi o'connor", "Person"),
        ("KYM  MARSH", "Kym Marsh", "Person"),
        ("Reverend Kate Bottley", "Kate Bottley", "Person"),
        ("The Syndicate", "Syndicate", "Show"),
        ("Gavin & Stacey", "Gavin and Stacey", "Show"),
        ("Footballers’ Wives", "Footballers' Wives", "Show"),
        ("Zoë Ball", "Zoe Ball", "Person"),
    ],
)
def test_names_that_normalise_alike(a: str, b: str, cls: str) -> None:
    assert normalise(a, cls) == normalise(b, cls)


def test_titles_need_a_full_name_left_and_the_is_kept_for_people() -> None:
    assert normalise("Dr Ranj", "Person") == "dr ranj"
    assert normalise("Lady Gaga", "Person") == "lady gaga"
    assert normalise("The Rock", "Person") == "the rock"
    assert normalise("The", "Show") == "the"


def test_slugs() -> None:
    assert slugify("Kym Marsh") == "kym-marsh"
    assert slugify("Coronation Street") == "coronation-street"
    assert slugify("I'm a Celebrity... Get Me Out of Here!") == "im-a-celebrity-get-me-out-of-here"
    assert slugify("RTÉ") == "rte"
    assert slugify("Disney+") == "disney-plus"
    assert slugify("?!") == "entity"
    assert fold("Beyoncé’s") == "beyonces"


def test_first_name_similarity() -> None:
    assert first_name_similarity("emily", "emilie") >= 80
    assert first_name_similarity("alex", "alexandra") == 100  # prefix variant
    assert is_prefix_variant("dan", "daniel") and not is_prefix_variant("da", "dave")
    # "Dave" / "David" are alike as names: only the evidence rule's other conditions (one
    # parent, birth years) keep a David apart from a Dave Cunliffe
    assert first_name_similarity("david", "dave") >= 80
    assert first_name_similarity("kate", "carla") < 80
    assert first_name_similarity("emily", "emma") < 80


def test_similar_name_pairs_fast_path_matches_pairwise() -> None:
    rng = random.Random(3)
    names = sorted({
        rng.choice("abcdekl") + "".join(rng.choice("aeilmnorsy") for _ in range(rng.randint(2, 7)))
        for _ in range(150)
    } | {"emily", "emilie", "alex", "alexandra", "kate", "katie"})
    expected = sorted(
        [(i, i) for i in range(len(names))]
        + [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))
           if first_name_similarity(names[i], names[j]) >= 80]
    )
    assert len(names) > 64  # takes the cdist path
    assert similar_name_pairs(names, 80) == expected
    assert similar_name_pairs(names[:10], 80) == [p for p in expected if p[1] < 10]


def test_shipped_alias_table() -> None:
    table = load_alias_table()
    assert table.canonical("Show", "Corrie") == "Coronation Street"
    assert table.canonical("Show", "strictly") == "Strictly Come Dancing"
    assert table.canonical("Show", "X Factor") == "The X Factor"
    assert table.canonical("Person", "Corrie") is None  # class matters
    assert table.canonical("Show", "Morning Live") is None


def test_alias_key_claimed_by_two_names_is_ambiguous(tmp_path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"name": "Morning Live", "class": "Show", "aliases": ["ML"]}\n'
        '{"name": "Mad Lads", "class": "Show", "aliases": ["ML"]}\n',
        encoding="utf-8",
    )
    table = load_alias_table((str(path),))
    assert table.canonical("Show", "ML") is None
    assert ("Show", "ml") in table.ambiguous
    assert table.canonical("Show", "Mad Lads") == "Mad Lads"


def test_alias_lines_reject_bad_rows() -> None:
    assert read_alias_lines("# comment\n\n", "x") == []
    with pytest.raises(ValueError, match="x, line 2"):
        read_alias_lines('{"name": "A", "class": "Show"}\n{"name": 1, "class": "Show"}', "x")
    with pytest.raises(ValueError, match="aliases"):
        read_alias_lines('{"name": "A", "class": "Show", "aliases": "B"}', "x")
