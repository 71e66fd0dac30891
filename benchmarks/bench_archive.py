"""Cross-article entity resolution on a whole archive, scored against identity derived from gold.

    python benchmarks/bench_archive.py [--corpus train dev seeds] [--cache FILE] [--show N]

Builds the articles of ``../shared/corpus/{train,dev,seeds}`` (default: all three) as ONE
archive — extraction, then :func:`kg.resolve.resolve`, then :func:`kg.graph.build_graph` —
and scores how the resolver merged local entities across articles. ``--cache FILE`` keeps the
extraction records (a pickle of the :class:`~kg.records.ArticleExtraction` lists) so that a
second run re-does only resolution and the graph; the cache is made again when the code or data
of extraction (``kg/extract``, ``kg/nlp``, ``kg/records.py``) changed.

Cross-document identity is derived from the gold files (used here for scoring only, never by
the resolver):

* gold entities of one class with the same multi-word name (or multi-word alias), folded as
  the resolver folds names, are one real entity in every article;
* a gold entity whose names are all one word ("Jack", "Matilda") is one real entity per
  article, unless its gold relations tie it to the same full-named entity (a parent, child,
  partner, sibling ..., by the same predicate) in two articles: then those are one.

Each local entity kg extracted is matched to the gold entity of its article whose name or
alias equals one of its names (folded); unmatched ones are left out of the merge figures.
Printed:

* merge precision / recall / F1: B-cubed over the matched local entity mentions (each local
  entity is one item; the system clusters are the canonical ids);
* children with more than two parents in the archive graph, and how many of them only the
  merges made so (the others have more than two parents in one article already);
* contradictions caused by merges: contradictions of the archive graph whose entity carries
  evidence from two or more articles and which no single article's own graph has;
* relation F1 of the archive graph against the union of the gold (both ends mapped to real
  entities; the scorer's lenient predicate families).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = ("train", "dev", "seeds")


def _extraction_stamp() -> str:
    """A hash of the code and data extraction depends on (kg/extract, kg/nlp, kg/records.py),
    so that a cache made by another extraction is not used."""
    import hashlib

    digest = hashlib.sha1()
    paths = [ROOT / "kg" / "records.py"]
    for folder in (ROOT / "kg" / "extract", ROOT / "kg" / "nlp"):
        paths += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def extract(corpora: Sequence[str], cache: Path | None) -> list:
    """The extraction records of the articles of ``corpora``, in reading order.

    With ``cache``, each corpus's records are read from that pickle when it holds them, and
    the corpora it lacks are extracted and added to it.
    """
    stored: dict[str, list] = {}
    stamp = _extraction_stamp()
    if cache is not None and cache.is_file():
        with cache.open("rb") as fh:
            stored = pickle.load(fh)
        if stored.get("_stamp") != stamp:  # extraction changed since: extract again
            stored = {}
    stored["_stamp"] = stamp
    missing = [c for c in corpora if c not in stored]
    if missing:
        from kg.extract.parallel import PipelineSpec, extract_stream
        from kg.ingest import read_articles
        from kg.records import InputProblem

        spec = PipelineSpec.of(None, None)
        nlp = spec.load()
        for corpus in missing:
            articles = [a for a in read_articles([SHARED / "corpus" / corpus])
                        if not isinstance(a, InputProblem)]
            stored[corpus] = [o for o in extract_stream(articles, spec=spec, nlp=nlp)
                              if not isinstance(o, InputProblem)]
        if cache is not None:
            tmp = cache.with_suffix(".tmp")
            with tmp.open("wb") as fh:
                pickle.dump(stored, fh)
            tmp.replace(cache)
    return [x for c in corpora for x in stored[c]]


# --------------------------------------------------------------------------------------------
# gold-derived identity (scoring only)

PERSONAL = frozenset({"Person", "Character"})
_SYMMETRIC = frozenset({"spouse", "partner", "exPartner", "sibling", "friend", "coStar", "coHost"})
_FAMILY = {"spouse": "partnership", "partner": "partnership", "exPartner": "partnership",
           "actsIn": "appearance", "presents": "appearance", "appearsIn": "appearance"}


def _fold_names(names: Iterable[str], cls: str) -> set[str]:
    from kg.resolve.names import normalise

    return {k for k in (normalise(n, cls) for n in names if n) if k}


@dataclass(frozen=True)
class GoldEntity:
    """One gold entity of one gold file: ``(file, id)`` and its folded names."""

    file: str
    id: str
    cls: str
    name: str
    names: frozenset[str]
    optional: bool

    @property
    def full(self) -> bool:
        """Named by a multi-word name, or not a personal name at all (shows, organisations)."""
        return self.cls not in PERSONAL or any(len(n.split()) > 1 for n in self.names)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Gold:
    """The gold files of the archive, with cross-document identity derived from them."""

    entities: dict[tuple[str, str], GoldEntity]
    relations: list[tuple[str, str, str, str, bool]]  # file, s, p, o, optional
    doc_file: dict[str, str]  # article id -> gold file
    real: dict[tuple[str, str], tuple[str, str]]  # (file, id) -> real entity (a representative)


def load_gold(corpora: Sequence[str]) -> Gold:
    """Read the gold of ``corpora`` and derive which gold entities are one real entity."""
    paths: list[Path] = []
    for corpus in corpora:
        base = SHARED / "eval" / "gold"
        paths += [base / f"{corpus}.json"] if (base / f"{corpus}.json").is_file() \
            else sorted((base / corpus).glob("*.json"))
    entities: dict[tuple[str, str], GoldEntity] = {}
    relations: list[tuple[str, str, str, str, bool]] = []
    doc_file: dict[str, str] = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        fid = f"{path.parent.name}/{path.stem}"
        for doc in data.get("documents", [path.stem]):
            doc_file[doc] = fid
        for e in data["entities"]:
            names = _fold_names([e["name"], *e.get("aliases", [])], e["type"])
            entities[(fid, e["id"])] = GoldEntity(fid, e["id"], e["type"], e["name"],
                                                  frozenset(names), bool(e.get("optional")))
        for r in data["relations"]:
            relations.append((fid, r["s"], r["p"], r["o"], bool(r.get("optional"))))
    uf = _UnionFind()
    by_name: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key, e in sorted(entities.items()):
        uf.find(key)
        if e.full:
            for n in e.names:
                if e.cls not in PERSONAL or len(n.split()) > 1:
                    by_name[(e.cls, n)].append(key)
    for members in by_name.values():
        for m in members[1:]:
            uf.union(members[0], m)
    # one-word personal names: one per file, unless tied to the same full-named real entity
    # (by the same predicate, in the same direction) as another entity of that name or as
    # the one full-named entity whose first or last name it is
    ties: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for fid, s, p, o, _opt in relations:
        for me, other, direction in ((s, o, "out"), (o, s, "in")):
            a, b = entities.get((fid, me)), entities.get((fid, other))
            if a is None or b is None or a.cls not in PERSONAL or not b.full:
                continue
            if p in _SYMMETRIC:
                direction = "sym"
            words = {n for n in a.names if " " not in n} if not a.full else \
                {w for n in a.names if " " in n for w in (n.split()[0], n.split()[-1])}
            for w in words:
                ties[(a.cls, w, p, direction, uf.find((fid, other)))].append((fid, me))
    for members in ties.values():
        bare = [m for m in members if not entities[m].full]
        full = {uf.find(m) for m in members if entities[m].full}
        for m in bare[1:]:
            uf.union(bare[0], m)
        if bare and len(full) == 1:
            uf.union(bare[0], next(iter(full)))
    real = {key: uf.find(key) for key in entities}
    return Gold(entities, relations, doc_file, real)


# --------------------------------------------------------------------------------------------
# scoring


def match_locals(extractions: Sequence, gold: Gold) -> dict[tuple[str, str], tuple[str, str]]:
    """(article id, local key) -> real entity, for the local entities a gold entity of their
    article names (by the local entity's name first, then its aliases; same class first)."""
    by_file: dict[str, list[GoldEntity]] = defaultdict(list)
    for e in gold.entities.values():
        by_file[e.file].append(e)
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for ext in extractions:
        fid = gold.doc_file.get(ext.article.id)
        if fid is None:
            continue
        for local in ext.entities:
            own = _fold_names([local.name], local.cls)
            every = own | _fold_names(local.aliases, local.cls)
            found = None
            for names in (own, every):
                hits = [e for e in by_file[fid] if e.names & names]
                same = [e for e in hits if e.cls == local.cls]
                pick = same or hits
                if len({gold.real[(e.file, e.id)] for e in pick}) == 1:
                    found = gold.real[(pick[0].file, pick[0].id)]
                    break
                if pick:
                    break
            if found is not None:
                out[(ext.article.id, local.key)] = found
    return out


def bcubed(system: dict, truth: dict) -> tuple[float, float]:
    """B-cubed precision and recall of the clustering ``system`` (item -> cluster) against
    ``truth`` (item -> cluster), over the items both know."""
    items = [i for i in truth if i in system]
    sys_c: dict = defaultdict(set)
    gold_c: dict = defaultdict(set)
    for i in items:
        sys_c[system[i]].add(i)
        gold_c[truth[i]].add(i)
    p = r = 0.0
    for i in items:
        both = len(sys_c[system[i]] & gold_c[truth[i]])
        p += both / len(sys_c[system[i]])
        r += both / len(gold_c[truth[i]])
    n = len(items) or 1
    return p / n, r / n


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def relation_scores(graph, corpus, matched: dict, gold: Gold) -> tuple[float, float, float]:
    """Lenient relation precision, recall and F1 of the archive graph against the union of
    the gold (both ends mapped to real entities)."""
    from kg.graph.builder import entity_iri
    from kg.records import PREDICATES

    votes: dict[str, Counter] = defaultdict(Counter)
    for key, cid in corpus.mapping.items():
        if key in matched:
            votes[str(entity_iri(cid))][matched[key]] += 1
    real_of = {iri: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
               for iri, c in votes.items()}

    def norm(s, p, o):
        fam = _FAMILY.get(p, p)
        if p in _SYMMETRIC and o < s:
            s, o = o, s
        return (s, fam, o)

    truth, optional = set(), set()
    for fid, s, p, o, opt in gold.relations:
        if (fid, s) not in gold.real or (fid, o) not in gold.real:
            continue
        (optional if opt else truth).add(norm(gold.real[(fid, s)], p, gold.real[(fid, o)]))
    found = set()
    preds = set(PREDICATES)
    for s, p, o in graph:
        name = _local(str(p))
        if name in preds and "/kg-news/" in str(p):
            rs, ro = real_of.get(str(s)), real_of.get(str(o))
            found.add(norm(rs or ("?", str(s)), name, ro or ("?", str(o))))
    tp = len(found & truth)
    fp = len(found - truth - optional)
    fn = len(truth - found)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def many_parents(graph, corpus) -> tuple[list[tuple[str, int]], int]:
    """Children with more than two parents in the graph (label, count), and how many of them
    no single article gives more than two parents (the merges made those)."""
    from kg.graph.builder import entity_iri
    from kg.graph.namespace import KG, RDFS

    parents: dict = defaultdict(set)
    for p, _, c in graph.triples((None, KG.child, None)):
        parents[c].add(p)
    over = sorted((str(graph.value(c, RDFS.label)), len(ps)) for c, ps in parents.items()
                  if len(ps) > 2)
    stated: set[str] = set()  # children an article itself gives more than two parents
    for ext in corpus.extractions:
        local: dict[str, set] = defaultdict(set)
        for r in ext.relations:
            if r.predicate == "child":
                local[r.object].add(r.subject)
        stated |= {str(entity_iri(corpus.canonical(ext.article.id, k)))
                   for k, ps in local.items() if len(ps) > 2}
    by_merge = sum(1 for c, ps in parents.items() if len(ps) > 2 and str(c) not in stated)
    return over, by_merge


def merge_contradictions(graph, corpus, matched: dict) -> tuple[list, list]:
    """The graph's contradictions that span two or more articles, and those of them on an
    entity whose local entities the gold gives to more than one real entity (a wrong merge)."""
    from kg.graph.builder import entity_iri
    from kg.query.contradictions import find_contradictions

    members: dict[str, set] = defaultdict(set)
    for key, cid in corpus.mapping.items():
        if key in matched:
            members[str(entity_iri(cid))].add(matched[key])
    spanning = [c for c in find_contradictions(graph) if len(c.articles) > 1]
    wrong = [c for c in spanning if len(members.get(c.entity, ())) > 1]
    return spanning, wrong


def main(argv: list[str] | None = None) -> int:
    """Build the archive, score it, print the figures; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", nargs="+", default=list(CORPORA), choices=CORPORA,
                    help="which of ../shared/corpus/{train,dev,seeds} make the archive")
    ap.add_argument("--cache", type=Path, default=None,
                    help="pickle of the extraction records, read if present, written if not")
    ap.add_argument("--show", type=int, default=10,
                    help="list up to this many wrong merges, misses and contradictions")
    ap.add_argument("--out", type=Path, default=None, help="also write the archive's Turtle here")
    args = ap.parse_args(argv)
    if not (SHARED / "corpus").is_dir():
        raise SystemExit(f"bench_archive: {SHARED / 'corpus'} is absent")

    from kg.graph import build_graph
    from kg.resolve import resolve

    started = time.perf_counter()
    extractions = extract(args.corpus, args.cache)
    t_extract = time.perf_counter() - started
    started = time.perf_counter()
    corpus = resolve(extractions)
    t_resolve = time.perf_counter() - started
    graph = build_graph(corpus)
    if args.out is not None:
        from kg.export import serialize  # noqa: F401  (the exact Turtle kg build writes)
        args.out.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    gold = load_gold(args.corpus)
    matched = match_locals(extractions, gold)
    precision, recall = bcubed(dict(corpus.mapping), matched)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    over, by_merge = many_parents(graph, corpus)
    spanning, wrong = merge_contradictions(graph, corpus, matched)
    rp, rr, rf = relation_scores(graph, corpus, matched, gold)
    blocked = sum(1 for m in corpus.merges if getattr(m, "blocked", False))
    n_local = sum(len(e.entities) for e in extractions)
    print(f"archive: {', '.join(args.corpus)}: {len(extractions)} articles, {n_local} local "
          f"entities ({len(matched)} matched to gold), {len(corpus.entities)} entities, "
          f"{len(corpus.merges) - blocked} merge entries, {blocked} blocked merges; "
          f"extract {t_extract:.1f} s, resolve {t_resolve:.2f} s")
    print(f"merge B-cubed: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"children with more than two parents: {len(over)} (made by merges: {by_merge}; "
          f"the others have them in one article)")
    ages = [c for c in wrong if c.kind.startswith("age")]
    print(f"contradictions spanning articles: {len(spanning)}; on wrongly merged entities: "
          f"{len(wrong)} (age: {len(ages)})")
    print(f"relations (lenient, union of the gold): precision {rp:.3f}  recall {rr:.3f}  "
          f"F1 {rf:.3f}")
    if args.show:
        _show(corpus, matched, gold, over, wrong, args.show)
    return 0


def _show(corpus, matched: dict, gold: Gold, over, wrong, limit: int) -> None:
    clusters: dict[str, set] = defaultdict(set)
    for key, cid in corpus.mapping.items():
        if key in matched:
            clusters[cid].add(matched[key])
    impure = sorted(((cid, reals) for cid, reals in clusters.items() if len(reals) > 1),
                    key=lambda kv: (-len(kv[1]), kv[0]))
    print(f"-- wrong merges (entities holding more than one real entity): {len(impure)}")
    for cid, reals in impure[:limit]:
        print(f"   {cid}: {sorted(gold.entities[r].name + ' @' + r[0] for r in reals)}")
    split: dict = defaultdict(set)
    for key, real in matched.items():
        split[real].add(corpus.mapping[key])
    missed = sorted(((r, c) for r, c in split.items() if len(c) > 1),
                    key=lambda kv: (-len(kv[1]), kv[0]))
    print(f"-- missed merges (real entities split over entities): {len(missed)}")
    for real, cids in missed[:limit]:
        print(f"   {gold.entities[real].name}: {sorted(cids)}")
    for label, n in over[:limit]:
        print(f"-- {label}: {n} parents")
    for c in wrong[:limit]:
        print(f"-- {c.summary()}")


if __name__ == "__main__":
    sys.exit(main())
