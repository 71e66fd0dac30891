"""Property tests of ``kg.build`` on broken and odd input.

Each bad file is reported by name with a reason and skipped, and the graph is byte-identical to
the graph built without it; odd but valid articles (right-to-left scripts, zero-width and
control characters, HTML pages) are built without disturbing the others.

A bad file never reaches the NLP pipeline, so those builds use kg's rules on a blank base
(faster to load); the odd articles go through the default pipeline.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scraper_strategies import CONTROL, RTL, ZERO_WIDTH, bad_files, html_pages, words

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
