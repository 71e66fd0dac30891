"""Fixtures for the graph tests: the hand-made corpus of sample_corpus.py and its graph."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph

from kg.graph import build_graph
from kg.records import ResolvedCorpus

SAMPLE_PATH = Path(__file__).with_name("sample_corpus.py")


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
def sample() -> ModuleType:
    return load_sample_module()


@pytest.fixture
def corpus(sample: ModuleType) -> ResolvedCorpus:
    return sample.sample_corpus()


@pytest.fixture
def graph(corpus: ResolvedCorpus) -> Graph:
    return build_graph(corpus)
