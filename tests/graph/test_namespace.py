"""KG mirrors ontology/kg.ttl: a misspelt term fails, and the two cannot drift apart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import kg.namespace as namespace
from kg.namespace import KG, KGR, current_block, load_ontology, render_terms


def test_terms_resolve_to_the_ontology_namespace() -> None:
    assert KG.plays == URIRef("https://w3id.org/kg-news/ontology#plays")
    assert KG["Person"] == URIRef("https://w3id.org/kg-news/ontology#Person")
    assert KGR["person/x"] == URIRef("https://w3id.org/kg-news/id/person/x")


def test_misspelt_term_fails() -> None:
    with pytest.raises(AttributeError):
        KG.plais  # noqa: B018
    with pytest.raises(AttributeError):
        KG["chlid"]


def test_namespace_file_matches_the_ontology() -> None:
    source = Path(namespace.__file__).read_text(encoding="utf-8")
    assert current_block(source) == render_terms(), (
        "KG's terms and ontology/kg.ttl differ: run `python -m kg.namespace --write`"
    )


def test_every_ontology_term_is_in_kg_and_back() -> None:
    onto = load_ontology()
    declared = {str(s)[len(str(KG)):] for s in onto.subjects(RDF.type, None)
                if str(s).startswith(str(KG))}
    assert declared == set(KG.__annotations__) - {"_NS", "_fail"}


def test_drift_is_detected() -> None:
    onto = load_ontology()
    term = URIRef(str(KG) + "nemesis")
    onto.add((term, RDF.type, OWL.ObjectProperty))
    onto.add((term, RDFS.label, Literal("nemesis", lang="en")))
    drifted = render_terms(onto)
    assert "    nemesis: URIRef  # nemesis\n" in drifted
    assert drifted != render_terms()


def test_check_command_passes() -> None:
    result = subprocess.run([sys.executable, "-m", "kg.namespace", "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
