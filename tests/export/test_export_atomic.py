"""Atomic writes: the old file survives any failure, and no temporary file is left behind."""

from __future__ import annotations

import importlib
import os
import stat
from pathlib import Path

import pytest
from rdflib import Graph

import kg.export.atomic as atomic
from kg.export import atomic_write_bytes, atomic_write_text, write_graph


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_writes_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "file.txt"
    assert atomic_write_text(path, "first") == path
    atomic_write_text(path, "second – ünïcode")
    assert path.read_text(encoding="utf-8") == "second – ünïcode"
    atomic_write_bytes(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert _leftovers(path.parent) == []


def test_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    atomic_write_text(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_new_file_is_not_private(tmp_path: Path) -> None:
    path = atomic_write_text(tmp_path / "new.txt", "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_old_file_survives_a_failed_serialisation(graph: Graph, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"previous")

    def broken(graph: Graph, fmt: str = "turtle") -> bytes:
        raise RuntimeError("serialiser exploded")

    # the package re-exports the function under the module's name, so fetch the module itself
    serialize_module = importlib.import_module("kg.export.serialize")
    monkeypatch.setattr(serialize_module, "serialize", broken)
    with pytest.raises(RuntimeError, match="exploded"):
        write_graph(graph, path)
    assert path.read_bytes() == b"previous"
    assert _leftovers(tmp_path) == []


def test_old_file_survives_an_unknown_format(graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"previous")
    with pytest.raises(ValueError):
        write_graph(graph, path, "xml")
    assert path.read_bytes() == b"previous"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_old_file_survives_a_failed_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          failing: str) -> None:
    path = tmp_path / "file.txt"
    path.write_text("previous")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(f"{failing} failed")

    monkeypatch.setattr(atomic.os, failing, fail)
    with pytest.raises(OSError, match=failing):
        atomic_write_text(path, "new content")
    monkeypatch.undo()
    assert path.read_text() == "previous"
    assert _leftovers(tmp_path) == []


def test_refuses_to_replace_a_directory(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(IsADirectoryError):
        atomic_write_text(tmp_path / "dir", "x")
