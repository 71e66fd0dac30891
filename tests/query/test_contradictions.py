"""Contradictions: claims that clash stay in the graph with their sources and are listed by the
shipped query ``contradictions``, by :func:`kg.query.find_contradictions`, in the build report
and in the summary ``kg build`` prints. Every corpus here is hand-written from records."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from typer.testing import CliRunner

import kg
from kg.graph import build_graph, validate_graph
from kg.query import Contradiction, find_contradictions
from kg.graph.builder import entity_iri
from kg.namespace import KG, PROV, RDF, XSD
from kg.query import run_named
from kg.records import (
    Article,
    ArticleExtraction,
    Entity,
    Evidence,
    Fact,
    LocalEntity,
    Relation,
    ResolvedCorpus,
)

A, B, C = "a1", "b2", "c3"
DATES = {A: dt.date(2020, 1, 10), B: dt.date(2022, 6, 1), C: dt.date(2023, 3, 3)}
NAMES = {
    "ann": "Ann Kerr", "bo": "Bo Kerr", "cal": "Cal Moss", "dee": "Dee Moss", "zoe": "Zoe Kerr",
    "eve": "Eve Lyle", "fay": "Fay Lyle", "gus": "Gus Lyle",
    "mia": "Mia Vale", "rob": "Rob Vale", "tess": "Tess Vale", "kit": "Kit Vale",
}
CHARACTERS = {"mia", "rob", "tess", "kit"}
#: gender of each local mention; ("f", "m") means the articles disagree
GENDERS: dict[str, str | tuple[str, ...] | None] = {
    "ann": "f", "dee": "f", "tess": "f", "bo": "m", "cal": "m", "rob": "m", "gus": None,
    "fay": None, "eve": ("f", "m"),
}


@dataclass(frozen=True)
class Say:
    """One article says something: ``subject predicate object`` or ``subject attribute value``."""

    article: str
    subject: str
    what: str
    value: str | int | dt.date


def corpus(says: Iterable[Say]) -> ResolvedCorpus:
    """A resolved corpus where every slug is one entity in every article that mentions it."""
    says = list(says)
    articles = sorted({s.article for s in says})
    slugs = sorted({s.subject for s in says} | {s.value for s in says
                                                 if isinstance(s.value, str)})
    entity_id = {slug: f"{'character' if slug in CHARACTERS else 'person'}/{slug}" for slug in slugs}
    extractions = []
    for index, article in enumerate(articles):
        mine = [s for s in says if s.article == article]
        locals_ = []
        for slug in slugs:
            gender = GENDERS.get(slug)
            if isinstance(gender, tuple):
                gender = gender[index % len(gender)]
            cls = "Character" if slug in CHARACTERS else "Person"
            locals_.append(LocalEntity(slug, cls, NAMES[slug], (), gender))
        relations, facts = [], []
        for n, say in enumerate(mine):
            sentence = f"Invented sentence {n} of article {article} about {NAMES[say.subject]}."
            evidence = Evidence(article, sentence, 80 * n, 80 * n + len(sentence), "test.rule", 0.8)
            if isinstance(say.value, str):
                relations.append(Relation(say.subject, say.what, say.value, evidence))
            else:
                facts.append(Fact(say.subject, say.what, say.value, evidence))
        extractions.append(ArticleExtraction(
            Article(article, DATES[article], "Invented text.", f"{article}.txt"),
            tuple(locals_), tuple(relations), tuple(facts),
        ))
    entities = tuple(Entity(entity_id[s], "Character" if s in CHARACTERS else "Person", NAMES[s])
                     for s in slugs)
    mapping = {(a, slug): entity_id[slug] for a in articles for slug in slugs}
    return ResolvedCorpus(tuple(extractions), entities, mapping)


def rows(graph: Graph, **params: str) -> list[dict[str, str | None]]:
    result = run_named(graph, "contradictions", params or None)
    return [dict(zip(result.columns, row)) for row in result.rows]


def date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- one contradiction of each kind --------------------------------------------------------

CASES = [
    pytest.param(
        [Say(A, "ann", "age", 40), Say(B, "ann", "age", 50)],
        ("age", "Ann Kerr", ("40 as of 2020-01-10 (birth year 1980)",
                             "50 as of 2022-06-01 (birth year 1972)"), (A, B)),
        id="age",
    ),
    pytest.param(
        [Say(A, "ann", "birthDate", date("1990-05-01")), Say(B, "ann", "age", 40)],
        ("age-birth-date", "Ann Kerr", ("40 as of 2022-06-01 (birth year 1982)",
                                        "born 1990-05-01"), (A, B)),
        id="age-birth-date",
    ),
    pytest.param(
        [Say(A, "ann", "birthDate", date("1980-05-01")),
         Say(B, "ann", "birthDate", date("1981-05-01"))],
        ("birth-date", "Ann Kerr", ("1980-05-01", "1981-05-01"), (A, B)),
        id="birth-date",
    ),
    pytest.param(
        [Say(A, "gus", "deathDate", date("2019-11-30")),
         Say(C, "gus", "deathDate", date("2020-11-30"))],
        ("death-date", "Gus Lyle", ("2019-11-30", "2020-11-30"), (A, C)),
        id="death-date",
    ),
    pytest.param(
        [Say(A, "gus", "birthDate", date("1950-02-01")),
         Say(C, "gus", "deathDate", date("1949-11-30"))],
        ("death-before-birth", "Gus Lyle", ("born 1950-02-01", "died 1949-11-30"), (A, C)),
        id="death-before-birth",
    ),
    pytest.param(
        [Say(A, "ann", "child", "zoe"), Say(A, "bo", "child", "zoe"), Say(B, "cal", "child", "zoe")],
        ("parents", "Zoe Kerr", ("Ann Kerr", "Bo Kerr", "Cal Moss"), (A, B)),
        id="parents",
    ),
    pytest.param(
        [Say(A, "ann", "child", "zoe"), Say(B, "dee", "child", "zoe")],
        ("two-mothers", "Zoe Kerr", ("Ann Kerr", "Dee Moss"), (A, B)),
        id="two-mothers",
    ),
    pytest.param(
        [Say(B, "bo", "child", "zoe"), Say(C, "cal", "child", "zoe")],
        ("two-fathers", "Zoe Kerr", ("Bo Kerr", "Cal Moss"), (B, C)),
        id="two-fathers",
    ),
    pytest.param(
        [Say(A, "tess", "child", "kit"), Say(A, "rob", "child", "kit"),
         Say(C, "mia", "child", "kit")],
        ("parents", "Kit Vale", ("Mia Vale", "Rob Vale", "Tess Vale"), (A, C)),
        id="parents-of-an-on-screen-child",
    ),
    pytest.param(
        [Say(A, "ann", "child", "zoe"), Say(A, "bo", "child", "zoe"),
         Say(B, "dee", "child", "zoe")],
        ("parents", "Zoe Kerr", ("Ann Kerr", "Bo Kerr", "Dee Moss"), (A, B)),
        id="three-parents-two-of-them-mothers-is-one-row",
    ),
]


@pytest.mark.parametrize(("says", "expected"), CASES)
def test_one_row_per_contradiction(says: list[Say],
                                   expected: tuple[str, str, tuple[str, ...], tuple[str, ...]]) -> None:
    graph = build_graph(corpus(says))
    kind, label, values, articles = expected
    (row,) = rows(graph)
    assert (row["kind"], row["label"]) == (kind, label)
    assert tuple(sorted((row["values"] or "").split(" | "))) == values
    assert tuple(sorted((row["articles"] or "").split())) == articles
    assert row["detail"]
    (found,) = find_contradictions(graph)
    assert found == Contradiction(
        kind=kind, entity=found.entity, label=label, values=values, articles=articles,
        sources=found.sources, detail=row["detail"] or "",
    )
    assert found.entity.startswith("https://w3id.org/kg-news/id/")
    # every value is listed with where it was read
    assert len(found.sources) >= len(values)
    for source in found.sources:
        value, _, where = source.rpartition(": ")
        assert value in values
        article, date_text = re.fullmatch(r"(\S+) \((\S+)\)", where).groups()  # type: ignore[union-attr]
        assert article in articles and date_text == DATES[article].isoformat()
    # the clash is kept, not resolved: the graph still conforms to the shapes
    assert validate_graph(graph).conforms


def test_sources_name_each_value_with_its_article_and_date() -> None:
    graph = build_graph(corpus([Say(A, "ann", "birthDate", date("1980-05-01")),
                                Say(B, "ann", "birthDate", date("1981-05-01")),
                                Say(C, "ann", "birthDate", date("1981-05-01"))]))
    (found,) = find_contradictions(graph)
    assert found.sources == ("1980-05-01: a1 (2020-01-10)", "1981-05-01: b2 (2022-06-01)",
                             "1981-05-01: c3 (2023-03-03)")
    assert found.summary() == "birth-date: Ann Kerr: 1980-05-01 | 1981-05-01 (a1, b2, c3)"


NO_CONTRADICTION = [
    pytest.param([Say(A, "ann", "age", 40), Say(B, "ann", "age", 41)],
                 id="ages-a-year-apart"),
    pytest.param([Say(A, "ann", "age", 40), Say(B, "ann", "age", 42), Say(C, "ann", "age", 43)],
                 id="ages-that-grow-with-the-date"),
    pytest.param([Say(A, "ann", "birthDate", date("1981-12-31")), Say(B, "ann", "age", 40)],
                 id="age-before-this-years-birthday"),
    pytest.param([Say(A, "ann", "birthDate", date("1982-01-01")), Say(B, "ann", "age", 40)],
                 id="age-after-this-years-birthday"),
    pytest.param([Say(A, "ann", "birthDate", date("1980-05-01")),
                  Say(B, "ann", "birthDate", date("1980-05-01"))],
                 id="one-birth-date-twice"),
    pytest.param([Say(A, "ann", "child", "zoe"), Say(B, "bo", "child", "zoe")],
                 id="a-mother-and-a-father"),
    pytest.param([Say(A, "fay", "child", "zoe"), Say(B, "gus", "child", "zoe")],
                 id="two-parents-of-unknown-gender"),
    pytest.param([Say(A, "eve", "child", "zoe"), Say(B, "dee", "child", "zoe")],
                 id="a-parent-whose-gender-the-articles-disagree-on"),
    pytest.param([Say(A, "ann", "child", "zoe"), Say(A, "bo", "child", "zoe"),
                  Say(B, "ann", "child", "eve")],
                 id="two-children-two-parents"),
    pytest.param([Say(A, "ann", "birthDate", date("1980-05-01")),
                  Say(B, "bo", "birthDate", date("1985-05-01"))],
                 id="different-people-different-dates"),
]


@pytest.mark.parametrize("says", NO_CONTRADICTION)
def test_claims_that_fit_together_are_not_contradictions(says: list[Say]) -> None:
    graph = build_graph(corpus(says))
    assert rows(graph) == []
    assert find_contradictions(graph) == []


def test_several_contradictions_ordered_by_kind_then_name() -> None:
    says = [
        Say(A, "bo", "birthDate", date("1970-01-01")), Say(B, "bo", "birthDate", date("1971-01-01")),
        Say(A, "ann", "birthDate", date("1980-05-01")), Say(B, "ann", "birthDate", date("1981-05-01")),
        Say(A, "cal", "age", 30), Say(C, "cal", "age", 60),
        Say(A, "ann", "child", "zoe"), Say(B, "dee", "child", "zoe"),
    ]
    graph = build_graph(corpus(says))
    found = [(c.kind, c.label) for c in find_contradictions(graph)]
    assert found == [("age", "Cal Moss"), ("birth-date", "Ann Kerr"), ("birth-date", "Bo Kerr"),
                     ("two-mothers", "Zoe Kerr")]
    assert [(r["kind"], r["label"]) for r in rows(graph, name="ann kerr")] == [("birth-date", "Ann Kerr")]
    assert [c.label for c in find_contradictions(graph, name="Zoe Kerr")] == ["Zoe Kerr"]


# --- the conflicting claims are kept ---------------------------------------------------------


def test_both_birth_dates_stay_in_the_graph_with_their_sources() -> None:
    graph = build_graph(corpus([Say(A, "ann", "birthDate", date("1980-05-01")),
                                Say(B, "ann", "birthDate", date("1981-05-01"))]))
    ann = entity_iri("person/ann")
    dates = set(graph.objects(ann, KG.birthDate))
    assert dates == {Literal("1980-05-01", datatype=XSD.date), Literal("1981-05-01", datatype=XSD.date)}
    for day in dates:
        (statement,) = [st for st in graph.subjects(RDF.object, day)
                        if graph.value(st, RDF.predicate) == KG.birthDate]
        assert graph.value(statement, PROV.wasDerivedFrom) is not None


class _StubNLP:
    """Stands in for the spaCy pipeline in the build tests below (never called)."""


def _read(article: Article) -> ArticleExtraction:
    """An invented article format: every ``NAME born YYYY-MM-DD`` line is one birth date."""
    entities, facts = {}, []
    for n, match in enumerate(re.finditer(r"([A-Z][a-z]+ [A-Z][a-z]+) born (\d{4}-\d\d-\d\d)",
                                          article.text)):
        name, day = match.groups()
        key = name.lower().replace(" ", "-")
        entities[key] = LocalEntity(key, "Person", name, (), "f")
        evidence = Evidence(article.id, match.group(0), match.start(), match.end(), "stub.born",
                            0.9)
        facts.append(Fact(key, "birthDate", date(day), evidence))
    return ArticleExtraction(article, tuple(entities.values()), (), tuple(facts))


def test_resolution_keeps_both_sides_of_a_contradiction() -> None:
    from kg.resolve import resolve

    one = _read(Article(A, DATES[A], "Ann Kerr born 1980-05-01", "a1.txt"))
    two = _read(Article(B, DATES[B], "Ann Kerr born 1981-05-01", "b2.txt"))
    graph = build_graph(resolve([one, two]))
    (found,) = find_contradictions(graph)
    assert (found.kind, found.label, found.values, found.articles) == (
        "birth-date", "Ann Kerr", ("1980-05-01", "1981-05-01"), (A, B))


@pytest.fixture
def stub_nlp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the NLP pipeline and extraction with :func:`_read`; resolution is the real one."""

    def load_pipeline(model: str | None = None, config_path: object = None) -> _StubNLP:
        return _StubNLP()

    def extract_article(nlp: object, article: Article) -> ArticleExtraction:
        return _read(article)

    def extract_articles(nlp: object, articles: Iterable[Article],
                         batch_size: int = 16) -> Iterator[ArticleExtraction]:
        for article in articles:
            yield _read(article)

    monkeypatch.setattr("kg.nlp.load_pipeline", load_pipeline, raising=False)
    monkeypatch.setattr("kg.extract.extract_article", extract_article, raising=False)
    monkeypatch.setattr("kg.extract.extract_articles", extract_articles, raising=False)


def _write(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in texts.items():
        (folder / f"{stem}.txt").write_text(f" date {DATES[stem].isoformat()} {text}\n",
                                            encoding="utf-8")
    return folder


@pytest.mark.usefixtures("stub_nlp")
def test_build_report_lists_contradictions(tmp_path: Path) -> None:
    inputs = _write(tmp_path / "in", {A: "Ann Kerr born 1980-05-01. Bo Kerr born 1970-02-02.",
                                      B: "Ann Kerr born 1981-05-01. Bo Kerr born 1970-02-02."})
    report = kg.build([inputs], tmp_path / "out", html=False)
    assert report.shacl_conforms, report.shacl_report
    assert [c.summary() for c in report.contradictions] == [
        "birth-date: Ann Kerr: 1980-05-01 | 1981-05-01 (a1, b2)"]


@pytest.mark.usefixtures("stub_nlp")
def test_build_summary_prints_contradictions(tmp_path: Path) -> None:
    from kg.cli import app

    runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})
    inputs = _write(tmp_path / "in", {A: "Ann Kerr born 1980-05-01.", B: "Ann Kerr born 1981-05-01."})
    result = runner.invoke(app, ["build", str(inputs), "-o", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Contradictions\s*│\s*1\b", result.stdout), result.stdout
    assert "birth-date: Ann Kerr: 1980-05-01 | 1981-05-01 (a1, b2)" in result.stdout


@pytest.mark.usefixtures("stub_nlp")
def test_build_summary_shows_the_first_ten(tmp_path: Path) -> None:
    from kg.cli import app

    names = [f"{first_name} Kerr" for first_name in
             ("Ann", "Bea", "Cat", "Dot", "Edi", "Flo", "Gia", "Hal", "Ida", "Jo", "Kai", "Lu")]
    texts = {A: " ".join(f"{name} born 1980-05-01." for name in names),
             B: " ".join(f"{name} born 1981-05-01." for name in names)}
    runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})
    result = runner.invoke(app, ["build", str(_write(tmp_path / "in", texts)), "-o",
                                 str(tmp_path / "out"), "--no-html", "--no-validate"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Contradictions\s*│\s*12\b", result.stdout), result.stdout
    assert result.stdout.count("birth-date: ") == 10
    assert "… 2 more: kg query" in result.stdout and "--name contradictions" in result.stdout


# --- gender, which the mother/father checks rely on ------------------------------------------


def test_gender_is_written_only_when_every_mention_agrees() -> None:
    graph = build_graph(corpus([Say(A, "ann", "child", "zoe"), Say(B, "eve", "child", "zoe"),
                                Say(A, "rob", "spouse", "tess")]))
    assert graph.value(entity_iri("person/ann"), KG.gender) == Literal("female")
    assert graph.value(entity_iri("character/rob"), KG.gender) == Literal("male")
    assert graph.value(entity_iri("person/zoe"), KG.gender) is None  # never gendered
    assert graph.value(entity_iri("person/eve"), KG.gender) is None  # "f" in one, "m" in the other
    assert validate_graph(graph).conforms


def test_a_third_gender_value_does_not_conform() -> None:
    graph = build_graph(corpus([Say(A, "ann", "child", "zoe")]))
    graph.set((entity_iri("person/ann"), KG.gender, Literal("f")))
    assert not validate_graph(graph).conforms
