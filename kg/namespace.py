"""kg's RDF namespaces and the packaged ontology: the bottom of kg's layers (it imports no other
kg module), so every stage, :mod:`kg.schema` and :mod:`kg.sparql` can use it.

:class:`KG` lists every term of ``ontology/kg.ttl`` as a closed :class:`~rdflib.namespace.DefinedNamespace`
(``KG.plays`` works, ``KG.plais`` raises ``AttributeError``). The term list between the
``BEGIN``/``END GENERATED TERMS`` markers is generated from the ontology::

    python -m kg.namespace            # print the term list kg.ttl implies
    python -m kg.namespace --check    # exit 1 if this file and kg.ttl disagree
    python -m kg.namespace --write    # rewrite the term list in this file
"""

import argparse
import keyword
import sys
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "DCTERMS", "KG", "KGR", "ONTOLOGY_IRI", "OWL", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS",
    "WD", "WDT", "XSD", "current_block", "load_ontology", "ontology_text", "render_terms",
]

KG_NAMESPACE = "https://w3id.org/kg-news/ontology#"
ONTOLOGY_IRI = URIRef("https://w3id.org/kg-news/ontology")


class KG(DefinedNamespace):
    """The terms of kg's ontology (``ontology/kg.ttl``)."""

    _fail = True
    _NS = Namespace(KG_NAMESPACE)

    # BEGIN GENERATED TERMS (python -m kg.namespace --write)
    # owl:Class
    AgeObservation: URIRef  # age observation
    Article: URIRef  # article
    Being: URIRef  # being
    BlockedMerge: URIRef  # blocked merge
    Broadcaster: URIRef  # broadcaster
    Character: URIRef  # character
    Event: URIRef  # event
    Merge: URIRef  # merge
    NamedEntity: URIRef  # named entity
    Observation: URIRef  # observation
    Organization: URIRef  # organization
    Person: URIRef  # person
    Place: URIRef  # place
    Show: URIRef  # show
    Support: URIRef  # support

    # owl:ObjectProperty
    actsIn: URIRef  # acts in
    ageObservation: URIRef  # age observation
    appearance: URIRef  # appearance
    appearsIn: URIRef  # appears in
    broadcastBy: URIRef  # broadcast by
    characterIn: URIRef  # character in
    child: URIRef  # child
    coHost: URIRef  # co-host
    coStar: URIRef  # co-star
    createdBy: URIRef  # created by
    evidence: URIRef  # evidence
    exPartner: URIRef  # former partner
    familyRelation: URIRef  # family
    friend: URIRef  # friend
    keptApart: URIRef  # kept apart
    mergedInto: URIRef  # merged into
    parent: URIRef  # parent
    partner: URIRef  # partner
    partnership: URIRef  # partnership
    playedBy: URIRef  # played by
    plays: URIRef  # plays
    presents: URIRef  # presents
    sibling: URIRef  # sibling
    socialRelation: URIRef  # friends and colleagues
    spouse: URIRef  # spouse
    workRelation: URIRef  # shows and roles

    # owl:DatatypeProperty
    age: URIRef  # age
    articleId: URIRef  # article id
    asOf: URIRef  # as of
    birthDate: URIRef  # birth date
    birthYear: URIRef  # birth year
    charEnd: URIRef  # character end
    charStart: URIRef  # character start
    combinedConfidence: URIRef  # combined confidence
    confidence: URIRef  # confidence
    corefChain: URIRef  # coreference chain
    deathDate: URIRef  # death date
    gender: URIRef  # gender
    hedged: URIRef  # hedged
    mergedName: URIRef  # merged name
    reason: URIRef  # reason
    rule: URIRef  # rule
    sentenceText: URIRef  # sentence text
    sourcePath: URIRef  # source path
    supportCount: URIRef  # support count

    # owl:AnnotationProperty
    inverseLabel: URIRef  # inverse label
    # END GENERATED TERMS


#: Instance IRIs: entities, articles, statements, observations, merges.
KGR = Namespace("https://w3id.org/kg-news/id/")
SCHEMA = SDO
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

_BEGIN = "    # BEGIN GENERATED TERMS (python -m kg.namespace --write)\n"
_END = "    # END GENERATED TERMS\n"
_KINDS: tuple[tuple[URIRef, str], ...] = (
    (OWL.Class, "owl:Class"),
    (OWL.ObjectProperty, "owl:ObjectProperty"),
    (OWL.DatatypeProperty, "owl:DatatypeProperty"),
    (OWL.AnnotationProperty, "owl:AnnotationProperty"),
    (RDF.Property, "rdf:Property"),
)


def ontology_text(name: str = "kg.ttl") -> str:
    """The text of one file of the packaged ontology (``kg.ttl`` or ``shapes.ttl``)."""
    return files("kg.ontology").joinpath(name).read_text(encoding="utf-8")


def load_ontology(name: str = "kg.ttl") -> Graph:
    """Parse one Turtle file of the packaged ontology into a fresh graph."""
    graph = Graph(bind_namespaces="core")
    graph.parse(data=ontology_text(name), format="turtle")
    return graph


@dataclass(frozen=True)
class _Term:
    name: str
    kind: str
    label: str


def _terms(ontology: Graph) -> list[_Term]:
    terms: dict[str, _Term] = {}
    for kind_iri, kind in _KINDS:
        for subject in ontology.subjects(RDF.type, kind_iri):
            iri = str(subject)
            if not iri.startswith(KG_NAMESPACE) or iri[len(KG_NAMESPACE):] in terms:
                continue
            name = iri[len(KG_NAMESPACE):]
            if not name.isidentifier() or keyword.iskeyword(name):
                raise ValueError(f"ontology term {iri} is not a Python identifier; rename it")
            label = ontology.value(subject, RDFS.label)
            terms[name] = _Term(name, kind, " ".join(str(label or "").split()))
    return list(terms.values())


def render_terms(ontology: Graph | None = None) -> str:
    """The generated block of :class:`KG`'s body (markers included) for ``ontology``."""
    ontology = load_ontology() if ontology is None else ontology
    terms = _terms(ontology)
    lines = [_BEGIN]
    for _, kind in _KINDS:
        group = sorted((t for t in terms if t.kind == kind), key=lambda t: t.name)
        if not group:
            continue
        if len(lines) > 1:
            lines.append("\n")
        lines.append(f"    # {kind}\n")
        for term in group:
            comment = f"  # {term.label}" if term.label else ""
            lines.append(f"    {term.name}: URIRef{comment}\n")
    lines.append(_END)
    return "".join(lines)


def current_block(source: str) -> str:
    """The generated block as it stands in ``source`` (this module's text)."""
    start = source.index(_BEGIN)
    end = source.index(_END, start) + len(_END)
    return source[start:end]


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kg.namespace",
        description="Regenerate KG's term list from ontology/kg.ttl.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="rewrite kg/namespace.py")
    group.add_argument("--check", action="store_true", help="exit 1 when the two disagree")
    args = parser.parse_args(argv)

    block = render_terms()
    path = Path(__file__)
    source = path.read_text(encoding="utf-8")
    if args.check:
        if current_block(source) != block:
            print(f"{path}: KG's terms differ from ontology/kg.ttl; run "
                  "`python -m kg.namespace --write`", file=sys.stderr)
            return 1
        return 0
    if args.write:
        updated = source.replace(current_block(source), block)
        if updated != source:
            path.write_text(updated, encoding="utf-8")
            print(f"rewrote {path}")
        return 0
    sys.stdout.write(block)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
