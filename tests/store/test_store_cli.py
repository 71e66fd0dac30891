"""``kg build --store``, ``kg add``, ``kg remove`` and ``kg query`` on a store, through the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib.compare import isomorphic
from typer.testing import CliRunner, Result

from kg.cli import app
from kg.store import KgStore, open_graph

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FILES = sorted(EXAMPLES.glob("*.txt"))
runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})


def invoke(*args: object) -> Result:
    return runner.invoke(app, [str(arg) for arg in args])


def test_add_remove_and_query_a_store(tmp_path: Path) -> None:
    store = tmp_path / "archive"
    first = invoke("add", store, *FILES[:2])
    assert first.exit_code == 0, first.output
    assert "Added" in first.stdout and "Graph rewritten" in first.stdout

    again = invoke("add", store, EXAMPLES)
    assert again.exit_code == 0, again.output
    assert re.search(r"Unchanged\s*│ 2:", again.stdout) and re.search(r"Added\s*│ 2:", again.stdout)

    noop = invoke("add", store, *FILES[:1])
    assert noop.exit_code == 0, noop.output
    assert "no (nothing changed)" in noop.stdout

    built = invoke("build", EXAMPLES, "-o", tmp_path / "out", "--store", tmp_path / "built",
                   "--no-html", "--no-validate", "-q")
    assert built.exit_code == 0, built.output
    assert isomorphic(open_graph(store).to_graph(), open_graph(tmp_path / "built").to_graph())

    children = invoke("query", store, "--name", "children", "--param", "name=hayley brannigan", "--csv")
    assert children.exit_code == 0, children.output
    assert sorted(line.split(",")[3] for line in children.stdout.splitlines()[1:]) == ["Finley", "Rosie"]

    gone = FILES[-1].stem
    removed = invoke("remove", store, gone, "no-such-id")
    assert removed.exit_code == 0, removed.output
    assert "not in the store: no-such-id" in removed.stderr
    with KgStore.open(store, read_only=True) as opened:
        assert gone not in opened.article_ids() and len(opened) == 3

    nothing = invoke("remove", store, "no-such-id")
    assert nothing.exit_code == 1


def test_query_a_file_with_oxigraph_or_rdflib(tmp_path: Path, sample_path: Path) -> None:
    for engine in ("oxigraph", "rdflib"):
        result = invoke("query", sample_path, "--name", "children", "--param", "name=Dana Rourke",
                        "--json", "--engine", engine)
        assert result.exit_code == 0, result.output
        bindings = json.loads(result.stdout)["results"]["bindings"]
        assert sorted(b["childLabel"]["value"] for b in bindings) == ["Ellis Hale", "Mae Hale", "Ruby Vance"]


def test_query_timeout_exits_1(sample_path: Path) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = invoke("query", sample_path, slow, "--timeout", "0.3")
    assert result.exit_code == 1
    assert "timed out after 0.3 s" in result.stderr


def test_add_reports_unreadable_inputs(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("no date line here\n")
    result = invoke("add", tmp_path / "s", bad)
    assert result.exit_code == 1
    assert "bad.txt" in result.stderr and "no article could be read" in result.stderr


def test_add_refuses_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "file.txt").write_text("x")
    result = invoke("add", tmp_path / "other", FILES[0])
    assert result.exit_code == 1
    assert "not a kg store" in result.stderr or "not empty" in result.stderr


def test_an_incremental_store_exports_the_turtle_of_one_build(tmp_path: Path) -> None:
    built = invoke("build", EXAMPLES, "-o", tmp_path / "out", "--no-html", "--no-validate", "-q")
    assert built.exit_code == 0, built.output
    store = tmp_path / "archive"
    for files in (FILES[2:], FILES[:2]):  # B first, then A: the order must not matter
        added = invoke("add", store, *files)
        assert added.exit_code == 0, added.output
    exported = invoke("export", store, "-o", tmp_path / "store.ttl")
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "store.ttl").read_bytes() == (tmp_path / "out" / "graph.ttl").read_bytes()

    fast = invoke("export", store, "-o", tmp_path / "before.nt", "--fast")
    assert fast.exit_code == 0, fast.output
    again = invoke("add", store, EXAMPLES)  # every article again, unchanged
    assert again.exit_code == 0 and "no (nothing changed)" in again.stdout
    for name, flags in (("after.nt", ["--fast"]), ("after.ttl", [])):
        assert invoke("export", store, "-o", tmp_path / name, *flags).exit_code == 0
    assert (tmp_path / "after.nt").read_bytes() == (tmp_path / "before.nt").read_bytes()
    assert (tmp_path / "after.ttl").read_bytes() == (tmp_path / "store.ttl").read_bytes()


def test_export_names_a_missing_store(tmp_path: Path) -> None:
    result = invoke("export", tmp_path / "nothing", "-o", tmp_path / "x.ttl")
    assert result.exit_code != 0
    assert "nothing" in result.output and not (tmp_path / "x.ttl").exists()
