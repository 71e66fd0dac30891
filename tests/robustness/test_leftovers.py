"""What a killed kg leaves behind is cleaned up by the next run: the temporary files of a build
(``.graph.PID-HEX.tmp.html``, ``.graph.ttl.PID-HEX.tmp``) and of a store update."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import kg
from kg.export.atomic import sweep_temporaries, temporary_path
from kg.store import KgStore

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "01_stanley_hurwood_death.txt"


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _leftovers(folder: Path) -> tuple[list[Path], list[Path]]:
    """(files a killed kg would leave, files that must stay) in ``folder``."""
    dead = _dead_pid()
    stale = [folder / f".graph.{dead}-0123456789ab.tmp.html",
             folder / f".graph.ttl.{dead}-0123456789ab.tmp",
             folder / ".graph.abcdef012345.tmp.html"]  # older kg: no process id, two hours old
    kept = [temporary_path(folder / "graph", ".html"),  # this process's: still being written
            folder / ".graph.abcdef654321.tmp.html",  # no process id, but new
            folder / ".notes.tmp", folder / "graph.tmp.html"]  # not kg's names
    for path in stale + kept:
        path.write_text("x")
    two_hours_ago = time.time() - 7200
    os.utime(stale[2], (two_hours_ago, two_hours_ago))
    return stale, kept


def test_a_build_sweeps_the_temporary_files_of_a_killed_build(tmp_path: Path) -> None:
    """Was: ``.graph.<hex>.tmp.html`` of a killed build stayed in the output folder for good."""
    out = tmp_path / "out"
    out.mkdir()
    stale, kept = _leftovers(out)
    kg.build([EXAMPLE], out, model="blank", validate=False)
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in kept)
    assert (out / "graph.html").is_file()


def test_a_writable_store_open_sweeps_temporary_files(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    KgStore.create(folder).close()
    stale, kept = _leftovers(folder)
    with KgStore.open(folder, read_only=True):
        assert all(path.exists() for path in stale)  # readers change nothing
    with KgStore.open(folder):
        assert not any(path.exists() for path in stale)
        assert all(path.exists() for path in kept)


def test_temporary_names_carry_the_process_id(tmp_path: Path) -> None:
    name = temporary_path(tmp_path / "graph.ttl").name
    assert name.startswith(f".graph.ttl.{os.getpid()}-") and name.endswith(".tmp")
    assert sweep_temporaries(tmp_path / "missing") == []
