"""Hypothesis strategies for what a scraper leaves behind: broken files and odd but valid text.

Shared by the robustness tests; imported as ``scraper_strategies`` from this folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import strategies as st

#: Right-to-left letters (Arabic, Hebrew), bidi controls, zero-width and control characters.
RTL = "مرحبا بالعالم שלום עולם"
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
CONTROL = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\n\t") + "\x7f\x85"
SPECIALS = RTL + BIDI + ZERO_WIDTH + CONTROL + "\u00a0\u2028\u2029<>&"

#: Any text that can be written as UTF-8 (no lone surrogates), leaning on the odd characters.
any_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(SPECIALS),
        st.sampled_from("abc XYZ.,'\n"),
    ),
    max_size=300,
)

words = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz" "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            min_size=1, max_size=10),
    min_size=1, max_size=30,
).map(" ".join)


@st.composite
def impossible_dates(draw: st.DrawFn) -> str:
    """``YYYY-MM-DD`` strings that name no day (2021-02-30, 2019-13-01, 2020-04-31, ...)."""
    year = draw(st.integers(1000, 9999))
    month = draw(st.integers(0, 99))
    day = draw(st.integers(0, 99))
    try:
        dt.date(year, month, day)
    except ValueError:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-02-30"


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """A scraped HTML page around some paragraphs of words, with script, style and entities."""
    paragraphs = draw(st.lists(words, min_size=1, max_size=4))
    tag = draw(st.sampled_from(["p", "div", "li", "h2", "blockquote"]))
    body = "".join(f"<{tag} class='x'>{text} &amp; more</{tag}>\n" for text in paragraphs)
    return (
        "<!DOCTYPE html><html><head><title>t</title><script>var tracking = 1;</script>"
        f"<style>p {{ color: red }}</style></head><body><nav>Home</nav>{body}</body></html>"
    )


@st.composite
def bad_files(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """``(kind, content, a phrase the reason must hold)`` for a .txt file kg must skip."""
    kind = draw(st.sampled_from(
        ["binary", "invalid-utf8", "empty", "blank", "impossible-date", "no-date", "html-no-date"]))
    text = draw(words)
    if kind == "binary":
        noise = draw(st.binary(max_size=200))
        at = draw(st.integers(0, len(noise)))
        return kind, noise[:at] + b"\x00" + noise[at:], "binary data"
    if kind == "invalid-utf8":
        raw = f" date 2021-06-01 {text}".encode()
        bad = draw(st.sampled_from([b"\xff", b"\xc3(", b"\x80", b"\xed\xa0\x80", b"\xf0\x28\x8c"]))
        at = draw(st.integers(len(" date 2021-06-01 "), len(raw)))
        return kind, raw[:at] + bad + raw[at:], "not UTF-8"
    if kind == "empty":
        return kind, b"", "empty file"
    if kind == "blank":
        blank = draw(st.sampled_from([b" ", b"\n\n", b"\t \r\n", "\u200b\n".encode()]))
        return kind, blank, "whitespace"
    if kind == "impossible-date":
        date = draw(impossible_dates())
        return kind, f" date {date} {text}\n".encode(), f"impossible date '{date}'"
    if kind == "no-date":
        return kind, f"{text}\n\nMore text.\n".encode(), "date"
    return kind, draw(html_pages()).encode(), "date"


#: The dates the ingest accepts: any day of years 1 to 9999.
FIRST_DAY, LAST_DAY = dt.date(1, 1, 1), dt.date(9999, 12, 31)
#: Phrases the temporal rules turn into a day relative to the article's date.
RELATIVE_PHRASES = ("yesterday", "today", "this morning", "on Monday", "last Sunday",
                    "three days ago", "moments later")


@st.composite
def article_dates(draw: st.DrawFn) -> dt.date:
    """A date line's date over the whole range the ingest accepts, leaning on its two ends."""
    return draw(st.one_of(
        st.dates(FIRST_DAY, LAST_DAY),
        st.dates(FIRST_DAY, dt.date(150, 12, 31)),
        st.dates(dt.date(9850, 1, 1), LAST_DAY),
        st.sampled_from([FIRST_DAY, dt.date(1, 1, 2), dt.date(4, 2, 29), LAST_DAY]),
    ))


@st.composite
def dated_articles(draw: st.DrawFn) -> tuple[dt.date, str]:
    """``(date, text)``: an article whose text has ages, dates and relative phrases that all
    count from its date (``today ± phrase``), so date arithmetic meets both ends of the range."""
    date = draw(article_dates())
    age = draw(st.integers(0, 149))
    phrase = draw(st.sampled_from(RELATIVE_PHRASES))
    year = draw(st.integers(1, 9999))
    sentences = [
        f"Jane Roe, {age}, is the mother of Tom Roe.",
        f"Tom Roe was born {phrase}.",
        f"Jane Roe died {draw(st.sampled_from(RELATIVE_PHRASES))}.",
        f"Ann Lee was born on February 11, {year:04d}.",
        f"Ann Lee, {draw(st.integers(0, 149))}, starred alongside Jane Roe in Coronation Street.",
    ]
    return date, " ".join(draw(st.permutations(sentences)))


#: How a symbolic link can lead nowhere: a link to itself, two links to each other, a link
#: into a loop, and a folder link back to its parent (which a walk must not follow forever).
SYMLINK_LOOPS = ("self", "pair", "into-loop", "parent-folder")


def make_symlink_loop(folder: Path, kind: str, name: str) -> list[Path]:
    """Make the ``kind`` of :data:`SYMLINK_LOOPS` called ``name`` in ``folder``; returns the
    ``.txt`` paths a reader must name as skipped (none for a folder link, never followed)."""
    if kind == "self":
        (folder / f"{name}.txt").symlink_to(f"{name}.txt")
        return [folder / f"{name}.txt"]
    if kind == "pair":
        (folder / f"{name}-a.txt").symlink_to(f"{name}-b.txt")
        (folder / f"{name}-b.txt").symlink_to(f"{name}-a.txt")
        return [folder / f"{name}-a.txt", folder / f"{name}-b.txt"]
    if kind == "into-loop":
        (folder / f"{name}-loop.txt").symlink_to(f"{name}-loop.txt")
        (folder / f"{name}.txt").symlink_to(f"{name}-loop.txt")
        return [folder / f"{name}-loop.txt", folder / f"{name}.txt"]
    sub = folder / name
    sub.mkdir()
    (sub / "up").symlink_to("..")
    return []
