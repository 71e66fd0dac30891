"""A persistent kg store: the graph in Oxigraph, plus every article's extraction, so articles can
be added, replaced and retracted without re-reading the whole archive.

Layout of a store folder::

    DIR/kg-store.json          manifest: format, engine, articles (id -> content hash, file)
    DIR/extractions/*.json     one ArticleExtraction per article (kg.store.codec)
    DIR/oxigraph/              the graph (RocksDB), when the engine is "oxigraph"

Every change follows one rule: the graph is ``build_graph(resolve(all stored extractions))``,
exactly what ``kg build`` makes of the same articles. So adding B to a store of A gives the
graph of building A and B at once, and retracting an article removes what only it supported
while facts that other articles support keep their other evidence. Only new or changed
articles go through the NLP pipeline; resolution and the graph are redone over the whole
archive. An article is unchanged when its content hash (id, date, text, url, title) is the one
stored; re-adding it writes nothing at all.

Updates are crash-safe. Extraction files are named by their content and never overwritten; the
manifest is the commit point. An update first writes the new extractions, then commits a manifest
that lists the new set of articles and marks the graph ``stale``, then rewrites the graph and
marks it ``current``, and only then deletes the files no article refers to any more. A process
killed before the commit leaves the previous store exactly as it was; one killed after it leaves
a store whose graph is rebuilt from the extractions the next time it is opened for writing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.export.atomic import atomic_write_text
from kg.records import Article, ArticleExtraction
from kg.store.base import StoreError, TripleStore
from kg.store.codec import CodecError, dumps_extraction, loads_extraction

if TYPE_CHECKING:
    from rdflib import Graph
    from spacy.language import Language

    from kg.extract.parallel import PipelineSpec

__all__ = ["MANIFEST", "KgStore", "UpdateReport", "content_hash", "is_store"]

#: The manifest's file name; its presence makes a folder a kg store.
MANIFEST = "kg-store.json"
_FORMAT = 1
_ENGINES = ("oxigraph", "rdflib")


def content_hash(article: Article) -> str:
    """SHA-256 of what an article says: id, date, text, url and title (not where it was read)."""
    canonical = json.dumps(
        [article.id, article.date.isoformat(), article.text, article.url, article.title],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_store(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a kg store folder."""
    return Path(path, MANIFEST).is_file()


@dataclass(frozen=True)
class UpdateReport:
    """What an update did. ``added``/``replaced``/``unchanged``/``removed`` hold article ids;
    ``missing`` the ids asked to be removed that the store does not hold; ``skipped`` the
    ``(source, reason)`` of inputs that could not be read or extracted."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    articles: int = 0
    triples: int = 0
    seconds: float = 0.0
    rebuilt: bool = False

    @property
    def changed(self) -> bool:
        """Whether the graph was rewritten."""
        return self.rebuilt


@dataclass
class _Entry:
    hash: str
    file: str


@dataclass
class _Manifest:
    engine: str
    articles: dict[str, _Entry] = field(default_factory=dict)
    graph_state: str = "current"
    triples: int = 0

    def dumps(self) -> str:
        data = {
            "kg_store": _FORMAT,
            "engine": self.engine,
            "graph": {"state": self.graph_state, "triples": self.triples},
            "articles": {
                article_id: {"hash": entry.hash, "file": entry.file}
                for article_id, entry in sorted(self.articles.items())
            },
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    @classmethod
    def loads(cls, text: str, where: Path) -> _Manifest:
        try:
            data = json.loads(text)
            if data.get("kg_store") != _FORMAT:
                raise StoreError(
                    f"{str(where)!r}: unsupported store format {data.get('kg_store')!r} "
                    f"(this kg reads format {_FORMAT})"
                )
            engine = data["engine"]
            if engine not in _ENGINES:
                raise StoreError(f"{str(where)!r}: unknown engine {engine!r}")
            articles = {
                str(article_id): _Entry(str(entry["hash"]), str(entry["file"]))
                for article_id, entry in data["articles"].items()
            }
            graph = data.get("graph", {})
            return cls(engine, articles, str(graph.get("state", "stale")), int(graph.get("triples", 0)))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise StoreError(f"{str(where)!r} is not a readable kg store manifest: {error}") from error


class KgStore:
    """A kg store folder: the graph, and the extraction of every article in it.

    >>> store = KgStore.create("archive")                   # doctest: +SKIP
    >>> store.add_articles(read_articles(["news/"]))         # doctest: +SKIP
    >>> run_named(store.graph, "children", {"name": "Kym Marsh"})   # doctest: +SKIP

    ``engine="rdflib"`` keeps the graph in memory (rebuilt from the extractions on open), for
    small jobs and tests; ``"oxigraph"`` (the default) keeps it on disk.
    """

    def __init__(self, path: Path, manifest: _Manifest, graph: TripleStore, *, read_only: bool) -> None:
        self.path = path
        self._manifest = manifest
        self._graph = graph
        self.read_only = read_only

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls, path: str | os.PathLike[str], *, engine: str = "oxigraph", overwrite: bool = False
    ) -> KgStore:
        """Make a new, empty store at ``path``.

        ``path`` must not exist, or be an empty folder; with ``overwrite`` an existing kg store
        there is replaced. A folder holding anything else is never touched.
        """
        if engine not in _ENGINES:
            raise StoreError(f"unknown store engine {engine!r}: expected one of {', '.join(_ENGINES)}")
        folder = Path(path)
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{str(folder)!r} exists and is not a folder")
        if folder.is_dir() and any(folder.iterdir()):
            if not is_store(folder):
                raise StoreError(f"{str(folder)!r} is not empty and not a kg store; will not write there")
            if not overwrite:
                raise StoreError(f"{str(folder)!r} is already a kg store")
            for child in ("extractions", "oxigraph", MANIFEST):
                target = folder / child
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
        try:
            (folder / "extractions").mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the store {str(folder)!r}: {error}") from error
        manifest = _Manifest(engine)
        atomic_write_text(folder / MANIFEST, manifest.dumps())
        return cls(folder, manifest, _open_graph(folder, engine, read_only=False), read_only=False)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False, repair: bool = True) -> KgStore:
        """Open the store at ``path``. Read-only opens may run beside each other (``kg serve``,
        ``kg query``); one process at a time may open a store for writing. A store whose last
        update was interrupted is repaired on a writable open (unless ``repair`` is false, for
        a caller about to replace everything); read-only it is an error."""
        folder = Path(path)
        manifest_path = folder / MANIFEST
        if not manifest_path.is_file():
            raise StoreError(f"{str(folder)!r} is not a kg store (no {MANIFEST})")
        try:
            manifest = _Manifest.loads(manifest_path.read_text(encoding="utf-8"), manifest_path)
        except OSError as error:
            raise StoreError(f"cannot read {str(manifest_path)!r}: {error}") from error
        graph = _open_graph(folder, manifest.engine, read_only=read_only)
        store = cls(folder, manifest, graph, read_only=read_only)
        if manifest.engine == "rdflib" or manifest.graph_state != "current":
            if read_only and manifest.engine != "rdflib":
                raise StoreError(
                    f"the graph of {str(folder)!r} is out of date (an update was interrupted); "
                    f"run 'kg add {folder} ...' or open it for writing to rebuild it"
                )
            if read_only or repair or manifest.engine == "rdflib":
                store._rebuild(persist=not read_only)
        if not read_only:
            from kg.export.atomic import sweep_temporaries

            sweep_temporaries(folder)  # a manifest's temporary file, left by a killed update
            store._collect_garbage()
        return store

    def close(self) -> None:
        """Release the graph store."""
        self._graph.close()

    def __enter__(self) -> KgStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- reading ---------------------------------------------------------------------------

    @property
    def graph(self) -> TripleStore:
        """The graph, as a triple store that :func:`kg.query.run_query` accepts."""
        return self._graph

    @property
    def engine(self) -> str:
        """``"oxigraph"`` or ``"rdflib"``."""
        return self._manifest.engine

    def article_ids(self) -> list[str]:
        """The ids of the articles in the store, sorted."""
        return sorted(self._manifest.articles)

    def article_hash(self, article_id: str) -> str | None:
        """The content hash stored for ``article_id`` (``None`` if it is not in the store)."""
        entry = self._manifest.articles.get(article_id)
        return entry.hash if entry else None

    def extraction(self, article_id: str) -> ArticleExtraction:
        """The stored extraction of one article."""
        entry = self._manifest.articles.get(article_id)
        if entry is None:
            raise KeyError(article_id)
        return self._read(article_id, entry)

    def extractions(self) -> list[ArticleExtraction]:
        """Every stored extraction, by article id."""
        return [self.extraction(article_id) for article_id in self.article_ids()]

    def __len__(self) -> int:
        return len(self._manifest.articles)

    # --- writing ---------------------------------------------------------------------------

    def add_articles(
        self,
        articles: Iterable[Article],
        nlp: Language | Callable[[], Language] | None = None,
        *,
        skipped: Sequence[tuple[str, str]] = (),
        spec: PipelineSpec | None = None,
        workers: int = 1,
    ) -> UpdateReport:
        """Add new articles and replace changed ones; unchanged ones (same content hash) are
        left alone, and when nothing changed nothing is written.

        Extraction runs as in ``kg build`` (:func:`kg.driver.extract`): ``nlp`` is a loaded
        pipeline, or a function that loads one (called only if some article needs extracting);
        by default the pipeline ``spec`` names (kg's own when ``None``). With ``workers`` above
        1, that many processes each load the pipeline from ``spec``. An article whose extraction
        fails is reported in ``skipped`` and the others go on. ``skipped`` passes on input
        problems the caller met while reading. :class:`StoreError` when extraction cannot run.
        """
        started = time.perf_counter()
        problems = list(skipped)
        pending: dict[str, Article] = {}
        unchanged: list[str] = []
        for article in articles:
            if self.article_hash(article.id) == content_hash(article):
                unchanged.append(article.id)
                pending.pop(article.id, None)
            else:
                pending[article.id] = article
        extractions: list[ArticleExtraction] = []
        if pending:
            from kg.driver import ExtractionError, extract

            try:
                extractions = extract(list(pending.values()), problems, spec=spec, nlp=nlp,
                                      workers=workers)
            except ExtractionError as error:
                raise StoreError(f"the store was left as it was: {error}") from error
        report = self.add_extractions(extractions)
        return UpdateReport(
            added=report.added,
            replaced=report.replaced,
            unchanged=tuple(sorted(set(unchanged) | set(report.unchanged))),
            skipped=tuple(problems) + report.skipped,
            articles=report.articles,
            triples=report.triples,
            seconds=time.perf_counter() - started,
            rebuilt=report.rebuilt,
        )

    def add_extractions(self, extractions: Iterable[ArticleExtraction]) -> UpdateReport:
        """Store ready-made extractions (new or replacing) and rebuild the graph if anything
        changed. Of two extractions of one article in ``extractions``, the last one counts."""
        started = time.perf_counter()
        self._check_writable()
        latest: dict[str, ArticleExtraction] = {}
        for extraction in extractions:
            latest[extraction.article.id] = extraction
        added, replaced, unchanged = [], [], []
        changes: dict[str, tuple[str, ArticleExtraction]] = {}
        for article_id, extraction in sorted(latest.items()):
            digest = content_hash(extraction.article)
            known = self.article_hash(article_id)
            if known == digest:
                unchanged.append(article_id)
                continue
            (added if known is None else replaced).append(article_id)
            changes[article_id] = (digest, extraction)
        skipped: list[tuple[str, str]] = []
        if changes:
            dropped = self._update(dict(self._manifest.articles), changes, skipped)
            added = [article_id for article_id in added if article_id not in dropped]
            replaced = [article_id for article_id in replaced if article_id not in dropped]
        return UpdateReport(
            added=tuple(added), replaced=tuple(replaced), unchanged=tuple(unchanged),
            skipped=tuple(skipped), articles=len(self), triples=len(self._graph),
            seconds=time.perf_counter() - started, rebuilt=bool(added or replaced),
        )

    def remove(self, article_ids: Iterable[str]) -> UpdateReport:
        """Retract articles: their extractions go, and the graph is rebuilt from the others,
        so facts only they supported disappear and shared facts keep their other support."""
        started = time.perf_counter()
        self._check_writable()
        wanted = list(dict.fromkeys(article_ids))
        removed = [article_id for article_id in wanted if article_id in self._manifest.articles]
        missing = [article_id for article_id in wanted if article_id not in self._manifest.articles]
        if removed:
            kept = {key: entry for key, entry in self._manifest.articles.items() if key not in removed}
            self._update(kept, {}, [])
        return UpdateReport(
            removed=tuple(removed), missing=tuple(missing), articles=len(self),
            triples=len(self._graph), seconds=time.perf_counter() - started, rebuilt=bool(removed),
        )

    def replace_all(self, extractions: Sequence[ArticleExtraction], graph: Graph | None = None) -> UpdateReport:
        """Make the store hold exactly ``extractions``; ``graph`` is their graph when the caller
        has built it already (``kg build --store``), else it is built here."""
        started = time.perf_counter()
        self._check_writable()
        articles = {
            extraction.article.id: self._write_extraction(content_hash(extraction.article), extraction)
            for extraction in extractions
        }
        self._commit(articles)
        if graph is None:
            self._rebuild(persist=True)
        else:
            self._store_graph(graph)
        self._collect_garbage()
        return UpdateReport(
            added=tuple(sorted(self._manifest.articles)), articles=len(self),
            triples=len(self._graph), seconds=time.perf_counter() - started, rebuilt=True,
        )

    def rebuild(self) -> UpdateReport:
        """Resolve every stored extraction again and rewrite the graph."""
        started = time.perf_counter()
        self._check_writable()
        self._mark_stale()
        self._rebuild(persist=True)
        return UpdateReport(articles=len(self), triples=len(self._graph),
                            seconds=time.perf_counter() - started, rebuilt=True)

    def export(self, path: str | os.PathLike[str], fmt: str | None = None, *, fast: bool = False) -> Path:
        """Write the store's graph to ``path`` atomically (format from the suffix unless given).

        By default with kg's own writer, so the file is byte for byte the ``graph.ttl`` that
        ``kg build`` writes for the same articles; ``fast`` lets Oxigraph write it (much faster
        on a big store, in Oxigraph's own triple order)."""
        from kg.export import write_graph

        if fast and hasattr(self._graph, "dump"):
            return self._graph.dump(path, fmt)  # type: ignore[no-any-return, attr-defined]
        return write_graph(self._graph.to_graph(), path, fmt)

    def build_graph(self) -> Graph:
        """The graph of the stored extractions, computed afresh (the store is not changed).
        An article whose resolution fails is left out of it."""
        return _graph_of(self.extractions(), [])[1]

    # --- internals -------------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store {str(self.path)!r} is open read-only")

    def _mark_stale(self) -> None:
        self._manifest.graph_state = "stale"
        self._write_manifest()

    def _write_extraction(self, digest: str, extraction: ArticleExtraction) -> _Entry:
        """Write one extraction under a name of its own content (an existing file with that
        name already holds exactly this text, so it is left alone)."""
        text = dumps_extraction(extraction)
        entry = _Entry(digest, _extraction_file(extraction.article.id, text))
        path = self.path / entry.file
        if not path.is_file():
            atomic_write_text(path, text)
        return entry

    def _update(self, articles: dict[str, _Entry], changes: dict[str, tuple[str, ArticleExtraction]],
                skipped: list[tuple[str, str]]) -> set[str]:
        """Make the store hold ``articles`` with ``changes`` (id -> (content hash, extraction))
        applied on top, and return the ids of the changes left out.

        The new graph is made before anything is written: a changed article whose resolution
        fails is left out (reported in ``skipped``; a stored version of it stays), and when the
        graph cannot be made at all the store is left exactly as it was (:class:`StoreError`).
        A failure while writing puts the previous manifest and graph back.
        """
        dropped: set[str] = set()
        while True:
            pending = {key: value for key, value in changes.items() if key not in dropped}
            extractions = [pending[key][1] if key in pending else self._read(key, articles[key])
                           for key in sorted(set(articles) | set(pending))]
            problems: list[tuple[str, str]] = []
            kept, graph = _graph_of(extractions, problems)
            kept_ids = {extraction.article.id for extraction in kept}
            newly = {key for key in pending if key not in kept_ids}
            skipped.extend(problem for problem in problems if problem not in skipped)
            if not newly:
                break
            dropped |= newly  # the stored version of a failed replacement, if any, comes back
        content = {key: entry for key, entry in articles.items() if key in kept_ids}
        if not pending and content == self._manifest.articles:
            return dropped  # every change was left out: nothing to write
        try:
            for key, (digest, extraction) in pending.items():
                content[key] = self._write_extraction(digest, extraction)
        except Exception:
            with contextlib.suppress(Exception):
                self._collect_garbage()  # the files just written: the manifest names none
            raise
        previous = (dict(self._manifest.articles), self._manifest.graph_state, self._manifest.triples)
        try:
            self._commit(content)
            self._store_graph(graph)
        except Exception:  # a kill (or ^C) instead is finished on the next open, as documented
            self._restore(*previous)
            raise
        self._collect_garbage()
        return dropped

    def _restore(self, articles: dict[str, _Entry], state: str, triples: int) -> None:
        """Put back the manifest (and graph) an update started from, as far as possible."""
        with contextlib.suppress(Exception):
            self._manifest.articles = articles
            self._manifest.graph_state, self._manifest.triples = "stale", triples
            self._write_manifest()
            self._rebuild(persist=True)
            self._manifest.graph_state = state
            self._write_manifest()
        with contextlib.suppress(Exception):
            self._collect_garbage()

    def _read(self, article_id: str, entry: _Entry) -> ArticleExtraction:
        path = self.path / entry.file
        try:
            return loads_extraction(path.read_text(encoding="utf-8"))
        except (OSError, CodecError) as error:
            raise StoreError(f"cannot read the extraction of {article_id!r} ({str(path)!r}): {error}") from error

    def _commit(self, articles: dict[str, _Entry]) -> None:
        """Make ``articles`` the store's content: the one write that an update hinges on."""
        self._manifest.articles = articles
        self._mark_stale()

    def _collect_garbage(self) -> None:
        """Delete extraction files that the manifest does not name (left by earlier versions of
        articles, or by an update that was killed before its commit)."""
        wanted = {entry.file for entry in self._manifest.articles.values()}
        folder = self.path / "extractions"
        if not folder.is_dir():
            return
        for path in folder.iterdir():
            if path.is_file() and f"extractions/{path.name}" not in wanted:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()

    def _rebuild(self, *, persist: bool) -> None:
        graph = self.build_graph()
        if persist:
            self._store_graph(graph)
        else:
            self._graph.replace(graph)

    def _store_graph(self, graph: Graph) -> None:
        self._graph.replace(graph)
        self._manifest.graph_state = "current"
        self._manifest.triples = len(self._graph)
        self._write_manifest()

    def _write_manifest(self) -> None:
        atomic_write_text(self.path / MANIFEST, self._manifest.dumps())


def _extraction_file(article_id: str, text: str) -> str:
    """``extractions/ID-CONTENT.json``: digests of the article id and of the file's text."""
    who = hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:16]
    what = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f"extractions/{who}-{what}.json"


def _open_graph(folder: Path, engine: str, *, read_only: bool) -> TripleStore:
    if engine == "rdflib":
        from kg.store.memory import MemoryStore

        return MemoryStore()
    from kg.store.oxigraph import OxigraphStore

    return OxigraphStore(folder / "oxigraph", read_only=read_only)


def _graph_of(extractions: Sequence[ArticleExtraction],
              problems: list[tuple[str, str]]) -> tuple[list[ArticleExtraction], Graph]:
    """The extractions kept and their graph (:func:`kg.driver.resolve_and_build_graph`); an
    empty graph for no extractions. :class:`StoreError` when no graph can be made."""
    from kg.driver import ResolutionError, resolve_and_build_graph
    from kg.graph.builder import new_graph

    if not extractions:
        return [], new_graph()
    try:
        kept, _, graph = resolve_and_build_graph(extractions, problems)
    except ResolutionError as error:
        raise StoreError(f"the store was left as it was: {error}") from error
    return kept, graph
