"""The explorer's usability in Chromium: the evidence panel starts at the top for each entity,
``kg viz --focus`` opens with the entity selected, the merge ledger is in the panel, edge labels
give way where edges crowd (shown when zoomed in, on hover and for the selected entity), and
entities with no relation hide with one switch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg.viz.html import write_html
from kg.viz.network import View

pytestmark = pytest.mark.browser

KG = Namespace("https://w3id.org/kg-news/ontology#")
KGR = "https://w3id.org/kg-news/id/"
DANA = KGR + "person/dana-rourke"
MAE = KGR + "person/mae-hale"
LONER = KGR + "person/lone-wolf"
PANEL = "() => document.getElementById('kg-details').innerText"
HIDDEN_NODES = "() => window.kgExplorer.nodes.get({ filter: n => n.hidden === true }).map(n => n.id)"


@pytest.fixture(scope="module")
def graph(sample_graph: rdflib.Graph) -> rdflib.Graph:
    """The sample graph, plus a blocked merge on Mae Hale and an entity with no relation."""
    copy = rdflib.Graph()
    for triple in sample_graph:
        copy.add(triple)
    blocked = URIRef(KGR + "blocked-merge/test")
    copy.add((blocked, RDF.type, KG.BlockedMerge))
    copy.add((blocked, KG.keptApart, URIRef(MAE)))
    copy.add((blocked, KG.keptApart, URIRef(DANA)))
    copy.add((blocked, KG.mergedName, Literal("M. Hale")))
    copy.add((blocked, KG.rule, Literal("resolve.blocked_by_parents")))
    copy.add((blocked, KG.reason, Literal("their parents differ")))
    copy.add((URIRef(LONER), RDF.type, KG.Person))
    copy.add((URIRef(LONER), RDFS.label, Literal("Lone Wolf")))
    return copy


@pytest.fixture(scope="module")
def page(graph: rdflib.Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(graph, tmp_path_factory.mktemp("usability") / "graph.html")


def test_the_panel_starts_at_the_top_for_each_entity(open_explorer: Any, page: Path) -> None:
    explorer = open_explorer(page)
    explorer.evaluate("id => window.kgExplorer.select(id)", DANA)
    scrolled = explorer.evaluate("""() => { const p = document.getElementById('kg-details');
        p.scrollTop = p.scrollHeight; return p.scrollTop; }""")
    assert scrolled > 0, "the panel should be long enough to scroll"
    explorer.evaluate("id => window.kgExplorer.select(id)", MAE)
    assert explorer.evaluate("() => document.getElementById('kg-details').scrollTop") == 0
    explorer.evaluate("() => { const p = document.getElementById('kg-details'); p.scrollTop = p.scrollHeight; }")
    explorer.evaluate("() => window.kgExplorer.selectEdge('e0')")
    assert explorer.evaluate("() => document.getElementById('kg-details').scrollTop") == 0
    explorer.assert_quiet()


def test_focus_opens_with_the_entity_selected(open_explorer: Any, graph: rdflib.Graph, tmp_path: Path) -> None:
    focused = write_html(graph, tmp_path / "focus.html", view=View(focus="Dana Rourke", depth=1))
    explorer = open_explorer(focused)
    assert explorer.evaluate("() => window.kgExplorer.selected()") == DANA
    assert explorer.evaluate("() => window.kgExplorer.network.getSelectedNodes()") == [DANA]
    assert explorer.evaluate("() => document.getElementById('kg-details').getAttribute('data-node')") == DANA
    assert "Dana Rourke" in explorer.evaluate(PANEL)
    explorer.assert_quiet()


def test_the_merge_ledger_is_in_the_panel(open_explorer: Any, page: Path) -> None:
    explorer = open_explorer(page)
    explorer.evaluate("id => window.kgExplorer.select(id)", MAE)
    text = explorer.evaluate(PANEL)
    assert "Names and merges" in text
    assert "also called Mae, Maisie: merged because Maisie and Mae are both named as Tom Hale's daughter" in text
    assert "M. Hale: kept apart from Dana Rourke because their parents differ" in text
    assert "resolve.name_variant_same_parent" in text
    explorer.assert_quiet()


def test_edge_labels_show_when_zoomed_in_hovered_or_selected(open_explorer: Any, page: Path) -> None:
    explorer = open_explorer(page)
    network = "window.kgExplorer.network"
    explorer.evaluate(f"() => {network}.moveTo({{ scale: 0.5, animation: false }})")
    assert explorer.evaluate("() => window.kgExplorer.edgeLabelShown('e0')") is False
    explorer.evaluate("() => window.kgExplorer.hoverEdge('e0')")
    assert explorer.evaluate("() => window.kgExplorer.edgeLabelShown('e0')") is True
    explorer.evaluate("() => window.kgExplorer.blurEdge()")
    assert explorer.evaluate("() => window.kgExplorer.edgeLabelShown('e0')") is False
    # the selected entity's relations keep their labels at any zoom
    source = explorer.evaluate("() => window.kgExplorer.edges.get('e0').from")
    explorer.evaluate("id => window.kgExplorer.select(id)", source)
    explorer.evaluate(f"() => {network}.moveTo({{ scale: 0.5, animation: false }})")
    explorer.page.wait_for_timeout(50)
    assert explorer.evaluate("() => window.kgExplorer.edgeLabelShown('e0')") is True
    explorer.evaluate(f"() => {network}.moveTo({{ scale: 1.5, animation: false }})")
    others = explorer.evaluate("""() => window.kgExplorer.edges.getIds().filter(id => {
        const e = window.kgExplorer.edges.get(id); return e.from !== window.kgExplorer.selected()
            && e.to !== window.kgExplorer.selected(); })""")
    assert others and all(explorer.evaluate("id => window.kgExplorer.edgeLabelShown(id)", edge)
                          for edge in others[:5])
    explorer.assert_quiet()


def test_entities_with_no_relation_hide_with_one_switch(open_explorer: Any, page: Path) -> None:
    explorer = open_explorer(page)
    assert LONER not in explorer.evaluate(HIDDEN_NODES)
    explorer.page.check("#kg-orphans")
    hidden = explorer.evaluate(HIDDEN_NODES)
    assert LONER in hidden and DANA not in hidden
    explorer.page.uncheck("#kg-orphans")
    assert LONER not in explorer.evaluate(HIDDEN_NODES)
    explorer.assert_quiet()
