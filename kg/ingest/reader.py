"""Read articles from ``.txt`` and ``.jsonl`` inputs.

A ``.txt`` article starts with a date line and the first paragraph follows on the same line::

     date 2021-06-01 First paragraph of the article...

    Second paragraph...

A ``.jsonl`` file holds one article per line: ``{"id", "date", "text"}`` plus optional ``"url"``
and ``"title"``.

Every input that cannot be read becomes an :class:`~kg.records.InputProblem` that names it and
says why, and reading goes on with the next one. Text is normalised exactly once, here, so the
character offsets later stages compute hold for ``Article.text``.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kg.records import Article, InputProblem

__all__ = [
    "DATE_LINE_FORMAT",
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "iter_sources",
    "normalise_text",
    "read_articles",
]

#: Files (``.txt``) or records (``.jsonl`` lines) larger than this are reported, not read.
DEFAULT_MAX_BYTES: int = 10 * 1024 * 1024
SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".jsonl")
DATE_LINE_FORMAT: str = "' date YYYY-MM-DD ' followed by text"

_GLOB_CHARS = re.compile(r"[*?\[]")
_NO_DATE_LINE = f"no date line: the first line must be {DATE_LINE_FORMAT}"
_BINARY_SNIFF_BYTES = 8192

# The key is case-insensitive and may carry a colon ("Date:", "DATE"); the value is matched
# loosely so a malformed date can be quoted back in the problem.
_DATE_LINE = re.compile(r"[ \t]*date\b[ \t]*:?[ \t]*(?P<value>\S*)(?:[ \t]+(?P<rest>.*))?", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")

_HTML_HINT = re.compile(
    r"</?(?:p|div|br|span|script|style|a|b|i|u|em|strong|h[1-6]|ul|ol|li|html|head|body|"
    r"article|section|header|footer|main|aside|nav|figure|figcaption|img|blockquote|table|tr|"
    r"td|th|meta|link|iframe|noscript|pre|hr)\b[^<>]*>|<!--|<!doctype\b",
    re.IGNORECASE,
)


def iter_sources(inputs: Sequence[str | Path]) -> Iterator[Path]:
    """Expand files, folders and glob patterns into the input files to read.

    Folders are searched recursively for ``.txt`` and ``.jsonl`` files, skipping hidden files
    and folders; glob patterns (``"corpus/**/*.txt"``) keep only those suffixes as well. A file
    named explicitly is yielded whatever its suffix. Files come once each, sorted by path, so the
    order does not depend on the file system or on the order of ``inputs``.

    Raises:
        FileNotFoundError: an input that names no file, a missing path or a glob pattern
            matching nothing (:func:`read_articles` reports it as an :class:`InputProblem`).
    """
    paths, problems = _expand(inputs)
    if problems:
        raise FileNotFoundError(f"{problems[0].source}: {problems[0].reason}")
    yield from paths


def read_articles(
    inputs: Sequence[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | InputProblem]:
    """Stream the articles of ``inputs``, one file at a time, in :func:`iter_sources` order.

    Each input that cannot be read, and each bad line of a ``.jsonl`` file, comes through as an
    :class:`InputProblem` naming it and the reason; everything else is still read. An article id
    (a ``.txt`` file's stem, a ``.jsonl`` record's ``"id"``) seen before is reported as a
    duplicate. ``max_bytes`` bounds a ``.txt`` file and each ``.jsonl`` line.
    """
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    paths, problems = _expand(inputs)
    yield from problems
    seen: dict[str, str] = {}
    for path in paths:
        suffix = path.suffix.lower()
        if suffix == ".txt":
            items: Iterable[Article | InputProblem] = [_read_txt(path, max_bytes)]
        elif suffix == ".jsonl":
            items = _read_jsonl(path, max_bytes)
        else:
            items = [InputProblem(str(path), _unsupported(path))]
        for item in items:
            if isinstance(item, Article):
                first = seen.setdefault(item.id, item.source)
                if first != item.source:
                    item = InputProblem(
                        item.source, f"duplicate article id {item.id!r}: also in {first}"
                    )
            yield item


def normalise_text(text: str) -> str:
    """Normalise article text: the one normalisation every offset in kg is computed on.

    CRLF and CR become LF; HTML (tags such as ``<p>``, ``<div>``, ``<br>``, ``<script>``) is
    reduced to its text with entities unescaped and paragraph breaks kept; zero-width and control
    characters other than newline and tab are dropped; unusual spaces become plain spaces;
    trailing spaces and runs of blank lines are trimmed; the result is Unicode NFC. Typographic
    quotes and dashes are kept as they are.
    """
    text = _clean_chars(_unify_newlines(text))
    if _HTML_HINT.search(text):
        text = _clean_chars(_strip_html(text))
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return unicodedata.normalize("NFC", text)


# --- sources -------------------------------------------------------------------------------


def _expand(inputs: Sequence[str | Path]) -> tuple[list[Path], list[InputProblem]]:
    """All files named by ``inputs``, deduplicated and sorted, and the inputs that named none."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    found: dict[Path, Path] = {}
    problems: list[InputProblem] = []

    def add(path: Path) -> None:
        loop = _symlink_loop(path)
        if loop is not None:
            problems.append(InputProblem(str(path), loop))
            return
        key = path.resolve()
        if key not in found or _sort_key(path) < _sort_key(found[key]):
            found[key] = path

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for file in _walk(path):
                add(file)
        elif path.exists() or path.is_symlink():
            add(path)
        elif _GLOB_CHARS.search(str(item)):
            matches = sorted(glob.glob(str(item), recursive=True))
            for match in map(Path, matches):
                if match.is_dir():
                    for file in _walk(match):
                        add(file)
                elif _supported(match) and (match.is_file() or match.is_symlink()):
                    add(match)
            if not matches:
                problems.append(InputProblem(str(item), "glob pattern matched no files"))
        else:
            problems.append(InputProblem(str(item), "no such file or folder"))
    return sorted(found.values(), key=_sort_key), problems


def _walk(root: Path) -> Iterator[Path]:
    """Supported, non-hidden files under ``root``, hidden folders pruned."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            file = Path(folder, name)
            if not name.startswith(".") and _supported(file):
                yield file


def _symlink_loop(path: Path) -> str | None:
    """The reason to skip ``path`` when it is a symbolic link that never reaches a file (a
    loop), else ``None``. A link to a missing file is left to the reader, which names it."""
    try:
        path.resolve(strict=False)
    except (RuntimeError, OSError) as error:  # RuntimeError up to Python 3.12, OSError after
        return f"symbolic link loop ({error})"
    return None


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _unsupported(path: Path) -> str:
    return f"unsupported file type {path.suffix or '(no suffix)'!r}: expected .txt or .jsonl"


def _sort_key(path: Path) -> tuple[str, ...]:
    return path.parts


# --- .txt ----------------------------------------------------------------------------------


def _read_txt(path: Path, max_bytes: int) -> Article | InputProblem:
    source = str(path)
    data = _read_bounded(path, max_bytes)
    if isinstance(data, str):
        return InputProblem(source, data)
    decoded = _decode(data)
    if not isinstance(decoded, tuple):
        return InputProblem(source, decoded)
    text = _clean_chars(_unify_newlines(decoded[0])).lstrip(" \t\n")
    if not text.strip():
        return InputProblem(source, "file holds only whitespace")
    first, _, rest = text.partition("\n")
    parsed = _parse_date_line(first)
    if isinstance(parsed, str):
        return InputProblem(source, parsed)
    date, first_paragraph = parsed
    body = normalise_text(f"{first_paragraph}\n{rest}")
    if not body:
        return InputProblem(source, "date line but no article text")
    return Article(id=path.stem, date=date, text=body, source=source)


def _read_bounded(path: Path, max_bytes: int) -> bytes | str:
    """The bytes of ``path``, or the reason they cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _too_big(size, max_bytes, "file")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return f"cannot read file: {error.strerror or error}"
    if len(data) > max_bytes:
        return _too_big(len(data), max_bytes, "file")
    if not data:
        return "empty file"
    return data


def _too_big(size: int, max_bytes: int, what: str) -> str:
    return f"{what} is {size:,} bytes, over the limit of {max_bytes:,} bytes (max_bytes)"


def _decode(data: bytes, offset: int = 0) -> tuple[str] | str:
    """``(text,)`` for UTF-8 ``data``, or why it is not text; ``offset`` places it in its file."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "not UTF-8: the file starts with a UTF-16 byte-order mark; save it as UTF-8"
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"binary data, not text (NUL byte at byte offset {offset + nul})"
    try:
        return (data.decode("utf-8"),)
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        return f"not UTF-8: invalid byte 0x{bad} at byte offset {offset + error.start}"


def _parse_date_line(line: str) -> tuple[dt.date, str] | str:
    """The date and the rest of the first line, or why the line is not a date line."""
    match = _DATE_LINE.fullmatch(line.strip())
    if not match:
        if _DATE_LIKE.match(line.strip()):
            return f"date line lacks the word 'date': the first line must be {DATE_LINE_FORMAT}"
        return _NO_DATE_LINE
    value = match["value"]
    if not value:
        return f"date line without a date: the first line must be {DATE_LINE_FORMAT}"
    if not any(char.isdigit() for char in value):
        return _NO_DATE_LINE
    date = _parse_date(value)
    if isinstance(date, str):
        return date
    return date, match["rest"] or ""


def _parse_date(value: str) -> dt.date | str:
    """The date written ``YYYY-MM-DD`` in ``value``, or why it is not one."""
    iso = _ISO_DATE.fullmatch(value)
    if not iso:
        hint = ""
        if re.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}", value):
            hint = " (day/month order would be ambiguous)"
        return f"malformed date {value!r}: expected YYYY-MM-DD{hint}"
    try:
        return dt.date(*(int(part) for part in iso.groups()))
    except ValueError as error:
        return f"impossible date {value!r}: {error}"


# --- .jsonl --------------------------------------------------------------------------------


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | InputProblem]:
    """The articles of a JSON Lines file, line by line; each bad line is its own problem."""
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as error:
        yield InputProblem(source, f"cannot read file: {error.strerror or error}")
        return
    with handle:
        head = handle.read(_BINARY_SNIFF_BYTES)
        if not head:
            yield InputProblem(source, "empty file")
            return
        sniffed = _decode(head[:2]) if head[:2] in (b"\xff\xfe", b"\xfe\xff") else None
        if sniffed is None and b"\x00" in head:
            sniffed = _decode(head[: head.find(b"\x00") + 1])
        if isinstance(sniffed, str):
            yield InputProblem(source, sniffed)
            return
        handle.seek(0)
        records = 0
        offset = 0
        for number, line, too_long in _bounded_lines(handle, max_bytes):
            where = f"{source}:{number}"
            start, offset = offset, offset + len(line)
            if too_long is not None:
                records += 1
                yield InputProblem(where, _too_big(too_long, max_bytes, "line"))
                continue
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line, start = line[3:], start + 3
            decoded = _decode(line, start)
            if not isinstance(decoded, tuple):
                records += 1
                yield InputProblem(where, decoded)
                continue
            if not decoded[0].strip():
                continue
            records += 1
            yield _jsonl_record(decoded[0], where)
        if not records:
            yield InputProblem(source, "file holds only whitespace")


def _bounded_lines(handle: Any, max_bytes: int) -> Iterator[tuple[int, bytes, int | None]]:
    """``(line number, bytes, None)`` per line, or ``(number, b"", size)`` for one too long.

    A line over ``max_bytes`` is skipped in bounded chunks, never held whole.
    """
    number = 0
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) <= max_bytes or (len(line) == max_bytes + 1 and line.endswith(b"\n")):
            yield number, line, None
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = handle.readline(max_bytes + 1)
            if not line:
                break
            size += len(line)
        yield number, b"", size


def _jsonl_record(line: str, where: str) -> Article | InputProblem:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return InputProblem(where, f"invalid JSON: {error.msg} (column {error.colno})")
    if not isinstance(record, dict):
        return InputProblem(where, f"expected a JSON object, got {type(record).__name__}")
    missing = [key for key in ("id", "date", "text") if key not in record]
    if missing:
        return InputProblem(where, f"missing {', '.join(repr(key) for key in missing)}")
    article_id, date_value, text = record["id"], record["date"], record["text"]
    if isinstance(article_id, int) and not isinstance(article_id, bool):
        article_id = str(article_id)
    if not isinstance(article_id, str) or not article_id.strip():
        return InputProblem(where, "'id' must be a non-empty string")
    if not isinstance(date_value, str):
        return InputProblem(where, "'date' must be a string YYYY-MM-DD")
    date = _parse_date(date_value.strip())
    if isinstance(date, str):
        return InputProblem(where, date)
    if not isinstance(text, str):
        return InputProblem(where, "'text' must be a string")
    url, title = record.get("url"), record.get("title")
    for key, value in (("url", url), ("title", title)):
        if value is not None and not isinstance(value, str):
            return InputProblem(where, f"{key!r} must be a string or null")
    body = normalise_text(text)
    if not body:
        return InputProblem(where, "'text' is empty")
    return Article(
        id=article_id.strip(), date=date, text=body, source=where,
        url=url.strip() or None if url is not None else None,
        title=normalise_text(title) or None if title is not None else None,
    )


# --- normalisation -------------------------------------------------------------------------


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=1)
def _special_chars() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern for the characters to drop or replace, and what each becomes."""
    replacement: dict[str, str] = {}
    # Format, control and separator characters all live in these planes.
    for code in (*range(0x20000), *range(0xE0000, 0xE1000)):
        char = chr(code)
        category = unicodedata.category(char)
        if char in "\n\t ":
            continue
        if char in "\x0b\x0c\x85" or category == "Zl":
            replacement[char] = "\n"
        elif category == "Zp":
            replacement[char] = "\n\n"
        elif category == "Zs":
            replacement[char] = " "
        elif category in ("Cc", "Cf"):
            replacement[char] = ""
    # A class of ranges matches far faster than one listing ~250 single characters.
    ranges: list[list[int]] = []
    for code in sorted(map(ord, replacement)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    members = "".join(
        re.escape(chr(low)) + (f"-{re.escape(chr(high))}" if high > low else "")
        for low, high in ranges
    )
    return re.compile(f"[{members}]"), replacement


def _clean_chars(text: str) -> str:
    pattern, replacement = _special_chars()
    return pattern.sub(lambda match: replacement[match.group()], text)


_BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "section", "article", "header", "footer", "main", "aside", "nav",
    "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "hr", "address", "caption",
})
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg"})
_PARAGRAPH = "\x00"  # placeholder: real NULs never reach this point


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML fragment, marking block boundaries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append(_PARAGRAPH)
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIPPED_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(_PARAGRAPH)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def _strip_html(text: str) -> str:
    """The text of an HTML fragment: tags and script/style dropped, entities unescaped."""
    parser = _TextExtractor()
    # Blank lines in the source separate paragraphs even without <p> tags.
    parser.feed(re.sub(r"\n[ \t]*\n", _PARAGRAPH, text))
    parser.close()
    joined = "".join(parser.parts).replace(_PARAGRAPH, "\n\n")
    return re.sub(r"[ \t]*\n[ \t]*", "\n", joined)
