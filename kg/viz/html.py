"""Render a kg graph as one self-contained, interactive HTML page.

pyvis lays out the node, edge and physics options; the page itself comes from kg's own template
(``templates/explorer.html.j2``) with vis-network's JS and CSS inlined from pyvis's package data,
so it opens with no network at all. Everything read from the graph travels as JSON inside a
``<script type="application/json">`` block with ``<``, ``>``, ``&`` and ``/`` escaped, and the
page's script shows it through ``textContent`` only.
"""

from __future__ import annotations

import functools
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

from kg.export.atomic import atomic_write_text
from kg.graph.namespace import KG
from kg.records import ENTITY_CLASSES, SYMMETRIC_PREDICATES
from kg.viz.network import UNTYPED, to_networkx

VIS_VERSION = "9.1.2"
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

_FAMILY = frozenset({"child", "spouse", "partner", "exPartner", "sibling"})
_SOCIAL = frozenset({"friend", "coStar", "coHost"})


def _edge_color(predicate: str) -> str:
    if predicate in _FAMILY:
        return "#c0504d"
    if predicate in _SOCIAL:
        return "#8064a2"
    return "#7f7f7f"


def render_html(graph: rdflib.Graph, *, title: str = "kg") -> str:
    """The explorer page for ``graph``: a network of its entities and relations, a legend of
    entity classes, and a side panel showing the evidence of a clicked node or edge."""
    network = to_networkx(graph)
    payload, legend = _payload(network, graph)
    template = _environment().get_template(_TEMPLATE)
    return template.render(
        title=title,
        vis_css=Markup(_vis_asset("vis-network.css")),
        vis_js=Markup(_vis_asset("vis-network.min.js")),
        data_json=Markup(script_json(payload)),
        legend=legend,
        vis_version=VIS_VERSION,
    )


def write_html(graph: rdflib.Graph, path: str | os.PathLike[str], *, title: str = "kg") -> Path:
    """Write :func:`render_html`'s page to ``path`` atomically (temporary file in the same
    folder, then :func:`os.replace`); return the path written."""
    return atomic_write_text(path, render_html(graph, title=title))


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


def _payload(network: nx.MultiDiGraph, graph: rdflib.Graph) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    net.force_atlas_2based(
        gravity=-60, central_gravity=0.01, spring_length=140, spring_strength=0.06, damping=0.5, overlap=0.4
    )
    net.toggle_stabilization(True)
    net.set_edge_smooth("continuous")
    net.toggle_drag_nodes(True)

    node_details: dict[str, Any] = {}
    for node_id, attrs in network.nodes(data=True):
        style = CLASS_STYLES.get(attrs["cls"], CLASS_STYLES[UNTYPED])
        conflicted = bool(attrs["conflicts"])
        net.add_node(
            node_id,
            label=attrs["label"],
            shape=style.shape,
            color={
                "background": style.color,
                "border": _CONFLICT_BORDER if conflicted else style.color,
                "highlight": {"background": style.color, "border": "#222222"},
                "hover": {"background": style.color, "border": "#222222"},
            },
            borderWidth=4 if conflicted else 1,
            size=_node_size(network.degree(node_id)),
            title=_node_tooltip(attrs),
        )
        node_details[node_id] = {
            "label": attrs["label"],
            "cls": attrs["cls"],
            "iri": node_id,
            "aliases": attrs["aliases"],
            "facts": attrs["facts"],
            "conflicts": attrs["conflicts"],
        }

    edge_details: dict[str, Any] = {}
    parallel: dict[frozenset[str], int] = defaultdict(int)
    for index, (source, target, data) in enumerate(network.edges(data=True)):
        edge_id = f"e{index}"
        predicate = data["predicate"]
        evidence = data["evidence"]
        articles = {e["article"] for e in evidence if e["article"]}
        pair = frozenset((source, target))
        rank = parallel[pair]
        parallel[pair] += 1
        net.add_edge(
            source,
            target,
            id=edge_id,
            label=predicate,
            title=_edge_tooltip(network, source, target, predicate, evidence),
            arrows={"to": {"enabled": predicate not in SYMMETRIC_PREDICATES, "scaleFactor": 0.6}},
            color={"color": _edge_color(predicate), "highlight": "#222222", "hover": "#222222", "inherit": False},
            width=1 + min(len(articles), 4),
            dashes=bool(evidence) and all(e["hedged"] for e in evidence),
            smooth=_smooth(rank),
        )
        edge_details[edge_id] = {
            "from": source,
            "to": target,
            "predicate": predicate,
            "evidence": evidence,
        }

    options = json.loads(net.options.to_json())
    options["physics"]["stabilization"].update({"iterations": 400, "updateInterval": 20})
    options["interaction"].update({"hover": True, "tooltipDelay": 150, "navigationButtons": False})
    options["edges"]["font"] = {"size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3}
    options["nodes"] = {"font": {"size": 14, "face": "sans-serif"}}

    counts = Counter(attrs["cls"] for _, attrs in network.nodes(data=True))
    legend = [
        {"name": cls, "color": CLASS_STYLES[cls].color, "shape": CLASS_STYLES[cls].shape, "count": counts.get(cls, 0)}
        for cls in (*ENTITY_CLASSES, UNTYPED)
        if cls in ENTITY_CLASSES or counts.get(cls)
    ]
    article_count = len(set(graph.subjects(rdflib.RDF.type, KG.Article)))
    payload = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "details": {"nodes": node_details, "edges": edge_details},
        "stats": {
            "entities": network.number_of_nodes(),
            "relations": network.number_of_edges(),
            "articles": article_count,
        },
    }
    return payload, legend


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
    for conflict in attrs["conflicts"]:
        lines.append(
            f"ages disagree: born {conflict['a']['birthYear']} ({conflict['a']['article']}) "
            f"vs {conflict['b']['birthYear']} ({conflict['b']['article']})"
        )
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
