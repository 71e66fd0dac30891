"""Benchmark kg's Oxigraph store against rdflib in memory on a graph of about a million triples.

A synthetic archive (``benchmarks/synthetic_graph.py``: kg's ontology, one rdf:Statement per
piece of evidence, age observations, merges, popular people in many articles) is built once
with kg's own graph builder and written as N-Triples. Then, in the same run, for rdflib
(``Graph.parse``) and kg's store (:class:`kg.store.OxigraphStore` on disk):

- load time of the N-Triples file, and the time to hand a built rdflib graph to the store;
- Turtle write time;
- p50/p95 of every shipped query (``kg queries``), run through ``kg.query.run_named`` as
  ``kg query`` runs it, result rows included. Parameters are drawn like a reader's questions:
  names of people, characters and shows weighted by how many articles mention them (every
  query that takes a ``name`` is asked about one person);
- listings of the whole archive, whose rows grow with it: each query whose parameters are all
  optional run without any, ``support`` per relation and ``entities`` per class;
- the ratio rdflib / store, and how many lookups meet 20 ms at p50.

rdflib runs fewer repetitions and each in a forked process that is stopped after
``--rdflib-timeout`` seconds (rdflib cannot be interrupted); such a run prints ``>T``.

    python benchmarks/bench_store.py                          # 1M triples, ~20 minutes
    python benchmarks/bench_store.py --triples 100000 --runs 10 --rdflib-runs 2
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_graph import TRIPLES_PER_ARTICLE, synthetic_corpus  # noqa: E402

_RELATIONS = ("child", "coStar", "plays", "actsIn", "partner", "broadcastBy")
_CLASSES = ("Person", "Character", "Show", "Organization")


@dataclass
class QueryFigures:
    """Timings of one shipped query, in milliseconds."""

    name: str
    params: str
    rows_p50: float = 0.0
    store_ms: list[float] = field(default_factory=list)
    store_cpu_ms: list[float] = field(default_factory=list)
    rdflib_ms: list[float] = field(default_factory=list)
    rdflib_timeouts: int = 0


def _pct(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def _parameter_sets(corpus: object, runs: int, seed: int) -> dict[str, list[dict[str, str]]]:
    """For each shipped query, ``runs`` parameter sets drawn as a reader would ask."""
    from kg.query import named_queries

    rng = random.Random(seed)
    counts: dict[str, int] = {}
    for (_, _), entity_id in corpus.mapping.items():  # type: ignore[attr-defined]
        counts[entity_id] = counts.get(entity_id, 0) + 1
    by_class: dict[str, list[object]] = {}
    for entity in corpus.entities:  # type: ignore[attr-defined]
        by_class.setdefault(entity.cls, []).append(entity)

    def names(cls: str) -> list[str]:
        pool = by_class[cls]
        weights = [counts.get(entity.id, 1) for entity in pool]  # type: ignore[attr-defined]
        return [entity.name for entity in rng.choices(pool, weights, k=runs)]  # type: ignore[attr-defined]

    sets: dict[str, list[dict[str, str]]] = {}
    for query in named_queries().values():
        required = [p.name for p in query.params if p.required]
        if query.name == "cast":
            sets[query.name] = [{"show": name} for name in names("Show")]
        elif required == ["character"]:
            sets[query.name] = [{"character": name} for name in names("Character")]
        elif required == ["name"] or any(p.name == "name" for p in query.params):
            sets[query.name] = [{"name": name} for name in names("Person")]
        else:
            sets[query.name] = [{} for _ in range(runs)]
    return sets


_FORKED_GRAPH = None


def _rdflib_child(name: str, params: dict[str, str], conn: object) -> None:
    from kg.query import run_named

    started = time.perf_counter()
    result = run_named(_FORKED_GRAPH, name, params)  # type: ignore[arg-type]
    conn.send((time.perf_counter() - started, len(result)))  # type: ignore[attr-defined]


def _rdflib_query(name: str, params: dict[str, str], timeout: float) -> float | None:
    """Seconds rdflib takes, in a forked copy of this process; ``None`` past ``timeout``."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_rdflib_child, args=(name, params, child))
    process.start()
    answer = parent.recv() if parent.poll(timeout) else None
    process.kill()
    process.join()
    return None if answer is None else answer[0]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures (``--json`` also writes them)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="about this many triples")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=20, help="parameter sets per query (store)")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="parameter sets per query (rdflib)")
    parser.add_argument("--rdflib-timeout", type=float, default=30.0, help="seconds per rdflib query")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench/store-bench"),
                        help="folder for the generated graph and the store (reused when present)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    import rdflib

    from kg.export import write_graph
    from kg.graph.builder import build_graph
    from kg.query import named_queries, run_named
    from kg.store import OxigraphStore

    global _FORKED_GRAPH
    args.work.mkdir(parents=True, exist_ok=True)
    articles = max(1, args.triples // TRIPLES_PER_ARTICLE)
    source = args.work / f"synthetic-{articles}-{args.seed}.nt"
    print(f"# kg store benchmark: {articles:,} synthetic articles, seed {args.seed}", flush=True)
    corpus = synthetic_corpus(articles, args.seed)
    if not source.exists():
        seconds, built = _timed(lambda: build_graph(corpus))
        write_graph(built, source)  # type: ignore[arg-type]
        print(f"generated {source} with kg's graph builder in {seconds:.1f} s", flush=True)
        del built

    figures: dict[str, float] = {}
    # --- rdflib ---------------------------------------------------------------------------------
    seconds, graph = _timed(lambda: rdflib.Graph().parse(source, format="nt"))
    figures["rdflib_load_s"] = seconds
    triples = len(graph)  # type: ignore[arg-type]
    print(f"{triples:,} triples", flush=True)
    seconds, turtle = _timed(lambda: graph.serialize(format="turtle", encoding="utf-8"))  # type: ignore[union-attr]
    figures["rdflib_turtle_s"] = seconds
    figures["turtle_mb"] = len(turtle) / 1e6  # type: ignore[arg-type]
    del turtle

    # --- kg's store -----------------------------------------------------------------------------
    folder = args.work / "oxigraph"
    shutil.rmtree(folder, ignore_errors=True)
    store = OxigraphStore(folder)
    seconds, _ = _timed(lambda: store.load(source))
    figures["store_load_s"] = seconds
    assert len(store) == triples, (len(store), triples)
    seconds, turtle = _timed(lambda: store.serialize("turtle"))
    figures["store_turtle_s"] = seconds
    del turtle
    handover = OxigraphStore()
    seconds, _ = _timed(lambda: handover.replace(graph))  # type: ignore[arg-type]
    figures["store_from_rdflib_graph_s"] = seconds
    del handover
    store.close()
    store = OxigraphStore(folder, read_only=True)
    seconds, _ = _timed(lambda: store.label_forms(""))
    figures["store_label_index_s"] = seconds

    # --- queries --------------------------------------------------------------------------------
    _FORKED_GRAPH = graph
    parameter_sets = _parameter_sets(corpus, args.runs, args.seed)
    results: list[QueryFigures] = []
    for query in named_queries().values():
        sets = parameter_sets[query.name]
        shown = ", ".join(sorted({key for params in sets for key in params})) or "-"
        entry = QueryFigures(query.name, shown)
        run_named(store, query.name, sets[0])  # warm-up
        rows = []
        for params in sets:
            started, cpu = time.perf_counter(), time.thread_time()
            result = run_named(store, query.name, params)
            entry.store_ms.append((time.perf_counter() - started) * 1000)
            entry.store_cpu_ms.append((time.thread_time() - cpu) * 1000)
            rows.append(len(result))
        entry.rows_p50 = statistics.median(rows)
        for params in sets[: args.rdflib_runs]:
            seconds_or_none = _rdflib_query(query.name, params, args.rdflib_timeout)
            if seconds_or_none is None:
                entry.rdflib_timeouts += 1
                entry.rdflib_ms.append(args.rdflib_timeout * 1000)
            else:
                entry.rdflib_ms.append(seconds_or_none * 1000)
        results.append(entry)
        print(f"  {query.name}: store p50 {_pct(entry.store_ms, .5):.1f} ms", flush=True)

    # Listings: queries whose parameters are all optional, run without any (the whole archive),
    # and support per relation. Their rows grow with the archive.
    listings: list[QueryFigures] = []
    listing_runs = [(query.name, {}, "(none)") for query in named_queries().values()
                    if query.params and not any(p.required for p in query.params)]
    listing_runs += [("support", {"relation": relation}, f"rel={relation}") for relation in _RELATIONS[:3]]
    listing_runs += [("entities", {"class": cls}, f"cls={cls}") for cls in _CLASSES]
    for name, params, shown in listing_runs:
        entry = QueryFigures(name, shown)
        rows = []
        for _ in range(3):
            started, cpu = time.perf_counter(), time.thread_time()
            rows.append(len(run_named(store, name, params)))
            entry.store_ms.append((time.perf_counter() - started) * 1000)
            entry.store_cpu_ms.append((time.thread_time() - cpu) * 1000)
        entry.rows_p50 = statistics.median(rows)
        seconds_or_none = _rdflib_query(name, params, args.rdflib_timeout)
        entry.rdflib_timeouts += seconds_or_none is None
        entry.rdflib_ms.append(args.rdflib_timeout * 1000 if seconds_or_none is None else seconds_or_none * 1000)
        listings.append(entry)

    _report(triples, figures, results, args)
    print("\nlistings of the whole archive (store: 3 runs, rdflib: 1 run)")
    _rows(listings)
    within = [r.name for r in results if _pct(r.store_ms, .5) <= 20]
    print(f"\nlookups with store p50 <= 20 ms: {len(within)} of {len(results)}"
          + (f" (over: {', '.join(r.name for r in results if r.name not in within)})"
             if len(within) < len(results) else ""))
    if args.json:
        args.json.write_text(json.dumps({"triples": triples, **figures,
                                         "queries": [asdict(r) for r in results],
                                         "listings": [asdict(r) for r in listings]}, indent=1))
    return 0


def _report(triples: int, figures: dict[str, float], results: list[QueryFigures], args: argparse.Namespace) -> None:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:,.0f}x" if b > 0 else "-"

    print()
    print(f"kg store benchmark: {triples:,} triples (Turtle {figures['turtle_mb']:.0f} MB)")
    print(f"{'':34}{'rdflib':>12}{'kg store':>12}{'ratio':>9}")
    print(f"{'load N-Triples (s)':34}{figures['rdflib_load_s']:>12.2f}{figures['store_load_s']:>12.2f}"
          f"{ratio(figures['rdflib_load_s'], figures['store_load_s']):>9}")
    print(f"{'write Turtle (s)':34}{figures['rdflib_turtle_s']:>12.2f}{figures['store_turtle_s']:>12.2f}"
          f"{ratio(figures['rdflib_turtle_s'], figures['store_turtle_s']):>9}")
    print(f"{'store from a built rdflib graph (s)':34}{'':>12}{figures['store_from_rdflib_graph_s']:>12.2f}")
    print(f"{'label index, built once (s)':34}{'':>12}{figures['store_label_index_s']:>12.2f}")
    print()
    print(f"queries (ms; store: {args.runs} runs, rdflib: {args.rdflib_runs} runs, "
          f">{args.rdflib_timeout:g} s stopped)")
    _rows(results)


def _rows(results: list[QueryFigures]) -> None:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:,.0f}x" if b > 0 else "-"

    header = (f"{'query':16}{'params':10}{'rows':>7}{'rdflib p50':>12}{'p95':>10}"
              f"{'store p50':>11}{'p95':>9}{'cpu p50':>9}{'ratio':>9}")
    print(header)
    for r in results:
        rd50, rd95 = _pct(r.rdflib_ms, .5), _pct(r.rdflib_ms, .95)
        st50, st95 = _pct(r.store_ms, .5), _pct(r.store_ms, .95)
        cpu50 = _pct(r.store_cpu_ms, .5)
        mark = ">" if r.rdflib_timeouts and r.rdflib_timeouts * 2 >= len(r.rdflib_ms) else ""
        print(f"{r.name:16}{r.params:10}{r.rows_p50:>7.0f}{mark + f'{rd50:,.0f}':>12}{rd95:>10,.0f}"
              f"{st50:>11.1f}{st95:>9.1f}{cpu50:>9.1f}{(mark + ratio(rd50, st50)):>9}")


if __name__ == "__main__":
    raise SystemExit(main())
