"""How fast the explorer page opens on a large graph, in a real headless Chromium.

Builds a synthetic graph of ``--nodes`` entities and ``--edges`` relations (default 2,000 and
5,000) in kg's exact shape (records turned into RDF by :func:`kg.graph.build_graph`, so every
relation has its ``rdf:Statement`` evidence and people have dated ages), renders it with
:func:`kg.viz.html.render_html`, opens the page from disk ``--runs`` times in Debian's Chromium
(``/usr/bin/chromium``, driven by Playwright, every network request blocked) and prints:

- Python: seconds to read the graph, lay it out and render the page; the page's size;
- Chromium: milliseconds from navigation start until the network is drawn and the page idle
  (the page sets ``data-kg-ready`` in a ``requestIdleCallback`` after its first complete draw),
  and the wall-clock seconds the same took seen from Python;
- responsiveness once loaded: one full redraw, searching and focusing a node, hiding a class,
  the 2-hop neighbourhood of a node (each until the next frame is painted).

    python benchmarks/bench_viz.py                     # 2,000 nodes, 5,000 edges, 3 runs
    python benchmarks/bench_viz.py --nodes 500 --edges 1200 --runs 5

The target is 5 s or less until drawn and idle (median over the runs). The graph is seeded:
the same options give the same graph and the same layout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import rdflib

from kg.graph import build_graph
from kg.records import (
    SYMMETRIC_PREDICATES,
    Article,
    ArticleExtraction,
    Entity,
    Evidence,
    Fact,
    LocalEntity,
    Relation,
    ResolvedCorpus,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
]
TARGET_SECONDS = 5.0

#: Share of each entity class among the nodes.
CLASS_SHARES = (("Person", 0.6), ("Character", 0.2), ("Show", 0.12), ("Organization", 0.08))
#: (subject class, predicate, object class, weight): the relations the ontology allows.
RELATION_KINDS = (
    ("Person", "child", "Person", 8), ("Person", "spouse", "Person", 3), ("Person", "partner", "Person", 2),
    ("Person", "exPartner", "Person", 2), ("Person", "sibling", "Person", 4), ("Person", "friend", "Person", 5),
    ("Person", "coStar", "Person", 8), ("Person", "coHost", "Person", 2), ("Person", "actsIn", "Show", 12),
    ("Person", "presents", "Show", 3), ("Person", "appearsIn", "Show", 4), ("Person", "plays", "Character", 8),
    ("Character", "characterIn", "Show", 8), ("Character", "child", "Character", 2),
    ("Character", "spouse", "Character", 2), ("Show", "createdBy", "Person", 2),
    ("Show", "broadcastBy", "Organization", 4),
)
SYLLABLES = ("ka", "ri", "mo", "lan", "de", "sa", "vi", "to", "bel", "na", "ro", "el", "ja", "mar", "ty",
             "lo", "fen", "ash", "wyn", "dor", "ha", "li", "quin", "ev", "os", "bra")


def synthetic_graph(nodes: int, edges: int, *, articles: int = 300, seed: int = 0) -> rdflib.Graph:
    """A graph of exactly ``nodes`` entities and ``edges`` relation triples, each relation with
    one to three pieces of evidence from ``articles`` dated articles; about a third of the people
    have one or two ages. Popularity is skewed, so some entities are hubs."""
    rng = random.Random(seed)
    entities: list[Entity] = []
    by_class: dict[str, list[Entity]] = {}
    names: set[str] = set()
    for cls, share in CLASS_SHARES:
        count = round(nodes * share) if cls != CLASS_SHARES[-1][0] else nodes - len(entities)
        for _ in range(count):
            name = _name(rng, names, 2 if cls == "Person" else 1)
            entity = Entity(f"{cls.lower()}/{name.lower().replace(' ', '-')}", cls, name)
            entities.append(entity)
            by_class.setdefault(cls, []).append(entity)
    weights = {cls: [1 / (rank + 1) ** 0.8 for rank in range(len(group))] for cls, group in by_class.items()}

    dates = [dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650)) for _ in range(articles)]
    per_article: dict[int, list[Relation | Fact]] = {i: [] for i in range(articles)}
    seen: set[tuple[str, str, str]] = set()
    kinds = [kind[:3] for kind in RELATION_KINDS]
    kind_weights = [kind[3] for kind in RELATION_KINDS]
    while len(seen) < edges:
        subject_cls, predicate, object_cls = rng.choices(kinds, kind_weights)[0]
        subject = rng.choices(by_class[subject_cls], weights[subject_cls])[0]
        obj = rng.choices(by_class[object_cls], weights[object_cls])[0]
        if subject.id == obj.id:
            continue
        if predicate in SYMMETRIC_PREDICATES and obj.id < subject.id:
            subject, obj = obj, subject
        if (subject.id, predicate, obj.id) in seen:
            continue
        seen.add((subject.id, predicate, obj.id))
        for article in rng.sample(range(articles), rng.choice((1, 1, 2, 3))):
            sentence = f"{subject.name} and {obj.name}: {predicate}, as the article about them says."
            per_article[article].append(Relation(subject.id, predicate, obj.id, _evidence(rng, article, sentence)))
    for person in by_class["Person"]:
        if rng.random() < 0.33:
            born = 1950 + rng.randrange(50)
            for article in rng.sample(range(articles), rng.choice((1, 2))):
                age = dates[article].year - born
                sentence = f"{person.name}, {age}, was at the launch."
                per_article[article].append(Fact(person.id, "age", age, _evidence(rng, article, sentence)))

    index = {entity.id: entity for entity in entities}
    extractions = []
    mapping: dict[tuple[str, str], str] = {}
    for number, items in per_article.items():
        article_id = f"{number:04d}_synthetic"
        used = sorted({item.subject for item in items} | {item.object for item in items if isinstance(item, Relation)})
        for key in used:
            mapping[(article_id, key)] = key
        local = tuple(LocalEntity(key, index[key].cls, index[key].name) for key in used)
        extractions.append(ArticleExtraction(
            Article(article_id, dates[number], "", f"synthetic/{article_id}.txt", title=f"Synthetic article {number}"),
            local,
            tuple(item for item in items if isinstance(item, Relation)),
            tuple(item for item in items if isinstance(item, Fact)),
        ))
    return build_graph(ResolvedCorpus(tuple(extractions), tuple(entities), mapping))


def _name(rng: random.Random, taken: set[str], words: int) -> str:
    while True:
        name = " ".join(
            "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize() for _ in range(words)
        )
        if name not in taken:
            taken.add(name)
            return name


def _evidence(rng: random.Random, article: int, sentence: str) -> Evidence:
    start = rng.randrange(2000)
    return Evidence(f"{article:04d}_synthetic", sentence, start, start + len(sentence), "synthetic.rule",
                    round(rng.uniform(0.5, 0.95), 3), hedged=rng.random() < 0.1)


NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
TIMED = """async ([action, arg]) => {
  const x = window.kgExplorer, start = performance.now();
  if (action === 'redraw') { x.network.redraw(); }
  if (action === 'select') { x.select(arg); }
  if (action === 'class') { x.toggleClass(arg); }
  if (action === 'hood') { x.select(arg); document.getElementById('kg-depth').value = '2';
                           const box = document.getElementById('kg-hood'); box.checked = true;
                           box.dispatchEvent(new Event('change')); }
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return performance.now() - start;
}"""


def measure(page_path: Path, runs: int) -> list[dict[str, Any]]:
    """Open the page ``runs`` times in fresh contexts of one Chromium; return the figures of each."""
    from playwright.sync_api import sync_playwright

    url = page_path.resolve().as_uri()
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                blocked: list[str] = []
                errors: list[str] = []

                def route(request_route: Any, blocked: list[str] = blocked) -> None:
                    if request_route.request.url == url:
                        request_route.continue_()
                    else:
                        blocked.append(request_route.request.url)
                        request_route.abort()

                context.route("**/*", route)
                page = context.new_page()
                page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                started = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("html[data-kg-ready='true']", state="attached", timeout=120_000)
                wall = time.perf_counter() - started
                figures = page.evaluate("""() => { const x = window.kgExplorer, b = x.network.body;
                    return { readyMs: x.readyAt, scriptToReadyMs: x.drawMs,
                             domContentLoadedMs: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
                             nodes: x.nodes.length, edges: x.edges.length, drawnNodes: b.nodeIndices.length,
                             drawnEdges: b.edgeIndices.length, physics: x.network.physics.options.enabled,
                             layout: x.layout }; }""")
                hub = page.evaluate("""() => { const x = window.kgExplorer;
                    const degree = id => x.network.getConnectedEdges(id).length;
                    return x.nodes.getIds().reduce((best, id) => degree(id) > degree(best) ? id : best); }""")
                page.evaluate(NEXT_FRAME)
                figures["redrawMs"] = statistics.median(page.evaluate(TIMED, ["redraw", None]) for _ in range(5))
                figures["searchFocusMs"] = page.evaluate(TIMED, ["select", hub])
                figures["hideClassMs"] = page.evaluate(TIMED, ["class", "Person"])
                page.evaluate(TIMED, ["class", "Person"])
                figures["hood2Ms"] = page.evaluate(TIMED, ["hood", hub])
                figures["wallSeconds"] = wall
                figures["blocked"] = blocked
                figures["errors"] = errors
                results.append(figures)
                context.close()
        finally:
            browser.close()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="also write the page here")
    args = parser.parse_args(argv)

    from kg.viz.html import render_html
    from kg.viz.network import to_networkx

    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    started = time.perf_counter()
    graph = synthetic_graph(args.nodes, args.edges)
    network = to_networkx(graph)
    print(f"graph: {len(graph):,} triples, {network.number_of_nodes():,} nodes, {network.number_of_edges():,} edges "
          f"(generated in {time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    html = render_html(graph, title=f"Synthetic graph, {args.nodes} nodes")
    render = time.perf_counter() - started
    print(f"python: render_html {render:.2f} s (read, layout, page), page {len(html.encode()) / 1e6:.2f} MB")

    with tempfile.TemporaryDirectory() as folder:
        page_path = args.keep or Path(folder) / "explorer.html"
        page_path.write_text(html, encoding="utf-8")
        results = measure(page_path, args.runs)

    print()
    print(f"{'run':>3} {'drawn+idle ms':>13} {'wall s':>7} {'DOMContentLoaded ms':>19} {'redraw ms':>9} "
          f"{'focus ms':>8} {'hide class ms':>13} {'2-hop ms':>8}  drawn nodes/edges  physics")
    for number, r in enumerate(results, 1):
        print(f"{number:>3} {r['readyMs']:>13.0f} {r['wallSeconds']:>7.2f} {r['domContentLoadedMs']:>19.0f} "
              f"{r['redrawMs']:>9.1f} {r['searchFocusMs']:>8.1f} {r['hideClassMs']:>13.1f} {r['hood2Ms']:>8.1f}  "
              f"{r['drawnNodes']}/{r['drawnEdges']}{'':>9} {'on' if r['physics'] else 'off'} ({r['layout']})")
    problems = [f"run {n}: blocked {r['blocked']}, errors {r['errors']}" for n, r in enumerate(results, 1)
                if r["blocked"] or r["errors"]]
    expected = (network.number_of_nodes(), network.number_of_edges())
    problems += [f"run {n}: drew {r['drawnNodes']}/{r['drawnEdges']} of {expected[0]}/{expected[1]}"
                 for n, r in enumerate(results, 1) if (r["drawnNodes"], r["drawnEdges"]) != expected]
    median = statistics.median(r["readyMs"] for r in results) / 1000
    print()
    print(f"median time until drawn and idle: {median:.2f} s (target <= {TARGET_SECONDS:.0f} s): "
          f"{'met' if median <= TARGET_SECONDS else 'NOT met'}")
    for problem in problems:
        print("problem:", problem)
    return 1 if problems or median > TARGET_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
