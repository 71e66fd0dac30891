"""Tests for kg.ingest.reader: sources, the .txt and .jsonl formats, bad input, normalisation."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest

from kg.ingest import DEFAULT_MAX_BYTES, iter_sources, normalise_text, read_articles
from kg.records import Article, InputProblem

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GOOD = " date 2021-06-01 Ada Quill has joined the cast.\n\nShe starts filming next week.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def read(*inputs: str | Path, **kwargs: int) -> tuple[list[Article], list[InputProblem]]:
    items = list(read_articles(list(inputs), **kwargs))
    articles = [item for item in items if isinstance(item, Article)]
    problems = [item for item in items if isinstance(item, InputProblem)]
    assert len(articles) + len(problems) == len(items)
    return articles, problems


def only_problem(problems: list[InputProblem], name: str) -> InputProblem:
    matching = [problem for problem in problems if Path(problem.source.split(":")[0]).name == name]
    assert len(matching) == 1, problems
    return matching[0]


# --- .txt ----------------------------------------------------------------------------------


def test_good_txt_id_is_stem_and_date_never_in_text(tmp_path: Path) -> None:
    path = write(tmp_path / "ada_quill_joins.txt", GOOD)
    articles, problems = read(path)
    assert problems == []
    (article,) = articles
    assert article.id == "ada_quill_joins"
    assert article.date == dt.date(2021, 6, 1)
    assert article.text == "Ada Quill has joined the cast.\n\nShe starts filming next week."
    assert "date" not in article.text and "2021" not in article.text
    assert article.source == str(path)
    assert article.url is None and article.title is None


def test_text_starting_on_the_next_line(tmp_path: Path) -> None:
    articles, problems = read(write(tmp_path / "a.txt", " date 2021-06-01\nFirst line.\n"))
    assert problems == []
    assert articles[0].text == "First line."


def test_crlf_line_endings(tmp_path: Path) -> None:
    path = write(tmp_path / "crlf.txt", GOOD.replace("\n", "\r\n"))
    articles, problems = read(path)
    assert problems == []
    assert articles[0].date == dt.date(2021, 6, 1)
    assert "\r" not in articles[0].text
    assert articles[0].text == "Ada Quill has joined the cast.\n\nShe starts filming next week."


def test_bom_and_date_line_variants(tmp_path: Path) -> None:
    variants = {
        "bom.txt": "\ufeff date 2021-06-01 Text here.",
        "no_space.txt": "date 2021-06-01 Text here.",
        "padded.txt": "  \t date   2021-06-01   Text here.  ",
        "leading_blank.txt": "\n\n date 2021-06-01 Text here.",
        "colon.txt": "Date: 2021-06-01 Text here.",
        "upper.txt": "DATE 2021-06-01 Text here.",
        "zero_width.txt": "\u200b date 2021-06-01 Text here.",
    }
    for name, content in variants.items():
        write(tmp_path / name, content)
    articles, problems = read(tmp_path)
    assert problems == []
    assert len(articles) == len(variants)
    for article in articles:
        assert article.date == dt.date(2021, 6, 1)
        assert article.text == "Text here."


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\r\n \n", "only whitespace"),
        ("binary.txt", b" date 2021-06-01 ab\x00cd", "NUL byte at byte offset 19"),
        ("latin1.txt", " date 2021-06-01 Café".encode("latin-1"), "not UTF-8"),
        ("utf16.txt", " date 2021-06-01 Text".encode("utf-16"), "UTF-16"),
        ("no_date.txt", b"Ada Quill has joined the cast.", "no date line"),
        ("date_word.txt", b"Date night for the stars of the soap.", "no date line"),
        ("no_word.txt", b"2021-06-01 Ada Quill has joined.", "lacks the word 'date'"),
        ("impossible.txt", b" date 2021-02-30 Text.", "impossible date '2021-02-30'"),
        ("month13.txt", b" date 2021-13-01 Text.", "impossible date"),
        ("malformed.txt", b" date 2021/06/01 Text.", "malformed date '2021/06/01'"),
        ("ambiguous.txt", b" date 01/06/2021 Text.", "ambiguous"),
        ("glued.txt", b" date 2021-06-01Text.", "malformed date"),
        ("no_value.txt", b" date\nText.", "without a date"),
        ("no_text.txt", b" date 2021-06-01   \n\n  \n", "date line but no article text"),
    ],
)
def test_bad_txt_is_reported_and_the_good_file_still_read(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    write(tmp_path / name, content)
    write(tmp_path / "zz_good.txt", GOOD)
    articles, problems = read(tmp_path)
    assert [article.id for article in articles] == ["zz_good"]
    problem = only_problem(problems, name)
    assert problem.source == str(tmp_path / name)
    assert expected in problem.reason


def test_no_date_line_reason_says_what_is_expected(tmp_path: Path) -> None:
    _, problems = read(write(tmp_path / "a.txt", "Just text."))
    assert problems[0].reason == (
        "no date line: the first line must be ' date YYYY-MM-DD ' followed by text"
    )


def test_not_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    data = b" date 2021-06-01 Caf\xe9 culture."
    _, problems = read(write(tmp_path / "a.txt", data))
    assert problems[0].reason == f"not UTF-8: invalid byte 0xe9 at byte offset {data.index(0xE9)}"


def test_unsupported_file_named_explicitly(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.md", GOOD)
    articles, problems = read(path)
    assert articles == []
    assert "unsupported file type '.md'" in problems[0].reason


def test_missing_input_is_a_problem_and_the_rest_goes_on(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", GOOD)
    articles, problems = read(tmp_path / "missing.txt", str(tmp_path / "nothing" / "*.txt"), good)
    assert [article.id for article in articles] == ["good"]
    reasons = {Path(problem.source).name: problem.reason for problem in problems}
    assert reasons == {"missing.txt": "no such file or folder", "*.txt": "glob pattern matched no files"}
    with pytest.raises(FileNotFoundError):
        list(iter_sources([tmp_path / "missing.txt"]))


# --- size limit ----------------------------------------------------------------------------


def test_five_megabyte_single_line_under_and_over_max_bytes(tmp_path: Path) -> None:
    line = " date 2021-06-01 " + "word " * 1_000_000
    path = write(tmp_path / "big.txt", line)
    size = path.stat().st_size
    assert 5_000_000 < size < DEFAULT_MAX_BYTES

    articles, problems = read(path)
    assert problems == [] and len(articles[0].text) == len(line.strip()) - len("date 2021-06-01 ")

    articles, problems = read(path, max_bytes=size)
    assert problems == [] and len(articles) == 1

    articles, problems = read(path, max_bytes=4_000_000)
    assert articles == []
    assert problems[0].source == str(path)
    assert "over the limit of 4,000,000 bytes" in problems[0].reason
    assert f"{size:,}" in problems[0].reason


def test_jsonl_line_over_max_bytes_is_skipped_but_the_next_line_read(tmp_path: Path) -> None:
    big = {"id": "big", "date": "2021-06-01", "text": "x" * 5000}
    small = {"id": "small", "date": "2021-06-01", "text": "Small."}
    path = write(tmp_path / "a.jsonl", f"{json.dumps(big)}\n{json.dumps(small)}\n")
    articles, problems = read(path, max_bytes=1000)
    assert [article.id for article in articles] == ["small"]
    assert problems[0].source == f"{path}:1"
    assert "line is" in problems[0].reason and "over the limit" in problems[0].reason


# --- .jsonl --------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "one", "date": "2020-01-02", "text": "First.\r\nSecond.",
                    "url": "https://example.org/one", "title": "One"}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "no-date", "text": "Text."}),
        json.dumps({"id": "bad-date", "date": "2020-02-30", "text": "Text."}),
        json.dumps({"id": "", "date": "2020-01-02", "text": "Text."}),
        json.dumps({"id": "empty", "date": "2020-01-02", "text": "  "}),
        json.dumps({"id": "bad-url", "date": "2020-01-02", "text": "Text.", "url": 3}),
        json.dumps({"id": 7, "date": "2020-01-03", "text": "Numbered."}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    raw = path.read_bytes().replace(b"\n" + lines[-1].encode(), b"\n\xff" + lines[-1].encode())
    path.write_bytes(raw)
    write(tmp_path / "good.txt", GOOD)

    articles, problems = read(tmp_path)
    assert [article.id for article in articles] == ["one", "good"]
    one = articles[0]
    assert one.date == dt.date(2020, 1, 2)
    assert one.text == "First.\nSecond."
    assert (one.url, one.title, one.source) == ("https://example.org/one", "One", f"{path}:1")

    reasons = {problem.source: problem.reason for problem in problems}
    assert set(reasons) == {f"{path}:{n}" for n in (3, 4, 5, 6, 7, 8, 9, 10)}
    assert reasons[f"{path}:3"].startswith("invalid JSON")
    assert reasons[f"{path}:4"] == "expected a JSON object, got list"
    assert reasons[f"{path}:5"] == "missing 'date'"
    assert "impossible date" in reasons[f"{path}:6"]
    assert "'id'" in reasons[f"{path}:7"]
    assert "'text' is empty" in reasons[f"{path}:8"]
    assert "'url'" in reasons[f"{path}:9"]
    offset = raw.index(b"\xff")
    assert reasons[f"{path}:10"] == f"not UTF-8: invalid byte 0xff at byte offset {offset}"


def test_jsonl_integer_id_bom_and_crlf(tmp_path: Path) -> None:
    content = "\ufeff" + json.dumps({"id": 7, "date": "2020-01-03", "text": "Seven."}) + "\r\n"
    articles, problems = read(write(tmp_path / "a.jsonl", content))
    assert problems == []
    assert (articles[0].id, articles[0].text) == ("7", "Seven.")


def test_jsonl_whole_file_problems(tmp_path: Path) -> None:
    write(tmp_path / "empty.jsonl", b"")
    write(tmp_path / "blank.jsonl", b"\n  \n")
    write(tmp_path / "binary.jsonl", b"\x00\x01\x02{}")
    _, problems = read(tmp_path)
    assert only_problem(problems, "empty.jsonl").reason == "empty file"
    assert "only whitespace" in only_problem(problems, "blank.jsonl").reason
    assert "NUL byte" in only_problem(problems, "binary.jsonl").reason


# --- sources -------------------------------------------------------------------------------


def make_tree(root: Path) -> None:
    write(root / "b.txt", GOOD.replace("Ada", "Bea"))
    write(root / "a" / "deep" / "c.txt", GOOD)
    write(root / "a" / "d.jsonl", json.dumps({"id": "d", "date": "2020-01-01", "text": "D."}))
    write(root / "a" / "notes.md", "ignored")
    write(root / ".hidden.txt", GOOD)
    write(root / ".git" / "e.txt", GOOD)
    write(root / "a" / ".cache" / "f.txt", GOOD)


def test_folders_recursive_skip_hidden_and_other_suffixes(tmp_path: Path) -> None:
    make_tree(tmp_path)
    names = [path.relative_to(tmp_path).as_posix() for path in iter_sources([tmp_path])]
    assert names == ["a/d.jsonl", "a/deep/c.txt", "b.txt"]
    articles, problems = read(tmp_path)
    assert problems == []
    assert [article.id for article in articles] == ["d", "c", "b"]


def test_globs(tmp_path: Path) -> None:
    make_tree(tmp_path)
    recursive = [p.name for p in iter_sources([f"{tmp_path}/**/*.txt"])]
    assert recursive == ["c.txt", "b.txt"]
    assert [p.name for p in iter_sources([f"{tmp_path}/*.txt"])] == ["b.txt"]
    assert [p.name for p in iter_sources([f"{tmp_path}/a/*"])] == ["d.jsonl", "c.txt"]


def test_deterministic_order_and_each_file_once(tmp_path: Path) -> None:
    make_tree(tmp_path)
    forwards = list(iter_sources([tmp_path / "b.txt", tmp_path, f"{tmp_path}/**/*.txt"]))
    backwards = list(iter_sources([f"{tmp_path}/**/*.txt", tmp_path / "a", tmp_path]))
    assert forwards == backwards
    assert len(forwards) == len(set(forwards)) == 3
    assert forwards == sorted(forwards, key=lambda path: path.parts)


def test_duplicate_article_ids(tmp_path: Path) -> None:
    first = write(tmp_path / "a" / "story.txt", GOOD)
    second = write(tmp_path / "b" / "story.txt", GOOD)
    feed = write(tmp_path / "c.jsonl", json.dumps({"id": "story", "date": "2020-01-01", "text": "T"}))
    articles, problems = read(tmp_path)
    assert [article.source for article in articles] == [str(first)]
    assert [problem.source for problem in problems] == [str(second), f"{feed}:1"]
    for problem in problems:
        assert problem.reason == f"duplicate article id 'story': also in {first}"


# --- normalisation -------------------------------------------------------------------------


def test_html_is_stripped(tmp_path: Path) -> None:
    body = (
        "<div class='story'><p>Ada Quill &amp; Bea Vine&#8217;s <b>big</b> night.</p>"
        "<script>var tracking = 'Ada';</script><style>p { color: red }</style>"
        "<p>They met\n  in 2019.<br>Line two &lt;here&gt;.</p></div>"
    )
    articles, problems = read(write(tmp_path / "h.txt", f" date 2021-06-01 {body}\n"))
    assert problems == []
    assert articles[0].text == (
        "Ada Quill & Bea Vine\u2019s big night.\n\nThey met in 2019.\nLine two <here>."
    )


def test_plain_text_with_angle_brackets_is_not_html() -> None:
    assert normalise_text("Ratings < 3m & falling.\n\nNext para.") == (
        "Ratings < 3m & falling.\n\nNext para."
    )


def test_nfc_and_character_clean_up(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301 Ren\u00e9e\u200b\u00a0said \u201chi\u201d\x07 \u2014 it\u2019s\tfine.\r\nNext."
    articles, problems = read(write(tmp_path / "n.txt", f" date 2021-06-01 {decomposed}"))
    assert problems == []
    text = articles[0].text
    assert text == "Caf\u00e9 Ren\u00e9e said \u201chi\u201d \u2014 it\u2019s\tfine.\nNext."
    assert unicodedata.is_normalized("NFC", text)
    assert normalise_text(text) == text


def test_every_example_reads_without_problems() -> None:
    files = list(iter_sources([EXAMPLES]))
    assert len(files) == 4
    articles, problems = read(EXAMPLES)
    assert problems == []
    assert [article.id for article in articles] == [path.stem for path in files]
    for article in articles:
        assert dt.date(2019, 1, 1) <= article.date <= dt.date(2024, 12, 31)
        assert 120 <= len(article.text.split()) <= 250
        assert not article.text.lstrip().lower().startswith("date")
