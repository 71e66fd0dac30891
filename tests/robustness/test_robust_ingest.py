"""Property tests of ingest: whatever bytes a file holds, kg reads an article or names the file
and says why it skipped it, and an article's text is always clean."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scraper_strategies import (
    CONTROL,
    RTL,
    SYMLINK_LOOPS,
    ZERO_WIDTH,
    any_text,
    article_dates,
    bad_files,
    html_pages,
    impossible_dates,
    make_symlink_loop,
    words,
)

from kg.ingest import read_articles
from kg.records import Article, InputProblem

FAST = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
DATE_LINE = " date 2021-06-01 "


def read_file(name: str, content: bytes) -> tuple[Path, list[Article | InputProblem]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        return path, list(read_articles([path]))


def assert_clean(text: str) -> None:
    assert text and text == text.strip()
    assert unicodedata.is_normalized("NFC", text)
    for char in text:
        category = unicodedata.category(char)
        assert category not in ("Cf", "Zl", "Zp", "Cs"), f"{char!r} ({category}) left in {text!r}"
        assert category != "Cc" or char in "\n\t", f"{char!r} left in {text!r}"
        assert category != "Zs" or char == " ", f"{char!r} left in {text!r}"


def assert_article_or_named_problem(item: Article | InputProblem, path: Path) -> None:
    assert item.source == str(path)
    if isinstance(item, InputProblem):
        assert item.reason.strip()
    else:
        assert item.id == path.stem
        assert_clean(item.text)


@FAST
@given(st.one_of(st.binary(max_size=2000),
                 st.binary(max_size=2000).map(DATE_LINE.encode().__add__)))
def test_any_bytes_give_one_article_or_one_named_problem(data: bytes) -> None:
    path, items = read_file("scraped.txt", data)
    assert len(items) == 1
    assert_article_or_named_problem(items[0], path)


@FAST
@given(any_text)
def test_any_text_after_a_date_line_is_read_clean_or_reported_empty(body: str) -> None:
    path, (item,) = read_file("odd.txt", (DATE_LINE + body).encode("utf-8"))
    assert_article_or_named_problem(item, path)
    if isinstance(item, InputProblem):
        expected = ("binary data", "no article text", "whitespace")
        assert any(why in item.reason for why in expected), item
    else:
        assert item.date == dt.date(2021, 6, 1)


@FAST
@given(words, st.sampled_from([RTL, ZERO_WIDTH, CONTROL]), st.integers(0, 10_000))
def test_rtl_zero_width_and_control_characters(text: str, specials: str, seed: int) -> None:
    # The special characters are scattered through the words.
    mixed = "".join(char + specials[(seed + i) % len(specials)] for i, char in enumerate(text))
    path, (item,) = read_file("mixed.txt", (DATE_LINE + mixed).encode("utf-8"))
    assert isinstance(item, Article), item
    assert_clean(item.text)
    if specials == RTL:
        assert any(unicodedata.bidirectional(char) in ("R", "AL") for char in item.text)
    elif specials == ZERO_WIDTH:
        assert item.text == text
    else:  # dropped, or a line break for the ones that break lines (\v, \f, \r, NEL)
        assert "".join(item.text.split()) == "".join(text.split())


@FAST
@given(html_pages())
def test_html_page_with_a_date_line_becomes_its_visible_text(page: str) -> None:
    path, (item,) = read_file("page.txt", (DATE_LINE + page).encode("utf-8"))
    assert isinstance(item, Article), item
    assert_clean(item.text)
    assert "<" not in item.text and "tracking" not in item.text and "color: red" not in item.text
    assert "& more" in item.text


@FAST
@given(bad_files())
def test_bad_files_are_named_with_a_reason(bad: tuple[str, bytes, str]) -> None:
    kind, content, reason = bad
    path, items = read_file(f"{kind}.txt", content)
    assert len(items) == 1 and isinstance(items[0], InputProblem), items
    assert items[0].source == str(path)
    assert reason in items[0].reason


@FAST
@given(impossible_dates(), words)
def test_impossible_dates_are_quoted_back(date: str, text: str) -> None:
    path, (item,) = read_file("dated.txt", f" date {date} {text}\n".encode())
    assert isinstance(item, InputProblem)
    assert item.reason.startswith(f"impossible date '{date}'")


def test_february_30th() -> None:
    path, (item,) = read_file("feb.txt", b" date 2021-02-30 Ada Quill joined the cast.\n")
    assert isinstance(item, InputProblem) and item.source == str(path)
    assert item.reason == "impossible date '2021-02-30': day is out of range for month"


@FAST
@given(st.lists(st.one_of(
    st.binary(max_size=200),
    st.fixed_dictionaries({
        "id": st.one_of(st.text(max_size=8), st.integers(), st.none()),
        "date": st.one_of(st.just("2021-06-01"), impossible_dates(), st.text(max_size=12)),
        "text": st.one_of(any_text, st.none()),
    }).map(lambda record: json.dumps(record).encode()),
), max_size=8))
def test_jsonl_lines_each_give_an_article_or_a_problem_naming_the_line(lines: list[bytes]) -> None:
    content = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    path, items = read_file("feed.jsonl", content)
    sources = {str(path)} | {f"{path}:{n}" for n in range(1, len(lines) + 1)}
    seen_ids: set[str] = set()
    for item in items:
        assert item.source in sources, item
        if isinstance(item, InputProblem):
            assert item.reason.strip()
        else:
            assert_clean(item.text)
            assert item.id not in seen_ids
            seen_ids.add(item.id)


@pytest.mark.parametrize("with_date", [True, False])
def test_a_five_megabyte_single_line(with_date: bool) -> None:
    line = ("Ada Quill joined the cast of Saltwater Lane. " * 120_000)[: 5 * 2**20]
    content = ((DATE_LINE if with_date else "") + line).encode()
    assert len(content) >= 5 * 2**20
    path, (item,) = read_file("huge.txt", content)
    assert item.source == str(path)
    if with_date:
        assert isinstance(item, Article) and len(item.text) > 5_000_000
    else:
        assert isinstance(item, InputProblem) and "date" in item.reason


@FAST
@given(article_dates(), words)
def test_every_date_the_ingest_accepts_is_read(date: dt.date, text: str) -> None:
    path, (item,) = read_file("dated.txt", f" date {date.isoformat()} {text}\n".encode())
    assert isinstance(item, Article) and item.date == date


@FAST
@given(st.lists(st.sampled_from(SYMLINK_LOOPS), min_size=1, max_size=4), st.booleans())
def test_symlink_loops_are_skipped_by_name(kinds: list[str], as_glob: bool) -> None:
    """Was: ``RuntimeError: Symlink loop`` out of ``read_articles`` (a build traceback)."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "good.txt").write_text(f"{DATE_LINE}Ada Quill joined the cast.\n", encoding="utf-8")
        expected: set[str] = set()
        for index, kind in enumerate(kinds):
            expected |= {str(path) for path in make_symlink_loop(folder, kind, f"l{index}")}
        inputs = [str(folder / "*.txt")] if as_glob else [folder]
        items = list(read_articles(inputs))
    problems = {item.source: item.reason for item in items if isinstance(item, InputProblem)}
    assert set(problems) == expected
    assert all("symbolic link loop" in reason for reason in problems.values())
    assert [item.id for item in items if isinstance(item, Article)] == ["good"]
