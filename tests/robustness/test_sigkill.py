"""``kill -9`` of a running build leaves the previous outputs as they were.

The build runs in a child process writing into a folder that already holds a graph. It is
killed once while worker processes extract articles, and once at the last moment before the new
``graph.ttl`` is renamed into place (the child's ``os.replace`` waits there for the kill). Both
times the old ``graph.ttl`` and ``graph.html`` must be byte-for-byte what they were, and the
workers must not outlive the build. The builds use kg's rules on a blank base, which loads
fastest: what is tested is where the files are written, not what is extracted.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
PREVIOUS = ROOT / "tests" / "data" / "sample_graph.ttl"

CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path

    import kg

    corpus, out, marker, workers = sys.argv[1:5]
    real_replace = os.replace

    def replace(src, dst):
        if marker != "-" and Path(dst).name == "graph.ttl":
            Path(marker).write_text(str(src), encoding="utf-8")
            time.sleep(120)
        return real_replace(src, dst)

    os.replace = replace
    if __name__ == "__main__":
        kg.build([corpus], out, workers=int(workers), validate=False, model="blank")
""")


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(PREVIOUS, out / "graph.ttl")
    (out / "graph.html").write_text("<!doctype html><p>the previous page</p>\n", encoding="utf-8")
    return out


def corpus(folder: Path, copies: int) -> Path:
    folder.mkdir()
    for copy in range(copies):
        for path in EXAMPLES:
            shutil.copy(path, folder / f"{path.stem}_{copy:03d}.txt")
    return folder


def start(tmp_path: Path, corpus_dir: Path, out: Path, marker: str, workers: int) -> psutil.Popen:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    return psutil.Popen([sys.executable, str(script), str(corpus_dir), str(out), marker,
                         str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(condition, process: psutil.Popen, limit_s: float = 120.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + limit_s
    while not condition():
        assert process.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline, "the build never reached the point to kill it at"
        time.sleep(0.02)


def kill_when(condition: Callable[[], bool], process: psutil.Popen,
              before_kill: Callable[[], None] = lambda: None) -> None:
    """SIGKILL ``process`` once ``condition()`` holds (after ``before_kill()``); never leave it
    running."""
    try:
        wait_for(condition, process)
        before_kill()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()


def assert_previous_outputs(out: Path, before: dict[str, bytes]) -> None:
    for name, content in before.items():
        assert (out / name).read_bytes() == content, f"{name} changed"
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    assert len(graph) > 0


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.html")}


def test_killed_while_workers_extract(tmp_path: Path, outdir: Path) -> None:
    before = snapshot(outdir)
    child = start(tmp_path, corpus(tmp_path / "corpus", 100), outdir, "-", workers=2)
    workers: list[psutil.Process] = []

    def extracting() -> bool:
        running = [p for p in child.children(recursive=True) if "python" in p.name()]
        return len(running) >= 3  # the fork server and at least two workers

    def note_workers() -> None:
        time.sleep(0.5)
        workers.extend(child.children(recursive=True))

    kill_when(extracting, child, note_workers)
    assert child.returncode == -signal.SIGKILL
    assert_previous_outputs(outdir, before)
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"worker processes outlived the build: {alive}"


def test_killed_just_before_the_new_graph_replaces_the_old(tmp_path: Path, outdir: Path) -> None:
    before = snapshot(outdir)
    marker = tmp_path / "replacing"
    child = start(tmp_path, corpus(tmp_path / "corpus", 1), outdir, str(marker), workers=1)

    def temporary_written() -> None:
        assert temporary().parent == outdir and temporary().exists()

    def temporary() -> Path:
        return Path(marker.read_text(encoding="utf-8"))

    kill_when(marker.exists, child, temporary_written)
    assert_previous_outputs(outdir, before)
    # The new graph was complete in its temporary file: only the rename was missing.
    assert len(Graph().parse(temporary(), format="turtle")) > 0


STORE_CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path

    from kg.cli import app
    from kg.store import archive

    corpus, out, store, marker = sys.argv[1:5]
    real_replace_all = archive.KgStore.replace_all

    def replace_all(self, *args, **kwargs):
        Path(marker).write_text("storing", encoding="utf-8")
        time.sleep(120)
        return real_replace_all(self, *args, **kwargs)

    archive.KgStore.replace_all = replace_all
    if __name__ == "__main__":
        app(["build", corpus, "-o", out, "--store", store, "--no-validate", "--quiet",
             "--model", "blank"])
""")


def test_killed_while_writing_the_store_leaves_the_previous_store(
    tmp_path: Path, outdir: Path
) -> None:
    from kg.cli import app
    from kg.store import KgStore

    first = tmp_path / "first"
    first.mkdir()
    for path in EXAMPLES[:2]:
        shutil.copy(path, first / path.name)
    store = tmp_path / "store"
    app(["build", str(first), "-o", str(outdir), "--store", str(store), "--no-validate",
         "--no-html", "--quiet", "--model", "blank"], standalone_mode=False)
    with KgStore.open(store, read_only=True) as opened:
        previous = opened.article_ids()
    assert previous == sorted(path.stem for path in EXAMPLES[:2])
    before = {"graph.ttl": (outdir / "graph.ttl").read_bytes()}

    script = tmp_path / "store_child.py"
    script.write_text(STORE_CHILD, encoding="utf-8")
    marker = tmp_path / "storing"
    child = psutil.Popen([sys.executable, str(script), str(corpus(tmp_path / "second", 1)),
                          str(outdir), str(store), str(marker)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kill_when(marker.exists, child)
    assert_previous_outputs(outdir, before)
    with KgStore.open(store) as reopened:
        assert reopened.article_ids() == previous
