"""The explorer page in a real, offline Chromium: it loads nothing, logs no error, draws the whole
graph, and its search, filters, neighbourhood view and evidence panel do what they say.

Needs Playwright and /usr/bin/chromium (`.ci/run` installs Debian's package); skipped without.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.records import ENTITY_CLASSES, PREDICATES
from kg.viz.html import LARGE_GRAPH, write_html
from kg.viz.network import to_networkx

pytestmark = pytest.mark.browser

KG = Namespace("https://w3id.org/kg-news/ontology#")
KGR = "https://w3id.org/kg-news/id/"
DANA = KGR + "person/dana-rourke"

NODE_COUNTS = """() => {
  const x = window.kgExplorer, body = x.network.body;
  return { dataNodes: x.nodes.length, dataEdges: x.edges.length,
           drawnNodes: body.nodeIndices.length, drawnEdges: body.edgeIndices.length,
           nodeIds: x.nodes.getIds(), edgeIds: x.edges.getIds() };
}"""
HIDDEN = """() => ({
  nodes: window.kgExplorer.nodes.get({ filter: n => n.hidden === true }).map(n => n.id),
  edges: window.kgExplorer.edges.get({ filter: e => e.hidden === true }).map(e => e.id),
})"""
DRAWN = """() => ({ nodes: window.kgExplorer.network.body.nodeIndices.slice(),
                  edges: window.kgExplorer.network.body.edgeIndices.slice() })"""
PANEL = "() => document.getElementById('kg-details').innerText"


def entity_count(graph: rdflib.Graph) -> int:
    return len({s for cls in ENTITY_CLASSES for s in graph.subjects(RDF.type, KG[cls])})


def relation_count(graph: rdflib.Graph) -> int:
    return sum(len(set(graph.subject_objects(KG[p]))) for p in PREDICATES)


def edge_ids(network: nx.MultiDiGraph) -> dict[tuple[str, str, str], str]:
    # The page numbers edges in the network's order: e0, e1, ...
    return {(u, v, k): f"e{i}" for i, (u, v, k) in enumerate(network.edges(keys=True))}


@pytest.fixture(scope="module")
def sample_page(sample_graph: rdflib.Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(sample_graph, tmp_path_factory.mktemp("sample") / "graph.html", title="Sample graph")


# --- loading ---------------------------------------------------------------------------------


def test_page_loads_offline_without_errors(open_explorer: Any, sample_page: Path) -> None:
    explorer = open_explorer(sample_page)
    explorer.screenshot("loaded")
    explorer.assert_quiet()
    assert explorer.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)") == []
    assert explorer.evaluate("() => typeof window.vis") == "object"
    assert explorer.evaluate("() => document.querySelectorAll('script[src], link, img, iframe').length") == 0


def test_the_network_guard_sees_what_a_page_asks_for(open_explorer: Any, sample_page: Path) -> None:
    # The guard itself must be able to fail: a request made by script is caught and logged even
    # with the page's Content-Security-Policy (which would stop it first) switched off.
    explorer = open_explorer(sample_page, bypass_csp=True)
    explorer.page.add_script_tag(content="var i = new Image(); i.src = 'https' + ':/' + '/example.invalid/x.png';")
    explorer.page.wait_for_timeout(300)
    assert any("example.invalid" in url for url in explorer.blocked + explorer.failed)
    explorer.page.evaluate("() => console.error('boom')")
    assert "boom" in explorer.console_errors


def test_every_entity_and_relation_is_drawn(open_explorer: Any, sample_page: Path, sample_graph: rdflib.Graph) -> None:
    explorer = open_explorer(sample_page)
    counts = explorer.evaluate(NODE_COUNTS)
    network = to_networkx(sample_graph)
    assert counts["dataNodes"] == counts["drawnNodes"] == entity_count(sample_graph) == 14
    assert counts["dataEdges"] == counts["drawnEdges"] == relation_count(sample_graph) == 21
    assert set(counts["nodeIds"]) == set(network.nodes)
    assert explorer.evaluate(HIDDEN) == {"nodes": [], "edges": []}
    labels = explorer.evaluate("() => window.kgExplorer.nodes.get().map(n => n.label)")
    assert sorted(labels) == sorted(label for _, label in network.nodes(data="label"))
    explorer.assert_quiet()


def test_an_empty_graph_loads_too(open_explorer: Any, tmp_path: Path) -> None:
    explorer = open_explorer(write_html(rdflib.Graph(), tmp_path / "empty.html"))
    assert explorer.evaluate(NODE_COUNTS)["dataNodes"] == 0
    assert "0 entities" in explorer.page.locator("#kg-stats").inner_text()
    explorer.assert_quiet()


def test_physics_settles_then_stops(open_explorer: Any, sample_page: Path) -> None:
    explorer = open_explorer(sample_page)
    assert explorer.evaluate("() => window.kgExplorer.layout") == "physics"
    assert explorer.evaluate("() => window.kgExplorer.network.physics.options.enabled") is False
    before = explorer.evaluate("() => window.kgExplorer.network.getPositions()")
    explorer.page.wait_for_timeout(500)
    assert explorer.evaluate("() => window.kgExplorer.network.getPositions()") == before


# --- finding things --------------------------------------------------------------------------


def test_search_completes_an_alias_and_focuses_the_node(open_explorer: Any, sample_page: Path) -> None:
    explorer = open_explorer(sample_page)
    page = explorer.page
    page.click("#kg-search")
    page.keyboard.type("mais")  # an alias of Mae Hale only
    options = page.locator("#kg-suggestions [role=option]")
    assert options.count() == 1
    assert "Mae Hale" in options.first.inner_text() and "Maisie" in options.first.inner_text()
    explorer.screenshot("completion")
    page.keyboard.press("Enter")
    mae = KGR + "person/mae-hale"
    assert explorer.evaluate("() => window.kgExplorer.selected()") == mae
    assert explorer.evaluate("() => window.kgExplorer.network.getSelectedNodes()") == [mae]
    # the view glides to the node and stays there
    page.wait_for_function(
        """id => { const n = window.kgExplorer.network, v = n.getViewPosition(), p = n.getPosition(id);
                   return Math.hypot(v.x - p.x, v.y - p.y) < 1; }""",
        arg=mae,
        timeout=10_000,
    )
    assert page.locator("#kg-details h3").inner_text() == "Mae Hale"
    assert page.locator("#kg-suggestions").is_hidden()
    explorer.assert_quiet()


def test_search_arrow_keys_pick_among_several(
    open_explorer: Any, sample_page: Path, sample_graph: rdflib.Graph
) -> None:
    explorer = open_explorer(sample_page)
    page = explorer.page
    page.fill("#kg-search", "hale")
    hales = sorted((label, node) for node, label in to_networkx(sample_graph).nodes(data="label") if "Hale" in label)
    assert len(hales) == 3
    names = page.locator("#kg-suggestions [role=option] .kg-name").all_inner_texts()
    assert names == [label for label, _ in hales]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert explorer.evaluate("() => window.kgExplorer.selected()") == hales[2][1]
    page.fill("#kg-search", "nobody-has-this-name")
    assert "no entity matches" in page.locator("#kg-suggestions").inner_text()
    explorer.assert_quiet()


def test_a_class_filter_hides_exactly_that_class(
    open_explorer: Any, sample_page: Path, sample_graph: rdflib.Graph
) -> None:
    explorer = open_explorer(sample_page)
    network = to_networkx(sample_graph)
    ids = edge_ids(network)
    characters = {node for node, cls in network.nodes(data="cls") if cls == "Character"}
    assert characters
    touching = {ids[(u, v, k)] for u, v, k in network.edges(keys=True) if u in characters or v in characters}
    button = explorer.page.locator('#kg-legend button[data-class="Character"]')
    button.click()
    explorer.screenshot("characters-hidden")
    assert set(explorer.evaluate(HIDDEN)["nodes"]) == characters
    drawn = explorer.evaluate(DRAWN)
    assert set(drawn["nodes"]) == set(network.nodes) - characters
    assert set(drawn["edges"]) == set(ids.values()) - touching
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert explorer.evaluate(HIDDEN) == {"nodes": [], "edges": []}
    drawn = explorer.evaluate(DRAWN)
    assert (len(drawn["nodes"]), len(drawn["edges"])) == (network.number_of_nodes(), network.number_of_edges())
    explorer.assert_quiet()


def test_a_relation_filter_hides_exactly_that_relation(
    open_explorer: Any, sample_page: Path, sample_graph: rdflib.Graph
) -> None:
    explorer = open_explorer(sample_page)
    network = to_networkx(sample_graph)
    ids = edge_ids(network)
    children = {ids[(u, v, k)] for u, v, k in network.edges(keys=True) if k == "child"}
    assert len(children) >= 3
    explorer.page.locator('#kg-legend button[data-relation="child"]').click()
    assert explorer.evaluate(HIDDEN) == {"nodes": [], "edges": sorted(children, key=lambda e: int(e[1:]))}
    drawn = explorer.evaluate(DRAWN)
    assert len(drawn["nodes"]) == network.number_of_nodes()
    assert set(drawn["edges"]) == set(ids.values()) - children
    explorer.assert_quiet()


def test_neighbourhood_of_the_selection(open_explorer: Any, sample_page: Path, sample_graph: rdflib.Graph) -> None:
    explorer = open_explorer(sample_page)
    page = explorer.page
    network = to_networkx(sample_graph)
    undirected = network.to_undirected(as_view=True)
    tom = KGR + "person/tom-hale"
    explorer.click_node(tom)
    page.check("#kg-hood")
    for depth in (1, 2):
        page.select_option("#kg-depth", str(depth))
        near = set(nx.single_source_shortest_path_length(undirected, tom, cutoff=depth))
        assert set(explorer.evaluate(DRAWN)["nodes"]) == near
        hidden = set(explorer.evaluate(HIDDEN)["nodes"])
        assert set(network.nodes) - hidden == near
        assert f"Showing {len(near)} of {network.number_of_nodes()} entities" in page.locator("#kg-shown").inner_text()
    explorer.screenshot("neighbourhood")
    page.uncheck("#kg-hood")
    assert explorer.evaluate(HIDDEN)["nodes"] == []
    explorer.assert_quiet()


# --- why kg believes it ----------------------------------------------------------------------


def test_clicking_an_edge_shows_its_evidence(open_explorer: Any, sample_page: Path, sample_graph: rdflib.Graph) -> None:
    explorer = open_explorer(sample_page)
    network = to_networkx(sample_graph)
    ellis = KGR + "person/ellis-hale"
    edge = edge_ids(network)[(DANA, ellis, "child")]
    explorer.click_edge(edge)
    assert explorer.page.locator("#kg-details").get_attribute("data-edge") == edge
    text = explorer.evaluate(PANEL)
    for evidence in network.edges[DANA, ellis, "child"]["evidence"]:
        assert evidence["sentence"] in text
        assert evidence["article"] in text and evidence["date"] in text
    assert "Dana Rourke" in text and "Ellis Hale" in text
    explorer.assert_quiet()


def test_contradicting_ages_are_flagged(open_explorer: Any, sample_page: Path) -> None:
    explorer = open_explorer(sample_page)
    explorer.click_node(KGR + "person/tom-hale")
    warnings = explorer.page.locator("#kg-details .kg-warning").all_inner_texts()
    assert len(warnings) == 1
    assert "000_3f2a9c1d5e7b8a60" in warnings[0] and "001_7c41d0e9b2a65f13" in warnings[0]
    assert "1970" in warnings[0] and "1978" in warnings[0]
    explorer.click_node(DANA)  # 44 in 2020 and 46 in 2023 agree
    assert explorer.page.locator("#kg-details .kg-warning").count() == 0
    explorer.assert_quiet()


def children_are_shown(explorer: Any, network: nx.MultiDiGraph, parent: str) -> list[str]:
    """Click ``parent`` and check that the panel lists each child with every evidence sentence,
    article id and date; return the children's labels."""
    explorer.click_node(parent)
    page = explorer.page
    assert page.locator("#kg-details").get_attribute("data-node") == parent
    assert page.locator("#kg-details h3").inner_text() == network.nodes[parent]["label"]
    ids = edge_ids(network)
    children = [v for _, v, k in network.out_edges(parent, keys=True) if k == "child"]
    assert children, "the graph has no child of this entity"
    group = page.locator("#kg-details h5", has_text="child (")
    assert group.inner_text() == f"child ({len(children)})"
    for child in children:
        item = page.locator(f"#kg-details li.kg-relation[data-edge='{ids[(parent, child, 'child')]}']")
        text = item.inner_text()
        assert network.nodes[child]["label"] in text
        evidence = network.edges[parent, child, "child"]["evidence"]
        assert evidence
        for ev in evidence:
            assert ev["sentence"] in text
            assert f"article {ev['article']}" in text and ev["date"] in text
    return sorted(network.nodes[child]["label"] for child in children)


def test_clicking_a_parent_shows_the_children_and_why(
    open_explorer: Any, invented_graph: rdflib.Graph, tmp_path: Path
) -> None:
    page_path = write_html(invented_graph, tmp_path / "invented.html")
    explorer = open_explorer(page_path)
    network = to_networkx(invented_graph)
    marla = next(node for node, label in network.nodes(data="label") if label == "Marla Quinby")
    children = children_are_shown(explorer, network, marla)
    assert {"Finn", "Posy"} <= set(children)
    # The article that calls her 35 in 2023 contradicts the two that make her born in 1980-81.
    warnings = explorer.page.locator("#kg-details .kg-warning").all_inner_texts()
    assert any("Ages disagree" in w and "002_marla" in w for w in warnings)
    explorer.screenshot("marla")
    explorer.assert_quiet()


@pytest.mark.slow
def test_clicking_kym_marsh_shows_her_children(open_explorer: Any, seeds_graph: rdflib.Graph, tmp_path: Path) -> None:
    page_path = write_html(seeds_graph, tmp_path / "seeds.html", title="Seed articles")
    explorer = open_explorer(page_path)
    network = to_networkx(seeds_graph)
    kym = next(node for node, label in network.nodes(data="label") if label == "Kym Marsh")
    children = children_are_shown(explorer, network, kym)
    assert {"Archie", "Polly"} <= set(children)
    explorer.screenshot("kym-marsh")
    explorer.assert_quiet()


# --- hostile text ----------------------------------------------------------------------------

PAYLOADS = (
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<svg onload=\"window.__pwned = 'svg'\"></svg>",
    "<a href=\"javascript:window.__pwned = 'link'\">javascript:window.__pwned = 'href'</a>",
    "</script><script>window.__pwned = 'breakout'</script>",
    "<!-- <script>alert('comment')</script> -->",
    "<iframe src=\"javascript:alert('frame')\"></iframe>",
)


def hostile_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    article = URIRef(KGR + "article/hostile")
    graph.add((article, RDF.type, KG.Article))
    graph.add((article, KG.articleId, Literal(PAYLOADS[4])))
    graph.add((article, DCTERMS.date, Literal("2024-01-02", datatype=XSD.date)))
    graph.add((article, DCTERMS.title, Literal(PAYLOADS[1])))
    evil, victim = URIRef(KGR + "person/evil"), URIRef(KGR + "person/victim")
    graph.add((evil, RDF.type, KG.Person))
    graph.add((evil, RDFS.label, Literal(PAYLOADS[0])))
    for alias in PAYLOADS[1:4]:
        graph.add((evil, SKOS.altLabel, Literal(alias)))
    graph.add((victim, RDF.type, KG.Person))
    graph.add((victim, RDFS.label, Literal(PAYLOADS[1])))
    graph.add((evil, KG.child, victim))
    graph.add((victim, KG.birthDate, Literal("2001-02-03", datatype=XSD.date)))
    for index, (predicate, obj, sentence) in enumerate((
        (KG.child, victim, PAYLOADS[3] + " " + PAYLOADS[2]),
        (KG.birthDate, Literal("2001-02-03", datatype=XSD.date), PAYLOADS[5] + PAYLOADS[6]),
    )):
        subject = evil if predicate == KG.child else victim
        statement = URIRef(KGR + f"statement/hostile{index}")
        for p, o in (
            (RDF.type, RDF.Statement), (RDF.subject, subject), (RDF.predicate, predicate), (RDF.object, obj),
            (PROV.wasDerivedFrom, article), (KG.sentenceText, Literal(sentence)), (KG.rule, Literal(PAYLOADS[2])),
            (KG.confidence, Literal(0.5)), (KG.hedged, Literal(False)), (KG.corefChain, Literal(PAYLOADS[0])),
        ):
            graph.add((statement, p, o))
    return graph


@pytest.mark.parametrize("csp", ["with CSP", "without CSP"])
def test_hostile_text_is_shown_as_text_and_runs_nothing(open_explorer: Any, tmp_path: Path, csp: str) -> None:
    # Without its Content-Security-Policy (which allows only the page's own two scripts) the page
    # must still be safe: every string reaches the DOM as text.
    page_path = write_html(hostile_graph(), tmp_path / "hostile.html", title=PAYLOADS[0])
    explorer = open_explorer(page_path, bypass_csp=csp == "without CSP")
    page = explorer.page
    evil, victim = KGR + "person/evil", KGR + "person/victim"

    # the search box and its completion
    page.click("#kg-search")
    page.keyboard.type("<img")
    assert PAYLOADS[1] in page.locator("#kg-suggestions").inner_text()
    page.keyboard.press("Enter")
    assert explorer.evaluate("() => window.kgExplorer.selected()") == victim
    # the panels of both nodes and of the edge
    explorer.click_node(evil)
    text = explorer.evaluate(PANEL)
    assert PAYLOADS[0] in text and PAYLOADS[3] in text and PAYLOADS[2] in text and PAYLOADS[4] in text
    explorer.click_node(victim)
    assert PAYLOADS[5] + PAYLOADS[6] in explorer.evaluate(PANEL)
    explorer.evaluate("id => window.kgExplorer.selectEdge(id)", "e0")
    assert PAYLOADS[3] in explorer.evaluate(PANEL)
    # the tooltip vis-network shows on hover
    explorer.centre_on("id => window.kgExplorer.network.getPosition(id)", evil, 2.5)
    box = page.locator("#kg-network").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2 + 1, box["y"] + box["height"] / 2 + 1)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    assert PAYLOADS[0] in page.locator("div.vis-tooltip").inner_text()
    explorer.screenshot("hostile")

    assert explorer.evaluate("() => window.__pwned") is None
    assert explorer.evaluate("() => document.querySelectorAll('img, iframe, svg, a, script[src]').length") == 0
    assert explorer.evaluate("() => document.scripts.length") == 3
    assert explorer.evaluate("() => document.title") == PAYLOADS[0]
    explorer.assert_quiet()


# --- large graphs ----------------------------------------------------------------------------


def large_graph(people: int) -> rdflib.Graph:
    """``people`` people in a ring of friends, each also a friend of the person seven along."""
    graph = rdflib.Graph()
    nodes = [URIRef(KGR + f"person/p{i}") for i in range(people)]
    for i, node in enumerate(nodes):
        graph.add((node, RDF.type, KG.Person))
        graph.add((node, RDFS.label, Literal(f"Person {i}")))
        graph.add((node, KG.friend, nodes[(i + 1) % people]))
        graph.add((node, KG.friend, nodes[(i + 7) % people]))
    return graph


def test_a_large_graph_is_laid_out_in_advance(open_explorer: Any, tmp_path: Path) -> None:
    graph = large_graph(LARGE_GRAPH + 100)
    page_path = write_html(graph, tmp_path / "large.html")
    explorer = open_explorer(page_path)
    counts = explorer.evaluate(NODE_COUNTS)
    assert counts["dataNodes"] == counts["drawnNodes"] == LARGE_GRAPH + 100
    assert counts["dataEdges"] == counts["drawnEdges"] == 2 * (LARGE_GRAPH + 100)
    assert explorer.evaluate("() => window.kgExplorer.layout") == "fixed"
    assert explorer.evaluate("() => window.kgExplorer.network.physics.options.enabled") is False
    assert explorer.evaluate(
        "() => window.kgExplorer.nodes.get().every(n => typeof n.x === 'number' && typeof n.y === 'number')"
    )
    page = explorer.page
    page.fill("#kg-search", "Person 1042")
    page.keyboard.press("Enter")
    assert explorer.evaluate("() => window.kgExplorer.selected()") == KGR + "person/p1042"
    explorer.assert_quiet()
