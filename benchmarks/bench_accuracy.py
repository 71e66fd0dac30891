"""Extraction accuracy of kg on a folder of articles with hand-written gold, each article alone.

    python benchmarks/bench_accuracy.py [--articles benchmarks/heldout/articles]
        [--gold benchmarks/heldout/gold] [--model kg_en_news|blank|NAME] [--out DIR] [--show-errors]

Builds every ``*.txt`` of ``--articles`` alone (``kg.build([file], OUT/stem, html=False,
validate=False, model=...)``), then scores each graph against ``--gold``/``stem.json`` with the
shared scorer ``../shared/eval/score.py`` (relative to the repository), printing one ``SCORE``
line per article, then the per-predicate figures and the ``SCORE`` line of all articles
together (counts summed). The default articles are kg's held-out set (see
``benchmarks/heldout/README.md``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
HELDOUT = ROOT / "benchmarks" / "heldout"


def _score(gold: Path, graph: Path, show_errors: bool) -> list[str]:
    """The scorer's report lines for one gold file (or folder) and one graph (or folder)."""
    cmd = [sys.executable, str(SCORER), str(gold), str(graph)]
    if show_errors:
        cmd.append("--show-errors")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench_accuracy: score.py failed on {gold}:\n{done.stderr}")
    return done.stdout.splitlines()


def main(argv: list[str] | None = None) -> int:
    """Build and score every article; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=Path, default=HELDOUT / "articles",
                    help="folder of .txt articles (default: the held-out set)")
    ap.add_argument("--gold", type=Path, default=HELDOUT / "gold",
                    help="folder of gold NAME.json files, one per article NAME.txt")
    ap.add_argument("--model", default=None,
                    help="the NLP base (default: kg's default; 'blank' for kg's rules alone)")
    ap.add_argument("--out", type=Path, default=None,
                    help="where to write the graphs (default: a temporary folder)")
    ap.add_argument("--show-errors", action="store_true",
                    help="list each article's misses and false positives")
    args = ap.parse_args(argv)

    if not SCORER.is_file():
        raise SystemExit(f"bench_accuracy: the scorer {SCORER} is absent "
                         "(it lives in the shared evaluation folder beside the repository)")
    articles = sorted(args.articles.glob("*.txt"))
    if not articles:
        raise SystemExit(f"bench_accuracy: no .txt articles in {args.articles}")
    missing = [a.stem for a in articles if not (args.gold / f"{a.stem}.json").is_file()]
    if missing:
        raise SystemExit(f"bench_accuracy: no gold in {args.gold} for: {', '.join(missing)}")

    import kg

    with tempfile.TemporaryDirectory(prefix="kg-accuracy-") as tmp:
        out = args.out or Path(tmp)
        started = time.perf_counter()
        for article in articles:
            kg.build([article], out / article.stem, html=False, validate=False, model=args.model)
        seconds = time.perf_counter() - started
        print(f"model={args.model or 'default'} articles={len(articles)} build_seconds={seconds:.1f}")
        for article in articles:
            lines = _score(args.gold / f"{article.stem}.json", out / article.stem / "graph.ttl",
                           args.show_errors)
            if args.show_errors:
                print("\n".join(lines))
            print(f"{article.stem}: {lines[-1]}")
        # the scorer pairs gold/NAME.json with OUT/NAME/graph.ttl; score only this run's articles
        gold_dir = out / "_gold"
        gold_dir.mkdir(exist_ok=True)
        for article in articles:
            (gold_dir / f"{article.stem}.json").write_bytes(
                (args.gold / f"{article.stem}.json").read_bytes())
        total = _score(gold_dir, out, show_errors=False)
        start = next(i for i, line in enumerate(total) if line.startswith("all "))
        print("\n".join(total[start:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
