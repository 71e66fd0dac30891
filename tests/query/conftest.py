"""Fixtures for the query tests: the hand-made sample graph of tests/data."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from kg.query import load_graph

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_graph.ttl"
KGR = "https://w3id.org/kg-news/id/"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_graph() -> rdflib.Graph:
    return load_graph(SAMPLE)
