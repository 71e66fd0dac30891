"""Property tests of ``kg.build`` on broken and odd input.

Each bad file is reported by name with a reason and skipped, and the graph is byte-identical to
the graph built without it; odd but valid articles (right-to-left scripts, zero-width and
control characters, HTML pages) are built without disturbing the others.

A bad file never reaches the NLP pipeline, so those builds use kg's rules on a blank base
(faster to load); the odd articles go through the default pipeline.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scraper_strategies import (
    CONTROL,
    RTL,
    SYMLINK_LOOPS,
    ZERO_WIDTH,
    bad_files,
    dated_articles,
    html_pages,
    make_symlink_loop,
    words,
)

import kg

ROOT = Path(__file__).resolve().parents[2]
GOOD = [ROOT / "examples" / "01_stanley_hurwood_death.txt",
        ROOT / "examples" / "03_nadia_rehman_baby.txt"]
# Each example is a whole build, so few of them, each with up to four bad files.
FEW = settings(max_examples=4, deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def build(inputs: list[Path], out: Path, model: str | None = None) -> tuple[kg.BuildReport, bytes]:
    report = kg.build(inputs, out, html=False, validate=False, model=model)
    return report, (out / "graph.ttl").read_bytes()


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A folder of good articles and the Turtle of their graph (blank base)."""
    folder = tmp_path_factory.mktemp("good")
    for path in GOOD:
        shutil.copy(path, folder / path.name)
    report, turtle = build([folder], tmp_path_factory.mktemp("out"), model="blank")
    assert report.articles_read == len(GOOD) and report.articles_skipped == []
    return folder, turtle


@FEW
@given(st.lists(bad_files(), min_size=1, max_size=4))
def test_bad_files_are_skipped_by_name_and_leave_the_graph_as_without_them(
    good: tuple[Path, bytes], bad: list[tuple[str, bytes, str]]
) -> None:
    folder, turtle = good
    with tempfile.TemporaryDirectory() as scratch:
        bad_dir = Path(scratch) / "bad"
        bad_dir.mkdir()
        expected = {}
        for index, (kind, content, reason) in enumerate(bad):
            path = bad_dir / f"{index}_{kind}.txt"
            path.write_bytes(content)
            expected[str(path)] = reason
        report, built = build([folder, bad_dir], Path(scratch) / "out", model="blank")
    skipped = dict(report.articles_skipped)
    assert set(skipped) == set(expected)
    for source, reason in expected.items():
        assert reason in skipped[source]
    assert report.articles_read == len(GOOD)
    assert built == turtle


@FEW
@given(st.sampled_from(["rtl", "zero-width", "control", "html"]), words, st.data())
def test_odd_but_valid_articles_are_built_next_to_the_others(
    good: tuple[Path, bytes], kind: str, text: str, data: st.DataObject
) -> None:
    folder, _ = good
    if kind == "html":
        body = data.draw(html_pages())
    else:
        specials = {"rtl": RTL, "zero-width": ZERO_WIDTH, "control": CONTROL}[kind]
        body = "".join(c + data.draw(st.sampled_from(specials)) for c in f"Ada Quill {text}")
    with tempfile.TemporaryDirectory() as scratch:
        odd = Path(scratch) / "odd.txt"
        odd.write_text(f" date 2021-06-01 {body}\n", encoding="utf-8")
        report, built = build([folder, odd], Path(scratch) / "out")
    assert report.articles_read + len(report.articles_skipped) == len(GOOD) + 1
    assert all(source == str(odd) and reason for source, reason in report.articles_skipped)
    for path in GOOD:
        assert f"article/{path.stem}>".encode() in built


def test_a_five_megabyte_single_line_is_skipped_by_name(
    good: tuple[Path, bytes], tmp_path: Path
) -> None:
    folder, turtle = good
    huge = tmp_path / "in" / "huge.txt"
    huge.parent.mkdir()
    line = ("Ada Quill joined the cast of Saltwater Lane. " * 120_000)[: 5 * 2**20]
    huge.write_text(f" date 2021-06-01 {line}\n", encoding="utf-8")
    report, built = build([folder, huge.parent], tmp_path / "out", model="blank")
    ((source, reason),) = report.articles_skipped
    assert source == str(huge)
    assert "'huge'" in reason and "characters long" in reason
    assert built == turtle


def test_an_article_dated_year_30_with_an_age_is_built(good: tuple[Path, bytes], tmp_path: Path) -> None:
    """Was: ``ValueError: year -10 is out of range`` from the resolver, and no graph at all."""
    folder, _ = good
    ancient = tmp_path / "in" / "ancient.txt"
    ancient.parent.mkdir()
    ancient.write_text(" date 0030-05-01 \nJane Roe, 40, is the mother of Tom Roe.\n", encoding="utf-8")
    report, built = build([folder, ancient], tmp_path / "out", model="blank")
    assert report.articles_read == len(GOOD) + 1 and report.articles_skipped == []
    assert b"Jane Roe" in built and b'"0030-05-01"^^xsd:date' in built


@FEW
@given(dated_articles())
def test_any_date_with_ages_and_relative_phrases_never_stops_the_build(
    good: tuple[Path, bytes], article: tuple[dt.date, str]
) -> None:
    folder, _ = good
    date, text = article
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "dated.txt"
        path.write_text(f" date {date.isoformat()} \n{text}\n", encoding="utf-8")
        report, built = build([folder, path], Path(scratch) / "out", model="blank")
    assert report.articles_read + len(report.articles_skipped) == len(GOOD) + 1
    for source, reason in report.articles_skipped:  # dropped whole only by name, with the error
        assert source == str(path) and reason.startswith("article 'dated': "), reason
    for good_path in GOOD:
        assert f"article/{good_path.stem}>".encode() in built


def test_a_resolution_error_drops_that_article_by_name(
    good: tuple[Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.resolve import resolver

    folder, turtle = good
    bad = tmp_path / "in" / "bad.txt"
    bad.parent.mkdir()
    bad.write_text(" date 2021-06-01 \nAda Quill, 30, joined the cast.\n", encoding="utf-8")
    original = resolver.resolve

    def resolve(extractions, config=None):  # type: ignore[no-untyped-def]
        extractions = list(extractions)
        if any(extraction.article.id == "bad" for extraction in extractions):
            raise OverflowError("date value out of range")
        return original(extractions, config)

    monkeypatch.setattr("kg.resolve.resolve", resolve)
    report, built = build([folder, bad], tmp_path / "out", model="blank")
    assert report.articles_skipped == [
        (str(bad), "article 'bad': resolution failed: OverflowError: date value out of range; "
                   "the article is left out")]
    assert built == turtle


@pytest.mark.parametrize("kind", SYMLINK_LOOPS)
def test_a_symlink_loop_in_an_input_folder_is_skipped_by_name(
    good: tuple[Path, bytes], tmp_path: Path, kind: str
) -> None:
    """Was: ``RuntimeError: Symlink loop`` and a traceback from ``kg build`` and ``kg add``."""
    from typer.testing import CliRunner

    from kg.cli import app

    folder, turtle = good
    loops = tmp_path / "in"
    loops.mkdir()
    expected = {str(path) for path in make_symlink_loop(loops, kind, "loop")}
    report, built = build([folder, loops], tmp_path / "out", model="blank")
    assert {source for source, _ in report.articles_skipped} == expected
    assert all("symbolic link loop" in reason for _, reason in report.articles_skipped)
    assert built == turtle
    added = CliRunner().invoke(app, ["add", str(tmp_path / "store"), str(folder), str(loops),
                                     "--model", "blank"])
    assert added.exit_code == 0, added.output
    for path in expected:
        assert path in added.output.replace("\n", "")


def test_yesterday_in_an_article_dated_year_one_keeps_the_article(extract):
    """Regression: the day before 0001-01-01 does not exist; the phrase gives no date, the
    article (and its people) still come through."""
    x = extract("Jane Roe said yesterday that she was delighted.", date="0001-01-01")
    assert any(e.name == "Jane Roe" for e in x.entities)
