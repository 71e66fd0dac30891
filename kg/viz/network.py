"""Read a built kg graph into a networkx multigraph: entities as nodes, relations as edges, each
carrying the evidence the graph's ``rdf:Statement`` and ``kg:AgeObservation`` nodes record."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import networkx as nx
import rdflib
from rdflib.term import Literal, Node, URIRef

from kg.graph.namespace import DCTERMS, KG, PROV, RDF, RDFS, SKOS
from kg.records import ENTITY_CLASSES, PREDICATES, SYMMETRIC_PREDICATES

#: Class given to a node that a relation points at but that has no entity class in the graph.
UNTYPED = "Thing"

#: Two age observations conflict when their implied birth years differ by more than this.
BIRTH_YEAR_TOLERANCE = 1

_DATE_FACTS = ("birthDate", "deathDate")

Evidence = dict[str, Any]


def to_networkx(graph: rdflib.Graph) -> nx.MultiDiGraph:
    """One node per entity (id: its IRI string) and one edge per relation triple (key: the
    predicate's local name).

    Node attributes: ``label``, ``cls``, ``aliases`` (sorted), ``facts`` (ages with ``asOf``,
    ``birthYear`` and evidence; birth and death dates with evidence) and ``conflicts`` (pairs of
    ages whose implied birth years differ by more than a year; empty when they agree). Edge
    attributes: ``predicate`` and ``evidence``, a list of ``{article, date, sentence,
    confidence, rule, hedged, chain}`` dicts read from the graph's ``rdf:Statement`` nodes,
    oldest article first.
    """
    reader = _Reader(graph)
    network = nx.MultiDiGraph()
    for node, cls in reader.entities().items():
        facts = reader.facts(node)
        network.add_node(
            str(node),
            label=reader.label(node),
            cls=cls,
            aliases=reader.aliases(node),
            facts=facts,
            conflicts=age_conflicts(facts),
        )
    for predicate in PREDICATES:
        for subject, obj in sorted(graph.subject_objects(KG[predicate]), key=lambda pair: (str(pair[0]), str(pair[1]))):
            if not isinstance(subject, URIRef) or not isinstance(obj, URIRef):
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


def age_conflicts(facts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pairs of age facts whose implied birth years differ by more than
    :data:`BIRTH_YEAR_TOLERANCE`, the earlier birth year first, widest gap first."""
    ages = [f for f in facts if f.get("kind") == "age" and f.get("birthYear") is not None]
    conflicts = []
    for i, first in enumerate(ages):
        for second in ages[i + 1:]:
            a, b = sorted((first, second), key=lambda f: f["birthYear"])
            gap = b["birthYear"] - a["birthYear"]
            if gap > BIRTH_YEAR_TOLERANCE:
                conflicts.append({"yearsApart": gap, "a": _age_summary(a), "b": _age_summary(b)})
    conflicts.sort(key=lambda c: -c["yearsApart"])
    return conflicts


def _age_summary(fact: dict[str, Any]) -> dict[str, Any]:
    evidence = fact["evidence"][0] if fact["evidence"] else {}
    return {
        "age": fact["value"],
        "asOf": fact.get("asOf"),
        "birthYear": fact["birthYear"],
        "article": evidence.get("article"),
        "date": evidence.get("date"),
    }


class _Reader:
    """Lookups over one graph, with the statement index and article details built once."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self._articles: dict[Node, tuple[str, str | None]] = {}
        self._statements: dict[tuple[Node, Node, Node], list[Node]] = defaultdict(list)
        for statement in set(graph.subjects(RDF.subject, None)):
            s = graph.value(statement, RDF.subject)
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
        found.sort(key=lambda e: (e["date"] or "", e["article"] or "", e["sentence"] or ""))
        return found

    def _evidence_of(self, node: Node) -> Evidence:
        article, date = self._article(self.graph.value(node, PROV.wasDerivedFrom))
        confidence = _python(self.graph.value(node, KG.confidence))
        hedged = _python(self.graph.value(node, KG.hedged))
        sentence = self.graph.value(node, KG.sentenceText)
        rule = self.graph.value(node, KG.rule)
        return {
            "article": article,
            "date": date,
            "sentence": None if sentence is None else str(sentence),
            "confidence": _number(confidence),
            "rule": None if rule is None else str(rule),
            "hedged": bool(hedged) if isinstance(hedged, bool) else False,
            "chain": sorted(str(x) for x in self.graph.objects(node, KG.corefChain)),
        }

    def _article(self, node: Node | None) -> tuple[str | None, str | None]:
        if node is None:
            return None, None
        if node not in self._articles:
            article_id = self.graph.value(node, KG.articleId)
            date = self.graph.value(node, DCTERMS.date)
            self._articles[node] = (
                str(article_id) if article_id is not None else str(node).rsplit("/", 1)[-1],
                None if date is None else str(date),
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
