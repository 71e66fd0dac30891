"""Fixtures of the endpoint tests: a kg store of the sample graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.query import load_graph
from kg.store import KgStore


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, sample_path: Path) -> Path:
    """A kg store holding the sample graph (one per test module: servers snapshot it)."""
    folder = tmp_path_factory.mktemp("serve") / "store"
    with KgStore.create(folder) as store:
        store.replace_all([], load_graph(sample_path))
    return folder
