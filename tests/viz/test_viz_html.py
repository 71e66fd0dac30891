"""kg.viz.html: a self-contained explorer page that loads nothing and cannot be scripted by data."""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.records import PREDICATES
from kg.viz.html import render_html, script_json, write_html
from kg.viz.network import to_networkx

KG = Namespace("https://w3id.org/kg-news/ontology#")
KGR = "https://w3id.org/kg-news/id/"
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_SENTENCE = "<img src=x onerror=alert(1)>"
CLASSES = ("Person", "Character", "Show", "Organization", "Place", "Event")


def scripts(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)


def payload(html: str) -> dict:
    (data,) = [body for attrs, body in scripts(html) if 'id="kg-data"' in attrs]
    return json.loads(data)


def hostile_graph(sample_graph: rdflib.Graph) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in sample_graph:
        graph.add(triple)
    evil = URIRef(KGR + "person/evil")
    dana = URIRef(KGR + "person/dana-rourke")
    graph.add((evil, RDF.type, KG.Person))
    graph.add((evil, RDFS.label, Literal(HOSTILE_NAME)))
    graph.add((evil, SKOS.altLabel, Literal("</script><!-- <script>alert(2)</script> https://evil.example/x.js")))
    graph.add((evil, KG.friend, dana))
    statement = URIRef(KGR + "statement/evil")
    article = URIRef(KGR + "article/evil")
    graph.add((article, RDF.type, KG.Article))
    graph.add((article, KG.articleId, Literal("x</script>y")))
    for p, o in (
        (RDF.type, RDF.Statement), (RDF.subject, evil), (RDF.predicate, KG.friend), (RDF.object, dana),
        (PROV.wasDerivedFrom, article), (KG.sentenceText, Literal(HOSTILE_SENTENCE)),
        (KG.rule, Literal("<b>rule</b>")), (KG.confidence, Literal(0.5)), (KG.hedged, Literal(False)),
    ):
        graph.add((statement, p, o))
    return graph


@pytest.fixture(scope="module")
def page(sample_graph: rdflib.Graph) -> str:
    return render_html(sample_graph, title="Sample graph")


def test_no_url_anywhere(page: str) -> None:
    assert "http://" not in page.lower()
    assert "https://" not in page.lower()


def test_loads_nothing_from_elsewhere(page: str) -> None:
    assert not re.search(r"<script[^>]+src\s*=", page, flags=re.I)
    assert not re.search(r"<link\b", page, flags=re.I)
    for css in re.findall(r"<style>(.*?)</style>", page, flags=re.S):
        assert not re.search(r"\burl\(\s*(?!['\"]?data:)", css, flags=re.I)
    assert "@import" not in page
    assert "default-src 'none'" in page  # and the browser is told so
    # only the page's own scripts may run, named by their SHA-256
    (policy,) = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    allowed = re.search(r"script-src ([^;]*);", policy).group(1).split()
    bodies = [body for attrs, body in scripts(page) if "application/json" not in attrs]
    digests = [base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() for body in bodies]
    assert allowed == [f"'sha256-{digest}'" for digest in digests]
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_vis_network_is_inlined(page: str) -> None:
    bodies = [body for attrs, body in scripts(page) if "src" not in attrs]
    assert any("vis-network" in body and len(body) > 100_000 for body in bodies)
    assert ".vis-network" in page  # its stylesheet


def test_legend_lists_every_class(page: str) -> None:
    legend = page[page.index('id="kg-legend"'):page.index('id="kg-details"')]
    for cls in CLASSES:
        assert f'data-class="{cls}"' in legend


def test_legend_lists_every_relation(page: str, sample_graph: rdflib.Graph) -> None:
    legend = page[page.index('id="kg-legend"'):page.index('id="kg-details"')]
    for predicate in PREDICATES:
        assert f'data-relation="{predicate}"' in legend
    counts = {r["name"]: r["count"] for r in payload(page)["relations"]}
    assert counts["child"] == len(set(sample_graph.subject_objects(KG.child)))


def test_own_script_and_style_are_data_files_inlined(page: str) -> None:
    templates = importlib.resources.files("kg.viz").joinpath("templates")
    for name in ("explorer.js", "explorer.css"):
        text = templates.joinpath(name).read_text(encoding="utf-8")
        assert len(text) > 1000 and text in page


def test_physics_stops_after_stabilising(page: str) -> None:
    assert "stabilizationIterationsDone" in page
    assert "physics: false" in page
    assert payload(page)["options"]["physics"]["stabilization"]["enabled"] is True


def test_data_never_reaches_html_parsers(page: str) -> None:
    # the page's own script builds DOM nodes with textContent; vis-network itself has no innerHTML
    assert "innerHTML" not in page
    assert "insertAdjacentHTML" not in page and "document.write" not in page


def test_payload_matches_the_network(sample_graph: rdflib.Graph, page: str) -> None:
    data = payload(page)
    network = to_networkx(sample_graph)
    assert len(data["nodes"]) == network.number_of_nodes()
    assert len(data["edges"]) == network.number_of_edges()
    assert set(data["details"]["nodes"]) == set(network.nodes)
    tom = data["details"]["nodes"][KGR + "person/tom-hale"]
    assert tom["conflicts"] and tom["cls"] == "Person"
    styles = {(n["shape"], n["color"]["background"]) for n in data["nodes"]}
    assert len(styles) == len({d["cls"] for d in data["details"]["nodes"].values()})
    edge = next(e for e in data["edges"] if e["label"] == "child")
    assert edge["label"] in edge["title"] and "article" in edge["title"]
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    assert sizes[KGR + "person/dana-rourke"] > sizes[KGR + "place/manchester"]


def test_hostile_text_stays_inert(sample_graph: rdflib.Graph) -> None:
    html = render_html(hostile_graph(sample_graph), title=HOSTILE_NAME)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<!--" not in html
    assert "<b>rule" not in html
    assert "https://" not in html and "http://" not in html
    # every "</script" closes one of the page's three script elements, nothing else
    assert len(re.findall(r"</script", html, flags=re.I)) == 3
    data = payload(html)
    evil = data["details"]["nodes"][KGR + "person/evil"]
    assert evil["label"] == HOSTILE_NAME
    edge = next(e for e in data["details"]["edges"].values() if e["from"] == KGR + "person/evil")
    assert edge["evidence"][0]["sentence"] == HOSTILE_SENTENCE
    assert edge["evidence"][0]["article"] == "x</script>y"
    assert "&lt;script&gt;alert(1)&lt;&#47;script&gt;" in html  # the title, as text


def test_script_json_escapes() -> None:
    text = script_json({"a": "</script><!--&'\u2028é", "b": "https://x"})
    assert not set("<>&/") & set(text.replace("\\/", ""))
    assert "\\u2028" in text and "\\u00e9" in text
    assert json.loads(text) == {"a": "</script><!--&'\u2028é", "b": "https://x"}


def test_empty_graph_renders() -> None:
    html = render_html(rdflib.Graph())
    data = payload(html)
    assert data["nodes"] == [] and data["edges"] == []
    assert data["stats"] == {"entities": 0, "relations": 0, "articles": 0}


def test_write_html_is_atomic(tmp_path: Path, sample_graph: rdflib.Graph) -> None:
    target = tmp_path / "out" / "graph.html"
    written = write_html(sample_graph, target)
    assert Path(written) == target
    first = target.read_text(encoding="utf-8")
    assert first == render_html(sample_graph)
    target.write_text("old")
    write_html(sample_graph, target, title="again")
    assert "again" in target.read_text(encoding="utf-8")
    assert sorted(os.listdir(target.parent)) == ["graph.html"]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to parse JavaScript")
def test_scripts_are_valid_javascript(tmp_path: Path, page: str) -> None:
    for index, (attrs, body) in enumerate(scripts(page)):
        if "application/json" in attrs:
            continue
        path = tmp_path / f"script{index}.js"
        path.write_text(body, encoding="utf-8")
        check = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stderr
