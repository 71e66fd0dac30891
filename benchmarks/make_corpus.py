"""Generate a benchmark corpus of N articles from the shared corpora (never into the repo).

Articles are drawn from the real news articles of ``../shared/corpus`` (seeds and dev) and the
Wikipedia paragraphs of ``../shared/datasets/re-docred`` (dev and test), repeated and shuffled
to reach the size asked for. About a third of the generated articles are news articles, the
rest one or two Re-DocRED paragraphs; each gets its own id and a date. The generator is seeded,
so the same ``--articles`` and ``--seed`` give the same corpus.

    python benchmarks/make_corpus.py --articles 1000 --out /tmp/kg-bench/corpus-1000

Writes ``.txt`` files in kg's input format (`` date YYYY-MM-DD `` + text), 1,000 per
subfolder, or one ``.jsonl`` file with ``--jsonl``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NEWS_SHARE = 0.35
_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}]|'s\b|'re\b|'ve\b|'ll\b|'d\b|n't\b|'m\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{$]) ")


@dataclass(frozen=True)
class Source:
    """A piece of text the generator can use: a news article or a Re-DocRED paragraph."""

    text: str
    news: bool


def detokenize(tokens: Sequence[str]) -> str:
    """Join Re-DocRED tokens into plain text (spaces around punctuation and quotes fixed)."""
    out: list[str] = []
    open_quote = False
    for token in tokens:
        if token == '"':
            out.append(' "' if not open_quote else '"')
            open_quote = not open_quote
            continue
        if out and out[-1].endswith('"') and open_quote:
            out.append(token)
        else:
            out.append(" " + token)
    text = "".join(out).strip()
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    return _NO_SPACE_AFTER.sub(r"\1", text)


def load_sources(shared: Path = SHARED) -> list[Source]:
    """All news articles (text after the date line) and all Re-DocRED paragraphs."""
    sources: list[Source] = []
    for folder in ("seeds", "dev"):
        for path in sorted((shared / "corpus" / folder).glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            first, _, rest = text.partition("\n")
            match = re.match(r"\s*date\s+\S+\s*(.*)", first)
            body = f"{match.group(1) if match else first}\n{rest}".strip()
            sources.append(Source(body, news=True))
    for name in ("dev_revised.json", "test_revised.json"):
        with (shared / "datasets" / "re-docred" / name).open(encoding="utf-8") as handle:
            for doc in json.load(handle):
                text = " ".join(detokenize(sentence) for sentence in doc["sents"])
                sources.append(Source(text, news=False))
    if not any(s.news for s in sources) or all(s.news for s in sources):
        raise FileNotFoundError(f"need both news articles and Re-DocRED paragraphs under {shared}")
    return sources


def generate(
    sources: Sequence[Source], articles: int, seed: int = 7
) -> Iterator[tuple[str, str, str]]:
    """``(id, YYYY-MM-DD, text)`` for ``articles`` articles, shuffled, each source reused."""
    rng = random.Random(seed)
    news = [s for s in sources if s.news]
    paragraphs = [s for s in sources if not s.news]

    def cycle(pool: list[Source]) -> Iterator[Source]:
        while True:
            order = pool[:]
            rng.shuffle(order)
            yield from order

    news_cycle, paragraph_cycle = cycle(news), cycle(paragraphs)
    start = dt.date(2015, 1, 1)
    for index in range(articles):
        if rng.random() < NEWS_SHARE:
            text = next(news_cycle).text
        else:
            text = "\n\n".join(next(paragraph_cycle).text for _ in range(rng.choice((1, 2))))
        date = start + dt.timedelta(days=rng.randrange(3000))
        yield f"bench-{index:06d}", date.isoformat(), text


def write_corpus(out: Path, articles: int, *, seed: int = 7, jsonl: bool = False,
                 shared: Path = SHARED) -> tuple[Path, int]:
    """Write the corpus under ``out``; return the input path to give kg and the word count."""
    out.mkdir(parents=True, exist_ok=True)
    words = 0
    rows = generate(load_sources(shared), articles, seed)
    if jsonl:
        target = out / "corpus.jsonl"
        with target.open("w", encoding="utf-8") as handle:
            for article_id, date, text in rows:
                words += len(text.split())
                handle.write(json.dumps({"id": article_id, "date": date, "text": text}) + "\n")
        return target, words
    for index, (article_id, date, text) in enumerate(rows):
        words += len(text.split())
        folder = out / f"part-{index // 1000:04d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{article_id}.txt").write_text(f" date {date} {text}\n", encoding="utf-8")
    return out, words


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jsonl", action="store_true", help="one .jsonl file, not .txt files")
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args(argv)
    if args.out.resolve().is_relative_to(Path(__file__).resolve().parents[1]):
        parser.error("generate the corpus outside the repository (e.g. under /tmp)")
    path, words = write_corpus(args.out, args.articles, seed=args.seed, jsonl=args.jsonl,
                               shared=args.shared)
    print(f"wrote {args.articles:,} articles, {words:,} words: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
