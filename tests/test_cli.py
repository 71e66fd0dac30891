"""The ``kg`` command line, driven in-process through typer's CliRunner.

Query, viz and validate run on a small hand-written graph so their expectations do not depend
on what the NLP stages extract. ``kg build`` runs the real pipeline on ``examples/``; the tests
of its bookkeeping (a failing article, quiet mode) swap the NLP stages for stubs.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kg.cli import app
from kg.records import (
    Article,
    ArticleExtraction,
    Entity,
    LocalEntity,
    ResolvedCorpus,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# Wide enough that rich never wraps a path or a name in the output.
runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})

SMALL_GRAPH = """\
@base <https://w3id.org/kg-news/id/> .
@prefix kg: <https://w3id.org/kg-news/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<article/a1> a kg:Article ;
    kg:articleId "a1" ;
    dcterms:date "2021-06-01"^^xsd:date ;
    kg:sourcePath "a1.txt" .

<person/ana-kerr> a kg:Person ;
    rdfs:label "Ana Kerr" ;
    skos:altLabel "Ana" ;
    kg:child <person/bo-kerr>, <person/cy-kerr> ;
    kg:plays <character/dee-moss> .

<person/bo-kerr> a kg:Person ; rdfs:label "Bo Kerr" .
<person/cy-kerr> a kg:Person ; rdfs:label "Cy Kerr" .

<character/dee-moss> a kg:Character ;
    rdfs:label "Dee Moss" ;
    kg:characterIn <show/harbour-nights> .

<show/harbour-nights> a kg:Show ; rdfs:label "Harbour Nights" .
"""

def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, [str(arg) for arg in args])


@pytest.fixture
def small_graph(tmp_path: Path) -> Path:
    path = tmp_path / "small.ttl"
    path.write_text(SMALL_GRAPH, encoding="utf-8")
    return path


# --- version, help -------------------------------------------------------------------------


def test_version() -> None:
    import kg

    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"kg {kg.__version__}"


def test_no_command_shows_help() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("build", "query", "queries", "viz", "validate"):
        assert command in result.stdout


# --- build: the real pipeline --------------------------------------------------------------


@pytest.fixture(scope="module")
def examples_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    outdir = tmp_path_factory.mktemp("build") / "out"
    return invoke("build", EXAMPLES, "-o", outdir, "--format", "nt"), outdir


def test_build_examples(examples_build: tuple[Result, Path]) -> None:
    result, outdir = examples_build
    assert result.exit_code == 0, result.output
    for name in ("graph.ttl", "graph.nt", "graph.html"):
        assert (outdir / name).is_file() and (outdir / name).stat().st_size > 0, name
    assert sorted(p.name for p in outdir.iterdir()) == ["graph.html", "graph.nt", "graph.ttl"]
    assert re.search(r"Articles read\s*│\s*4\b", result.stdout), result.stdout
    assert re.search(r"Articles skipped\s*│\s*0\b", result.stdout)
    assert "Entities: Person" in result.stdout
    assert "Relations: " in result.stdout
    assert "Seconds" in result.stdout
    assert result.stderr == ""


def test_built_graph_can_be_queried_and_validated(examples_build: tuple[Result, Path]) -> None:
    result, outdir = examples_build
    assert result.exit_code == 0, result.output
    graph = outdir / "graph.ttl"

    people = invoke("query", graph, "--name", "entities", "--param", "class=Person", "--csv")
    assert people.exit_code == 0, people.output
    assert "Hayley Brannigan" in people.stdout

    checked = invoke("validate", graph)
    assert checked.exit_code == 0, checked.output
    assert "conforms" in checked.stdout


def test_build_names_each_bad_file_and_goes_on(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(EXAMPLES / "01_stanley_hurwood_death.txt", inputs / "good.txt")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (inputs / "nodate.txt").write_text("Just a paragraph without a date line.\n")
    outdir = tmp_path / "out"

    result = invoke("build", inputs, "-o", outdir, "--no-html")

    assert result.exit_code == 0, result.output
    assert (outdir / "graph.ttl").is_file()
    assert not (outdir / "graph.html").exists()
    for name, reason in (("empty.txt", "empty"), ("binary.txt", "binary"),
                         ("nodate.txt", "date line")):
        line = next((line for line in result.stderr.splitlines() if name in line), None)
        assert line is not None, f"{name} not named on stderr:\n{result.stderr}"
        assert reason in line
    assert "good.txt" not in result.stderr
    assert re.search(r"Articles read\s*│\s*1\b", result.stdout)
    assert re.search(r"Articles skipped\s*│\s*3\b", result.stdout)


def test_build_with_nothing_to_build_fails_and_writes_nothing(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_bytes(b"")
    outdir = tmp_path / "out"

    result = invoke("build", inputs, "-o", outdir)

    assert result.exit_code == 1
    assert "empty.txt" in result.stderr
    assert "error:" in result.stderr
    assert not outdir.exists()
    assert "Traceback" not in result.output


def test_build_missing_input_is_reported(tmp_path: Path) -> None:
    result = invoke("build", tmp_path / "nowhere", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "nowhere" in result.stderr and "no such file or folder" in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_unknown_model_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("build", EXAMPLES, "-o", tmp_path / "out", "--model", "no_such_model_kg")
    assert result.exit_code == 1
    assert "no_such_model_kg" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["build", "examples"],  # no -o
        ["build", "-o", "out"],  # no input
        ["build", "examples", "-o", "out", "--format", "xml"],
        ["query"],
    ],
    ids=["no-output", "no-input", "bad-format", "query-no-graph"],
)
def test_usage_errors_exit_2(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()


# --- build: bookkeeping, with stub NLP stages ----------------------------------------------


class StubFailure(RuntimeError):
    pass


@pytest.fixture
def stub_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the NLP, extract and resolve stages: one Person per article, named after it.

    Extraction raises for an article whose text contains ``FAIL``.
    """

    def load_pipeline(model: str | None = None, config_path: object = None) -> object:
        return object()

    def extract_article(nlp: object, article: Article) -> ArticleExtraction:
        if "FAIL" in article.text:
            raise StubFailure("the stub cannot read this one")
        person = LocalEntity("p", "Person", f"Person {article.id}")
        return ArticleExtraction(article, (person,), (), ())

    def extract_articles(
        nlp: object, articles: Iterable[Article], batch_size: int = 16
    ) -> Iterator[ArticleExtraction]:
        for article in articles:
            yield extract_article(nlp, article)

    def resolve(extractions: Iterable[ArticleExtraction]) -> ResolvedCorpus:
        extractions = tuple(extractions)
        entities = tuple(
            Entity(f"person/{x.article.id}", "Person", f"Person {x.article.id}")
            for x in extractions
        )
        mapping = {(x.article.id, "p"): f"person/{x.article.id}" for x in extractions}
        return ResolvedCorpus(extractions, entities, mapping)

    monkeypatch.setattr("kg.nlp.load_pipeline", load_pipeline, raising=False)
    monkeypatch.setattr("kg.extract.extract_article", extract_article, raising=False)
    monkeypatch.setattr("kg.extract.extract_articles", extract_articles, raising=False)
    monkeypatch.setattr("kg.resolve.resolve", resolve, raising=False)


def write_articles(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in texts.items():
        (folder / f"{stem}.txt").write_text(f" date 2022-03-04 {text}\n", encoding="utf-8")
    return folder


@pytest.mark.usefixtures("stub_stages")
def test_build_skips_an_article_whose_extraction_fails(tmp_path: Path) -> None:
    inputs = write_articles(tmp_path / "in", {"a1": "Fine.", "a2": "FAIL here.", "a3": "Fine."})
    outdir = tmp_path / "out"

    result = invoke("build", inputs, "-o", outdir)

    assert result.exit_code == 0, result.output
    line = next(line for line in result.stderr.splitlines() if "a2" in line)
    assert "StubFailure" in line and "the stub cannot read this one" in line
    assert re.search(r"Articles read\s*│\s*2\b", result.stdout)
    assert re.search(r"Articles skipped\s*│\s*1\b", result.stdout)
    turtle = (outdir / "graph.ttl").read_text(encoding="utf-8")
    assert "Person a1" in turtle and "Person a3" in turtle and "Person a2" not in turtle


@pytest.mark.usefixtures("stub_stages")
def test_build_fails_when_every_article_fails(tmp_path: Path) -> None:
    inputs = write_articles(tmp_path / "in", {"a1": "FAIL.", "a2": "FAIL too."})
    result = invoke("build", inputs, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "a1" in result.stderr and "a2" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("stub_stages")
def test_build_quiet_formats_no_html_no_validate(tmp_path: Path) -> None:
    inputs = write_articles(tmp_path / "in", {"a1": "Fine."})
    outdir = tmp_path / "out"

    result = invoke(
        "build", inputs, "-o", outdir, "--quiet", "--no-html", "--no-validate",
        "--format", "trig", "--format", "json-ld", "--format", "turtle",
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert sorted(p.name for p in outdir.iterdir()) == ["graph.jsonld", "graph.trig", "graph.ttl"]
    json.loads((outdir / "graph.jsonld").read_text(encoding="utf-8"))


@pytest.mark.usefixtures("stub_stages")
def test_build_without_a_terminal_prints_progress_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_PROGRESS_SECONDS", "0")
    inputs = write_articles(tmp_path / "in", {"a1": "One.", "a2": "Two.", "a3": "Three."})
    (inputs / "more.jsonl").write_text(
        '{"id": "j1", "date": "2022-03-05", "text": "Four."}\n\n'
        '{"id": "j2", "date": "2022-03-06", "text": "Five."}\n', encoding="utf-8")
    result = invoke("build", inputs, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("kg build: ")]
    assert any(re.search(r"extracting articles: 1/5 \(20%\), about .+ left", line) for line in lines), lines
    assert any("extracting articles: 5/5 (100%)" in line for line in lines), lines
    assert any("resolving entities" in line for line in lines)
    assert re.search(r"^wrote ", invoke("build", inputs, "-o", tmp_path / "o2", "--store",
                                        tmp_path / "store").stdout, re.MULTILINE)
    exported = invoke("export", tmp_path / "store", "-o", tmp_path / "g.ttl")
    assert exported.stdout.startswith("wrote ")


@pytest.mark.usefixtures("stub_stages")
def test_build_progress_is_quiet_for_a_short_run_without_a_terminal(tmp_path: Path) -> None:
    inputs = write_articles(tmp_path / "in", {"a1": "One."})
    result = invoke("build", inputs, "-o", tmp_path / "out")
    assert result.exit_code == 0 and result.stderr == ""


def test_progress_shows_the_total_and_the_time_left() -> None:
    from kg._build import _Progress

    with _Progress(enabled=True, total=10, interval=3600) as bar:
        bar.stage("reading and extracting articles", articles=True)
        for _ in range(3):
            bar.advance()
        text = bar._description()
    assert "3/10 (30%)" in text and "left" in text
    with _Progress(enabled=True, interval=3600) as unknown:
        unknown.stage("reading and extracting articles", articles=True)
        unknown.advance()
        assert unknown._description() == "reading and extracting articles: 1"


# --- query ---------------------------------------------------------------------------------


def test_query_inline_sparql_prints_a_table(small_graph: Path) -> None:
    result = invoke(
        "query", small_graph,
        "SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name",
    )
    assert result.exit_code == 0, result.output
    assert "name" in result.stdout
    for name in ("Ana Kerr", "Bo Kerr", "Cy Kerr"):
        assert name in result.stdout
    assert "Dee Moss" not in result.stdout


def test_query_csv(small_graph: Path) -> None:
    result = invoke(
        "query", small_graph,
        "SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name", "--csv",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["name", "Ana Kerr", "Bo Kerr", "Cy Kerr"]


def test_query_json(small_graph: Path) -> None:
    result = invoke(
        "query", small_graph,
        "SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name", "--json",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["head"]["vars"] == ["p", "name"]
    bindings = document["results"]["bindings"]
    assert [b["name"]["value"] for b in bindings] == ["Ana Kerr", "Bo Kerr", "Cy Kerr"]
    assert bindings[0]["p"] == {
        "type": "uri", "value": "https://w3id.org/kg-news/id/person/ana-kerr"
    }


def test_query_named_with_param(small_graph: Path) -> None:
    result = invoke("query", small_graph, "--name", "children", "--param", "name=ana", "--csv")
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0].startswith("parent,")
    children = sorted(row.split(",")[3] for row in rows[1:])
    assert children == ["Bo Kerr", "Cy Kerr"]


def test_query_from_file(small_graph: Path, tmp_path: Path) -> None:
    query = tmp_path / "plays.rq"
    query.write_text("SELECT ?character WHERE { ?p kg:plays/rdfs:label ?character }\n")
    result = invoke("query", small_graph, "-f", query, "--csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["character", "Dee Moss"]


def test_query_syntax_error(small_graph: Path) -> None:
    result = invoke("query", small_graph, "SELEC ?x WHERE { ?x ?y }")
    assert result.exit_code == 1
    assert "SPARQL syntax error" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "no-such-query"], "unknown query"),
        (["--name", "children"], "missing required parameter"),
        (["--name", "children", "--param", "nope=1", "--param", "name=Ana"], "nope"),
    ],
    ids=["unknown-name", "missing-param", "unknown-param"],
)
def test_query_errors_exit_1(small_graph: Path, args: list[str], message: str) -> None:
    result = invoke("query", small_graph, *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        [],  # no query at all
        ["SELECT * WHERE { ?s ?p ?o }", "--name", "children"],  # two queries
        ["SELECT * WHERE { ?s ?p ?o }", "--csv", "--json"],
        ["SELECT * WHERE { ?s ?p ?o }", "--param", "no-equals-sign"],
    ],
    ids=["none", "two", "csv-and-json", "bad-param"],
)
def test_query_usage_errors_exit_2(small_graph: Path, args: list[str]) -> None:
    result = invoke("query", small_graph, *args)
    assert result.exit_code == 2, result.output


def test_query_missing_graph_file(tmp_path: Path) -> None:
    result = invoke("query", tmp_path / "missing.ttl", "SELECT * WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "missing.ttl" in result.stderr


def test_query_unreadable_graph(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle <<<\n")
    result = invoke("query", broken, "SELECT * WHERE { ?s ?p ?o }")
    assert result.exit_code == 1
    assert "broken.ttl" in result.stderr
    assert "Traceback" not in result.output


def test_queries_lists_named_queries_and_params() -> None:
    result = runner.invoke(app, ["queries"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "children" in result.stdout and "cast" in result.stdout
    assert re.search(r"^cast +\[show\] \[character\] ", result.stdout, re.MULTILINE)
    assert re.search(r"^children +name ", result.stdout, re.MULTILINE)
    # short: about one line per query, none wider than the terminal
    lines = result.stdout.splitlines()
    assert len(lines) <= 2 * 13 + 3
    assert max(len(line.rstrip()) for line in lines[:-1]) <= 80


def test_queries_name_shows_the_detail() -> None:
    result = invoke("queries", "children")
    assert result.exit_code == 0, result.output
    assert re.search(r"name \(required\)", result.stdout)
    assert "kg query GRAPH --name children" in result.stdout
    assert "SELECT" in result.stdout
    assert re.search(r"show \(optional\)", invoke("queries", "cast").stdout)
    unknown = invoke("queries", "chidren")
    assert unknown.exit_code == 2 and "did you mean children" in unknown.stderr


# --- viz, validate -------------------------------------------------------------------------


def test_viz_writes_a_page(small_graph: Path, tmp_path: Path) -> None:
    page = tmp_path / "pages" / "page.html"
    result = invoke("viz", small_graph, "-o", page)
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "<html" in text.lower() and "Ana Kerr" in text


def test_validate_conforming_graph(small_graph: Path) -> None:
    result = invoke("validate", small_graph)
    assert result.exit_code == 0, result.output
    assert "conforms" in result.stdout


def test_validate_reports_violations(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    # A person without a label, and kg:plays pointing at a show.
    broken.write_text(
        SMALL_GRAPH
        + "<person/nameless> a kg:Person ; kg:plays <show/harbour-nights> .\n",
        encoding="utf-8",
    )
    result = invoke("validate", broken)
    assert result.exit_code == 1
    assert "Constraint Violation" in result.stdout or "Violation" in result.stdout
    assert "nameless" in result.stdout
    assert "does not conform" in result.stderr


# --- usability: errors in words, pasteable results, stores everywhere, help --------------


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    built = invoke("build", EXAMPLES, "-o", folder / "out", "--store", folder / "store", "-q")
    assert built.exit_code == 0, built.output
    return folder / "store"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_query_syntax_error_in_words_with_a_caret(small_graph: Path, engine: str) -> None:
    result = invoke("query", small_graph, "--engine", engine, "SELECT ?x WHERE { ?x foo:bar ?y }")
    assert result.exit_code == 1
    assert "unknown prefix foo:" in result.stderr
    assert "\\u{" not in result.stderr and "..=" not in result.stderr
    lines = result.stderr.splitlines()
    excerpt = next(i for i, line in enumerate(lines) if "SELECT ?x WHERE" in line)
    assert lines[excerpt + 1].index("^") == lines[excerpt].index("foo:")
    unclosed = invoke("query", small_graph, "--engine", engine, "SELECT ?x WHERE {\n  ?x a kg:Person")
    assert "expected '}'" in unclosed.stderr and "at 2:" in unclosed.stderr


def test_query_table_prints_iris_that_paste_back(small_graph: Path) -> None:
    sparql = "SELECT ?who ?name WHERE { ?who a kg:Person ; rdfs:label ?name } ORDER BY ?name"
    result = runner.invoke(app, ["query", str(small_graph), sparql], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "kgr:person/" not in result.stdout
    iris = re.findall(r"<https://w3id\.org/kg-news/id/person/[a-z-]+>", result.stdout)
    assert len(iris) == 3
    assert all(max(len(line) for line in result.stdout.splitlines()) <= 80 for _ in iris)
    pasted = invoke("query", small_graph, f"SELECT ?name WHERE {{ {iris[0]} rdfs:label ?name }}", "--csv")
    assert pasted.exit_code == 0 and pasted.stdout.splitlines()[1] == "Ana Kerr"
    classes = invoke("query", small_graph, "SELECT DISTINCT ?c WHERE { ?s a ?c } ORDER BY ?c")
    assert "kg:Person" in classes.stdout  # a legal prefixed name where there is one


def test_query_table_too_wide_prints_rows_whole(small_graph: Path) -> None:
    sparql = ("SELECT ?who ?role ?show WHERE { ?who kg:plays ?role . ?role kg:characterIn ?show }")
    result = runner.invoke(app, ["query", str(small_graph), sparql], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    for iri in ("<https://w3id.org/kg-news/id/person/ana-kerr>",
                "<https://w3id.org/kg-news/id/character/dee-moss>",
                "<https://w3id.org/kg-news/id/show/harbour-nights>"):
        assert iri in result.stdout  # on one line, not folded


def test_query_refuses_updates_as_read_only(small_graph: Path) -> None:
    result = invoke("query", small_graph, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert result.exit_code == 1
    assert "kg query is read-only" in result.stderr
    assert "expected CONSTRUCT" not in result.stderr


def test_viz_and_validate_accept_a_store(examples_store: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    drawn = invoke("viz", examples_store, "-o", page)
    assert drawn.exit_code == 0, drawn.output
    assert "Hayley Brannigan" in page.read_text(encoding="utf-8")
    checked = invoke("validate", examples_store)
    assert checked.exit_code == 0, checked.output
    assert "conforms" in checked.stdout


def test_every_graph_reading_command_takes_a_store(examples_store: Path) -> None:
    for command in ("query", "viz", "validate", "serve", "push"):
        text = runner.invoke(app, [command, "--help"], env={"COLUMNS": "100"}).stdout
        assert "store" in text.lower(), command


def test_viz_warns_when_the_page_is_empty(small_graph: Path, tmp_path: Path) -> None:
    result = invoke("viz", small_graph, "-o", tmp_path / "p.html", "--since", "2030-01-01")
    assert "the page is empty" in result.stderr, (result.output, result.exception)
    assert "no evidence is dated on or after 2030-01-01" in result.stderr
    none = invoke("viz", small_graph, "-o", tmp_path / "q.html", "--classes", "Event")
    assert "no entity of class Event" in none.stderr
    full = invoke("viz", small_graph, "-o", tmp_path / "r.html")
    assert "warning" not in full.stderr


def test_query_warns_about_an_unknown_class_or_name(small_graph: Path) -> None:
    wrong_class = invoke("query", small_graph, "--name", "entities", "--param", "class=Persn")
    assert wrong_class.exit_code == 0
    assert "no class 'Persn'" in wrong_class.stderr and "did you mean Person" in wrong_class.stderr
    assert "Person, Character, Show" in wrong_class.stderr
    wrong_name = invoke("query", small_graph, "--name", "children", "--param", "name=Ana Ker")
    assert "no entity named 'Ana Ker'" in wrong_name.stderr
    assert "did you mean Ana Kerr" in wrong_name.stderr
    real_nothing = invoke("query", small_graph, "--name", "children", "--param", "name=Bo Kerr")
    assert real_nothing.exit_code == 0 and "warning" not in real_nothing.stderr


def test_remove_accepts_an_article_path(examples_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(examples_store, store)
    article = EXAMPLES / "01_stanley_hurwood_death.txt"
    result = invoke("remove", store, article)
    assert result.exit_code == 0, result.output
    assert "01_stanley_hurwood_death" in result.stdout
    wrong = invoke("remove", store, "02_hayley_brannigan_engage")
    assert wrong.exit_code == 1
    assert "did you mean 02_hayley_brannigan_engaged" in wrong.stderr


def test_short_help_everywhere_without_bool_metavars() -> None:
    commands = ["build", "query", "queries", "add", "remove", "export", "serve", "push", "viz",
                "validate"]
    for args in ([], *([command] for command in commands)):
        result = runner.invoke(app, [*args, "-h"], env={"COLUMNS": "80"})
        assert result.exit_code == 0, (args, result.output)
        assert "Usage:" in result.stdout
        assert "<bool>" not in result.stdout, args
        assert max(len(line) for line in result.stdout.splitlines()) <= 80, args
    build = runner.invoke(app, ["build", "-h"], env={"COLUMNS": "80"}).stdout
    # readable: a help sentence keeps several words on a line at 80 columns
    assert "Check the graph against the SHACL shapes." in build


def test_add_takes_quiet(examples_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(examples_store, store)
    result = invoke("add", store, EXAMPLES / "01_stanley_hurwood_death.txt", "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_viz_focus_on_an_unknown_name_suggests_one(small_graph: Path, tmp_path: Path) -> None:
    result = invoke("viz", small_graph, "-o", tmp_path / "p.html", "--focus", "Anna Kerr")
    assert result.exit_code == 1
    assert "no entity is called 'Anna Kerr'; did you mean Ana Kerr" in result.stderr


def test_viz_focus_opens_with_that_entity_selected(small_graph: Path, tmp_path: Path) -> None:
    page = tmp_path / "focus.html"
    result = invoke("viz", small_graph, "-o", page, "--focus", "Ana Kerr")
    assert result.exit_code == 0, result.output
    data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>',
                     page.read_text(encoding="utf-8"), re.DOTALL)
    assert data is not None
    assert json.loads(data.group(1))["focus"] == "https://w3id.org/kg-news/id/person/ana-kerr"
