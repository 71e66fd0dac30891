"""Fixtures for the export tests: the graph of tests/graph/sample_corpus.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph

from kg.graph import build_graph

SAMPLE_PATH = Path(__file__).parents[1] / "graph" / "sample_corpus.py"


def load_sample_module() -> ModuleType:
    """Import sample_corpus.py by path (the test folders are not packages)."""
    name = "kg_tests_sample_corpus"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SAMPLE_PATH)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE_PATH


@pytest.fixture
def graph() -> Graph:
    return build_graph(load_sample_module().sample_corpus())
