"""Words per second of ``kg build --workers 2``: kg's rules alone against the learned extraction,
against the code of another commit, all in one run, as ratios to the bare tokenizer.

    python benchmarks/bench_extraction_speed.py [--articles 375] [--rounds 2] [--baseline REV]

The corpus is the dev and seed articles of ``../shared/corpus`` repeated to ``--articles``
(as ``bench_build.py`` does). Each configuration builds the corpus once per round, rounds
interleaved so that load on the machine falls on all of them alike; the best round counts.
``--baseline REV`` also builds with the code of commit REV (a temporary ``git worktree``, put
first on ``PYTHONPATH``), e.g. the commit before the learned extraction.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _corpus(folder: Path, n: int) -> int:
    """Copy dev + seeds articles round-robin to ``n`` files; return the word count."""
    sources = sorted((SHARED / "corpus" / "dev").glob("*.txt")) + sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
    if not sources:
        raise SystemExit(f"bench_extraction_speed: no articles under {SHARED / 'corpus'}")
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        (folder / f"a{i:05d}_{src.stem}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def _tokenizer_seconds(folder: Path) -> float:
    import kg

    nlp = kg.load_pipeline()
    texts = [p.read_text(encoding="utf-8").split(" ", 3)[-1] for p in sorted(folder.glob("*.txt"))]
    started = time.perf_counter()
    for text in texts:
        nlp.tokenizer(text)
    return time.perf_counter() - started


def _build_seconds(corpus: Path, out: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out), "--workers", "2", "-q"],
                   check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Build the corpus with each configuration and print words/s and ratios."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=375)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--baseline", default=None, help="a commit to compare with (git worktree)")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kg-speed-"))
    try:
        words = _corpus(tmp / "corpus", args.articles)
        configs: dict[str, dict[str, str]] = {}
        base_env = {k: v for k, v in os.environ.items() if k not in ("KG_EXTRACTION", "PYTHONPATH")}
        if args.baseline:
            worktree = tmp / "baseline"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.baseline],
                           check=True, capture_output=True)
            configs[f"kg at {args.baseline[:10]}"] = {**base_env, "PYTHONPATH": str(worktree)}
        configs["rules alone (KG_EXTRACTION=rules)"] = {**base_env, "KG_EXTRACTION": "rules"}
        configs["learned extraction (default)"] = dict(base_env)
        best: dict[str, float] = {}
        tokenizer = min(_tokenizer_seconds(tmp / "corpus") for _ in range(args.rounds))
        for r in range(args.rounds):
            for name, env in configs.items():
                seconds = _build_seconds(tmp / "corpus", tmp / f"out-{r}-{len(best)}", env)
                best[name] = min(best.get(name, seconds), seconds)
        print(f"{args.articles} articles, {words:,} words, kg build --workers 2, best of {args.rounds} rounds")
        print(f"{'configuration':40s} {'seconds':>8s} {'words/s':>9s} {'/ tokenizer':>12s}")
        print(f"{'bare tokenizer':40s} {tokenizer:8.2f} {words / tokenizer:9.0f} {1.0:12.4f}")
        for name, seconds in best.items():
            print(f"{name:40s} {seconds:8.2f} {words / seconds:9.0f} {tokenizer / seconds:12.4f}")
    finally:
        if args.baseline:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp / "baseline")],
                           capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
