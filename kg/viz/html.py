"""Render a kg graph as one self-contained, interactive HTML page.

The page comes from kg's own template (``templates/explorer.html.j2``) with its script and
stylesheet (``explorer.js``, ``explorer.css``) and vis-network's JS and CSS (from pyvis's package
data) inlined, so it opens from disk with no network at all; pyvis supplies the physics options.
Everything read from the graph travels as JSON inside a ``<script type="application/json">``
block with ``<``, ``>``, ``&`` and ``/`` escaped, and the page's script shows it through
``textContent`` only.

Graphs of more than :data:`LARGE_GRAPH` entities are laid out here (igraph) and drawn with
physics off; smaller ones above :data:`SEEDED_LAYOUT` start from that layout and let the physics
settle, then stop it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.resources
import json
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import rdflib
from markupsafe import Markup, escape
from pyvis.network import Network

from kg import schema
from kg.export.atomic import atomic_write_text
from kg.graph.namespace import KG
from kg.records import ENTITY_CLASSES, PREDICATES, SYMMETRIC_PREDICATES
from kg.viz.network import (
    UNTYPED,
    View,
    find_entity,
    layout_positions,
    most_connected,
    relation_conflicts,
    select,
    to_networkx,
    view_warnings,
)

__all__ = ["CLASS_STYLES", "LARGE_GRAPH", "SEEDED_LAYOUT", "ClassStyle", "render_html", "render_network",
           "script_json", "write_html"]

VIS_VERSION = "9.1.2"

#: Above this many entities the layout is computed in Python and the page starts with physics off.
LARGE_GRAPH = 1000
#: Above this many entities the physics starts from the Python layout instead of from nothing.
SEEDED_LAYOUT = 150

_TEMPLATE = "explorer.html.j2"
_TOOLTIP_EVIDENCE = 3
_TOOLTIP_SENTENCE = 160


@dataclass(frozen=True)
class ClassStyle:
    """How nodes of one entity class look: fill colour and vis-network shape."""

    color: str
    shape: str


#: One colour and one shape per entity class; the legend lists them in this order.
CLASS_STYLES: Mapping[str, ClassStyle] = {
    "Person": ClassStyle("#4e79a7", "dot"),
    "Character": ClassStyle("#f28e2b", "diamond"),
    "Show": ClassStyle("#59a14f", "square"),
    "Organization": ClassStyle("#b07aa1", "triangle"),
    "Place": ClassStyle("#76b7b2", "triangleDown"),
    "Event": ClassStyle("#edc948", "star"),
    UNTYPED: ClassStyle("#9c9c9c", "dot"),
}
_CONFLICT_BORDER = "#d62728"


def render_html(
    graph: rdflib.Graph,
    *,
    title: str = "kg",
    view: View | None = None,
    max_entities: int | None = None,
    warnings: list[str] | None = None,
) -> str:
    """The explorer page for ``graph`` (or the part of it ``view`` selects): a network of its
    entities and relations with search, class and relation filters, a legend, a neighbourhood
    view, and a side panel showing the evidence of a clicked node or edge.

    ``max_entities`` bounds the page: of a graph with more entities, only that many, the ones
    with the most relations, are drawn (with the relations between them), and the header
    says so; ``view`` then applies to those.

    Raises :class:`kg.viz.network.ViewError` when the view cannot be made (unknown focus).
    When the page would be empty, the reasons are appended to ``warnings`` (if given) and
    shown on the page.
    """
    bounded = None if max_entities is None else most_connected(graph, max_entities)
    network = to_networkx(graph, entities=None if bounded is None else bounded[0])
    extra = [] if bounded is None else [
        f"the {len(bounded[0]):,} most connected of {bounded[1]:,} entities (kg viz draws any part)"
    ]
    if view is None:
        articles = len(set(graph.subjects(rdflib.RDF.type, KG.Article)))
        empty = view_warnings(network, network, View())
        if warnings is not None:
            warnings.extend(empty)
        return render_network(network, title=title, articles=articles, notes=extra + empty)
    selected = select(network, view, graph=graph)
    empty = view_warnings(network, selected, view)
    if warnings is not None:
        warnings.extend(empty)
    focus = None if view.focus is None else find_entity(selected, view.focus)
    return render_network(selected, title=title, view=view, focus=focus,
                          focus_label=_focus_label(network, view), notes=extra + empty)


def render_network(
    network: nx.MultiDiGraph,
    *,
    title: str = "kg",
    view: View | None = None,
    articles: int | None = None,
    focus_label: str | None = None,
    notes: list[str] | None = None,
    focus: str | None = None,
) -> str:
    """The explorer page for a network read by :func:`kg.viz.network.to_networkx` (and perhaps
    narrowed by :func:`kg.viz.network.select` with ``view``, described in the header with
    ``focus_label`` for its focus, after ``notes``); ``articles`` is the count shown in the
    header, by default the number of distinct articles in the evidence. ``focus``, a node id,
    is selected when the page opens (its evidence in the side panel)."""
    if articles is None:
        articles = _article_count(network)
    described = [*(notes or []), *([] if view is None else view.describe(focus_label))]
    payload = _payload(network, articles=articles, view=described)
    payload["focus"] = focus if focus in network else None
    # The page runs exactly these two scripts: its Content-Security-Policy names them by hash,
    # so no other script (nor any inline event handler) could run even if markup slipped in.
    scripts = [f"\n{_vis_asset('vis-network.min.js')}\n", f"\n{_own_asset('explorer.js')}\n"]
    template = _environment().get_template(_TEMPLATE)
    return template.render(
        title=title,
        vis_css=Markup(_vis_asset("vis-network.css")),
        scripts=[Markup(script) for script in scripts],
        script_hashes=[_sha256(script) for script in scripts],
        app_css=Markup(_own_asset("explorer.css")),
        data_json=Markup(script_json(payload)),
        legend=payload["classes"],
        relations=payload["relations"],
        view=described,
        vis_version=VIS_VERSION,
    )


def write_html(
    graph: rdflib.Graph,
    path: str | os.PathLike[str],
    *,
    title: str = "kg",
    view: View | None = None,
    max_entities: int | None = None,
    warnings: list[str] | None = None,
) -> Path:
    """Write :func:`render_html`'s page to ``path`` atomically (temporary file in the same
    folder, then :func:`os.replace`); return the path written. ``warnings`` as in
    :func:`render_html`."""
    page = render_html(graph, title=title, view=view, max_entities=max_entities, warnings=warnings)
    return atomic_write_text(path, page)


def script_json(value: Any) -> str:
    """JSON text that is safe inside an HTML ``<script>`` element: non-ASCII, ``<``, ``>``,
    ``&`` and ``/`` are written as JSON escapes, so no data can close the element, open a
    comment or spell out a URL."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("/", "\\/")
    )


@functools.lru_cache(maxsize=4)
def relation_styles(ontology_text: str | None = None) -> dict[str, Any]:
    """The legend: each predicate's group (its widest family in the ontology: family, social,
    work), its wording in both directions (``rdfs:label`` and the inverse's), read by
    :mod:`kg.schema`; each group's label from the ontology and its colour from
    ``templates/relations.json`` (``"other"`` for a predicate in no family)."""
    text = importlib.resources.files("kg.viz").joinpath("templates", "relations.json").read_text(encoding="utf-8")
    colours: dict[str, Any] = json.loads(text)["groups"]
    named = schema.families(ontology_text)
    groups = {name: {"color": colours[name]["color"] if name in colours else colours["other"]["color"],
                     "label": family.label}
              for name, family in named.items() if family.parent is None}
    groups["other"] = dict(colours["other"])
    relations = {
        name: {"group": spec.group or "other", "forward": spec.label, "inverse": spec.inverse_label}
        for name, spec in schema.predicates(ontology_text).items()
    }
    return {"groups": groups, "relations": relations}


def _payload(network: nx.MultiDiGraph, *, articles: int, view: list[str]) -> dict[str, Any]:
    styles = relation_styles()
    large = network.number_of_nodes() > LARGE_GRAPH
    positions = layout_positions(network) if network.number_of_nodes() > SEEDED_LAYOUT else {}

    nodes: list[dict[str, Any]] = []
    node_details: dict[str, Any] = {}
    for node_id, attrs in network.nodes(data=True):
        style = CLASS_STYLES.get(attrs["cls"], CLASS_STYLES[UNTYPED])
        conflicted = bool(attrs["conflicts"])
        node: dict[str, Any] = {
            "id": node_id,
            "label": attrs["label"],
            "shape": style.shape,
            "color": {
                "background": style.color,
                "border": _CONFLICT_BORDER if conflicted else style.color,
                "highlight": {"background": style.color, "border": "#222222"},
                "hover": {"background": style.color, "border": "#222222"},
            },
            "borderWidth": 4 if conflicted else 1,
            "size": _node_size(network.degree(node_id)),
            "title": _node_tooltip(attrs),
        }
        if node_id in positions:
            node["x"], node["y"] = positions[node_id]
        nodes.append(node)
        node_details[node_id] = {
            "label": attrs["label"],
            "cls": attrs["cls"],
            "iri": node_id,
            "aliases": attrs["aliases"],
            "facts": attrs["facts"],
            "conflicts": attrs["conflicts"],
            "merges": attrs.get("merges", []),
        }

    edges: list[dict[str, Any]] = []
    edge_details: dict[str, Any] = {}
    parallel: dict[frozenset[str], int] = defaultdict(int)
    for index, (source, target, data) in enumerate(network.edges(data=True)):
        edge_id = f"e{index}"
        predicate = data["predicate"]
        evidence = data["evidence"]
        articles_of_edge = {e["article"] for e in evidence if e["article"]}
        color = styles["groups"][styles["relations"][predicate]["group"]]["color"]
        edge: dict[str, Any] = {
            "id": edge_id,
            "from": source,
            "to": target,
            "title": _edge_tooltip(network, source, target, predicate, evidence),
            "arrows": {"to": {"enabled": predicate not in SYMMETRIC_PREDICATES, "scaleFactor": 0.6}},
            "color": {"color": color, "highlight": "#222222", "hover": "#222222", "inherit": False},
            "width": 1 + min(len(articles_of_edge), 4),
            "dashes": bool(evidence) and all(e["hedged"] for e in evidence),
        }
        if not large:
            # Edge labels and curves cost more to draw than everything else on a large graph.
            pair = frozenset((source, target))
            edge["label"] = predicate
            edge["smooth"] = _smooth(parallel[pair])
            parallel[pair] += 1
        edges.append(edge)
        edge_details[edge_id] = {
            "from": source,
            "to": target,
            "predicate": predicate,
            "evidence": evidence,
            "conflicts": relation_conflicts(network, source, target, predicate),
        }

    class_counts = Counter(attrs["cls"] for _, attrs in network.nodes(data=True))
    classes = [
        {"name": cls, "color": CLASS_STYLES[cls].color, "shape": CLASS_STYLES[cls].shape,
         "count": class_counts.get(cls, 0)}
        for cls in (*ENTITY_CLASSES, UNTYPED)
        if cls in ENTITY_CLASSES or class_counts.get(cls)
    ]
    predicate_counts = Counter(data["predicate"] for _, _, data in network.edges(data=True))
    relations = [
        {"name": predicate, "color": styles["groups"][styles["relations"][predicate]["group"]]["color"],
         "group": styles["relations"][predicate]["group"], "count": predicate_counts.get(predicate, 0)}
        for predicate in PREDICATES
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "options": _options(large=large, seeded=bool(positions)),
        "details": {"nodes": node_details, "edges": edge_details},
        "classes": classes,
        "relations": relations,
        "wording": {p: {"forward": w["forward"], "inverse": w["inverse"]} for p, w in styles["relations"].items()},
        "layout": "fixed" if large else ("seeded" if positions else "physics"),
        "view": view,
        "stats": {
            "entities": network.number_of_nodes(),
            "relations": network.number_of_edges(),
            "articles": articles,
        },
    }


def _options(*, large: bool, seeded: bool) -> dict[str, Any]:
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    net.force_atlas_2based(
        gravity=-60, central_gravity=0.01, spring_length=140, spring_strength=0.06, damping=0.5, overlap=0.4
    )
    net.toggle_stabilization(True)
    net.set_edge_smooth("continuous")
    net.toggle_drag_nodes(True)
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["physics"]["stabilization"].update({"iterations": 80 if seeded else 400, "updateInterval": 20})
    options["interaction"].update({"hover": True, "tooltipDelay": 150, "navigationButtons": False})
    # A fixed seed: the same graph is laid out the same way on every load.
    options["layout"] = {"randomSeed": 7}
    options["edges"]["font"] = {"size": EDGE_FONT, "align": "middle", "color": "#444444", "strokeWidth": 3}
    # Where edges crowd, their labels overlap: they are drawn only from a zoom of
    # EDGE_LABEL_ZOOM up, and for the edge under the pointer or of the selected entity.
    options["edges"]["scaling"] = {"label": {"drawThreshold": EDGE_FONT * EDGE_LABEL_ZOOM + 1}}
    options["nodes"] = {"font": {"size": 14, "face": "sans-serif"}, "borderWidthSelected": 4}
    if seeded:
        options["layout"]["improvedLayout"] = False
    if large:
        options["physics"]["enabled"] = False
        options["physics"]["stabilization"]["enabled"] = False
        options["edges"]["smooth"] = False
        options["interaction"].update({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True})
    return options


#: Edge label size in pixels at zoom 1, and the zoom below which edge labels are left out.
EDGE_FONT = 10
EDGE_LABEL_ZOOM = 0.9


def _focus_label(network: nx.MultiDiGraph, view: View) -> str | None:
    if view.focus is None:
        return None
    node = find_entity(network, view.focus)
    return None if node is None else str(network.nodes[node]["label"])


def _article_count(network: nx.MultiDiGraph) -> int:
    found: set[str] = set()
    for _, _, evidence in network.edges(data="evidence"):
        found.update(e["article"] for e in evidence if e.get("article"))
    for _, facts in network.nodes(data="facts"):
        for fact in facts:
            found.update(e["article"] for e in fact["evidence"] if e.get("article"))
    return len(found)


def _node_size(degree: int) -> float:
    return round(10 + 6 * math.log2(1 + degree), 1)


def _smooth(rank: int) -> dict[str, Any]:
    # Parallel edges between one pair of nodes bend alternately left and right, further each time.
    if rank == 0:
        return {"enabled": True, "type": "continuous"}
    return {
        "enabled": True,
        "type": "curvedCW" if rank % 2 else "curvedCCW",
        "roundness": round(0.15 * ((rank + 1) // 2), 2),
    }


def _node_tooltip(attrs: Mapping[str, Any]) -> str:
    lines = [f"{attrs['label']} ({attrs['cls']})"]
    if attrs["aliases"]:
        lines.append("also: " + ", ".join(attrs["aliases"]))
    for fact in attrs["facts"]:
        source = fact["evidence"][0] if fact["evidence"] else {}
        where = f" [{source.get('article')}]" if source.get("article") else ""
        if fact["kind"] == "age":
            lines.append(f"age {fact['value']} as of {fact.get('asOf') or '?'}{where}")
        else:
            lines.append(f"{'born' if fact['kind'] == 'birthDate' else 'died'} {fact['value']}{where}")
    if attrs["conflicts"]:
        lines.append(f"{len(attrs['conflicts'])} contradiction(s) between articles")
    lines.append("click for the evidence")
    return "\n".join(lines)


def _edge_tooltip(
    network: nx.MultiDiGraph, source: str, target: str, predicate: str, evidence: list[dict[str, Any]]
) -> str:
    head = f"{network.nodes[source]['label']} —{predicate}→ {network.nodes[target]['label']}"
    articles = {e["article"] for e in evidence if e["article"]}
    lines = [head, f"{len(articles)} article(s), {len(evidence)} sentence(s)"]
    for item in evidence[:_TOOLTIP_EVIDENCE]:
        sentence = item["sentence"] or ""
        if len(sentence) > _TOOLTIP_SENTENCE:
            sentence = sentence[: _TOOLTIP_SENTENCE - 1] + "…"
        lines.append(f"“{sentence}” — {item['article']} ({item['date'] or 'undated'})")
    if len(evidence) > _TOOLTIP_EVIDENCE:
        lines.append(f"… and {len(evidence) - _TOOLTIP_EVIDENCE} more")
    return "\n".join(lines)


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    folder = importlib.resources.files("kg.viz").joinpath("templates")

    def load(name: str) -> str:
        return folder.joinpath(name).read_text(encoding="utf-8")

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["text"] = _html_text
    return env


def _html_text(value: object) -> Markup:
    # Escaped as usual, with "/" as an entity too so that no "http://" can appear in the page.
    return Markup(str(escape(str(value))).replace("/", "&#47;"))


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@functools.lru_cache(maxsize=4)
def _own_asset(name: str) -> str:
    # kg's own script and stylesheet: checked rather than rewritten, since nothing in them may
    # end their element or spell out a URL.
    text = importlib.resources.files("kg.viz").joinpath("templates", name).read_text(encoding="utf-8")
    if re.search(r"</|<!--|://", text):
        raise ValueError(f"kg/viz/templates/{name} contains '</', '<!--' or '://'")
    return text


@functools.lru_cache(maxsize=4)
def _vis_asset(name: str) -> str:
    path = importlib.resources.files("pyvis").joinpath("templates", "lib", f"vis-{VIS_VERSION}", name)
    text = path.read_text(encoding="utf-8")
    return _neutralise_css(text) if name.endswith(".css") else _neutralise_js(text)


def _neutralise_js(source: str) -> str:
    # In vis-network's minified source "://" only occurs in the licence comment and in string
    # literals (the SVG namespace, error messages); "\/" reads as "/" in both, so behaviour is
    # unchanged while no URL is spelled out in the page. The other two rewrites keep the source
    # from ending or confusing the surrounding <script> element; "\x21" is "!" in strings and
    # regular expressions alike.
    source = source.replace("://", ":\\/\\/")
    source = re.sub(r"</(script)", r"<\\/\1", source, flags=re.IGNORECASE)
    return source.replace("<!--", "<\\x21--")


def _neutralise_css(source: str) -> str:
    # CSS reads "\/" as "/" inside strings and url(); vis-network's stylesheet only uses data: URLs.
    source = source.replace("://", ":\\/\\/")
    return re.sub(r"</(style)", r"<\\/\1", source, flags=re.IGNORECASE)
