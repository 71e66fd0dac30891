"""Read a built kg graph into a networkx multigraph: entities as nodes, relations as edges, each
carrying the evidence the graph's ``rdf:Statement`` and ``kg:AgeObservation`` nodes record.

Also here: what the sources contradict (:func:`entity_conflicts`, the rows of kg's one
contradictions query, and :func:`relation_conflicts`),
the part of a network a page shows (:class:`View`, :func:`select`, :func:`find_entity`) and the
fixed layout used for large graphs (:func:`layout_positions`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import networkx as nx
import rdflib
from rdflib.term import Literal, Node, URIRef

from kg.graph.namespace import DCTERMS, KG, PROV, RDF, RDFS, SKOS
from kg.query.contradictions import Contradiction, contradictions_by_entity
from kg.records import ENTITY_CLASSES, PREDICATES, SYMMETRIC_PREDICATES

#: Class given to a node that a relation points at but that has no entity class in the graph.
UNTYPED = "Thing"

_DATE_FACTS = ("birthDate", "deathDate")

#: Relations that cannot hold between a parent and their own child.
_NOT_WITH_CHILD = frozenset({"spouse", "partner", "exPartner", "sibling"})

Evidence = dict[str, Any]


def most_connected(graph: rdflib.Graph, limit: int) -> tuple[set[str], int] | None:
    """The ``limit`` entities of ``graph`` with the most relations (ties: the smaller IRI first)
    and the number of entities in all, or ``None`` when there are no more than ``limit``.

    Entities are the nodes typed with one of kg's classes and the ends of relations, as
    :func:`to_networkx` finds them; a relation between two entities counts for both.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    degree: dict[str, int] = {}
    for cls in ENTITY_CLASSES:
        for node in graph.subjects(RDF.type, KG[cls]):
            if isinstance(node, URIRef):
                degree.setdefault(str(node), 0)
    for predicate in PREDICATES:
        for subject, obj in graph.subject_objects(KG[predicate]):
            if isinstance(subject, URIRef) and isinstance(obj, URIRef):
                for end in (str(subject), str(obj)):
                    degree[end] = degree.get(end, 0) + 1
    if len(degree) <= limit:
        return None
    ranked = sorted(degree.items(), key=lambda item: (-item[1], item[0]))
    return {node for node, _ in ranked[:limit]}, len(degree)


def to_networkx(
    graph: rdflib.Graph,
    *,
    entities: set[str] | None = None,
    conflicts: Mapping[str, list[dict[str, Any]]] | None = None,
) -> nx.MultiDiGraph:
    """One node per entity (id: its IRI string) and one edge per relation triple (key: the
    predicate's local name); with ``entities``, only those entities and the relations between
    them (the evidence of nothing else is read, so a bounded page costs bounded time).

    Node attributes: ``label``, ``cls``, ``aliases`` (sorted), ``facts`` (ages with ``asOf``,
    ``birthYear`` and evidence; birth and death dates with evidence) and ``conflicts`` (the
    entity's contradictions: ``conflicts`` when given, else :func:`entity_conflicts` of
    ``graph``; empty when the sources agree) and ``merges`` (the merge
    ledger about it: ``{kind: "merged" | "kept apart", names, rule, reason, articles,
    others}``). Edge attributes:
    ``predicate`` and ``evidence``, a list of ``{article, date, title, sentence, confidence,
    rule, hedged, chain}`` dicts read from the graph's ``rdf:Statement`` nodes, oldest article
    first.
    """
    reader = _Reader(graph, entities)
    if conflicts is None:
        conflicts = entity_conflicts(graph)
    network = nx.MultiDiGraph()
    for node, cls in reader.entities().items():
        if entities is not None and str(node) not in entities:
            continue
        facts = reader.facts(node)
        network.add_node(
            str(node),
            label=reader.label(node),
            cls=cls,
            aliases=reader.aliases(node),
            facts=facts,
            conflicts=list(conflicts.get(str(node), ())),
            merges=reader.merges(node),
        )
    for predicate in PREDICATES:
        for subject, obj in sorted(graph.subject_objects(KG[predicate]), key=lambda pair: (str(pair[0]), str(pair[1]))):
            if not isinstance(subject, URIRef) or not isinstance(obj, URIRef):
                continue
            if entities is not None and (str(subject) not in entities or str(obj) not in entities):
                continue
            for end in (subject, obj):
                if str(end) not in network:
                    network.add_node(
                        str(end), label=reader.label(end), cls=UNTYPED, aliases=reader.aliases(end),
                        facts=[], conflicts=[],
                    )
            network.add_edge(
                str(subject), str(obj), key=predicate, predicate=predicate,
                evidence=reader.evidence(subject, KG[predicate], obj, symmetric=predicate in SYMMETRIC_PREDICATES),
            )
    return network


@dataclass(frozen=True)
class View:
    """Which part of a graph a page shows.

    ``since`` keeps only evidence from articles dated on or after it (facts and relations left
    with none are dropped, and so are entities left with neither); ``classes`` keeps entities of
    those classes; ``relations`` keeps relations with those predicates and the entities they
    touch; ``focus`` keeps the entities within ``depth`` hops of the named one, in either
    direction, after the other filters. The default view is the whole graph.
    """

    focus: str | None = None
    depth: int = 1
    classes: frozenset[str] | None = None
    relations: frozenset[str] | None = None
    since: dt.date | None = None

    def describe(self, focus_label: str | None = None) -> list[str]:
        """The filters in force, in words, for the page's header; ``focus_label`` names the
        focus entity instead of the text that found it."""
        parts = []
        if self.focus is not None:
            name = focus_label or self.focus
            parts.append(f"within {self.depth} hop{'s' if self.depth != 1 else ''} of {name}")
        if self.classes is not None:
            parts.append("classes: " + ", ".join(sorted(self.classes)))
        if self.relations is not None:
            parts.append("relations: " + ", ".join(sorted(self.relations)))
        if self.since is not None:
            parts.append(f"evidence since {self.since.isoformat()}")
        return parts


class ViewError(ValueError):
    """A view that cannot be made: an unknown class, relation or entity, or a bad depth."""


def parse_classes(names: Iterable[str]) -> frozenset[str]:
    """Entity class names, case-insensitively, as the graph spells them; ``ViewError`` names the
    valid ones on a typo."""
    known = {cls.casefold(): cls for cls in (*ENTITY_CLASSES, UNTYPED)}
    return _parse_names(names, known, "class")


def parse_relations(names: Iterable[str]) -> frozenset[str]:
    """Relation predicates (local names), case-insensitively; ``ViewError`` names the valid ones
    on a typo."""
    known = {predicate.casefold(): predicate for predicate in PREDICATES}
    return _parse_names(names, known, "relation")


def _parse_names(names: Iterable[str], known: Mapping[str, str], what: str) -> frozenset[str]:
    found = set()
    for name in names:
        value = known.get(name.strip().casefold())
        if value is None:
            raise ViewError(f"unknown {what} {name.strip()!r}; expected one of {', '.join(known.values())}")
        found.add(value)
    if not found:
        raise ViewError(f"no {what} given")
    return frozenset(found)


def select(
    network: nx.MultiDiGraph, view: View, *, graph: rdflib.Graph | None = None
) -> nx.MultiDiGraph:
    """The part of ``network`` (from :func:`to_networkx`) that ``view`` shows, as a new graph
    whose attributes may be shared with ``network``'s. With ``since``, the contradictions are
    those of ``graph`` (``network``'s source) once the older evidence is left out
    (:func:`evidence_since`); without ``graph`` such a view shows none. Raises
    :class:`ViewError` when the focus is not found or is ambiguous."""
    if view.depth < 0:
        raise ViewError(f"depth must be 0 or more, not {view.depth}")
    result = nx.MultiDiGraph()
    recent: Mapping[str, list[dict[str, Any]]] = {}
    if view.since is not None and graph is not None:
        recent = entity_conflicts(evidence_since(graph, view.since))
    for node, attrs in network.nodes(data=True):
        if view.classes is not None and attrs["cls"] not in view.classes:
            continue
        if view.since is None:
            result.add_node(node, **attrs)
            continue
        facts = []
        for fact in attrs["facts"]:
            evidence = _since(fact["evidence"], view.since)
            if evidence:
                facts.append({**fact, "evidence": evidence})
        result.add_node(node, **{**attrs, "facts": facts, "conflicts": list(recent.get(node, ()))})
    for source, target, key, attrs in network.edges(keys=True, data=True):
        if source not in result or target not in result:
            continue
        if view.relations is not None and attrs["predicate"] not in view.relations:
            continue
        if view.since is not None:
            evidence = _since(attrs["evidence"], view.since)
            if not evidence:
                continue
            attrs = {**attrs, "evidence": evidence}
        result.add_edge(source, target, key=key, **attrs)

    keep_isolated = view.relations is None and view.since is None
    focus = None
    if view.focus is not None:
        focus = find_entity(result, view.focus)
        if focus is None:
            if find_entity(network, view.focus) is not None:
                raise ViewError(f"{view.focus!r} is filtered out of this view by its other options")
            labels = sorted({attrs["label"] for _, attrs in network.nodes(data=True)})
            close = difflib.get_close_matches(view.focus, labels, n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise ViewError(f"no entity is called {view.focus!r}{hint}")
    if not keep_isolated:
        result.remove_nodes_from([
            node for node, attrs in list(result.nodes(data=True))
            if node != focus and result.degree(node) == 0 and (view.relations is not None or not attrs["facts"])
        ])
    if focus is not None:
        near = nx.single_source_shortest_path_length(result.to_undirected(as_view=True), focus, cutoff=view.depth)
        result = result.subgraph(near).copy()
    return result


def view_warnings(network: nx.MultiDiGraph, selected: nx.MultiDiGraph, view: View) -> list[str]:
    """Why the part of ``network`` that ``view`` selected (``selected``) is empty, in words:
    the evidence dates there are when ``since`` is later than all of them, the classes there
    are when none of ``classes`` has an entity. Empty when ``selected`` has entities."""
    if selected.number_of_nodes():
        return []
    reasons = []
    if view.since is not None:
        dates = sorted(
            date for _, _, attrs in network.edges(data=True) for item in attrs["evidence"]
            if (date := _parse_date(item.get("date"))) is not None
        ) + sorted(
            date for _, attrs in network.nodes(data=True) for fact in attrs["facts"]
            for item in fact["evidence"] if (date := _parse_date(item.get("date"))) is not None
        )
        if not dates or max(dates) < view.since:
            latest = f"the latest is from {max(dates).isoformat()}" if dates else "none is dated"
            reasons.append(f"no evidence is dated on or after {view.since.isoformat()} ({latest})")
    if view.classes is not None:
        present = sorted({attrs["cls"] for _, attrs in network.nodes(data=True)})
        if not view.classes & set(present):
            reasons.append(f"no entity of class {', '.join(sorted(view.classes))} "
                           f"(the graph has {', '.join(present) or 'no entities'})")
    if view.relations is not None and not reasons:
        present = sorted({attrs["predicate"] for _, _, attrs in network.edges(data=True)})
        reasons.append(f"no relation {', '.join(sorted(view.relations))} in this view "
                       f"(the graph has {', '.join(present) or 'none'})")
    if not reasons:
        reasons.append("nothing in the graph matches this view" if network.number_of_nodes()
                       else "the graph has no entities")
    return [f"the page is empty: {reason}" for reason in reasons]


def find_entity(network: nx.MultiDiGraph, name: str) -> str | None:
    """The node ``name`` designates: its IRI, or the one entity with that label, else with that
    alias, else whose label contains it (all case-insensitive). ``None`` when nothing matches;
    :class:`ViewError` listing the candidates when several do."""
    if name in network:
        return name
    wanted = name.strip().casefold()
    if not wanted:
        return None
    tests = (
        lambda attrs: attrs["label"].casefold() == wanted,
        lambda attrs: any(alias.casefold() == wanted for alias in attrs["aliases"]),
        lambda attrs: wanted in attrs["label"].casefold(),
    )
    for test in tests:
        found = sorted(node for node, attrs in network.nodes(data=True) if test(attrs))
        if len(found) == 1:
            return found[0]
        if found:
            listed = "; ".join(f"{network.nodes[n]['label']} ({network.nodes[n]['cls']}, {n})" for n in found[:6])
            more = f" and {len(found) - 6} more" if len(found) > 6 else ""
            raise ViewError(f"{name!r} could be {listed}{more}; give the IRI to choose")
    return None


def _since(evidence: list[Evidence], since: dt.date) -> list[Evidence]:
    kept = []
    for item in evidence:
        date = _parse_date(item.get("date"))
        if date is not None and date >= since:
            kept.append(item)
    return kept


def layout_positions(network: nx.MultiDiGraph, *, edge_length: float = 120.0) -> dict[str, tuple[float, float]]:
    """Fixed 2-D positions for every node, in pixels: each connected component laid out by
    Fruchterman-Reingold (igraph's C implementation) and scaled so that its median edge is about
    ``edge_length`` long, then the components packed in rows under the largest one, biggest
    first, so that small islands and lone nodes do not push the rest into a speck.
    Deterministic: the same network always gets the same layout."""
    import random

    import igraph

    if network.number_of_nodes() == 0:
        return {}
    undirected = nx.Graph(network.to_undirected(as_view=True))
    components = sorted(
        (sorted(component) for component in nx.connected_components(undirected)), key=lambda c: (-len(c), c[0])
    )
    boxes: list[tuple[list[str], list[tuple[float, float]]]] = []
    igraph.set_random_number_generator(random.Random(0))
    try:
        for component in components:
            boxes.append((component, _component_layout(undirected.subgraph(component), component, edge_length)))
    finally:
        igraph.set_random_number_generator(random)

    positions: dict[str, tuple[float, float]] = {}
    gap = edge_length / 2
    first = boxes[0][1]
    width = max(_extent(first)[1] - _extent(first)[0], gap * math.sqrt(len(components)))
    x0, y0 = _extent(first)[0], _extent(first)[3] + gap
    cursor_x, row_height = x0, 0.0
    for index, (nodes, coords) in enumerate(boxes):
        left, right, top, bottom = _extent(coords)
        if index == 0:
            dx, dy = 0.0, 0.0
        else:
            if cursor_x > x0 and cursor_x + (right - left) > x0 + width:
                cursor_x, y0, row_height = x0, y0 + row_height + gap, 0.0
            dx, dy = cursor_x - left, y0 - top
            cursor_x += right - left + gap
            row_height = max(row_height, bottom - top)
        for node, (x, y) in zip(nodes, coords):
            positions[node] = (round(x + dx, 1), round(y + dy, 1))
    return positions


def _component_layout(graph: nx.Graph, nodes: list[str], edge_length: float) -> list[tuple[float, float]]:
    if len(nodes) == 1:
        return [(0.0, 0.0)]
    if len(nodes) == 2:
        return [(0.0, 0.0), (edge_length, 0.0)]
    import igraph

    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({tuple(sorted((index[u], index[v]))) for u, v in graph.edges() if u != v})
    # A golden-angle spiral to start from, so that no random numbers are needed.
    radius = math.sqrt(len(nodes))
    start = [
        [radius * math.sqrt(i / len(nodes)) * math.cos(2.399963 * i),
         radius * math.sqrt(i / len(nodes)) * math.sin(2.399963 * i)]
        for i in range(len(nodes))
    ]
    coords = igraph.Graph(n=len(nodes), edges=pairs).layout_fruchterman_reingold(
        seed=start, niter=500, grid="auto"
    ).coords
    lengths = sorted(math.dist(coords[a], coords[b]) for a, b in pairs)
    median = lengths[len(lengths) // 2] if lengths else 1.0
    scale = edge_length / median if median > 0 else edge_length
    return [(x * scale, y * scale) for x, y in coords]


def _extent(coords: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs = [x for x, _ in coords]
    ys = [y for _, y in coords]
    return min(xs), max(xs), min(ys), max(ys)


def entity_conflicts(graph: rdflib.Graph) -> dict[str, list[dict[str, Any]]]:
    """What the sources contradict about each entity, by IRI, as the explorer shows it: the rows
    of kg's one statement of a contradiction, the shipped query ``contradictions``
    (:func:`kg.query.find_contradictions`), run on an Oxigraph copy of ``graph``. Each is
    ``{kind, text, values, articles}``; ``text`` says it in words, naming the articles."""
    from kg.store import OxigraphStore

    store = OxigraphStore()
    try:
        store.add(graph)
        found = contradictions_by_entity(store)
    finally:
        store.close()
    return {entity: [_conflict(item) for item in items] for entity, items in found.items()}


def _conflict(found: Contradiction) -> dict[str, Any]:
    return {"kind": found.kind, "text": found.explain(), "values": list(found.values),
            "articles": list(found.articles)}


def evidence_since(graph: rdflib.Graph, since: dt.date) -> rdflib.Graph:
    """``graph`` without the evidence of articles dated before ``since`` (or undated): their
    statements and age observations go, and so does every relation or date that is left with
    no statement."""
    old = {article for article in graph.subjects(RDF.type, KG.Article)
           if (day := _parse_date(str(graph.value(article, DCTERMS.date) or ""))) is None or day < since}
    gone = {node for node, article in graph.subject_objects(PROV.wasDerivedFrom)
            if article in old and ((node, RDF.type, RDF.Statement) in graph
                                   or (node, RDF.type, KG.AgeObservation) in graph)}
    described: dict[tuple[Node, Node, Node], bool] = {}
    for statement in graph.subjects(RDF.type, RDF.Statement):
        claim = (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate),
                 graph.value(statement, RDF.object))
        described[claim] = described.get(claim, False) or statement not in gone  # type: ignore[index]
    unsupported = {claim for claim, kept in described.items() if not kept}
    out = rdflib.Graph()
    for triple in graph:
        if triple[0] in gone or triple[2] in gone or triple in unsupported:
            continue
        out.add(triple)
    return out


def relation_conflicts(network: nx.MultiDiGraph, source: str, target: str, predicate: str) -> list[str]:
    """What else ``network`` records between the two ends of one relation that cannot be true
    together with it, in words: a parent who is also the child, the partner or the sibling of
    the same entity."""
    label = {node: network.nodes[node]["label"] for node in (source, target)}
    texts = []
    if predicate == "child":
        if network.has_edge(target, source, "child"):
            texts.append(f"{label[target]} is also recorded as the parent of {label[source]}.")
        for kin in sorted(_NOT_WITH_CHILD):
            if network.has_edge(source, target, kin) or network.has_edge(target, source, kin):
                texts.append(f"{label[source]} is recorded as both the parent and the {kin} of {label[target]}.")
    elif predicate in _NOT_WITH_CHILD:
        for parent, child in ((source, target), (target, source)):
            if network.has_edge(parent, child, "child"):
                texts.append(f"{label[parent]} is also recorded as the parent of {label[child]}.")
    return texts


def _parse_date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class _Reader:
    """Lookups over one graph, with the statement index and article details built once."""

    def __init__(self, graph: rdflib.Graph, entities: set[str] | None = None) -> None:
        self.graph = graph
        self._articles: dict[Node, tuple[str, str | None, str | None]] = {}
        self._statements: dict[tuple[Node, Node, Node], list[Node]] = defaultdict(list)
        self._ledger: dict[Node, list[tuple[Node, str]]] | None = None
        for statement in set(graph.subjects(RDF.subject, None)):
            s = graph.value(statement, RDF.subject)
            if entities is not None and str(s) not in entities:
                continue  # evidence of an entity the page leaves out
            p = graph.value(statement, RDF.predicate)
            o = graph.value(statement, RDF.object)
            if s is not None and p is not None and o is not None:
                self._statements[(s, p, o)].append(statement)

    def entities(self) -> dict[URIRef, str]:
        found: dict[URIRef, str] = {}
        for cls in ENTITY_CLASSES:
            for node in sorted(self.graph.subjects(RDF.type, KG[cls]), key=str):
                if isinstance(node, URIRef):
                    found.setdefault(node, cls)
        return found

    def label(self, node: Node) -> str:
        labels = sorted(str(x) for x in self.graph.objects(node, RDFS.label))
        if labels:
            return labels[0]
        return str(node).rstrip("/").rsplit("/", 1)[-1]

    def aliases(self, node: Node) -> list[str]:
        return sorted({str(x) for x in self.graph.objects(node, SKOS.altLabel)})

    def merges(self, node: Node) -> list[dict[str, Any]]:
        """The merge ledger entries about ``node``: names merged into it (``kg:mergedInto``)
        and merges kept from happening (``kg:keptApart``), whatever their class, each with its
        names, rule, reason, articles and the other entities kept apart."""
        if self._ledger is None:
            self._ledger = defaultdict(list)
            for link, kind in ((KG.mergedInto, "merged"), (KG.keptApart, "kept apart")):
                for entry, entity in self.graph.subject_objects(link):
                    self._ledger[entity].append((entry, kind))
        found = []
        for entry, kind in self._ledger.get(node, ()):
            articles = sorted(
                str(self.graph.value(a, KG.articleId) or str(a).rsplit("/", 1)[-1])
                for a in self.graph.objects(entry, PROV.wasDerivedFrom)
            )
            others = sorted(self.label(other) for other in self.graph.objects(entry, KG.keptApart)
                            if other != node)
            found.append({
                "kind": kind,
                "names": sorted(str(name) for name in self.graph.objects(entry, KG.mergedName)),
                "rule": str(self.graph.value(entry, KG.rule) or ""),
                "reason": str(self.graph.value(entry, KG.reason) or ""),
                "articles": articles,
                "others": others,
            })
        found.sort(key=lambda m: (m["kind"], m["names"], m["reason"]))
        return found

    def facts(self, node: Node) -> list[dict[str, Any]]:
        facts: list[dict[str, Any]] = []
        for observation in self.graph.objects(node, KG.ageObservation):
            age = _python(self.graph.value(observation, KG.age))
            as_of = self.graph.value(observation, KG.asOf)
            birth_year = _python(self.graph.value(observation, KG.birthYear))
            if birth_year is None and isinstance(age, int) and as_of is not None:
                birth_year = _year(str(as_of), age)
            facts.append({
                "kind": "age",
                "value": age,
                "asOf": None if as_of is None else str(as_of),
                "birthYear": birth_year,
                "evidence": [self._evidence_of(observation)],
            })
        for kind in _DATE_FACTS:
            for value in self.graph.objects(node, KG[kind]):
                facts.append({
                    "kind": kind,
                    "value": str(value),
                    "evidence": self.evidence(node, KG[kind], value),
                })
        facts.sort(key=lambda f: (f["kind"], _first_date(f["evidence"]), str(f["value"])))
        return facts

    def evidence(self, subject: Node, predicate: Node, obj: Node, *, symmetric: bool = False) -> list[Evidence]:
        statements = list(self._statements.get((subject, predicate, obj), ()))
        if symmetric:
            statements += self._statements.get((obj, predicate, subject), ())
        found = [self._evidence_of(statement) for statement in statements]
        found.sort(key=lambda e: (
            e["date"] or "", e["article"] or "", e["sentence"] or "", e["rule"] or "", e["confidence"] or 0, e["chain"],
        ))
        return found

    def _evidence_of(self, node: Node) -> Evidence:
        article, date, title = self._article(self.graph.value(node, PROV.wasDerivedFrom))
        confidence = _python(self.graph.value(node, KG.confidence))
        hedged = _python(self.graph.value(node, KG.hedged))
        sentence = self.graph.value(node, KG.sentenceText)
        rule = self.graph.value(node, KG.rule)
        return {
            "article": article,
            "date": date,
            "title": title,
            "sentence": None if sentence is None else str(sentence),
            "confidence": _number(confidence),
            "rule": None if rule is None else str(rule),
            "hedged": bool(hedged) if isinstance(hedged, bool) else False,
            "chain": sorted(str(x) for x in self.graph.objects(node, KG.corefChain)),
        }

    def _article(self, node: Node | None) -> tuple[str | None, str | None, str | None]:
        if node is None:
            return None, None, None
        if node not in self._articles:
            article_id = self.graph.value(node, KG.articleId)
            date = self.graph.value(node, DCTERMS.date)
            title = self.graph.value(node, DCTERMS.title)
            self._articles[node] = (
                str(article_id) if article_id is not None else str(node).rsplit("/", 1)[-1],
                None if date is None else str(date),
                None if title is None else str(title),
            )
        return self._articles[node]


def _python(term: Node | None) -> Any:
    if isinstance(term, Literal):
        return term.toPython()
    return None if term is None else str(term)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _year(iso_date: str, age: int) -> int | None:
    try:
        return int(iso_date[:4]) - age
    except ValueError:
        return None


def _first_date(evidence: list[Evidence]) -> str:
    dates = [e["date"] for e in evidence if e.get("date")]
    return min(dates) if dates else ""
